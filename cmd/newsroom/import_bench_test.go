package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// benchPages is how many pages one run of BenchmarkImportArchive imports.
const benchPages = 40

// archiveDir writes benchPages copies of the sample page as the pages of
// consecutive editions (2023-01-01_01.txt …): a small archive.
func archiveDir(b *testing.B) string {
	b.Helper()
	text, err := os.ReadFile(samplePage)
	if os.IsNotExist(err) {
		b.Skip("sample page not present: " + samplePage)
	}
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	day := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range benchPages {
		name := fmt.Sprintf("%s_01_要闻.txt", day.AddDate(0, 0, i).Format(time.DateOnly))
		if err := os.WriteFile(filepath.Join(dir, name), text, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// newBenchSite copies the repository's site (config, theme, content) into
// a fresh folder, as copySite does for tests.
func newBenchSite(b *testing.B) string {
	b.Helper()
	dst, err := os.MkdirTemp(b.TempDir(), "site")
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"hugo.toml", "content", "themes", "static"} {
		if err := copyTree(filepath.Join("..", "..", name), filepath.Join(dst, name)); err != nil && !os.IsNotExist(err) {
			b.Fatal(err)
		}
	}
	return dst
}

// BenchmarkImportArchive imports a folder of pages as drafts into a real
// SQLite database (a fresh site per run): parsing, de-duplication, the
// journal, the already-published check and the desk's story creation.
// Sub-benchmark "dry-run" parses and reports only; "resume" runs the same
// import a second time (every page is in the journal). It reports pages/s.
//
//	go test -run XXX -bench ImportArchive -benchmem ./cmd/newsroom/
func BenchmarkImportArchive(b *testing.B) {
	dir := archiveDir(b)
	for _, mode := range []string{"drafts", "dry-run", "resume"} {
		b.Run(mode, func(b *testing.B) {
			var pages int
			var spent time.Duration
			for b.Loop() {
				b.StopTimer()
				site := newBenchSite(b)
				args := []string{"import", "--site", site, dir}
				switch mode {
				case "dry-run":
					args = []string{"import", "--site", site, "--dry-run", dir}
				case "resume":
					if err := run(context.Background(), args, strings.NewReader(""), io.Discard, io.Discard); err != nil {
						b.Fatal(err)
					}
				}
				var out strings.Builder
				b.StartTimer()
				start := time.Now()
				err := run(context.Background(), args, strings.NewReader(""), &out, io.Discard)
				spent += time.Since(start)
				if err != nil {
					b.Fatalf("import: %v\n%s", err, out.String())
				}
				pages += benchPages
			}
			b.ReportMetric(float64(pages)/spent.Seconds(), "pages/s")
		})
	}
}
