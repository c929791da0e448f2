package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"newsroom/internal/news"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestCorrectionsPageNewestFirstInTheSiteShell(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "search"), 0o755)
	os.WriteFile(filepath.Join(dir, "search", "index.html"),
		[]byte(`<title>搜索</title><h1 class="list-title">搜索</h1><main><!--newsroom:search--></main>`), 0o644)
	at := time.Date(2023, 6, 8, 9, 0, 0, 0, news.Shanghai)
	list := func(context.Context) ([]CorrectionEntry, error) {
		return []CorrectionEntry{
			{Title: "旧稿<件>", URL: "/stories/2023/06/a/", At: at, Kind: "更正", Note: "日期有误"},
			{Title: "新稿件", URL: "/stories/2023/06/b/", At: at.Add(time.Hour), Kind: "说明", Note: "补充来源"},
		}, nil
	}
	srv := httptest.NewServer(New(Config{SiteDir: func() string { return dir }, Search: newIndex(t), Admin: http.NotFoundHandler(), Corrections: list}))
	defer srv.Close()
	code, _, body := get(t, srv.URL+"/corrections/")
	if code != 200 {
		t.Fatalf("/corrections/: %d %s", code, body)
	}
	for _, want := range []string{"<title>更正与说明</title>", `<h1 class="list-title">更正与说明</h1>`, "旧稿&lt;件&gt;", "2023-06-08 10:00", "补充来源"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	if strings.Index(body, "新稿件") > strings.Index(body, "旧稿") {
		t.Errorf("not newest first:\n%s", body)
	}

	// Without a lister the page is not there.
	off := httptest.NewServer(New(Config{SiteDir: func() string { return dir }, Search: newIndex(t), Admin: http.NotFoundHandler()}))
	defer off.Close()
	if code, _, _ := get(t, off.URL+"/corrections/"); code != 404 {
		t.Errorf("/corrections/ without a lister: %d, want 404", code)
	}
}
