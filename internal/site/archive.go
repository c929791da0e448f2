package site

import (
	"bufio"
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/afero"
)

// Archive renders a newspaper site whose archive is too large to rebuild
// on every publish. The site is split into parts that Hugo renders
// separately, with the same theme, into one live output tree:
//
//   - one part per month (2023-06): the month's story and notice pages, the
//     month's list pages (/stories/2023/06/) and e-paper editions
//     (/edition/2023-06-08/), and the month's sitemap (/sitemaps/2023-06.xml);
//   - the hot part: the newest stories and the ones just published or
//     corrected, plus everything that is not a month's (home, column, tag
//     and author pages, feeds, search page, 404, static files).
//
// A publish renders only the hot part (a few hundred pages, whatever the
// size of the archive) and copies into the live tree the files that
// changed. Which part owns a URL is a function of the URL and the hot set
// (see owner), so a story keeps its URL when it leaves the hot part for
// its month. Month parts touched by a publish (their list pages) are
// re-rendered in the background. A full rebuild renders every part into a
// new tree and swaps it in, so the old site serves until the new one is
// complete.
type Archive struct {
	Root string    // site root: hugo.toml, content/, themes/
	Data string    // data folder: builds/, parts/, work/ and the public link
	Log  io.Writer // Hugo's warnings; nil discards them

	HotMin  int           // the newest stories that are always hot; 0: 150
	HotAge  time.Duration // stories dated or touched this recently are hot; 0: 48h
	Workers int           // month parts rendered at once in a full build; 0: 2
	// BatchFiles: a full build renders small months together, up to this
	// many content files per Hugo build; 0: 1000.
	BatchFiles int
	Now        func() time.Time // the clock; nil: time.Now

	mu      sync.Mutex // guards everything below and all writes to the live tree
	loaded  bool
	live    string                // folder of the live tree
	parts   map[string]*partState // by part name
	touched map[string]time.Time  // content keys published or corrected recently
	hot     map[string]bool       // content keys (stories/2023/06/slug) in the hot part
	dirty   map[string]bool       // month parts whose output is out of date
	full    *fullBuild            // the full build in progress, if any
	bg      chan struct{}         // wakes the background worker
	queues  map[string]*partQueue
	// months caches the content catalog, so a publish does not walk an
	// archive of a million files; full walks happen at start, in full
	// builds and at rollovers, and a publish updates only its files.
	months map[string]map[string]fileSig
}

// partQueue serialises the renders of one part and lets callers that
// arrive while one runs share the next: two renders of a part at once
// could publish an older state after a newer one.
type partQueue struct {
	running sync.Mutex
	queue   sync.Mutex
	next    *partRequest
}

type partRequest struct {
	done  chan struct{}
	stats PartStats
	err   error
}

// render renders a part, coalescing concurrent requests, and waits for it.
func (a *Archive) render(ctx context.Context, name string) (PartStats, error) {
	a.mu.Lock()
	if a.queues == nil {
		a.queues = map[string]*partQueue{}
	}
	pq := a.queues[name]
	if pq == nil {
		pq = &partQueue{}
		a.queues[name] = pq
	}
	a.mu.Unlock()
	pq.queue.Lock()
	r := pq.next
	if r == nil {
		r = &partRequest{done: make(chan struct{})}
		pq.next = r
		go func() {
			pq.running.Lock()
			pq.queue.Lock()
			pq.next = nil
			pq.queue.Unlock()
			// Not the caller's context: others wait for this render too.
			r.stats, r.err = a.buildPart(context.Background(), name)
			pq.running.Unlock()
			close(r.done)
		}()
	}
	pq.queue.Unlock()
	select {
	case <-r.done:
		return r.stats, r.err
	case <-ctx.Done():
		return PartStats{}, ctx.Err()
	}
}

// hotPart is the name of the part that holds recent stories and the
// archive-wide pages.
const hotPart = "hot"

// defaultBatchFiles is how many content files a full build renders in
// one Hugo build at most, when several small months share one.
const defaultBatchFiles = 1000

// partState is what one part last rendered: the content files it read and
// the output files it owns, with a hash of each, so the next render
// rewrites only files that changed and deletes those that are gone.
type partState struct {
	Inputs   map[string]fileSig // content rel path → signature
	Outputs  map[string]uint64  // output rel path → content hash
	Editions []string           // e-paper dates found in the part
	Pages    int
}

type fileSig struct {
	Size    int64
	ModTime int64
}

// fullBuild tracks a full rebuild so that publishes made while it runs are
// replayed into the new tree before it goes live.
type fullBuild struct {
	tree    string
	changed map[string]bool       // parts (and hot) touched meanwhile
	parts   map[string]*partState // state of the parts in the new tree
}

// PartStats describes one rendered part.
type PartStats struct {
	Part     string
	Pages    int // HTML pages of the part (owned, whether rewritten or not)
	Written  int // files written to the live tree
	Deleted  int // files deleted from it
	Duration time.Duration
}

func (a *Archive) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Archive) hotMin() int {
	if a.HotMin > 0 {
		return a.HotMin
	}
	return 60
}

func (a *Archive) hotAge() time.Duration {
	if a.HotAge > 0 {
		return a.HotAge
	}
	return 48 * time.Hour
}

// PublicLink is the path of the link that always points at the live tree.
func (a *Archive) PublicLink() string { return filepath.Join(a.Data, "public") }

// Current returns the folder of the live tree, or "" before the first build.
func (a *Archive) Current() string {
	dir, err := filepath.EvalSymlinks(a.PublicLink())
	if err != nil {
		return ""
	}
	return dir
}

var monthDirRE = regexp.MustCompile(`^(stories|notices)/(\d{4})/(\d{2})/([^/]+)\.md$`)

// contentKey turns "stories/2023/06/x.md" into "stories/2023/06/x" and
// reports the month part ("2023-06") it belongs to.
func contentKey(rel string) (key, month string, ok bool) {
	m := monthDirRE.FindStringSubmatch(rel)
	if m == nil || strings.HasPrefix(m[4], "_") {
		return "", "", false
	}
	return strings.TrimSuffix(rel, ".md"), m[2] + "-" + m[3], true
}

// owner says which part owns an output file (slash-separated, relative to
// the live tree) given the hot set. Story and notice pages belong to their
// month unless they are hot; month lists and editions to their month;
// everything else to the hot part.
func owner(rel string, hot map[string]bool) string {
	p := strings.Split(rel, "/")
	if len(p) >= 4 && (p[0] == "stories" || p[0] == "notices") && isDigits(p[1], 4) && isDigits(p[2], 2) {
		month := p[1] + "-" + p[2]
		switch p[3] {
		case "index.html", "index.xml", "page":
			return month
		}
		if hot[p[0]+"/"+p[1]+"/"+p[2]+"/"+p[3]] {
			return hotPart
		}
		return month
	}
	if len(p) >= 2 && p[0] == "edition" && len(p[1]) == 10 && isDigits(p[1][:4], 4) && p[1][4] == '-' && isDigits(p[1][5:7], 2) {
		return p[1][:4] + "-" + p[1][5:7]
	}
	if len(p) == 2 && p[0] == "sitemaps" && strings.HasSuffix(p[1], ".xml") {
		return strings.TrimSuffix(p[1], ".xml")
	}
	return hotPart
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// cachedCatalog returns the cached catalog, walking content/ the first
// time. The maps are never changed in place (see touchCatalog), so a
// caller may keep using them without the lock. The caller holds a.mu.
func (a *Archive) cachedCatalog() (map[string]map[string]fileSig, error) {
	if a.months != nil {
		return a.months, nil
	}
	return a.catalog()
}

// touchCatalog updates the cached catalog for the given content files
// (changed or removed), copying the maps it changes. The caller holds a.mu.
func (a *Archive) touchCatalog(rels []string) {
	if a.months == nil {
		return
	}
	next := make(map[string]map[string]fileSig, len(a.months)+1)
	for k, v := range a.months {
		next[k] = v
	}
	copied := map[string]bool{}
	for _, rel := range rels {
		_, month, ok := contentKey(rel)
		if !ok {
			continue
		}
		if !copied[month] {
			m := make(map[string]fileSig, len(next[month])+1)
			for k, v := range next[month] {
				m[k] = v
			}
			next[month] = m
			copied[month] = true
		}
		if info, err := os.Stat(filepath.Join(a.Root, "content", filepath.FromSlash(rel))); err == nil {
			next[month][rel] = fileSig{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
		} else {
			delete(next[month], rel)
		}
		if len(next[month]) == 0 {
			delete(next, month)
		}
	}
	a.months = next
}

// catalog lists the archive's content files by month part, with their
// signatures, and caches the list. It reads directory entries and file
// sizes only. The caller holds a.mu.
func (a *Archive) catalog() (map[string]map[string]fileSig, error) {
	months := map[string]map[string]fileSig{}
	contentDir := filepath.Join(a.Root, "content")
	for _, top := range []string{"stories", "notices"} {
		base := filepath.Join(contentDir, top)
		err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == base {
					return filepath.SkipDir
				}
				return err
			}
			if d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(contentDir, p)
			rel = filepath.ToSlash(rel)
			_, month, ok := contentKey(rel)
			if !ok {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil // removed while walking
			}
			if months[month] == nil {
				months[month] = map[string]fileSig{}
			}
			months[month][rel] = fileSig{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list content: %w", err)
		}
	}
	a.months = months
	return months, nil
}

var (
	dateLineRE    = regexp.MustCompile(`(?m)^date:\s*["']?([0-9T:+\-. Z]+)["']?\s*$`)
	editionLineRE = regexp.MustCompile(`(?m)^\s+edition:\s*["']?(\d{4}-\d{2}-\d{2})["']?\s*$`)
)

// frontDate reads the date (and e-paper edition) from a content file's
// front matter without parsing all of it: the hot set is chosen among the
// newest months, and this is called for a few hundred files per publish.
func frontDate(file string) (time.Time, string) {
	m := frontMeta(file)
	return m.Date, m.Edition
}

// buildNeverRE finds the build option of a withdrawn story (list: never).
var buildNeverRE = regexp.MustCompile(`(?m)^\s+list:\s*["']?never["']?\s*$`)

// frontMeta reads date, edition and withdrawal from a content file's head.
func frontMeta(file string) fileMeta {
	f, err := os.Open(file)
	if err != nil {
		return fileMeta{}
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if end := bytes.Index(head[3:], []byte("\n---")); end > 0 {
		head = head[:end+3]
	}
	var t time.Time
	if m := dateLineRE.FindSubmatch(head); m != nil {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
			if v, err := time.Parse(layout, strings.TrimSpace(string(m[1]))); err == nil {
				t = v
				break
			}
		}
	}
	var edition string
	if m := editionLineRE.FindSubmatch(head); m != nil {
		edition = string(m[1])
	}
	return fileMeta{Date: t, Edition: edition, Unlisted: buildNeverRE.Match(head)}
}

// chooseHot picks the hot set: the HotMin newest items by date, items
// dated within HotAge, and items touched (published, corrected) within
// HotAge. Only the newest months are read, so the cost does not grow with
// the archive.
func (a *Archive) chooseHot(months map[string]map[string]fileSig) map[string]bool {
	type item struct {
		key  string
		date time.Time
	}
	names := make([]string, 0, len(months))
	for m := range months {
		names = append(names, m)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	now := a.now()
	cutoff := now.Add(-a.hotAge())
	var items []item
	for _, m := range names {
		monthEnd, _ := time.Parse("2006-01", m)
		monthEnd = monthEnd.AddDate(0, 1, 1)
		if len(items) >= a.hotMin() && monthEnd.Before(cutoff) {
			break
		}
		for rel := range months[m] {
			key, _, _ := contentKey(rel)
			d, _ := frontDate(filepath.Join(a.Root, "content", filepath.FromSlash(rel)))
			items = append(items, item{key, d})
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if !items[i].date.Equal(items[j].date) {
			return items[i].date.After(items[j].date)
		}
		return items[i].key > items[j].key
	})
	hot := map[string]bool{}
	for i, it := range items {
		if i < a.hotMin() || it.date.After(cutoff) {
			hot[it.key] = true
		}
	}
	for key, at := range a.touched {
		if at.After(cutoff) {
			if _, err := os.Stat(filepath.Join(a.Root, "content", filepath.FromSlash(key)+".md")); err == nil {
				hot[key] = true
			}
		} else {
			delete(a.touched, key)
		}
	}
	return hot
}

// load reads the parts' state saved by the last build.
func (a *Archive) load() {
	if a.loaded {
		return
	}
	a.loaded = true
	a.parts = map[string]*partState{}
	a.touched = map[string]time.Time{}
	a.dirty = map[string]bool{}
	a.live = a.Current()
	entries, _ := os.ReadDir(filepath.Join(a.Data, "parts"))
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".gob")
		if !ok {
			continue
		}
		var st partState
		f, err := os.Open(filepath.Join(a.Data, "parts", e.Name()))
		if err != nil {
			continue
		}
		if gob.NewDecoder(bufio.NewReader(f)).Decode(&st) == nil {
			a.parts[name] = &st
		}
		f.Close()
	}
	if b, err := os.ReadFile(filepath.Join(a.Data, "parts", "hot.keys")); err == nil {
		a.hot = map[string]bool{}
		for _, k := range strings.Fields(string(b)) {
			a.hot[k] = true
		}
	}
}

func (a *Archive) saveState(name string, st *partState) error {
	dir := filepath.Join(a.Data, "parts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, name+".gob"), buf.Bytes())
}

func (a *Archive) saveHot() error {
	keys := make([]string, 0, len(a.hot))
	for k := range a.hot {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if err := os.MkdirAll(filepath.Join(a.Data, "parts"), 0o755); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(a.Data, "parts", "hot.keys"), []byte(strings.Join(keys, "\n")))
}

// themeSignature changes when the configuration, theme or static files
// change: then every part must be rendered again.
func (a *Archive) themeSignature() string {
	h := fnv.New64a()
	for _, dir := range []string{"hugo.toml", "themes", "static", "layouts", "assets", "i18n", "data"} {
		filepath.WalkDir(filepath.Join(a.Root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err == nil {
				fmt.Fprintf(h, "%s %d %d\n", p, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return fmt.Sprintf("%x", h.Sum64())
}

// archiveParams are passed to every part as site.Params.archive, so the
// hot part can link to every month and edition without loading them.
func (a *Archive) archiveParams(months map[string]map[string]fileSig, parts map[string]*partState) map[string]any {
	var names []string
	counts := map[string]int{}
	for m, files := range months {
		names = append(names, m)
		counts[m] = len(files)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	var editions []string
	for _, st := range parts {
		editions = append(editions, st.Editions...)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(editions)))
	editions = slices.Compact(editions)
	list := make([]map[string]any, 0, len(names))
	for _, m := range names {
		list = append(list, map[string]any{"month": m, "year": m[:4], "mon": m[5:], "count": counts[m],
			"url": "/stories/" + m[:4] + "/" + m[5:] + "/"})
	}
	return map[string]any{"months": list, "editions": editions}
}

// stage prepares a content folder for one part by hard-linking the part's
// files (copying where links are impossible) next to the section files
// every part needs; it adds _index.md files so each year and month is a
// section with its own list page.
func (a *Archive) stage(dir string, files []string, sectionIndexes bool) error {
	contentDir := filepath.Join(a.Root, "content")
	for _, top := range []string{"_index.md", "stories/_index.md", "notices/_index.md", "search/_index.md"} {
		files = append(files, top)
	}
	sections := map[string]bool{}
	for _, rel := range files {
		src := filepath.Join(contentDir, filepath.FromSlash(rel))
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Link(src, dst); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed meanwhile, or an optional section file
			}
			if err := copyFile(src, dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		if m := monthDirRE.FindStringSubmatch(rel); m != nil && sectionIndexes {
			sections[m[1]+"/"+m[2]] = true
			sections[m[1]+"/"+m[2]+"/"+m[3]] = true
		}
	}
	for sec := range sections {
		dst := filepath.Join(dir, filepath.FromSlash(sec), "_index.md")
		if _, err := os.Stat(dst); err == nil {
			continue
		}
		src := filepath.Join(contentDir, filepath.FromSlash(sec), "_index.md")
		if err := os.Link(src, dst); err == nil {
			continue
		}
		p := strings.Split(sec, "/")
		title := p[1] + "年"
		if len(p) == 3 {
			title += p[2] + "月"
		}
		body := fmt.Sprintf("---\ntitle: \"%s\"\nparams:\n  archive_of: \"%s\"\n---\n", title, sec)
		if err := os.WriteFile(dst, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// renderBatch renders the content files of one or more parts in one Hugo
// build, into a scratch folder that it returns. It does not touch the live
// tree, so it runs without the lock. A full build renders several small
// months at once: each Hugo build has a fixed cost (about 30 ms to set up
// its templates), which would otherwise dominate a small archive.
func (a *Archive) renderBatch(ctx context.Context, label string, hot bool, files []string, params map[string]any) (*rendered, error) {
	work := filepath.Join(a.Data, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	scratch, err := os.MkdirTemp(work, label+"-")
	if err != nil {
		return nil, err
	}
	// The staged content is only read during the build.
	defer os.RemoveAll(scratch)
	contentDir := filepath.Join(scratch, "content")
	// The hot part's stories need no year or month sections: month lists
	// belong to the months, and rendering them here would be thrown away.
	if err := a.stage(contentDir, files, !hot); err != nil {
		return nil, fmt.Errorf("stage part %s: %w", label, err)
	}
	extra := map[string]any{"contentDir": contentDir, "params.archive": params}
	if !hot {
		// A month renders only what it owns: its pages, its lists and its
		// editions (its sitemap is written from the content list). Home,
		// column, tag and author pages and the feeds belong to the hot
		// part; rendering them here would be thrown away (the taxonomies
		// stay, so pages can link their terms).
		extra["cascade"] = []map[string]any{{
			"build":  map[string]any{"render": "never", "list": "always"},
			"target": map[string]any{"path": "{/,/columns,/columns/**,/tags,/tags/**,/authors,/authors/**,/edition,/search,/stories,/notices}"},
		}}
		extra["disableKinds"] = []string{"rss", "robotstxt", "404", "sitemap"}
	}
	// Hugo renders into memory: every file is then compared with the live
	// tree's and only changed ones are written, so writing them all to a
	// scratch folder first would double the disk work.
	out := afero.NewMemMapFs()
	if _, err := renderHugo(ctx, a.Root, out, "/", extra, a.Log); err != nil {
		return nil, fmt.Errorf("render part %s: %w", label, err)
	}
	if hot {
		if err := copyStaticTo(a.Root, out); err != nil {
			return nil, fmt.Errorf("render part %s: %w", label, err)
		}
	}
	return &rendered{fs: out}, nil
}

// rendered is the output of one Hugo build of the archive, in memory.
type rendered struct{ fs afero.Fs }

// fileMeta is what a part keeps of each content file besides its
// signature: the date (for the sitemap) and the e-paper edition.
type fileMeta struct {
	Date    time.Time
	Edition string
	// Unlisted is a withdrawn story (build.list: never): its page stays,
	// but no sitemap or list names it.
	Unlisted bool
}

// metaOf reads the date and edition of content files.
func (a *Archive) metaOf(files []string) map[string]fileMeta {
	meta := make(map[string]fileMeta, len(files))
	for _, rel := range files {
		meta[rel] = frontMeta(filepath.Join(a.Root, "content", filepath.FromSlash(rel)))
	}
	return meta
}

// publishBatch copies into tree the files of a rendered batch that belong
// to the parts in names, writing only files that changed, deletes the
// files those parts owned before and no longer render, writes each
// month's sitemap, and records the parts' state. The caller holds a.mu.
func (a *Archive) publishBatch(tree string, names []string, out *rendered, months map[string]map[string]fileSig, meta map[string]fileMeta) (map[string]PartStats, error) {
	type part struct {
		prev, next *partState
		stats      PartStats
	}
	parts := map[string]*part{}
	for _, n := range names {
		p := &part{next: &partState{Outputs: map[string]uint64{}}, stats: PartStats{Part: n}}
		if tree == a.live {
			p.prev = a.parts[n] // a new tree starts empty
		}
		parts[n] = p
	}
	put := func(p *part, rel string, data []byte) error {
		sum := hashBytes(data)
		p.next.Outputs[rel] = sum
		if strings.HasSuffix(rel, ".html") {
			p.stats.Pages++
		}
		if p.prev != nil {
			if old, ok := p.prev.Outputs[rel]; ok && old == sum {
				if _, err := os.Stat(filepath.Join(tree, filepath.FromSlash(rel))); err == nil {
					return nil
				}
			}
		}
		p.stats.Written++
		return writeAtomic(filepath.Join(tree, filepath.FromSlash(rel)), data)
	}
	err := afero.Walk(out.fs, "/", func(name string, info fs.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(filepath.ToSlash(name), "/")
		if rel == "sitemap.xml" {
			// The hot part's sitemap is one file of the sitemap index.
			rel = "sitemaps/" + hotPart + ".xml"
		}
		p := parts[owner(rel, a.hot)]
		if p == nil {
			return nil
		}
		data, err := afero.ReadFile(out.fs, name)
		if err != nil {
			return err
		}
		return put(p, rel, data)
	})
	if err != nil {
		return nil, fmt.Errorf("publish %v: %w", names, err)
	}
	base := a.baseURL()
	stats := map[string]PartStats{}
	for name, p := range parts {
		if name != hotPart {
			var eds []string
			for rel := range months[name] {
				if ed := meta[rel].Edition; ed != "" && !meta[rel].Unlisted {
					eds = append(eds, ed)
				}
			}
			sort.Strings(eds)
			p.next.Editions = slices.Compact(eds)
			p.next.Inputs = months[name]
			if len(months[name]) > 0 {
				if err := put(p, "sitemaps/"+name+".xml", monthSitemap(base, months[name], meta, p.next.Editions)); err != nil {
					return nil, err
				}
			}
		}
		if p.prev != nil {
			for rel := range p.prev.Outputs {
				if _, still := p.next.Outputs[rel]; still || owner(rel, a.hot) != name {
					continue
				}
				full := filepath.Join(tree, filepath.FromSlash(rel))
				if os.Remove(full) == nil {
					p.stats.Deleted++
					removeEmptyDirs(tree, filepath.Dir(full))
				}
			}
		}
		p.next.Pages = p.stats.Pages
		if tree == a.live {
			a.parts[name] = p.next
			if err := a.saveState(name, p.next); err != nil {
				return nil, err
			}
			delete(a.dirty, name)
		} else if a.full != nil {
			a.full.parts[name] = p.next
		}
		stats[name] = p.stats
	}
	if tree == a.live {
		if parts[hotPart] != nil {
			if err := a.saveHot(); err != nil {
				return nil, err
			}
		}
		if err := a.writeSitemapIndex(tree, base); err != nil {
			return nil, err
		}
	}
	return stats, nil
}

// monthSitemap lists a month's pages: its list pages, its e-paper
// editions, and every story and notice of the month, whichever part
// renders it, with its date.
func monthSitemap(base string, files map[string]fileSig, meta map[string]fileMeta, editions []string) []byte {
	rels := make([]string, 0, len(files))
	lists := map[string]bool{}
	for rel := range files {
		rels = append(rels, rel)
		lists[path.Dir(rel)+"/"] = true
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
		fmt.Fprintf(&b, "  <url><loc>%s%s</loc></url>\n", base, d)
	}
	for _, ed := range editions {
		fmt.Fprintf(&b, "  <url><loc>%sedition/%s/</loc></url>\n", base, ed)
	}
	for _, rel := range rels {
		if meta[rel].Unlisted {
			continue
		}
		fmt.Fprintf(&b, "  <url><loc>%s%s/</loc>", base, strings.TrimSuffix(rel, ".md"))
		if d := meta[rel].Date; !d.IsZero() {
			fmt.Fprintf(&b, "<lastmod>%s</lastmod>", d.Format(time.RFC3339))
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

func hashBytes(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

func removeEmptyDirs(tree, dir string) {
	for dir != tree && strings.HasPrefix(dir, tree) {
		if os.Remove(dir) != nil {
			return
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

// writeSitemapIndex lists every part's sitemap in /sitemap.xml. A month
// of a daily paper is far below the 50,000 URLs a sitemap file may hold.
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
		fmt.Fprintf(&b, "  <sitemap><loc>%ssitemaps/%s.xml</loc></sitemap>\n", baseURL, n)
	}
	b.WriteString("</sitemapindex>\n")
	return writeAtomic(filepath.Join(tree, "sitemap.xml"), []byte(b.String()))
}

var baseURLRE = regexp.MustCompile(`(?m)^\s*baseURL\s*=\s*"([^"]*)"`)

func (a *Archive) baseURL() string {
	cfg, _ := os.ReadFile(filepath.Join(a.Root, "hugo.toml"))
	if m := baseURLRE.FindSubmatch(cfg); m != nil {
		u := string(m[1])
		if !strings.HasSuffix(u, "/") {
			u += "/"
		}
		return u
	}
	return "/"
}

func filesOf(months map[string]map[string]fileSig, name string, hot map[string]bool) []string {
	var files []string
	if name == hotPart {
		for _, m := range months {
			for rel := range m {
				if key, _, _ := contentKey(rel); hot[key] {
					files = append(files, rel)
				}
			}
		}
	} else {
		for rel := range months[name] {
			files = append(files, rel)
		}
	}
	sort.Strings(files)
	return files
}

// buildPart renders one part and publishes it into the live tree (and,
// while a full build runs, marks it for replay into the new tree).
func (a *Archive) buildPart(ctx context.Context, name string) (PartStats, error) {
	start := time.Now()
	a.mu.Lock()
	months, err := a.cachedCatalog()
	if err != nil {
		a.mu.Unlock()
		return PartStats{}, err
	}
	files := filesOf(months, name, a.hot)
	params := a.archiveParams(months, a.parts)
	a.mu.Unlock()

	out, err := a.renderBatch(ctx, name, name == hotPart, files, params)
	if err != nil {
		return PartStats{}, err
	}
	var meta map[string]fileMeta
	if name != hotPart {
		meta = a.metaOf(files)
	}

	a.mu.Lock()
	defer a.mu.Unlock()
	stats, err := a.publishBatch(a.live, []string{name}, out, months, meta)
	if err != nil {
		return PartStats{}, err
	}
	if a.full != nil {
		a.full.changed[name] = true
	}
	ps := stats[name]
	ps.Duration = time.Since(start)
	return ps, nil
}

// ErrNoLiveTree means Publish was called before any full build.
var ErrNoLiveTree = errors.New("site has not been built yet")

// Publish makes changed and removed content files (paths below content/,
// e.g. stories/2023/06/x.md) visible: it adds them to the hot part,
// re-renders that part and copies what changed into the live tree. Month
// parts are brought up to date in the background. It returns when readers
// see the change.
func (a *Archive) Publish(ctx context.Context, changed, removed []string) (PartStats, error) {
	a.mu.Lock()
	a.load()
	if a.live == "" {
		a.mu.Unlock()
		return PartStats{}, ErrNoLiveTree
	}
	now := a.now()
	if a.hot == nil {
		a.hot = map[string]bool{}
	}
	a.touchCatalog(append(slices.Clone(changed), removed...))
	for _, rel := range changed {
		if key, month, ok := contentKey(rel); ok {
			a.touched[key] = now
			a.hot[key] = true
			a.dirty[month] = true
		}
	}
	for _, rel := range removed {
		if key, month, ok := contentKey(rel); ok {
			delete(a.touched, key)
			a.dirty[month] = true
			// The page disappears at once, whichever part rendered it: a
			// withdrawal must not wait for the next render of a month.
			a.removeOutputs(a.live, key, month)
			delete(a.hot, key)
		}
	}
	a.mu.Unlock()
	st, err := a.render(ctx, hotPart)
	a.wake()
	return st, err
}

// removeOutputs deletes a story's page folder from the tree and forgets it
// in its month's state. The caller holds a.mu.
func (a *Archive) removeOutputs(tree, key, month string) {
	prefix := key + "/"
	for _, name := range []string{month, hotPart} {
		if st := a.parts[name]; st != nil {
			for rel := range st.Outputs {
				if strings.HasPrefix(rel, prefix) {
					delete(st.Outputs, rel)
				}
			}
		}
	}
	os.RemoveAll(filepath.Join(tree, filepath.FromSlash(key)))
}

// wake nudges the background worker, if one runs.
func (a *Archive) wake() {
	if a.bg == nil {
		return
	}
	select {
	case a.bg <- struct{}{}:
	default:
	}
}

// Run keeps month parts up to date in the background until ctx ends: after
// publishes it re-renders the months they touched (after a short pause, so
// a burst costs one render), and every interval it moves stories that are
// no longer recent from the hot part to their months.
func (a *Archive) Run(ctx context.Context, interval time.Duration, logf func(string, ...any)) {
	a.mu.Lock()
	a.bg = make(chan struct{}, 1)
	a.mu.Unlock()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.bg:
			select {
			case <-time.After(2 * time.Second):
			case <-ctx.Done():
				return
			}
		case <-tick.C:
			if err := a.Rollover(ctx); err != nil && logf != nil {
				logf("rollover failed", "err", err)
			}
		}
		a.mu.Lock()
		var todo []string
		for m := range a.dirty {
			todo = append(todo, m)
		}
		a.mu.Unlock()
		sort.Strings(todo)
		for _, m := range todo {
			if _, err := a.render(ctx, m); err != nil && logf != nil {
				logf("month part failed", "part", m, "err", err)
			}
		}
	}
}

// Rollover recomputes the hot set; stories that leave it are rendered into
// their months before the hot part lets go of them, so no page is ever
// missing in between.
func (a *Archive) Rollover(ctx context.Context) error {
	a.mu.Lock()
	a.load()
	months, err := a.catalog()
	if err != nil {
		a.mu.Unlock()
		return err
	}
	next := a.chooseHot(months)
	leaving := map[string]bool{}
	for key := range a.hot {
		if !next[key] {
			if _, month, ok := contentKey(key + ".md"); ok {
				leaving[month] = true
			}
		}
	}
	// Months rendered from now on render the leaving stories; until the
	// hot part is re-rendered both copies are the same page.
	a.hot = next
	a.mu.Unlock()
	for m := range leaving {
		if _, err := a.render(ctx, m); err != nil {
			return err
		}
	}
	_, err = a.render(ctx, hotPart)
	return err
}

// Progress reports a full build's advance: parts done of total, pages so far.
type Progress func(done, total, pages int)

// BuildAll renders every part into a new tree and swaps it in. Publishes
// made meanwhile go to the old tree and are replayed into the new one
// before the swap. Workers month parts render at once.
func (a *Archive) BuildAll(ctx context.Context, progress Progress) (Stats, error) {
	start := time.Now()
	a.mu.Lock()
	a.load()
	if a.full != nil {
		a.mu.Unlock()
		return Stats{}, errors.New("a full build is already running")
	}
	months, err := a.catalog()
	if err != nil {
		a.mu.Unlock()
		return Stats{}, err
	}
	a.hot = a.chooseHot(months)
	builds := filepath.Join(a.Data, "builds")
	if err := os.MkdirAll(builds, 0o755); err != nil {
		a.mu.Unlock()
		return Stats{}, err
	}
	tree, err := os.MkdirTemp(builds, time.Now().UTC().Format("20060102T150405.000000000")+"-")
	if err != nil {
		a.mu.Unlock()
		return Stats{}, err
	}
	full := &fullBuild{tree: tree, changed: map[string]bool{}, parts: map[string]*partState{}}
	a.full = full
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		if a.full == full {
			a.full = nil
		}
		a.mu.Unlock()
	}()

	// Months newest first, in batches of about batchFiles content files
	// (a batch never mixes in the hot part, which goes last: its pages
	// list every month's editions).
	var names []string
	for m := range months {
		names = append(names, m)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	batchFiles := a.BatchFiles
	if batchFiles <= 0 {
		batchFiles = defaultBatchFiles
	}
	var batches [][]string
	for i := 0; i < len(names); {
		batch, n := []string{names[i]}, len(months[names[i]])
		for i++; i < len(names) && n+len(months[names[i]]) <= batchFiles; i++ {
			batch = append(batch, names[i])
			n += len(months[names[i]])
		}
		batches = append(batches, batch)
	}
	total := len(names) + 1

	workers := a.Workers
	if workers <= 0 {
		workers = 2
	}
	var (
		wg       sync.WaitGroup
		jobs     = make(chan []string)
		firstErr error
		errOnce  sync.Once
		pmu      sync.Mutex
		done     int
		pages    int
	)
	renderInto := func(batch []string) error {
		hot := len(batch) == 1 && batch[0] == hotPart
		a.mu.Lock()
		var files []string
		for _, name := range batch {
			files = append(files, filesOf(months, name, a.hot)...)
		}
		parts := a.parts
		if a.full != nil {
			parts = a.full.parts
		}
		params := a.archiveParams(months, parts)
		a.mu.Unlock()
		out, err := a.renderBatch(ctx, batch[0], hot, files, params)
		if err != nil {
			return err
		}
		var meta map[string]fileMeta
		if !hot {
			meta = a.metaOf(files)
		}
		a.mu.Lock()
		stats, err := a.publishBatch(tree, batch, out, months, meta)
		a.mu.Unlock()
		if err != nil {
			return err
		}
		pmu.Lock()
		for _, st := range stats {
			done++
			pages += st.Pages
		}
		if progress != nil {
			progress(min(done, total), total, pages)
		}
		pmu.Unlock()
		return nil
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range jobs {
				if err := renderInto(batch); err != nil {
					errOnce.Do(func() { firstErr = err })
				}
			}
		}()
	}
	for _, b := range batches {
		if ctx.Err() != nil || firstErr != nil {
			break
		}
		jobs <- b
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil && ctx.Err() == nil {
		firstErr = renderInto([]string{hotPart})
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		os.RemoveAll(tree)
		return Stats{}, firstErr
	}

	// Replay what was published while this build ran, then go live.
	for {
		a.mu.Lock()
		changed := full.changed
		full.changed = map[string]bool{}
		if len(changed) == 0 {
			break // keep the lock for the swap
		}
		a.mu.Unlock()
		for name := range changed {
			if err := renderInto([]string{name}); err != nil {
				os.RemoveAll(tree)
				return Stats{}, err
			}
		}
	}
	defer a.mu.Unlock()
	a.parts = full.parts
	for name, st := range a.parts {
		if err := a.saveState(name, st); err != nil {
			return Stats{}, err
		}
	}
	if err := a.writeSitemapIndex(tree, a.baseURL()); err != nil {
		return Stats{}, err
	}
	if err := swapLink(a.PublicLink(), tree); err != nil {
		os.RemoveAll(tree)
		return Stats{}, err
	}
	a.live = tree
	a.dirty = map[string]bool{}
	if err := a.saveHot(); err != nil {
		return Stats{}, err
	}
	os.WriteFile(filepath.Join(a.Data, "parts", "theme.sig"), []byte(a.themeSignature()), 0o644)
	(&Builder{Data: a.Data}).prune(builds, tree)
	return Stats{Pages: pages, Duration: time.Since(start)}, nil
}

// Start brings the live tree up to date when a server starts: a full build
// when there is none, or when the theme or configuration changed;
// otherwise only the months whose content files changed while the server
// was down, and the hot part. It reports whether a full build is needed
// (the caller may run it in the background while the old tree serves).
func (a *Archive) Start(ctx context.Context) (needFull bool, err error) {
	a.mu.Lock()
	a.load()
	sig, _ := os.ReadFile(filepath.Join(a.Data, "parts", "theme.sig"))
	if a.live == "" || len(a.parts) == 0 || string(sig) != a.themeSignature() || a.parts[hotPart] == nil {
		a.mu.Unlock()
		return true, nil
	}
	months, err := a.catalog()
	if err != nil {
		a.mu.Unlock()
		return false, err
	}
	for name, st := range a.parts {
		if name == hotPart {
			continue
		}
		if !sameInputs(st.Inputs, months[name]) {
			a.dirty[name] = true
		}
	}
	for name := range months {
		if a.parts[name] == nil {
			a.dirty[name] = true
		}
	}
	a.mu.Unlock()
	if err := a.Rollover(ctx); err != nil {
		return false, err
	}
	a.wake()
	return false, nil
}

func sameInputs(a, b map[string]fileSig) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
