package site

import (
	"cmp"
	"context"
	"sort"
	"time"

	"newsroom/internal/content"
)

// wakeups returns the channel that wakes the background worker.
func (a *Archive) wakeups() chan struct{} {
	a.bgOnce.Do(func() {
		if a.bg == nil {
			a.bg = make(chan struct{}, 1)
		}
	})
	return a.bg
}

// wake nudges the background worker, if one runs.
func (a *Archive) wake() {
	select {
	case a.wakeups() <- struct{}{}:
	default:
	}
}

// Run keeps month parts up to date in the background until ctx ends. After
// publishes, and every interval, it waits until publishing pauses (see
// settle), then rolls over (stories published or corrected meanwhile, and
// those no longer among the newest, leave the hot part for their months)
// and re-renders the other months that publishes touched.
func (a *Archive) Run(ctx context.Context, interval time.Duration, logf func(string, ...any)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.wakeups():
		case <-tick.C:
		}
		if !a.settle(ctx) {
			return
		}
		if err := a.Rollover(ctx); err != nil && logf != nil {
			logf("rollover failed", "err", err)
		}
		var todo []string
		a.withLock(func() {
			for m := range a.dirty {
				todo = append(todo, m)
			}
		})
		sort.Strings(todo)
		for _, m := range todo {
			if _, err := a.render(ctx, m); err != nil && logf != nil {
				logf("month part failed", "part", m, "err", err)
			}
		}
		// The months' term lists changed: so may the cold terms' pages.
		if len(todo) > 0 {
			if err := a.renderTerms(ctx); err != nil && logf != nil {
				logf("terms part failed", "err", err)
			}
		}
	}
}

// renderTerms renders the terms part, unless there is nothing for it to
// render or remove.
func (a *Archive) renderTerms(ctx context.Context) error {
	var skip bool
	a.withLock(func() {
		a.termsHanded = false
		if a.parts[termsPart] == nil {
			months, err := a.cachedCatalog()
			skip = err == nil && len(a.coldTermFiles(months, a.parts)) == 0
		}
	})
	if skip {
		return nil
	}
	_, err := a.render(ctx, termsPart)
	return err
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
		case <-a.wakeups():
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
	leaving := map[string]bool{}
	err := a.lockedErr(func() error {
		a.load()
		// The cached catalog, which every publish keeps up to date: walking a
		// million files here took seconds with the lock held, and a publish
		// meanwhile waited for all of it.
		months, err := a.cachedCatalog()
		if err != nil {
			return err
		}
		next, news, nextEd := a.chooseHot(months)
		a.news = news
		a.feeds = a.chooseFeeds(months)
		for key := range a.hot {
			if !next[key] {
				if _, month, ok := contentKey(content.FileOfKey(key)); ok {
					leaving[month] = true
				}
			}
		}
		nextEds := hotEditionsOf(nextEd)
		for ed := range a.hotEds {
			if !nextEds[ed] {
				leaving[editionMonth(ed)] = true
			}
		}
		// Months rendered from now on render the leaving stories and
		// editions; until the hot part is re-rendered both copies are the
		// same page. The same goes for term pages and the terms part.
		a.hot, a.hotEd, a.hotEds = next, nextEd, nextEds
		a.hotTerms = a.termsOfKeys(next)
		return nil
	})
	if err != nil {
		return err
	}
	for m := range leaving {
		if _, err := a.render(ctx, m); err != nil {
			return err
		}
	}
	// Term pages no hot story has now are rendered by the terms part
	// before the hot part lets go of them.
	if err := a.renderTerms(ctx); err != nil {
		return err
	}
	if _, err = a.render(ctx, hotPart); err != nil {
		return err
	}
	var handed bool
	a.withLock(func() { handed = a.termsHanded })
	if handed {
		return a.renderTerms(ctx)
	}
	return nil
}
