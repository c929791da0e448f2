package site

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
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
	// BaseURL is the site's public address ("https://www.example.cn/"),
	// which every machine-read URL (sitemaps, feeds, canonical, JSON-LD)
	// is made absolute with; "" keeps hugo.toml's baseURL.
	BaseURL string

	// HotMin: the newest stories are hot (0: 60). Stories published or
	// corrected are hot too until the next rollover (see Run).
	HotMin int
	// NewsAge: the Google News sitemap lists stories and notices dated
	// this recently; 0: 48h.
	NewsAge time.Duration
	// MonthQuiet and MonthMaxDelay bound when Run re-renders the months
	// that publishes touched (see settle); 0: 30 s and 5 minutes.
	MonthQuiet, MonthMaxDelay time.Duration
	Workers                   int // month parts rendered at once in a full build; 0: 2
	// BatchFiles: a full build renders small months together, up to this
	// many content files per Hugo build; 0: 1000.
	BatchFiles int
	Now        func() time.Time // the clock; nil: time.Now

	recycle time.Duration // see recycleAfter; tests shorten it
	// writeLive writes a file into the live tree (nil: writeAtomic);
	// tests make it fail as a full disk does.
	writeLive func(path string, data []byte) error

	// mu guards state and every write into the live tree. It is held for
	// reading and changing the state and for writing rendered files, never
	// while Hugo renders: renders work on copies taken under it (filesOf,
	// archiveParams) and publish their output under it (planBatch,
	// applyToLive, applyToNewTree).
	mu sync.Mutex
	state
	sizes sizing // pictures whose sizes are being made (MakeSizes)

	// runMu guards runners, one per part, which serialise that part's
	// renders and coalesce requests for them (see render).
	runMu   sync.Mutex
	runners map[string]*runner[PartStats]

	// bg wakes the background worker (Run) after a publish; made once,
	// never replaced, so wake needs no lock.
	bgOnce sync.Once
	bg     chan struct{}
}

// state is what an Archive knows of its content and its live tree, read
// from disk by load and kept up to date by every render. Archive.mu
// guards all of it.
type state struct {
	loaded bool
	live   string                // folder of the live tree
	parts  map[string]*partState // by part name: what each part last rendered into the live tree
	hot    map[string]bool       // content keys (stories/2023/06/slug) in the hot part
	hotEd  map[string]string     // the e-paper edition of hot stories that have one
	// hotEds are the e-paper editions (dates) whose pages the hot part
	// renders: those of hot stories, and those a publish since the last
	// rollover changed (a story added to, moved from or withdrawn from
	// them), so that every publish updates its editions' pages (owner).
	hotEds map[string]bool
	// hotTerms are the term pages ("tags/营商环境") of hot stories, whose
	// pages the hot part renders; the others are the terms part's. Like
	// the hot set, it only grows between rollovers.
	hotTerms map[string]bool
	// termsHanded: the hot part has handed term pages over to the terms
	// part, which should render soon (see planBatch).
	termsHanded bool
	news        map[string]newsItem // content keys dated within NewsAge, for the news sitemap
	// feeds are the items the site's, the sections' and the columns'
	// feeds hold (see chooseFeeds), by content key; feedCache the feed
	// items of the content files chooseFeeds last read.
	feeds     map[string]feedItem
	feedCache map[string]feedCached
	dirty     map[string]bool // month parts whose output is out of date
	full      *fullBuild      // the full build in progress, if any
	// months caches the content catalog, so a publish does not walk an
	// archive of a million files; full walks happen at start and in full
	// builds, and a publish updates only its files.
	months map[string]map[string]fileSig
	// placed is the editors' placement: for each place ("home" or a
	// column), the content files shown first, in order. Placed stories
	// are always hot, so the hot part renders them with the pages that
	// show them (chooseHot).
	placed map[string][]string
}

// logf writes a line to the archive's log, if it has one.
func (a *Archive) logf(format string, args ...any) {
	if a.Log != nil {
		fmt.Fprintf(a.Log, format+"\n", args...)
	}
}

// withLock runs f with a.mu held.
func (a *Archive) withLock(f func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f()
}

// lockedErr runs f with a.mu held and returns its error.
func (a *Archive) lockedErr(f func() error) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return f()
}

// render renders a part, coalescing concurrent requests, and waits for it.
func (a *Archive) render(ctx context.Context, name string) (PartStats, error) {
	a.runMu.Lock()
	if a.runners == nil {
		a.runners = map[string]*runner[PartStats]{}
	}
	r := a.runners[name]
	if r == nil {
		r = &runner[PartStats]{}
		a.runners[name] = r
	}
	a.runMu.Unlock()
	return r.Do(ctx, func(ctx context.Context) (PartStats, error) { return a.buildPart(ctx, name) })
}

// defaultBatchFiles is how many content files a full build renders in
// one Hugo build at most, when several small months share one.
const defaultBatchFiles = 1000

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

func (a *Archive) newsAge() time.Duration {
	if a.NewsAge > 0 {
		return a.NewsAge
	}
	return 48 * time.Hour
}

func (a *Archive) batchFiles() int {
	if a.BatchFiles > 0 {
		return a.BatchFiles
	}
	return defaultBatchFiles
}

func (a *Archive) workers() int {
	if a.Workers > 0 {
		return a.Workers
	}
	return 2
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

// buildPart renders one part and publishes it into the live tree (and,
// while a full build runs, marks it for replay into the new tree).
func (a *Archive) buildPart(ctx context.Context, name string) (PartStats, error) {
	start := time.Now()
	var (
		months map[string]map[string]fileSig
		files  []string
		listed []string
		params map[string]any
	)
	err := a.lockedErr(func() (err error) {
		if months, err = a.cachedCatalog(); err != nil {
			return err
		}
		var hotHas map[string]bool
		files, listed, hotHas = a.partFiles(months, a.parts, name)
		params = a.archiveParams(months, a.parts, hotHas, a.shownMonths(name))
		if name == hotPart {
			params["feeds"] = a.feedParams()
		}
		if pics := a.pendingSizes(name); len(pics) > 0 {
			params["pending"] = pics
		}
		return nil
	})
	if err != nil {
		return PartStats{}, err
	}

	var meta map[string]fileMeta
	if name != hotPart && name != termsPart {
		meta = a.metaOf(files)
	}
	var tree string
	a.withLock(func() { tree = a.live })
	out, err := a.renderBatch(ctx, tree, name, name == hotPart, files, listed, meta, params)
	if err != nil {
		return PartStats{}, err
	}

	var ps PartStats
	err = a.lockedErr(func() error {
		plans, err := a.planBatch(a.live, a.parts, []string{name}, out, months, meta)
		if err != nil {
			return err
		}
		stats, err := a.applyToLive(plans)
		if err != nil {
			return err
		}
		if a.full != nil {
			a.full.changed[name] = true
		}
		ps = stats[name]
		return nil
	})
	ps.Duration = time.Since(start)
	return ps, err
}

// ErrNoLiveTree means Publish was called before any full build.
var ErrNoLiveTree = errors.New("site has not been built yet")

// Publish makes changed and removed content files (paths below content/,
// e.g. stories/2023/06/x.md) visible: it adds them to the hot part,
// re-renders that part and copies what changed into the live tree. Month
// parts are brought up to date in the background. It returns when readers
// see the change.
func (a *Archive) Publish(ctx context.Context, changed, removed []string) (PartStats, error) {
	start := time.Now()
	var fresh []string // months that have no list page yet
	err := a.lockedErr(func() error {
		a.load()
		if a.live == "" {
			return ErrNoLiveTree
		}
		a.note(changed, removed)
		for _, rel := range changed {
			if _, month, ok := contentKey(rel); ok && a.parts[month] == nil && !slices.Contains(fresh, month) {
				fresh = append(fresh, month)
			}
		}
		return nil
	})
	if err != nil {
		return PartStats{}, err
	}
	defer a.wake()
	st, err := a.render(ctx, hotPart)
	if err != nil || len(fresh) == 0 {
		return st, err
	}
	// The first story of a month: the month's list page is rendered now,
	// after the story's page, and then the hot part again, which links
	// the month only now that its page exists.
	for _, m := range fresh {
		if _, err := a.render(ctx, m); err != nil {
			return st, err
		}
	}
	again, err := a.render(ctx, hotPart)
	again.Written += st.Written
	again.Deleted += st.Deleted
	again.Duration = time.Since(start)
	return again, err
}

// PublishEditions makes a change of e-paper page records (epaper.Dir: a
// page image, story areas, the editors' order) visible: the editions'
// pages are rendered by the hot part at once, and their months later, as
// for a published story. It returns when readers see the change.
func (a *Archive) PublishEditions(ctx context.Context, dates ...string) (PartStats, error) {
	err := a.lockedErr(func() error {
		a.load()
		if a.live == "" {
			return ErrNoLiveTree
		}
		if a.hotEds == nil {
			a.hotEds = map[string]bool{}
		}
		for _, d := range dates {
			if len(d) == 10 && isDigits(d[:4], 4) && isDigits(d[5:7], 2) {
				a.hotEds[d] = true
				a.markDirty(editionMonth(d))
			}
		}
		return nil
	})
	if err != nil {
		return PartStats{}, err
	}
	defer a.wake()
	return a.render(ctx, hotPart)
}

// SetPlacement sets the editors' placement (for each place, "home" or a
// column name, the content files shown first on its page, in order)
// without rendering: serve and build call it before the first render.
func (a *Archive) SetPlacement(placed map[string][]string) {
	a.withLock(func() { a.placed = clonePlacement(placed) })
}

// Place shows a new placement: the placed stories join the hot part, whose
// render (the home page, the column pages) takes the new order. It returns
// when readers see it; nothing else is rendered.
func (a *Archive) Place(ctx context.Context, placed map[string][]string) (PartStats, error) {
	err := a.lockedErr(func() error {
		a.load()
		if a.live == "" {
			return ErrNoLiveTree
		}
		a.placed = clonePlacement(placed)
		var join []string
		for _, files := range a.placed {
			for _, rel := range files {
				if key, _, ok := contentKey(rel); ok && !a.hot[key] {
					join = append(join, rel)
				}
			}
		}
		a.note(join, nil)
		return nil
	})
	if err != nil {
		return PartStats{}, err
	}
	defer a.wake()
	return a.render(ctx, hotPart)
}

func clonePlacement(placed map[string][]string) map[string][]string {
	out := make(map[string][]string, len(placed))
	for place, files := range placed {
		if len(files) > 0 {
			out[place] = slices.Clone(files)
		}
	}
	return out
}

// placementParams is the placement as the templates read it
// (site.Params.archive.placement): a list of {place, pages}, pages being
// the placed pages' paths in order. A list, not a map: Hugo would fold
// the case of a map's keys. The caller holds a.mu.
func placementParams(placed map[string][]string) []map[string]any {
	places := make([]string, 0, len(placed))
	for place := range placed {
		places = append(places, place)
	}
	slices.Sort(places)
	out := make([]map[string]any, 0, len(places))
	for _, place := range places {
		pages := make([]string, 0, len(placed[place]))
		for _, rel := range placed[place] {
			pages = append(pages, "/"+strings.TrimSuffix(rel, ".md"))
		}
		out = append(out, map[string]any{"place": place, "pages": pages})
	}
	return out
}

// note records published and withdrawn content files: the catalog, the
// hot set, the news sitemap and the months to re-render learn of them,
// and a withdrawn page disappears from the live tree at once. The caller
// holds a.mu.
func (a *Archive) note(changed, removed []string) {
	if a.hot == nil {
		a.hot = map[string]bool{}
	}
	a.touchCatalog(append(slices.Clone(changed), removed...))
	for _, rel := range changed {
		if key, month, ok := contentKey(rel); ok {
			a.hot[key] = true
			for _, t := range a.readTerms(rel) {
				a.hotTerms[t] = true
			}
			a.markDirty(month)
			a.noteNews(key, rel)
			a.noteFeed(key, rel)
			a.noteEdition(key, rel, month, true)
		}
	}
	for _, rel := range removed {
		if key, month, ok := contentKey(rel); ok {
			a.noteEdition(key, rel, month, false)
			delete(a.news, key)
			delete(a.feeds, key)
			a.markDirty(month)
			// The page disappears at once, whichever part rendered it: a
			// withdrawal must not wait for the next render of a month.
			forgetOutputs(a.parts, key, month)
			os.RemoveAll(filepath.Join(a.live, filepath.FromSlash(key)))
			delete(a.hot, key)
			if a.full != nil {
				// The new tree may hold it already (from its month).
				a.full.removed[key] = month
			}
		}
	}
}

// noteEdition makes hot the e-paper editions a published (or removed)
// content file was and is in, so that the hot part renders their pages
// with the change: a story added to an edition, moved from one to
// another, or withdrawn. The caller holds a.mu.
func (a *Archive) noteEdition(key, rel, month string, published bool) {
	if a.hotEd == nil {
		a.hotEd = map[string]string{}
	}
	if a.hotEds == nil {
		a.hotEds = map[string]bool{}
	}
	hotten := func(ed string) {
		if len(ed) == 10 {
			a.hotEds[ed] = true
		}
	}
	if st := a.parts[month]; st != nil {
		hotten(st.EditionOf[rel])
	}
	hotten(a.hotEd[key])
	delete(a.hotEd, key)
	if !published {
		return
	}
	m := frontMeta(filepath.Join(a.Root, "content", filepath.FromSlash(rel)))
	if m.Edition != "" && !a.hotEds[m.Edition] {
		a.hottenNeighbours(m.Edition)
	}
	hotten(m.Edition)
	if m.Edition != "" && !m.Unlisted {
		a.hotEd[key] = m.Edition
	}
}

// hottenNeighbours makes hot the editions before and after a new edition
// date, whose pages link it as 下一期 or 上一期 from now on. An edition the
// months already know has its neighbours' links. The caller holds a.mu.
func (a *Archive) hottenNeighbours(date string) {
	var prev, next string
	for _, st := range a.parts {
		for _, ed := range st.Editions {
			switch {
			case ed == date:
				return
			case ed < date && ed > prev:
				prev = ed
			case ed > date && (next == "" || ed < next):
				next = ed
			}
		}
	}
	for _, ed := range []string{prev, next} {
		if ed != "" {
			a.hotEds[ed] = true
		}
	}
}

// markDirty records that a month's lists are out of date. A full build
// running meanwhile may have rendered the month already, so the mark must
// outlive its swap. The caller holds a.mu.
func (a *Archive) markDirty(month string) {
	a.dirty[month] = true
	if a.full != nil {
		a.full.touched[month] = true
	}
}

// Start brings the live tree up to date when a server starts: a full build
// when there is none, or when the theme or configuration changed;
// otherwise only the months whose content files changed while the server
// was down, and the hot part. It reports whether a full build is needed
// (the caller may run it in the background while the old tree serves).
func (a *Archive) Start(ctx context.Context) (needFull bool, err error) {
	err = a.lockedErr(func() error {
		a.load()
		sig, _ := os.ReadFile(filepath.Join(a.Data, "parts", "theme.sig"))
		if a.live == "" || len(a.parts) == 0 || string(sig) != a.themeSignature() || a.parts[hotPart] == nil {
			needFull = true
			return nil
		}
		months, err := a.catalog()
		if err != nil {
			return err
		}
		for name, st := range a.parts {
			if name != hotPart && name != termsPart && !sameInputs(st.Inputs, months[name]) {
				a.dirty[name] = true
			}
		}
		for name := range months {
			if a.parts[name] == nil {
				a.dirty[name] = true
			}
		}
		return nil
	})
	if err != nil || needFull {
		return needFull, err
	}
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
