package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"newsroom/internal/httpsec"
	"newsroom/internal/news"
	"newsroom/search"
)

// recordingSearch is a real index that records the query it was given
// and can be told to fail, to reach the error paths.
type recordingSearch struct {
	ix  *search.Index
	got search.Query
	err error
}

func (f *recordingSearch) Search(ctx context.Context, q search.Query) (*search.Results, error) {
	f.got = q
	if f.err != nil {
		return nil, f.err
	}
	return f.ix.Search(ctx, q)
}

// newIndex opens a real index holding eleven 高考 photo stories, so that
// results span two pages.
func newIndex(t *testing.T) *recordingSearch {
	t.Helper()
	ix, err := search.Open(filepath.Join(t.TempDir(), "index"), search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	for i := 0; i < 11; i++ {
		u := "/stories/2023/06/a" + string(rune('a'+i)) + "/"
		err := ix.Put(search.Document{ID: u, URL: u, Kind: "photo", Title: "高考首日", Body: "2023年全国高考拉开帷幕。",
			Section: "教育", Date: time.Date(2023, 6, 8, 6, i, 0, 0, news.Shanghai)})
		if err != nil {
			t.Fatal(err)
		}
	}
	return &recordingSearch{ix: ix}
}

func newServer(t *testing.T, s Searcher) (*httptest.Server, string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":           "<h1>首页</h1>",
		"404.html":             "<h1>页面不存在</h1>",
		"search/index.html":    "<header>站头</header><main><!--newsroom:search--></main><footer>站尾</footer>",
		"stories/a/index.html": "<h1>稿件</h1>",
	}
	for name, body := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	ready := true
	h := New(Config{SiteDir: func() string { return dir }, Search: s, Admin: http.NotFoundHandler(), Ready: func() bool { return ready }})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, dir
}

func get(t *testing.T, u string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestStaticFilesAnd404(t *testing.T) {
	srv, _ := newServer(t, newIndex(t))
	code, hdr, body := get(t, srv.URL+"/stories/a/")
	if code != 200 || !strings.Contains(body, "稿件") {
		t.Fatalf("page: %d %s", code, body)
	}
	// Chinese mobile browsers and carriers transcode pages unless told not to.
	if !strings.Contains(hdr.Get("Cache-Control"), "no-transform") {
		t.Errorf("Cache-Control %q lacks no-transform", hdr.Get("Cache-Control"))
	}
	if code, _, body := get(t, srv.URL+"/stories/missing/"); code != 404 || !strings.Contains(body, "页面不存在") {
		t.Fatalf("missing page: %d %s", code, body)
	}
	if code, _, _ := get(t, srv.URL+"/../../etc/passwd"); code != 404 {
		t.Fatalf("path escape answered %d", code)
	}
	resp, _ := http.Post(srv.URL+"/stories/a/", "text/plain", nil)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST to a page answered %d", resp.StatusCode)
	}
}

func TestSearchAPIAndPage(t *testing.T) {
	fs := newIndex(t)
	srv, _ := newServer(t, fs)
	code, _, body := get(t, srv.URL+"/api/search?q=%E9%AB%98%E8%80%83&kind=photo&from=2023-06-01&to=2023-06-30&sort=newest&page=2")
	if code != 200 || !strings.Contains(body, `<mark>高考</mark>`) || !strings.Contains(body, `"date":"2023-06-08T06:00:00+08:00"`) ||
		!strings.Contains(body, `"total":11`) {
		t.Fatalf("api: %d %s", code, body)
	}
	if fs.got.Kind != "photo" || fs.got.Sort != "newest" || fs.got.Page != 2 || fs.got.From.Format(time.DateOnly) != "2023-06-01" {
		t.Fatalf("query passed on as %+v", fs.got)
	}
	for _, bad := range []string{"kind=blog&q=x", "from=2023-6-1&q=x", "page=0&q=x", "sort=oldest&q=x", ""} {
		if code, _, body := get(t, srv.URL+"/api/search?"+bad); code != 400 || !strings.Contains(body, `"error"`) {
			t.Errorf("%q answered %d %s", bad, code, body)
		}
	}
	fs.err = search.ErrBadQuery
	if code, _, _ := get(t, srv.URL+"/api/search?q=x"); code != 400 {
		t.Errorf("a bad query answered %d", code)
	}
	fs.err = io.ErrUnexpectedEOF
	if code, _, body := get(t, srv.URL+"/api/search?q=x"); code != 500 || strings.Contains(body, "EOF") {
		t.Errorf("an internal error answered %d %s", code, body)
	}
	fs.err = nil
	code, hdr, page := get(t, srv.URL+"/search/?q=%E9%AB%98%E8%80%83")
	if code != 200 || !strings.Contains(page, "<header>站头</header>") || !strings.Contains(page, "<mark>高考</mark>") ||
		!strings.Contains(page, `value="高考"`) || strings.Contains(page, "<!--newsroom:search-->") || hdr.Get("X-Robots-Tag") != "noindex" {
		t.Fatalf("search page: %d %s", code, page)
	}
	if !strings.Contains(page, `rel="next"`) {
		t.Error("11 hits on page 1 need a next link")
	}
	// facets over all 11 hits, as links that narrow the search; the
	// headline is highlighted as well as the snippet
	for _, want := range []string{`<mark>高考</mark>首日`, `2023年 <span class="facet-count">11</span>`, `教育 <span class="facet-count">11</span>`,
		`图片 <span class="facet-count">11</span>`, `href="/search/?from=2023-01-01&amp;q=%E9%AB%98%E8%80%83&amp;to=2023-12-31"`,
		`href="/search/?q=%E9%AB%98%E8%80%83&amp;section=%E6%95%99%E8%82%B2"`} {
		if !strings.Contains(page, want) {
			t.Errorf("search page lacks %s", want)
		}
	}
	code, _, body = get(t, srv.URL+"/api/search?q=%E9%AB%98%E8%80%83")
	if code != 200 || !strings.Contains(body, `"facets":{"kind":{"photo":11},"section":{"教育":11},"year":{"2023":11}}`) || strings.Contains(body, `"note"`) {
		t.Errorf("api facets: %d %s", code, body)
	}
	// a traditional query is searched as simplified, and says so
	code, _, body = get(t, srv.URL+"/api/search?q=%E9%AB%98%E8%80%83%E9%A6%96%E6%97%A5") // 高考首日
	if code != 200 || strings.Contains(body, `"note"`) {
		t.Errorf("api simplified: %d %s", code, body)
	}
	code, _, body = get(t, srv.URL+"/api/search?q="+url.QueryEscape("高考首日 全國"))
	if code != 200 || !strings.Contains(body, `"note":"已按简体“高考首日 全国”搜索"`) || !strings.Contains(body, `"total":11`) {
		t.Errorf("api note: %d %s", code, body)
	}
	if _, _, page := get(t, srv.URL+"/search/?q="+url.QueryEscape("全國")); !strings.Contains(page, `class="search-note">已按简体“全国”搜索`) {
		t.Errorf("search page note: %s", page)
	}
	if code, _, page := get(t, srv.URL+"/search/"); code != 200 || strings.Contains(page, "请输入搜索词") {
		t.Fatalf("empty search page: %d", code)
	}
}

func TestHealthz(t *testing.T) {
	dir := t.TempDir()
	ready := false
	srv := httptest.NewServer(New(Config{SiteDir: func() string { return dir }, Search: newIndex(t), Admin: http.NotFoundHandler(), Ready: func() bool { return ready }}))
	defer srv.Close()
	if code, _, _ := get(t, srv.URL+"/healthz"); code != 503 {
		t.Fatalf("healthz before ready: %d", code)
	}
	ready = true
	if code, _, _ := get(t, srv.URL+"/healthz"); code != 200 {
		t.Fatalf("healthz when ready: %d", code)
	}
}

func TestSiteAndAdminGetTheirOwnSecurityPolicy(t *testing.T) {
	srv, _ := newServer(t, newIndex(t))
	for _, c := range []struct{ path, want string }{
		{"/stories/a/", httpsec.SiteCSP},
		{"/search/?q=高考", httpsec.SiteCSP},
		{"/admin/", httpsec.AdminCSP},
		{"/api/admin/stories", httpsec.AdminCSP},
	} {
		_, hdr, _ := get(t, srv.URL+c.path)
		if got := hdr.Get("Content-Security-Policy"); got != c.want {
			t.Errorf("%s: Content-Security-Policy %q, want %q", c.path, got, c.want)
		}
		if hdr.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", c.path)
		}
	}
}

// countingSearch is a real index that counts the searches running at once.
type countingSearch struct {
	ix        *search.Index
	mu        sync.Mutex
	now, most int
}

func (c *countingSearch) Search(ctx context.Context, q search.Query) (*search.Results, error) {
	c.mu.Lock()
	c.now++
	c.most = max(c.most, c.now)
	c.mu.Unlock()
	time.Sleep(5 * time.Millisecond) // long enough for the others to arrive
	defer func() {
		c.mu.Lock()
		c.now--
		c.mu.Unlock()
	}()
	return c.ix.Search(ctx, q)
}

// TestSearchesRunAsManyAtOnceAsThereAreCores: thirty readers searching at
// once all get their answers, but no more searches run at a time than
// there are cores (the others wait their turn).
func TestSearchesRunAsManyAtOnceAsThereAreCores(t *testing.T) {
	c := &countingSearch{ix: newIndex(t).ix}
	srv, _ := newServer(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, 30)
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(srv.URL + "/api/search?q=" + url.QueryEscape("高考"))
			if err != nil {
				errs <- err
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- fmt.Errorf("status %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c.most > runtime.GOMAXPROCS(0) || c.most == 0 {
		t.Fatalf("%d searches ran at once; at most %d (the cores) should", c.most, runtime.GOMAXPROCS(0))
	}
}
