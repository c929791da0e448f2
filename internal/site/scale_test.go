package site

import (
	"context"
	"testing"
	"time"

	"newsroom/internal/gen"
)

// TestPublishCostDoesNotGrowWithArchive builds two archives, one ten times
// the other, and publishes one story into each: the hot part renders and
// writes the same amount of work whatever the archive's size. (Timings
// are in BENCHMARKS.md; this asserts the work, which does not depend on
// the machine.)
func TestPublishCostDoesNotGrowWithArchive(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two archives")
	}
	ctx := context.Background()
	publish := func(stories int) PartStats {
		a := archiveSite(t)
		a.HotMin = 0 // the default
		if _, err := gen.Generate(a.Root, gen.Options{Stories: stories, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		end := gen.DefaultEnd.Add(time.Hour)
		a.Now = func() time.Time { return end }
		if _, err := a.BuildAll(ctx, nil); err != nil {
			t.Fatal(err)
		}
		rel := writeStory(t, a.Root, "stories", end.Format(time.DateOnly), "fresh", "新发稿件")
		st, err := a.Publish(ctx, []string{rel}, nil)
		if err != nil {
			t.Fatal(err)
		}
		mustLive(t, a, "stories/"+end.Format("2006/01")+"/fresh/index.html", "新发稿件")
		return st
	}
	small, large := publish(300), publish(3000)
	t.Logf("publish into 300 stories: %+v; into 3000: %+v", small, large)
	if large.Pages > small.Pages+small.Pages/5 || large.Written > small.Written+small.Written/5+5 {
		t.Fatalf("publishing into a 10x archive did more work: %d pages / %d written vs %d / %d",
			large.Pages, large.Written, small.Pages, small.Written)
	}
}
