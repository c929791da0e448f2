package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"newsroom/internal/gen"
)

func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("gen", stderr)
	n := fs.Int("stories", 0, "number of items to write (stories, photos and notices)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed writes the same archive")
	end := fs.String("end", gen.DefaultEnd.Format(time.DateOnly), "date of the newest item (YYYY-MM-DD, or now); items spread over --years before it")
	photos := fs.Int("photos", 0, "write this many distinct pictures (static/media/gen/) and give every story one as its lead photo, with caption and credit; 0: none")
	years := fs.Int("years", 20, "years the archive spans; with --stories this sets its density (a city daily prints about 100 stories a day)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *n <= 0 || *years <= 0 || *photos < 0 {
		return errors.New("usage: newsroom gen [--site DIR] --stories N [--seed S] [--end YYYY-MM-DD] [--years Y] [--photos P]")
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	// A date means its evening (18:00); "now" ends the archive at this
	// minute, as a live paper's is (the benchmarks use it).
	var endAt time.Time
	if *end == "now" {
		endAt = time.Now().Truncate(time.Minute)
	} else {
		day, err := time.ParseInLocation(time.DateOnly, *end, gen.DefaultEnd.Location())
		if err != nil {
			return fmt.Errorf("--end: want YYYY-MM-DD or now: %w", err)
		}
		endAt = day.Add(18 * time.Hour)
	}
	bar := progressbar.NewOptions(*n, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("generating"),
		progressbar.OptionShowCount(), progressbar.OptionSetItsString("stories"), progressbar.OptionShowIts(), progressbar.OptionThrottle(200*time.Millisecond))
	start := time.Now()
	written, err := gen.Generate(p.Root, gen.Options{Stories: *n, Seed: *seed, End: endAt, Years: *years, Photos: *photos,
		Progress: func(done, total int) { bar.Set(done) }})
	bar.Finish()
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d items into %s/content in %s; run `newsroom build` and `newsroom index` (or restart serve)\n",
		written, p.Root, time.Since(start).Round(time.Millisecond))
	return nil
}
