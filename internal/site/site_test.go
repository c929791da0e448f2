package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// newSite writes a tiny Hugo site and returns a Builder for it.
func newSite(t *testing.T) *Builder {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"hugo.toml":                 "baseURL = \"/\"\ntitle = \"测试日报\"\n",
		"layouts/home.html":         `<h1>{{ site.Title }}</h1>{{ range first 5 site.RegularPages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}`,
		"layouts/single.html":       `<h1>{{ .Title }}</h1>{{ .Content }}`,
		"layouts/list.html":         `{{ .Title }}`,
		"content/stories/a.md":      "---\ntitle: 高考首日\n---\n考生走出考场。\n",
		"content/stories/_index.md": "---\ntitle: 新闻\n---\n",
	}
	for name, body := range files {
		write(t, filepath.Join(root, name), body)
	}
	return &Builder{Root: root, Data: filepath.Join(root, ".newsroom")}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, b *Builder, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(b.PublicLink(), rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestBuildSwapsAtomicallyAndKeepsLiveSiteOnFailure(t *testing.T) {
	b := newSite(t)
	ctx := context.Background()
	if b.Current() != "" {
		t.Fatal("no build yet, but Current is set")
	}
	st, err := b.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pages == 0 || !strings.Contains(read(t, b, "stories/a/index.html"), "考生走出考场") {
		t.Fatalf("first build: %+v", st)
	}
	first := b.Current()

	write(t, filepath.Join(b.Root, "content/stories/b.md"), "---\ntitle: 第二篇\n---\n新内容。\n")
	if _, err := b.Build(ctx); err != nil {
		t.Fatal(err)
	}
	second := b.Current()
	if second == first || !strings.Contains(read(t, b, "index.html"), "第二篇") {
		t.Fatal("second build not swapped in")
	}

	// A broken template fails the build; the live site stays as it was.
	write(t, filepath.Join(b.Root, "layouts/single.html"), `{{ .Title `)
	if _, err := b.Build(ctx); err == nil {
		t.Fatal("broken template built")
	}
	if b.Current() != second || !strings.Contains(read(t, b, "stories/b/index.html"), "新内容") {
		t.Fatal("failed build changed the live site")
	}
	entries, _ := os.ReadDir(filepath.Join(b.Data, "builds"))
	if len(entries) > 2 {
		t.Fatalf("old builds not pruned: %d left", len(entries))
	}
}

func TestRebuildCoalescesBursts(t *testing.T) {
	b := newSite(t)
	ctx := context.Background()
	if _, err := b.Build(ctx); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	dirs := make([]string, 8)
	for i := range dirs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if _, err := b.Rebuild(ctx); err != nil {
				t.Error(err)
			}
			dirs[i] = b.Current()
		}(i)
	}
	wg.Wait()
	distinct := map[string]bool{}
	for _, d := range dirs {
		distinct[d] = true
	}
	// Eight concurrent requests need at most two builds: the one that
	// started first and one queued behind it.
	if len(distinct) > 2 {
		t.Fatalf("%d builds for one burst", len(distinct))
	}
}
