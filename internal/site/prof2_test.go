package site

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

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
