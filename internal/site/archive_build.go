package site

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

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
	a.hot, a.news = a.chooseHot(months)
	builds := filepath.Join(a.Data, "builds")
	if err := os.MkdirAll(builds, 0o755); err != nil {
		a.mu.Unlock()
		return Stats{}, err
	}
	tree, recycled, err := a.newTree(builds)
	if err != nil {
		a.mu.Unlock()
		return Stats{}, err
	}
	full := newFullBuild(tree, recycled)
	a.full = full
	a.mu.Unlock()
	defer func() {
		full.finish() // waited for already unless an error is being returned
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
	batchFiles := a.batchFiles()
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
		var meta map[string]fileMeta
		if !hot {
			meta = a.metaOf(files)
		}
		out, err := a.renderBatch(ctx, batch[0], hot, files, meta, params)
		if err != nil {
			return err
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
	// fail gives the new tree up: its writes are waited for first, so that
	// none lands after it is removed.
	fail := func(err error) (Stats, error) {
		full.finish()
		os.RemoveAll(tree)
		return Stats{}, err
	}
	if firstErr == nil && recycled {
		firstErr = a.sweep(full)
	}
	if firstErr != nil {
		return fail(firstErr)
	}

	// Replay what was published while this build ran, then go live.
	for {
		a.mu.Lock()
		for key, month := range full.removed {
			a.removeOutputs(tree, full.parts, key, month)
		}
		full.removed = map[string]string{}
		changed := full.changed
		full.changed = map[string]bool{}
		if len(changed) == 0 {
			break // keep the lock for the swap
		}
		a.mu.Unlock()
		for name := range changed {
			if err := renderInto([]string{name}); err != nil {
				return fail(err)
			}
		}
	}
	defer a.mu.Unlock()
	if err := full.finish(); err != nil {
		os.RemoveAll(tree)
		return Stats{}, err
	}
	// The sitemap index lists the new parts; the parts' saved state
	// describes the live tree, so it is saved once the new tree is live.
	oldParts := a.parts
	a.parts = full.parts
	err = a.writeSitemapIndex(tree, a.baseURL())
	if err == nil {
		err = swapLink(a.PublicLink(), tree)
	}
	if err != nil {
		a.parts = oldParts
		os.RemoveAll(tree)
		return Stats{}, err
	}
	a.live = tree
	for name, st := range a.parts {
		if err := a.saveState(name, st); err != nil {
			return Stats{}, err
		}
	}
	// The new tree has every month as it was when the month rendered;
	// those that publishes touched meanwhile are rendered again.
	a.dirty = full.touched
	if err := a.saveHot(); err != nil {
		return Stats{}, err
	}
	os.WriteFile(filepath.Join(a.Data, "parts", "theme.sig"), []byte(a.themeSignature()), 0o644)
	(&Builder{Data: a.Data}).prune(builds, tree)
	return Stats{Pages: pages, Duration: time.Since(start)}, nil
}
