package site

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"newsroom/internal/content"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/afero"
)

// stage prepares the content folder dir of one part in the memory layer
// fs: the part's files next to the section files every part needs, plus
// _index.md files so each year and month is a section with its own list
// page. The files are read from the site's content folder; nothing is
// written to disk (hard links and a scratch folder per part were a
// thousand metadata writes per part on a journaling file system).
//
// With editionPages, it also stages the e-paper's pages of the editions
// its files are in (stageEditionPages; dates are every edition's date,
// newest first) and returns them.
func (a *Archive) stage(layer afero.Fs, dir string, files []string, sectionIndexes, editionPages bool, dates []string) ([]editionPage, error) {
	contentDir := filepath.Join(a.Root, "content")
	for _, top := range []string{"_index.md", "stories/_index.md", "notices/_index.md", "search/_index.md", "verify/_index.md"} {
		files = append(files, top)
	}
	sections := map[string]bool{}
	pages := map[editionPage]bool{}
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(contentDir, filepath.FromSlash(rel)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed meanwhile, or an optional section file
		}
		if err != nil {
			return nil, err
		}
		if err := afero.WriteFile(layer, filepath.Join(dir, filepath.FromSlash(rel)), data, 0o644); err != nil {
			return nil, err
		}
		if editionPages {
			editionPagesOf(pages, rel, data)
		}
		if key, _, ok := contentKey(rel); ok && sectionIndexes {
			month := path.Dir(key) // stories/2023/06
			sections[path.Dir(month)] = true
			sections[month] = true
		}
	}
	for sec := range sections {
		dst := filepath.Join(dir, filepath.FromSlash(sec), "_index.md")
		if _, err := layer.Stat(dst); err == nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join(contentDir, filepath.FromSlash(sec), "_index.md"))
		if err != nil {
			p := strings.Split(sec, "/")
			title := p[1] + "年"
			if len(p) == 3 {
				title += p[2] + "月"
			}
			data = fmt.Appendf(nil, "---\ntitle: \"%s\"\nparams:\n  archive_of: \"%s\"\n---\n", title, sec)
		}
		if err := afero.WriteFile(layer, dst, data, 0o644); err != nil {
			return nil, err
		}
	}
	return a.stageEditionPages(layer, dir, pages, dates)
}

// renderBatch renders the content files of one or more parts and returns
// the output, in memory. It does not touch the live tree, so it runs
// without the lock. A full build renders several small months at once:
// each Hugo build has a fixed cost (about 30 ms to set up its templates),
// which would otherwise dominate a small archive. A month larger than
// BatchFiles (a real daily prints 3,000–4,000 items a month) is rendered in
// several Hugo builds instead (see renderMonthInChunks): the memory and
// time of one build grow faster than its page count.
//
// meta holds the files' front matter heads (metaOf), read once per render
// for both the chunks' date order and the month's sitemap; nil for the hot
// part.
//
// listed are content files the hot part lists without rendering their
// pages (see partFiles).
//
// tree is the tree the output goes to: static pictures already there are
// not copied again (see isMedia).
func (a *Archive) renderBatch(ctx context.Context, tree, label string, hot bool, files, listed []string, meta map[string]fileMeta, params map[string]any) (*rendered, error) {
	// Hugo renders into memory: every file is then compared with the live
	// tree's and only changed ones are written, so writing them all to a
	// scratch folder first would double the disk work.
	out := newOutputFs()
	var err error
	if !hot && len(files) > a.batchFiles() {
		err = a.renderMonthInChunks(ctx, out, label, files, meta, params)
	} else {
		err = a.renderHugoBuild(ctx, out, label, hot, true, append(slices.Clone(files), listed...), params, linkOnly(listed))
	}
	if err != nil {
		return nil, err
	}
	if hot {
		if err := copyStaticTo(a.Root, out, mediaThere(tree)); err != nil {
			return nil, fmt.Errorf("render part %s: %w", label, err)
		}
	}
	return &rendered{fs: out}, nil
}

// renderMonthInChunks renders a large month in several Hugo builds into
// one output: one build has every file of the month but renders only its
// list pages and editions (story pages are listed, never rendered), and
// then each chunk of at most BatchFiles stories, in date order, renders
// only its story pages. Each chunk also holds, unrendered, the stories
// just before and after it, so the first and last story of a chunk still
// link to their neighbours (上一篇/下一篇); related stories are found among
// the chunk's stories.
func (a *Archive) renderMonthInChunks(ctx context.Context, out *outputFs, label string, files []string, meta map[string]fileMeta, params map[string]any) error {
	// render "link", not "never": a page that is never rendered has no
	// permalink and is left out of its taxonomy terms (the editions).
	listsOnly := []map[string]any{{
		"build":  map[string]any{"render": "link", "list": "always"},
		"target": map[string]any{"kind": "page"},
	}}
	if err := a.renderHugoBuild(ctx, out, label, false, true, files, params, listsOnly); err != nil {
		return err
	}
	type item struct {
		rel, section string
		date         time.Time
	}
	items := make([]item, 0, len(files))
	for _, rel := range files {
		items = append(items, item{rel, path.Dir(rel), meta[rel].Date})
	}
	// Hugo's order within a section: newest first, then by name.
	slices.SortFunc(items, func(x, y item) int {
		return cmp.Or(cmp.Compare(x.section, y.section), y.date.Compare(x.date), cmp.Compare(x.rel, y.rel))
	})
	size := a.batchFiles()
	for lo := 0; lo < len(items); lo += size {
		hi := min(lo+size, len(items))
		chunk := make([]string, 0, hi-lo+2)
		for _, it := range items[lo:hi] {
			chunk = append(chunk, it.rel)
		}
		cascade := []map[string]any{{
			"build":  map[string]any{"render": "link", "list": "always"},
			"target": map[string]any{"kind": "{section,taxonomy,term}"},
		}}
		for _, n := range []int{lo - 1, hi} {
			if n < 0 || n >= len(items) || items[n].section != items[min(max(n, lo), hi-1)].section {
				continue
			}
			page := "/" + strings.ToLower(strings.TrimSuffix(items[n].rel, ".md"))
			if strings.ContainsAny(page, "*?[]{}\\") {
				continue // not a literal glob; this chunk's edge story loses one link
			}
			chunk = append(chunk, items[n].rel)
			cascade = append(cascade, map[string]any{
				"build":  map[string]any{"render": "link", "list": "always"},
				"target": map[string]any{"path": page},
			})
		}
		if err := a.renderHugoBuild(ctx, out, label, false, false, chunk, params, cascade); err != nil {
			return err
		}
	}
	return nil
}

// linkOnly is the cascade that makes the pages of content files listed
// and linked but not rendered.
func linkOnly(rels []string) []map[string]any {
	var cascade []map[string]any
	for _, rel := range rels {
		page := "/" + strings.ToLower(strings.TrimSuffix(rel, ".md"))
		if strings.ContainsAny(page, "*?[]{}\\") {
			continue // not a literal glob: rendered, and thrown away (not the part's)
		}
		cascade = append(cascade, map[string]any{
			"build":  map[string]any{"render": "link", "list": "always"},
			"target": map[string]any{"path": page},
		})
	}
	return cascade
}

// renderHugoBuild runs one Hugo build of the given content files into out.
// cascade adds build options for some of the pages (see
// renderMonthInChunks). editionPages renders the e-paper's pages of the
// files' editions (a build that renders their editions: not a chunk of a
// large month, which renders only stories).
func (a *Archive) renderHugoBuild(ctx context.Context, out *outputFs, label string, hot, editionPages bool, files []string, params map[string]any, cascade []map[string]any) error {
	// The part's content lives in a memory layer over the disk, at a path
	// of its own below the site's data folder (which exists only there).
	layer := afero.NewMemMapFs()
	data, err := filepath.Abs(a.Data)
	if err != nil {
		return err
	}
	// The overlay matches the path Hugo uses, which has no symbolic links.
	if real, err := filepath.EvalSymlinks(data); err == nil {
		data = real
	}
	contentDir := filepath.Join(data, "work", label, "content")
	// The hot part's stories need no year or month sections: month lists
	// belong to the months, and rendering them here would be thrown away.
	dates, _ := params[editionDatesKey].([]string)
	pages, err := a.stage(layer, contentDir, files, !hot, editionPages, dates)
	if err != nil {
		return fmt.Errorf("stage part %s: %w", label, err)
	}
	source := newOverlayFs(contentDir, layer)
	extra := map[string]any{"contentDir": contentDir, "params.archive": hugoParams(params)}
	if a.BaseURL != "" {
		extra["baseURL"] = a.BaseURL
	}
	if label == termsPart {
		// The terms part renders term pages (and their feeds) only: every
		// story is listed and linked, never rendered, and every other page
		// is another part's.
		extra["cascade"] = []map[string]any{{
			"build":  map[string]any{"render": "never", "list": "always"},
			"target": map[string]any{"path": "{/,/columns,/tags,/authors,/edition,/edition/**,/search,/verify,/stories,/notices}"},
		}, {
			"build":  map[string]any{"render": "link", "list": "always"},
			"target": map[string]any{"path": "{/stories/**,/notices/**}", "kind": "page"},
		}}
		extra["disableKinds"] = []string{"robotstxt", "404", "sitemap"}
	} else if !hot {
		// A month renders only what it owns: its pages, its lists and its
		// editions (its sitemap is written from the content list). Home,
		// column, tag and author pages and the feeds belong to the hot
		// part; rendering them here would be thrown away (the taxonomies
		// stay, so pages can link their terms).
		// The year sections (/stories/2023/) exist only so that months nest
		// as they do in the content folder; no part owns their pages, and
		// rendering them here paginated the whole batch a second time.
		extra["cascade"] = append([]map[string]any{{
			"build":  map[string]any{"render": "never", "list": "always"},
			"target": map[string]any{"path": "{/,/columns,/columns/**,/tags,/tags/**,/authors,/authors/**,/edition,/search,/verify,/stories,/notices}"},
		}, {
			"build":  map[string]any{"render": "link", "list": "always"},
			"target": map[string]any{"path": "{/stories/[0-9][0-9][0-9][0-9],/notices/[0-9][0-9][0-9][0-9]}", "kind": "section"},
		}}, cascade...)
		extra["disableKinds"] = []string{"rss", "robotstxt", "404", "sitemap"}
	} else if len(cascade) > 0 {
		extra["cascade"] = cascade
	}
	if _, err := renderHugo(ctx, a.Root, source, out, "/", extra, a.Log); err != nil {
		return fmt.Errorf("render part %s: %w", label, err)
	}
	if err := a.copyPageImages(out, pages); err != nil {
		return fmt.Errorf("render part %s: %w", label, err)
	}
	return nil
}

// rendered is the output of one Hugo build of the archive, in memory.
type rendered struct{ fs *outputFs }

// outputFs is the in-memory file system a part renders into. It remembers
// the names of the files written, so publishing them needs no walk of the
// tree (afero.Walk lists, sorts and stats every directory: a tenth of a
// full build's time).
type outputFs struct {
	afero.Fs
	mu    sync.Mutex
	files map[string]bool
	// links are output files given by reference, not held in memory:
	// the tree's path (slash-separated, relative) → the file on disk
	// publishing copies there (an e-paper page's PDF).
	links map[string]string
}

func newOutputFs() *outputFs {
	return &outputFs{Fs: afero.NewMemMapFs(), files: map[string]bool{}, links: map[string]string{}}
}

// link adds the file src on disk to the output as rel.
func (o *outputFs) link(rel, src string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.links[rel] = src
}

// linked returns the linked files, by their path in the tree.
func (o *outputFs) linked() map[string]string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return maps.Clone(o.links)
}

func (o *outputFs) note(name string, written bool) {
	name = filepath.Clean(name)
	o.mu.Lock()
	defer o.mu.Unlock()
	if written {
		o.files[name] = true
	} else {
		delete(o.files, name)
	}
}

// Create implements afero.Fs.
func (o *outputFs) Create(name string) (afero.File, error) {
	f, err := o.Fs.Create(name)
	if err == nil {
		o.note(name, true)
	}
	return f, err
}

// OpenFile implements afero.Fs.
func (o *outputFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := o.Fs.OpenFile(name, flag, perm)
	if err == nil && flag&(os.O_CREATE|os.O_WRONLY|os.O_RDWR) != 0 {
		o.note(name, true)
	}
	return f, err
}

// Remove implements afero.Fs.
func (o *outputFs) Remove(name string) error {
	err := o.Fs.Remove(name)
	if err == nil {
		o.note(name, false)
	}
	return err
}

// RemoveAll implements afero.Fs.
func (o *outputFs) RemoveAll(path string) error {
	err := o.Fs.RemoveAll(path)
	if err == nil {
		path = filepath.Clean(path)
		o.mu.Lock()
		for name := range o.files {
			if name == path || strings.HasPrefix(name, path+string(filepath.Separator)) {
				delete(o.files, name)
			}
		}
		o.mu.Unlock()
	}
	return err
}

// Rename implements afero.Fs.
func (o *outputFs) Rename(oldname, newname string) error {
	err := o.Fs.Rename(oldname, newname)
	if err == nil {
		o.note(oldname, false)
		o.note(newname, true)
	}
	return err
}

// names returns the files written, sorted.
func (o *outputFs) names() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	names := make([]string, 0, len(o.files))
	for name := range o.files {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// fileMeta is what a part keeps of each content file besides its
// signature: the date (for the sitemap) and the e-paper edition.
type fileMeta struct {
	Date time.Time
	// Modified is the last correction (front matter lastmod), zero when
	// there is none.
	Modified time.Time
	Edition  string
	Page     int // the e-paper page (版次), 0 when none
	// Unlisted is a withdrawn story (build.list: never): its page stays,
	// but no sitemap or list names it.
	Unlisted bool
	// Terms are the term pages it is on (content.TermPaths); metaOf only.
	Terms []string
}

// metaOf reads the date, edition and terms of content files.
func (a *Archive) metaOf(files []string) map[string]fileMeta {
	meta := make(map[string]fileMeta, len(files))
	for _, rel := range files {
		data, err := os.ReadFile(filepath.Join(a.Root, "content", filepath.FromSlash(rel)))
		if err != nil {
			meta[rel] = fileMeta{}
			continue
		}
		m, _ := content.ReadMetaBytes(data)
		fm := fileMetaOf(m)
		fm.Terms = content.TermPaths(data)
		meta[rel] = fm
	}
	return meta
}
