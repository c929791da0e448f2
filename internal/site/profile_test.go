package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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

// BenchmarkPhotoPublish times, in CPU (user and system, of the whole
// process), publishes of a story of PROF_PHOTO_SITE (a site kept by
// `newsroom bench --photos N --keep`, built and live) that shows a picture
// just added to the media library: PROF_PHOTO=cold publishes it as it is
// (the render makes the picture's sizes), pending while MakeSizes is at
// work on it (the render shows the picture itself), made after MakeSizes
// (whose CPU is reported too). The story's file is put back at the end.
func BenchmarkPhotoPublish(b *testing.B) {
	root, mode := os.Getenv("PROF_PHOTO_SITE"), os.Getenv("PROF_PHOTO")
	if root == "" {
		b.Skip()
	}
	ctx := context.Background()
	a := &Archive{Root: root, Data: filepath.Join(root, ".newsroom")}
	files, _ := filepath.Glob(filepath.Join(root, "content", "stories", "*", "*", "*.md"))
	slices.Sort(files)
	var rel string
	for _, f := range slices.Backward(files) {
		if data, _ := os.ReadFile(f); strings.Contains(string(data), "  photos:\n  - media:") {
			rel, _ = filepath.Rel(filepath.Join(root, "content"), f)
			break
		}
	}
	if rel == "" {
		b.Fatal("no story with a photo of the media library")
	}
	orig, err := os.ReadFile(filepath.Join(root, "content", rel))
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(filepath.Join(root, "content", rel), orig, 0o644)
	pics, _ := filepath.Glob(filepath.Join(root, "static", "media", "gen", "*.jpg"))
	if len(pics) == 0 {
		b.Fatal("no generated pictures")
	}
	pic, _ := os.ReadFile(pics[0])
	cpu := func() time.Duration {
		var r syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &r)
		return time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	var publishCPU, sizesCPU time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		src := fmt.Sprintf("/media/gen/bench-%d-%d.jpg", time.Now().UnixNano(), i)
		// A new picture: the same one with a byte more, so that its hash
		// and therefore its sizes are its own.
		if err := os.WriteFile(filepath.Join(root, "static", filepath.FromSlash(src)), append(slices.Clone(pic), byte(i)), 0o644); err != nil {
			b.Fatal(err)
		}
		file := regexp.MustCompile(`src: "[^"]*"`).ReplaceAll(orig, []byte(`src: "`+src+`"`))
		if err := os.WriteFile(filepath.Join(root, "content", rel), file, 0o644); err != nil {
			b.Fatal(err)
		}
		switch mode {
		case "made":
			c := cpu()
			if err := a.MakeSizes(ctx, src); err != nil {
				b.Fatal(err)
			}
			sizesCPU += cpu() - c
		case "pending":
			a.withLock(func() { a.sizes.making = map[string]int{src: 1} })
		}
		b.StartTimer()
		c := cpu()
		if _, err := a.Publish(ctx, []string{filepath.ToSlash(rel)}, nil); err != nil {
			b.Fatal(err)
		}
		publishCPU += cpu() - c
		a.withLock(func() { a.sizes = sizing{} })
	}
	b.ReportMetric(float64(publishCPU.Milliseconds())/float64(b.N), "publish-cpu-ms/op")
	if sizesCPU > 0 {
		b.ReportMetric(float64(sizesCPU.Milliseconds())/float64(b.N), "sizes-cpu-ms/op")
	}
}
