package web

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// decode undoes a Content-Encoding.
func decode(t testing.TB, enc string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch enc {
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "zstd":
		zr, err := zstd.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	case "":
		return body
	default:
		t.Fatalf("unknown encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", enc, err)
	}
	return out
}

// fetchEncoded requests u with the given Accept-Encoding (the client's
// own transparent gzip is off) and returns the response and raw body.
func fetchEncoded(t *testing.T, method, u, accept string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, u, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// storyPage is a page about the size of a story page (30 KB).
func storyPage() string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html lang=\"zh-CN\"><head><title>高考首日</title></head><body><main>")
	for i := 0; b.Len() < 30000; i++ {
		b.WriteString("<p>6月7日，2023年全国高考拉开帷幕。今年我市高考共设30个考点，全市共有1130个考场，33229名考生参加高考。</p>\n")
		b.WriteString("<li class=\"story-item\"><a href=\"/stories/2023/06/gaokao-shouri/\">高考首日</a><time datetime=\"2023-06-08\">06-08</time></li>\n")
	}
	b.WriteString("</main></body></html>")
	return b.String()
}

func TestCompression(t *testing.T) {
	srv, dir := newServer(t, newIndex(t))
	page := storyPage()
	css, err := os.ReadFile(filepath.Join("..", "..", "themes", "broadsheet", "assets", "css", "main.css"))
	if err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 4000)...)
	for name, body := range map[string][]byte{
		"stories/big/index.html": []byte(page), "css/main.0123456789abcdef0123456789abcdef.css": css,
		"images/logo.png": png, "sitemap.xml": []byte(`<?xml version="1.0"?><urlset>` + strings.Repeat("<url><loc>https://news.example.cn/x/</loc></url>", 50) + `</urlset>`),
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), body, 0o644)
	}

	// Each encoding, chosen by the client's preference; the body decodes to
	// the file; Vary tells caches the answer depends on Accept-Encoding.
	for _, c := range []struct{ accept, want string }{
		{"gzip, deflate, br, zstd", "br"},
		{"gzip", "gzip"},
		{"zstd", "zstd"},
		{"br;q=0.5, gzip;q=1.0", "gzip"},
		{"gzip;q=0, identity", ""},
		{"*", "br"},
		{"", ""},
	} {
		resp, raw := fetchEncoded(t, "GET", srv.URL+"/stories/big/", c.accept)
		if got := resp.Header.Get("Content-Encoding"); got != c.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.want)
			continue
		}
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: no Vary: Accept-Encoding", c.accept)
		}
		if got := decode(t, c.want, raw); string(got) != page {
			t.Errorf("Accept-Encoding %q: body decodes to %d bytes, want the page's %d", c.accept, len(got), len(page))
		}
		if c.want != "" && len(raw) > len(page)/4 {
			t.Errorf("%s: %d bytes for a %d-byte page", c.want, len(raw), len(page))
		}
	}
	// CSS, XML and the 404 page are compressed; images are not.
	for _, c := range []struct {
		path string
		enc  string
		code int
	}{
		{"/css/main.0123456789abcdef0123456789abcdef.css", "br", 200},
		{"/sitemap.xml", "br", 200},
		{"/images/logo.png", "", 200},
		{"/stories/a/", "", 200}, // too small to pay
	} {
		resp, raw := fetchEncoded(t, "GET", srv.URL+c.path, "br, gzip")
		if resp.StatusCode != c.code || resp.Header.Get("Content-Encoding") != c.enc {
			t.Errorf("%s: %d Content-Encoding %q, want %d %q", c.path, resp.StatusCode, resp.Header.Get("Content-Encoding"), c.code, c.enc)
		}
		want, _ := os.ReadFile(filepath.Join(dir, strings.TrimPrefix(strings.TrimSuffix(c.path, "/")+map[bool]string{true: "/index.html", false: ""}[strings.HasSuffix(c.path, "/")], "/")))
		if got := decode(t, c.enc, raw); !bytes.Equal(got, want) {
			t.Errorf("%s: body differs from the file (%d bytes, want %d)", c.path, len(got), len(want))
		}
	}
	// A byte range of a compressible file is answered whole, compressed;
	// without Accept-Encoding the range is served as asked.
	resp, raw := fetchEncoded(t, "GET", srv.URL+"/stories/big/", "gzip", "Range", "bytes=0-99")
	if resp.StatusCode != 200 || string(decode(t, "gzip", raw)) != page {
		t.Errorf("range with gzip: %d, %d bytes", resp.StatusCode, len(raw))
	}
	resp, raw = fetchEncoded(t, "GET", srv.URL+"/stories/big/", "", "Range", "bytes=0-99")
	if resp.StatusCode != http.StatusPartialContent || len(raw) != 100 {
		t.Errorf("range without encoding: %d, %d bytes", resp.StatusCode, len(raw))
	}
	// HEAD is answered as before, uncompressed and without a body.
	resp, raw = fetchEncoded(t, "HEAD", srv.URL+"/stories/big/", "br")
	if resp.StatusCode != 200 || len(raw) != 0 || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("HEAD: %d %q %d bytes", resp.StatusCode, resp.Header.Get("Content-Encoding"), len(raw))
	}
	// The admin is never compressed (BREACH).
	admin := httptest.NewServer(New(Config{SiteDir: func() string { return dir }, Search: newIndex(t),
		Admin: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page)
		})}))
	defer admin.Close()
	for _, p := range []string{"/admin/", "/api/admin/stories"} {
		if resp, raw := fetchEncoded(t, "GET", admin.URL+p, "br, gzip"); resp.Header.Get("Content-Encoding") != "" || string(raw) != page {
			t.Errorf("%s: Content-Encoding %q", p, resp.Header.Get("Content-Encoding"))
		}
	}
	// The search page (no-store) and the JSON API are compressed too.
	resp, raw = fetchEncoded(t, "GET", srv.URL+"/api/search?q=%E9%AB%98%E8%80%83", "zstd")
	if resp.Header.Get("Content-Encoding") != "zstd" || !strings.Contains(string(decode(t, "zstd", raw)), `"total":11`) {
		t.Errorf("API: Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
}

// TestCompressCache: a cacheable body is compressed once per encoding and
// version; a changed file is compressed anew; the cache stays bounded.
func TestCompressCache(t *testing.T) {
	c := newCompressor(64 << 10)
	page := []byte(storyPage())
	a := c.get("br", page, true)
	b := c.get("br", page, true)
	if &a[0] != &b[0] {
		t.Error("the same body was compressed twice")
	}
	changed := append([]byte("<!-- 更正 -->"), page...)
	if got := decode(t, "br", c.get("br", changed, true)); !bytes.Equal(got, changed) {
		t.Error("a changed body got the old compressed bytes")
	}
	if len(c.items) != 2 {
		t.Errorf("%d cache entries, want 2", len(c.items))
	}
	for i := 0; i < 200; i++ {
		c.get("gzip", append([]byte(string(rune(0x4e00+i))), page...), true)
		if c.size > c.limit {
			t.Fatalf("cache holds %d bytes, bound %d", c.size, c.limit)
		}
	}
	if len(c.items) == 0 || len(c.items) > 150 || c.lru.Len() != len(c.items) {
		t.Errorf("%d cache entries (%d in the list) after 200 bodies in a %d-byte cache", len(c.items), c.lru.Len(), c.limit)
	}
}

// BenchmarkCompress is the cost of compressing once (the cache makes it
// once per file version and encoding) the theme's stylesheet (23 KB) and
// a built story page when $NEWSROOM_BENCH_PAGE names one.
func BenchmarkCompress(b *testing.B) {
	c := newCompressor(compressCacheBytes)
	inputs := map[string]string{"css": filepath.Join("..", "..", "themes", "broadsheet", "assets", "css", "main.css")}
	if p := os.Getenv("NEWSROOM_BENCH_PAGE"); p != "" {
		inputs["page"] = p
	}
	for name, file := range inputs {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		for _, enc := range encodings {
			b.Run(name+"/"+enc, func(b *testing.B) {
				var n int
				for b.Loop() {
					n = len(c.encode(enc, data))
				}
				b.ReportMetric(float64(len(data)), "in-bytes")
				b.ReportMetric(float64(n), "out-bytes")
			})
		}
	}
}

// TestCompressorReusesWriters: bodies compressed one after the other (and
// at once) with reused writers each decode to themselves.
func TestCompressorReusesWriters(t *testing.T) {
	c := newCompressor(compressCacheBytes)
	for _, enc := range encodings {
		done := make(chan bool)
		for i := range 8 {
			go func() {
				ok := true
				for j := range 20 {
					body := []byte(strings.Repeat("吕梁日报 "+enc, 100+i*37+j))
					if got := decode(t, enc, c.encode(enc, body)); !bytes.Equal(got, body) {
						ok = false
					}
				}
				done <- ok
			}()
		}
		for range 8 {
			if !<-done {
				t.Errorf("%s: a body did not decode to itself", enc)
			}
		}
	}
}
