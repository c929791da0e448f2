package site

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"newsroom/internal/content"
)

// Progress reports a full build's advance: parts done of total, pages so far.
type Progress func(done, total, pages int)

// BuildAll renders every part into a new tree and swaps it in. Publishes
// made meanwhile go to the old tree and are replayed into the new one
// before the swap. Workers month parts render at once.
func (a *Archive) BuildAll(ctx context.Context, progress Progress) (Stats, error) {
	start := time.Now()
	full, months, err := a.startFull()
	if err != nil {
		return Stats{}, err
	}
	defer a.endFull(full)
	b := &fullRun{a: a, full: full, months: months, progress: progress, total: len(months) + 1}
	b.dates, err = a.editionDates(ctx, months)
	if err == nil {
		err = b.renderAll(ctx)
	}
	if err == nil && full.recycled {
		err = a.sweep(full)
	}
	if err == nil {
		err = b.replayAndSwap(ctx)
	}
	if err != nil {
		// The new tree is given up unless it went live (and only its
		// parts' state failed to save). Its writes are waited for first,
		// so that none lands after it is removed.
		full.finish()
		var live bool
		a.withLock(func() { live = a.live == full.tree })
		if !live {
			os.RemoveAll(full.tree)
		}
		return Stats{}, err
	}
	return Stats{Pages: b.pages, Duration: time.Since(start)}, nil
}

// startFull chooses the hot set from a fresh walk of the content and
// makes the tree a full build renders into.
func (a *Archive) startFull() (full *fullBuild, months map[string]map[string]fileSig, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.load()
	if a.full != nil {
		return nil, nil, errors.New("a full build is already running")
	}
	if months, err = a.catalog(); err != nil {
		return nil, nil, err
	}
	a.hot, a.news, a.hotEd = a.chooseHot(months)
	a.feeds = a.chooseFeeds(months)
	a.hotEds = hotEditionsOf(a.hotEd)
	a.hotTerms = a.termsOfKeys(a.hot)
	builds := filepath.Join(a.Data, "builds")
	if err := os.MkdirAll(builds, 0o755); err != nil {
		return nil, nil, err
	}
	tree, recycled, err := a.newTree(builds)
	if err != nil {
		return nil, nil, err
	}
	a.full = newFullBuild(tree, recycled)
	return a.full, months, nil
}

// endFull forgets a full build, finished or failed.
func (a *Archive) endFull(full *fullBuild) {
	full.finish() // waited for already unless the build failed
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.full == full {
		a.full = nil
	}
}

// fullRun is one full build's rendering: the parts, in batches, on
// Workers goroutines, then the hot part.
type fullRun struct {
	a        *Archive
	full     *fullBuild
	months   map[string]map[string]fileSig
	progress Progress
	total    int // parts, the hot one included
	// dates are every edition's date, newest first, known before any
	// month renders (editionDates).
	dates []string

	mu    sync.Mutex // guards done and pages, and orders progress calls
	done  int
	pages int
}

// batches lists the months newest first, in batches of about BatchFiles
// content files (a batch never mixes in the hot part, which goes last:
// its pages list every month's editions).
func (b *fullRun) batches() [][]string {
	var names []string
	for m := range b.months {
		names = append(names, m)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	limit := b.a.batchFiles()
	var batches [][]string
	for i := 0; i < len(names); {
		batch, n := []string{names[i]}, len(b.months[names[i]])
		for i++; i < len(names) && n+len(b.months[names[i]]) <= limit; i++ {
			batch = append(batch, names[i])
			n += len(b.months[names[i]])
		}
		batches = append(batches, batch)
	}
	return batches
}

// renderAll renders every month, Workers batches at once, then the hot
// part. The first error stops the batches not yet started.
func (b *fullRun) renderAll(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.a.workers())
	for _, batch := range b.batches() {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error { return b.render(gctx, batch) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// The terms part lists the months' stories; the hot part goes last.
	var cold bool
	b.a.withLock(func() { cold = len(b.a.coldTermFiles(b.months, b.full.parts)) > 0 })
	if cold {
		b.mu.Lock()
		b.total++
		b.mu.Unlock()
		if err := b.render(ctx, []string{termsPart}); err != nil {
			return err
		}
	}
	return b.render(ctx, []string{hotPart})
}

// render renders one batch of parts into the new tree.
func (b *fullRun) render(ctx context.Context, batch []string) error {
	a := b.a
	hot := len(batch) == 1 && batch[0] == hotPart
	var files, listed []string
	var params map[string]any
	a.withLock(func() {
		var hotHas map[string]bool
		for _, name := range batch {
			f, l, h := a.partFiles(b.months, b.full.parts, name)
			files, listed, hotHas = append(files, f...), append(listed, l...), h
		}
		// Every month is in the new tree before it goes live.
		params = a.archiveParams(b.months, b.full.parts, hotHas, nil)
		if hot {
			params["feeds"] = a.feedParams()
		} else if b.dates != nil {
			// The months beside this one may render later (or at the
			// same time): their editions' dates are known already.
			params[editionDatesKey] = b.dates
		}
	})
	var meta map[string]fileMeta
	if !hot && batch[0] != termsPart {
		meta = a.metaOf(files)
	}
	out, err := a.renderBatch(ctx, b.full.tree, batch[0], hot, files, listed, meta, params)
	if err != nil {
		return err
	}
	var stats map[string]PartStats
	err = a.lockedErr(func() error {
		plans, err := a.planBatch(b.full.tree, b.full.parts, batch, out, b.months, meta)
		if err != nil {
			return err
		}
		stats = a.applyToNewTree(b.full, plans)
		return nil
	})
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, st := range stats {
		b.done++
		b.pages += st.Pages
	}
	if b.progress != nil {
		b.progress(min(b.done, b.total), b.total, b.pages)
	}
	return nil
}

// replayAndSwap replays into the new tree what was published while it was
// built (parts re-rendered, stories withdrawn), until nothing is left to
// replay, and then, with the lock still held, swaps it in.
func (b *fullRun) replayAndSwap(ctx context.Context) error {
	for {
		var changed map[string]bool
		err := b.a.lockedErr(func() error {
			changed = b.a.takeReplay(b.full)
			if len(changed) > 0 {
				return nil
			}
			return b.a.goLive(b.full)
		})
		if err != nil || len(changed) == 0 {
			return err
		}
		for name := range changed {
			if err := b.render(ctx, []string{name}); err != nil {
				return err
			}
		}
	}
}

// takeReplay removes from the new tree the stories withdrawn since the
// last call, and returns the parts re-rendered since. The caller holds
// a.mu.
func (a *Archive) takeReplay(full *fullBuild) map[string]bool {
	for key, month := range full.removed {
		forgetOutputs(full.parts, key, month)
		full.remove(filepath.Join(full.tree, filepath.FromSlash(key)), removeDir)
	}
	full.removed = map[string]string{}
	changed := full.changed
	full.changed = map[string]bool{}
	return changed
}

// goLive swaps the new tree in once all its files are written, and makes
// its parts' state the live one. The caller holds a.mu.
func (a *Archive) goLive(full *fullBuild) error {
	if err := full.finish(); err != nil {
		return err
	}
	// The sitemap index lists the new parts; the parts' saved state
	// describes the live tree, so it is saved once the new tree is live.
	oldParts := a.parts
	a.parts = full.parts
	err := a.writeSitemapIndex(full.tree, a.baseURL())
	if err == nil {
		err = swapLink(a.PublicLink(), full.tree)
	}
	if err != nil {
		a.parts = oldParts
		return err
	}
	a.live = full.tree
	for name, st := range a.parts {
		if err := a.saveState(name, st); err != nil {
			return err
		}
	}
	// The new tree has every month as it was when the month rendered;
	// those that publishes touched meanwhile are rendered again.
	a.dirty = full.touched
	if err := a.saveHot(); err != nil {
		return err
	}
	os.WriteFile(filepath.Join(a.Data, "parts", "theme.sig"), []byte(a.themeSignature()), 0o644)
	prune(filepath.Dir(full.tree), full.tree)
	return nil
}

// editionDates lists every e-paper edition's date of the archive, newest
// first, before a full build renders a month: the months render apart
// (newest first, Workers at a time), and each month's first and last
// edition link the editions of the months beside it (上一期/下一期). A
// month whose content files are as the live tree's state last saw them
// gives the dates it rendered with; any other month's files are read (all
// of them at a site's first build).
func (a *Archive) editionDates(ctx context.Context, months map[string]map[string]fileSig) ([]string, error) {
	var known map[string]*partState
	a.withLock(func() { known = maps.Clone(a.parts) })
	var mu sync.Mutex
	set := map[string]bool{}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.workers())
	for name, files := range months {
		if st := known[name]; st != nil && sameInputs(st.Inputs, files) {
			mu.Lock()
			for _, ed := range st.Editions {
				set[ed] = true
			}
			mu.Unlock()
			continue
		}
		g.Go(func() error {
			var eds []string
			for rel := range files {
				if err := gctx.Err(); err != nil {
					return err
				}
				// The front matter only (content.ReadMeta); a file gone
				// since the catalog is the month's render's business.
				if m, err := content.ReadMeta(filepath.Join(a.Root, "content", filepath.FromSlash(rel))); err == nil && m.Edition != "" && !m.Unlisted {
					eds = append(eds, m.Edition)
				}
			}
			mu.Lock()
			for _, ed := range eds {
				set[ed] = true
			}
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	dates := make([]string, 0, len(set))
	for ed := range set {
		dates = append(dates, ed)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dates)))
	return dates, nil
}
