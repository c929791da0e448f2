package site

import (
	"cmp"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"newsroom/internal/content"
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

	mu     sync.Mutex // guards everything below and all writes to the live tree
	loaded bool
	live   string                // folder of the live tree
	parts  map[string]*partState // by part name
	hot    map[string]bool       // content keys (stories/2023/06/slug) in the hot part
	news   map[string]newsItem   // content keys dated within NewsAge, for the news sitemap
	dirty  map[string]bool       // month parts whose output is out of date
	full   *fullBuild            // the full build in progress, if any
	bg     chan struct{}         // wakes the background worker
	queues map[string]*partQueue
	// months caches the content catalog, so a publish does not walk an
	// archive of a million files; full walks happen at start and in full
	// builds, and a publish updates only its files.
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
	a.mu.Lock()
	months, err := a.cachedCatalog()
	if err != nil {
		a.mu.Unlock()
		return PartStats{}, err
	}
	files := filesOf(months, name, a.hot)
	params := a.archiveParams(months, a.parts)
	a.mu.Unlock()

	var meta map[string]fileMeta
	if name != hotPart {
		meta = a.metaOf(files)
	}
	out, err := a.renderBatch(ctx, name, name == hotPart, files, meta, params)
	if err != nil {
		return PartStats{}, err
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
	if a.hot == nil {
		a.hot = map[string]bool{}
	}
	a.touchCatalog(append(slices.Clone(changed), removed...))
	for _, rel := range changed {
		if key, month, ok := contentKey(rel); ok {
			a.hot[key] = true
			a.markDirty(month)
			a.noteNews(key, rel)
		}
	}
	for _, rel := range removed {
		if key, month, ok := contentKey(rel); ok {
			delete(a.news, key)
			a.markDirty(month)
			// The page disappears at once, whichever part rendered it: a
			// withdrawal must not wait for the next render of a month.
			a.removeOutputs(a.live, a.parts, key, month)
			delete(a.hot, key)
			if a.full != nil {
				// The new tree may hold it already (from its month).
				a.full.removed[key] = month
			}
		}
	}
	a.mu.Unlock()
	st, err := a.render(ctx, hotPart)
	a.wake()
	return st, err
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

// removeOutputs deletes a story's page folder from the tree and forgets it
// in its month's and the hot part's state (parts). The caller holds a.mu.
func (a *Archive) removeOutputs(tree string, parts map[string]*partState, key, month string) {
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
	path := filepath.Join(tree, filepath.FromSlash(key))
	if a.inFullTree(tree) {
		a.full.remove(path, removeDir)
		return
	}
	os.RemoveAll(path)
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

// Run keeps month parts up to date in the background until ctx ends. After
// publishes, and every interval, it waits until publishing pauses (see
// settle), then rolls over (stories published or corrected meanwhile, and
// those no longer among the newest, leave the hot part for their months)
// and re-renders the other months that publishes touched.
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
		case <-tick.C:
		}
		if !a.settle(ctx) {
			return
		}
		if err := a.Rollover(ctx); err != nil && logf != nil {
			logf("rollover failed", "err", err)
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

// Months touched by publishes are re-rendered after MonthQuiet without
// another publish, and no later than MonthMaxDelay after the first. A
// published story is live at once through the hot part; only its month's
// list pages wait. At a real paper's density a month is thousands of
// stories, a Hugo build of many seconds on both cores, and re-rendering it
// two seconds after every publish made the next publishes of a busy
// evening wait for the CPU.
const (
	defaultMonthQuiet    = 30 * time.Second
	defaultMonthMaxDelay = 5 * time.Minute
)

// settle waits until publishing pauses (see MonthQuiet); it reports false
// when ctx ends first.
func (a *Archive) settle(ctx context.Context) bool {
	quiet, maxDelay := cmp.Or(a.MonthQuiet, defaultMonthQuiet), cmp.Or(a.MonthMaxDelay, defaultMonthMaxDelay)
	deadline := time.Now().Add(maxDelay)
	for {
		wait := min(quiet, time.Until(deadline))
		if wait <= 0 {
			return true
		}
		timer := time.NewTimer(wait)
		select {
		case <-a.bg:
			timer.Stop() // another publish: wait for the next pause
		case <-timer.C:
			return true
		case <-ctx.Done():
			timer.Stop()
			return false
		}
	}
}

// Rollover recomputes the hot set (the newest HotMin stories: those
// published or corrected since the last rollover leave it unless they are
// among them); stories that leave it are rendered into their months before
// the hot part lets go of them, so no page is ever missing in between.
func (a *Archive) Rollover(ctx context.Context) error {
	a.mu.Lock()
	a.load()
	// The cached catalog, which every publish keeps up to date: walking a
	// million files here took seconds with the lock held, and a publish
	// meanwhile waited for all of it.
	months, err := a.cachedCatalog()
	if err != nil {
		a.mu.Unlock()
		return err
	}
	next, news := a.chooseHot(months)
	a.news = news
	leaving := map[string]bool{}
	for key := range a.hot {
		if !next[key] {
			if _, month, ok := contentKey(content.FileOfKey(key)); ok {
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
