package site

import (
	"bytes"
	"cmp"
	"fmt"
	"hash/fnv"
	"maps"
	"newsroom/internal/content"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/afero"
)

// partPlan is what publishing one rendered part changes in a tree: the
// files to write (new or changed since the part's last render into that
// tree), the files it owned and no longer renders, and its next state.
type partPlan struct {
	name    string
	next    *partState
	writes  []planFile
	deletes []string // slash-separated, relative to the tree
	// handover are term pages the hot part rendered and that are now the
	// terms part's, which will rewrite or delete them (see planBatch).
	handover []string
	stats    PartStats
}

type planFile struct {
	rel  string
	data []byte
	// fresh: the part did not have the file before (a new page).
	fresh bool
	// src, if set, is a file on disk whose content is written instead of
	// data (a linked output: outputFs.link).
	src string
}

// content is what f writes: its data, or its source file's content.
func (f planFile) content() ([]byte, error) {
	if f.src == "" {
		return f.data, nil
	}
	return os.ReadFile(f.src)
}

// linkSig is a linked file's signature in a part's state: its source's
// path, size and modification time (its content is not read to plan).
func linkSig(src string) (uint64, bool) {
	info, err := os.Stat(src)
	if err != nil || !info.Mode().IsRegular() {
		return 0, false
	}
	return hashBytes(fmt.Appendf(nil, "%s\x00%d\x00%d", src, info.Size(), info.ModTime().UnixNano())), true
}

// planBatch decides what publishing a rendered batch into tree changes,
// for the parts in names: their files, compared by hash with what they
// rendered last (prev: the parts' state in that tree), each month's
// sitemap, and the files they owned before and no longer render. It
// writes nothing. The caller holds a.mu (owner depends on the hot set).
func (a *Archive) planBatch(tree string, prev map[string]*partState, names []string, out *rendered, months map[string]map[string]fileSig, meta map[string]fileMeta) (map[string]*partPlan, error) {
	plans := map[string]*partPlan{}
	for _, n := range names {
		plans[n] = &partPlan{name: n, next: &partState{Outputs: map[string]uint64{}}, stats: PartStats{Part: n}}
	}
	// putSum plans f, whose signature is sum; put plans data as rel.
	putSum := func(p *partPlan, rel string, sum uint64, f planFile) {
		p.next.Outputs[rel] = sum
		if rel == "sitemaps/"+p.name+".xml" {
			p.next.SitemapMod = newestLastmod(f.data)
		}
		if strings.HasSuffix(rel, ".html") {
			p.stats.Pages++
		}
		fresh := true
		if st := prev[p.name]; st != nil {
			old, ok := st.Outputs[rel]
			if ok && old == sum {
				if _, err := os.Stat(filepath.Join(tree, filepath.FromSlash(rel))); err == nil {
					return
				}
			}
			fresh = !ok
		}
		f.fresh = fresh
		p.writes = append(p.writes, f)
	}
	put := func(p *partPlan, rel string, data []byte) {
		putSum(p, rel, hashBytes(data), planFile{rel: rel, data: data})
	}
	for _, name := range out.fs.names() {
		info, err := out.fs.Stat(name)
		if err != nil || info.IsDir() {
			continue // removed, or a directory opened for writing
		}
		rel := strings.TrimPrefix(filepath.ToSlash(name), "/")
		if rel == "sitemap.xml" {
			// The hot part's sitemap is one file of the sitemap index.
			rel = "sitemaps/" + hotPart + ".xml"
		}
		p := plans[a.owner(rel)]
		if isMedia(rel) {
			// Anyone's, never deleted: written when missing (see isMedia).
			if _, err := os.Stat(filepath.Join(tree, filepath.FromSlash(rel))); err == nil {
				continue
			}
			p = plans[names[0]]
			data, err := afero.ReadFile(out.fs, name)
			if err != nil {
				return nil, fmt.Errorf("publish %v: %w", names, err)
			}
			p.writes = append(p.writes, planFile{rel: rel, data: data, fresh: true})
			continue
		}
		if p == nil {
			continue
		}
		data, err := afero.ReadFile(out.fs, name)
		if err != nil {
			return nil, fmt.Errorf("publish %v: %w", names, err)
		}
		put(p, rel, data)
	}
	for rel, src := range out.fs.linked() {
		p := plans[a.owner(rel)]
		if p == nil {
			continue
		}
		if sum, ok := linkSig(src); ok {
			putSum(p, rel, sum, planFile{rel: rel, src: src})
		}
	}
	base := a.baseURL()
	for name, p := range plans {
		if name != hotPart && name != termsPart {
			p.next.Terms = monthTerms(months[name], meta)
			var eds []string
			for rel := range months[name] {
				if ed := meta[rel].Edition; ed != "" && !meta[rel].Unlisted {
					eds = append(eds, ed)
				}
			}
			sort.Strings(eds)
			p.next.Editions = slices.Compact(eds)
			p.next.EditionOf = map[string]string{}
			for rel := range months[name] {
				if ed := meta[rel].Edition; ed != "" && !meta[rel].Unlisted {
					p.next.EditionOf[rel] = ed
				}
			}
			p.next.Inputs = months[name]
			if len(months[name]) > 0 {
				put(p, "sitemaps/"+name+".xml", monthSitemap(base, months[name], meta, p.next.Editions))
			}
		}
		if st := prev[name]; st != nil {
			for rel, sum := range st.Outputs {
				if _, still := p.next.Outputs[rel]; still || isMedia(rel) {
					continue
				}
				switch o := a.owner(rel); {
				case o == name && name == hotPart && a.coldTermLive(termOf(rel)):
					// A term no hot story has any more (a correction took it
					// off) whose older stories still have it: its page stays
					// until the terms part takes it over at the rollover.
					p.next.Outputs[rel] = sum
				case o == name:
					p.deletes = append(p.deletes, rel)
				case name == hotPart && o == termsPart:
					// The terms part rewrites the page if it renders it,
					// and deletes it if not: the term may be gone.
					p.handover = append(p.handover, rel)
				}
			}
		}
		p.next.Pages = p.stats.Pages
		p.stats.Written = len(p.writes)
	}
	if p := plans[hotPart]; p != nil {
		// A hot edition is rendered whole by the hot part: what its month
		// rendered under it and the hot part no longer does (a page's PDF
		// or image taken away, a page left without stories) is gone now,
		// not at the rollover. The month forgets it when it renders the
		// edition again.
		for name, st := range prev {
			if name == hotPart || name == termsPart || plans[name] != nil {
				continue
			}
			for rel := range st.Outputs {
				if _, still := p.next.Outputs[rel]; !still && strings.HasPrefix(rel, "edition/") && a.owner(rel) == hotPart {
					if _, err := os.Lstat(filepath.Join(tree, filepath.FromSlash(rel))); err == nil {
						p.deletes = append(p.deletes, rel)
					}
				}
			}
		}
	}
	return plans, nil
}

// rank orders a part's writes into the live tree: story and notice pages
// first, then other new files (a new edition's page), then changed ones,
// so that a page that links to a new page (the home page, a list, an
// edition) is never there before it, also when a write fails half way.
func (f planFile) rank() int {
	p := strings.SplitN(f.rel, "/", 5)
	switch {
	case len(p) == 5 && (p[0] == "stories" || p[0] == "notices") && isDigits(p[1], 4) && isDigits(p[2], 2) && p[3] != "page",
		isMedia(f.rel):
		return 0
	case f.fresh:
		return 1
	}
	return 2
}

// applyToLive writes planned parts into the live tree, each file through a
// temporary file and a rename so that a reader gets the old page or the
// new one, and saves their state. New pages go first (see rank), so that
// a failed write (a full disk) leaves no link to a page that is not there;
// the part's state is then left as it was, and its next render writes
// again whatever differs from it. The caller holds a.mu.
func (a *Archive) applyToLive(plans map[string]*partPlan) (map[string]PartStats, error) {
	stats := map[string]PartStats{}
	write := a.writeLive
	if write == nil {
		write = writeAtomic
	}
	for name, p := range plans {
		slices.SortStableFunc(p.writes, func(x, y planFile) int { return cmp.Compare(x.rank(), y.rank()) })
		for _, f := range p.writes {
			data, err := f.content()
			if err == nil {
				err = write(filepath.Join(a.live, filepath.FromSlash(f.rel)), data)
			}
			if err != nil {
				return nil, fmt.Errorf("publish %s: write %s: %w", name, f.rel, err)
			}
		}
		for _, rel := range p.deletes {
			full := filepath.Join(a.live, filepath.FromSlash(rel))
			if os.Remove(full) == nil {
				p.stats.Deleted++
				removeEmptyDirs(a.live, filepath.Dir(full), nil)
			}
		}
		a.parts[name] = p.next
		if err := a.saveState(name, p.next); err != nil {
			return nil, err
		}
		delete(a.dirty, name)
		stats[name] = p.stats
		if len(p.handover) > 0 {
			handOver(a.parts, p.handover)
			if err := a.saveState(termsPart, a.parts[termsPart]); err != nil {
				return nil, err
			}
			a.termsHanded = true
		}
	}
	if plans[hotPart] != nil {
		if err := a.saveHot(); err != nil {
			return nil, err
		}
	}
	if err := a.writeSitemapIndex(a.live, a.baseURL()); err != nil {
		return nil, err
	}
	return stats, nil
}

// applyToNewTree queues planned parts for a full build's new tree, which
// nobody reads before the swap (see fullBuild.write), and records their
// state there; write errors are reported by the build's finish. The
// caller holds a.mu.
func (a *Archive) applyToNewTree(full *fullBuild, plans map[string]*partPlan) map[string]PartStats {
	stats := map[string]PartStats{}
	for name, p := range plans {
		for _, f := range p.writes {
			if f.src != "" {
				full.copy(filepath.Join(full.tree, filepath.FromSlash(f.rel)), f.src)
				continue
			}
			full.write(filepath.Join(full.tree, filepath.FromSlash(f.rel)), f.data)
		}
		for _, rel := range p.deletes {
			full.remove(filepath.Join(full.tree, filepath.FromSlash(rel)), removeFile)
			p.stats.Deleted++
		}
		full.parts[name] = p.next
		stats[name] = p.stats
		handOver(full.parts, p.handover)
	}
	return stats
}

// handOver records term pages the hot part no longer owns as the terms
// part's, with no hash, so that its next render rewrites or deletes them.
func handOver(parts map[string]*partState, rels []string) {
	if len(rels) == 0 {
		return
	}
	st := parts[termsPart]
	if st == nil {
		st = &partState{Outputs: map[string]uint64{}}
		parts[termsPart] = st
	}
	for _, rel := range rels {
		st.Outputs[rel] = 0
	}
}

// forgetOutputs forgets a story's pages in its month's and the hot part's
// state (parts), whose files are being removed.
func forgetOutputs(parts map[string]*partState, key, month string) {
	prefix := key + "/"
	for _, name := range []string{month, hotPart} {
		if st := parts[name]; st != nil {
			for rel := range st.Outputs {
				if strings.HasPrefix(rel, prefix) {
					delete(st.Outputs, rel)
				}
			}
		}
	}
}

// monthSitemap lists a month's pages: its list pages, its e-paper
// editions, and every story and notice of the month, whichever part
// renders it, with its date.
func monthSitemap(base string, files map[string]fileSig, meta map[string]fileMeta, editions []string) []byte {
	rels := make([]string, 0, len(files))
	// A list page and an edition change when one of their pages does.
	lists := map[string]time.Time{}
	edMod := map[string]time.Time{}
	pageMod := map[editionPage]time.Time{} // the printed pages (/edition/2023-06-08/01/)
	for rel := range files {
		rels = append(rels, rel)
		m := meta[rel]
		mod := m.lastmod()
		if m.Unlisted {
			mod = time.Time{}
		}
		d := path.Dir(rel) + "/"
		if cur, ok := lists[d]; !ok || mod.After(cur) {
			lists[d] = mod
		}
		if m.Edition != "" && mod.After(edMod[m.Edition]) {
			edMod[m.Edition] = mod
		}
		if m.Edition != "" && m.Page > 0 && !m.Unlisted {
			pg := editionPage{m.Edition, m.Page}
			if cur, ok := pageMod[pg]; !ok || mod.After(cur) {
				pageMod[pg] = mod
			}
		}
	}
	sort.Strings(rels)
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n")
	b.WriteString("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	var dirs []string
	for d := range lists {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		fmt.Fprintf(&b, "  <url><loc>%s%s</loc>%s</url>\n", base, d, lastmodTag(lists[d]))
	}
	pages := slices.SortedFunc(maps.Keys(pageMod), func(x, y editionPage) int {
		return cmp.Or(cmp.Compare(x.date, y.date), cmp.Compare(x.n, y.n))
	})
	for _, ed := range editions {
		fmt.Fprintf(&b, "  <url><loc>%sedition/%s/</loc>%s</url>\n", base, ed, lastmodTag(edMod[ed]))
		for _, pg := range pages {
			if pg.date == ed {
				fmt.Fprintf(&b, "  <url><loc>%sedition/%s/%02d/</loc>%s</url>\n", base, ed, pg.n, lastmodTag(pageMod[pg]))
			}
		}
	}
	for _, rel := range rels {
		if meta[rel].Unlisted {
			continue
		}
		fmt.Fprintf(&b, "  <url><loc>%s%s/</loc>%s</url>\n", base, strings.TrimSuffix(rel, ".md"), lastmodTag(meta[rel].lastmod()))
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// writeSitemapIndex lists every part's sitemap in /sitemap.xml. A month
// of a daily paper is far below the 50,000 URLs a sitemap file may hold.
// The caller holds a.mu.
func (a *Archive) writeSitemapIndex(tree string, baseURL string) error {
	names := make([]string, 0, len(a.parts))
	for name, st := range a.parts {
		if _, ok := st.Outputs["sitemaps/"+name+".xml"]; ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n")
	b.WriteString("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  <sitemap><loc>%ssitemaps/%s.xml</loc>%s</sitemap>\n", baseURL, n, lastmodTag(a.parts[n].SitemapMod))
	}
	b.WriteString("</sitemapindex>\n")
	return writeAtomic(filepath.Join(tree, "sitemap.xml"), []byte(b.String()))
}

// lastmod is when the page last changed: its last correction, else its date.
func (m fileMeta) lastmod() time.Time {
	if m.Modified.After(m.Date) {
		return m.Modified
	}
	return m.Date
}

// lastmodTag is a sitemap <lastmod> of t, "" for the zero time.
func lastmodTag(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return "<lastmod>" + t.Format(time.RFC3339) + "</lastmod>"
}

var lastmodRE = regexp.MustCompile(`<lastmod>([^<]+)</lastmod>`)

// newestLastmod is the newest <lastmod> of a sitemap, for the sitemap
// index; zero when it has none.
func newestLastmod(sitemap []byte) time.Time {
	var newest time.Time
	for _, m := range lastmodRE.FindAllSubmatch(sitemap, -1) {
		if t, err := time.Parse(time.RFC3339, string(m[1])); err == nil && t.After(newest) {
			newest = t
		}
	}
	return newest
}

func hashBytes(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

// removeEmptyDirs removes dir and its parents below tree while they are
// empty, calling removed (if not nil) with each one it removed.
func removeEmptyDirs(tree, dir string, removed func(dir string)) {
	for dir != tree && strings.HasPrefix(dir, tree) {
		if os.Remove(dir) != nil {
			return
		}
		if removed != nil {
			removed(dir)
		}
		dir = filepath.Dir(dir)
	}
}

// writeAtomic writes a file through a temporary file and a rename, so a
// reader sees the old file or the new one.
func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// swapLink points link at target in one rename, so a reader resolving the
// link sees either the old tree or the new one, never a half-written one.
func swapLink(link, target string) error {
	rel, err := filepath.Rel(filepath.Dir(link), target)
	if err != nil {
		return err
	}
	tmp := link + ".tmp"
	os.Remove(tmp)
	if err := os.Symlink(rel, tmp); err != nil {
		return fmt.Errorf("publish build: %w", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("publish build: %w", err)
	}
	return nil
}

// prune removes old trees from builds, keeping the live one and the one
// before it so that requests still reading the previous tree can finish.
func prune(builds, live string) {
	entries, err := os.ReadDir(builds)
	if err != nil {
		return
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	keep := map[string]bool{filepath.Base(live): true}
	for i := len(names) - 1; i >= 0; i-- {
		if names[i] < filepath.Base(live) && !strings.HasSuffix(names[i], ".tmp") {
			keep[names[i]] = true
			break
		}
	}
	for _, n := range names {
		if !keep[n] {
			os.RemoveAll(filepath.Join(builds, n))
		}
	}
}

// PublicURL is the site's public address with a trailing slash: BaseURL,
// else hugo.toml's baseURL ("/" when the site does not know it).
func (a *Archive) PublicURL() string { return a.baseURL() }

// baseURL is the site's public address, ending in a slash: BaseURL, else
// hugo.toml's.
func (a *Archive) baseURL() string {
	if u := a.BaseURL; u != "" {
		return strings.TrimSuffix(u, "/") + "/"
	}
	cfg, _ := content.ReadConfig(a.Root)
	return cfg.Base()
}

// newBuildDir makes a fresh, uniquely named build folder under builds,
// readable by all (0755, not MkdirTemp's 0700): a web server running as
// another user serves it.
func newBuildDir(builds string) (string, error) {
	dir, err := os.MkdirTemp(builds, time.Now().UTC().Format("20060102T150405.000000000")+"-")
	if err != nil {
		return "", err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.Remove(dir)
		return "", err
	}
	return dir, nil
}
