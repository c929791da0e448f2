package site

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func BenchmarkArchiveBuild(b *testing.B) {
	root := os.Getenv("PROF_SITE")
	if root == "" {
		b.Skip()
	}
	for i := 0; i < b.N; i++ {
		batch, _ := strconv.Atoi(os.Getenv("PROF_BATCH"))
		a := &Archive{Root: root, Data: filepath.Join(b.TempDir(), "d"), BatchFiles: batch}
		st, err := a.BuildAll(context.Background(), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Pages)/st.Duration.Seconds(), "pages/s")
	}
}

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
