package site

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Profiling aids, skipped unless PROF_SITE names a site folder (e.g. one
// made with `newsroom gen`); see docs/architecture.md. PROF_BATCH sets
// Archive.BatchFiles, PROF_WORKERS Archive.Workers, PROF_HOT Archive.HotMin.

// TestTemplateMetrics prints Hugo's per-template timings for a monolithic
// build of PROF_SITE.
func TestTemplateMetrics(t *testing.T) {
	root := os.Getenv("PROF_SITE")
	if root == "" {
		t.Skip()
	}
	out := filepath.Join(t.TempDir(), "o")
	if _, err := buildHugo(context.Background(), root, out, map[string]any{"templateMetrics": true, "templateMetricsHints": true}, os.Stdout); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkArchiveBuild times a full build of PROF_SITE in parts.
func BenchmarkArchiveBuild(b *testing.B) {
	root := os.Getenv("PROF_SITE")
	if root == "" {
		b.Skip()
	}
	for i := 0; i < b.N; i++ {
		batch, _ := strconv.Atoi(os.Getenv("PROF_BATCH"))
		workers, _ := strconv.Atoi(os.Getenv("PROF_WORKERS"))
		a := &Archive{Root: root, Data: filepath.Join(b.TempDir(), "d"), BatchFiles: batch, Workers: workers}
		st, err := a.BuildAll(context.Background(), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Pages)/st.Duration.Seconds(), "pages/s")
	}
}

// BenchmarkHotPublish times re-rendering the hot part of PROF_SITE.
func BenchmarkHotPublish(b *testing.B) {
	root := os.Getenv("PROF_SITE")
	if root == "" {
		b.Skip()
	}
	hotMin, _ := strconv.Atoi(os.Getenv("PROF_HOT"))
	a := &Archive{Root: root, Data: filepath.Join(b.TempDir(), "d"), HotMin: hotMin}
	if _, err := a.BuildAll(context.Background(), nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := a.Publish(context.Background(), []string{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Pages), "pages")
	}
}

// BenchmarkEditionDates times what a full build of PROF_SITE reads before
// its first month renders when the site has no state yet (its first
// build): every content file's edition (editionDates). metaOf is, for
// comparison, the front matter reading the build's months do anyway.
func BenchmarkEditionDates(b *testing.B) {
	root := os.Getenv("PROF_SITE")
	if root == "" {
		b.Skip()
	}
	a := &Archive{Root: root, Data: filepath.Join(b.TempDir(), "d")}
	var months map[string]map[string]fileSig
	a.withLock(func() { months, _ = a.catalog() })
	var files []string
	for _, m := range months {
		for rel := range m {
			files = append(files, rel)
		}
	}
	b.Run("editionDates", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			dates, err := a.editionDates(context.Background(), months)
			if err != nil || len(dates) == 0 {
				b.Fatalf("%d dates, %v", len(dates), err)
			}
		}
		b.ReportMetric(float64(len(files)), "files")
	})
	b.Run("metaOf", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			a.metaOf(files)
		}
		b.ReportMetric(float64(len(files)), "files")
	})
}
