// Package web serves the reader side: the built site, the search page in
// the theme's look, the search API and the health check. It hands /admin/
// and /api/admin/ to the admin handler it is given, without knowing it.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"newsroom/internal/epaper"
	"newsroom/internal/httpsec"
	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"newsroom/search"
)

// Searcher runs search queries (implemented by *search.Index).
type Searcher interface {
	Search(ctx context.Context, q search.Query) (*search.Results, error)
}

// Config is what the reader side needs.
type Config struct {
	// SiteDir returns the folder of the live build, "" before the first.
	SiteDir func() string
	Search  Searcher
	Admin   http.Handler
	// Ready reports whether start-up (first build, index check) is done.
	Ready func() bool
	Log   *slog.Logger
	// Notices answers /verify/ (notice verification and 登报证明); nil
	// turns those pages off. PaperName is printed on them; Clock tells
	// them the date (nil: the system clock).
	Notices   news.NoticeArchive
	PaperName string
	Clock     news.Clock
	// Corrections lists the correction notes that /corrections/ shows
	// (see CorrectionsConfig.List); nil turns that page off.
	Corrections func(ctx context.Context) ([]CorrectionEntry, error)
	// BaseURL is the site's public address ("https://www.example.cn/"),
	// which the QR codes of 登报证明 point to; "" uses the request's host.
	BaseURL string
	// Chromium is the browser that prints 登报证明 PDFs; "" looks for
	// chromium on the PATH.
	Chromium string
	// ProofDir is the folder where 登报证明 PDFs are kept once printed;
	// "" turns the PDFs off (the printable page stays).
	ProofDir string
	// EPaper is the folder of the e-paper's page records, whose PDFs are
	// served at /edition/YYYY-MM-DD/NN/page.pdf; "" turns them off.
	EPaper epaper.Dir
}

// maxBody bounds the body of a reader's request (a pasted notice).
const maxBody = 1 << 20

// New returns the program's root handler.
func New(cfg Config) http.Handler {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	s := &server{cfg: cfg, searching: make(chan struct{}, runtime.GOMAXPROCS(0))}
	if cfg.ProofDir != "" {
		s.proofs = newProofs(cfg.ProofDir, cfg.Chromium)
	}
	mux := http.NewServeMux()
	// A reader's request carries at most a pasted notice (/verify/); the
	// admin bounds its own requests.
	lim := httpx.LimitBody(maxBody)
	handle := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, lim(h)) }
	handle("GET /healthz", s.healthz)
	handle("GET /api/search", s.apiSearch)
	handle("GET /search/{$}", s.searchPage)
	handle("GET /verify/{$}", s.verify)
	handle("POST /verify/{$}", s.verify)
	handle("GET /verify/proof/{number}/{$}", s.proof)
	handle("GET /verify/proof/{number}/proof.pdf", s.proofPDF)
	handle("GET /edition/{date}/{page}/page.pdf", s.pagePDF)
	if cfg.Corrections != nil {
		mux.Handle("GET /corrections/{$}", lim(CorrectionsPage(CorrectionsConfig{SiteDir: cfg.SiteDir, List: cfg.Corrections, Log: cfg.Log})))
	}
	// The admin's policy is set after the site's, so it wins on its paths.
	admin := httpsec.Policy{CSP: httpsec.AdminCSP}.Handler(cfg.Admin)
	mux.Handle("/admin", admin)
	mux.Handle("/admin/", admin)
	mux.Handle("/api/admin/", admin)
	handle("/", s.static)
	return httpsec.Policy{CSP: httpsec.SiteCSP}.Handler(newCompressor(compressCacheBytes).handler(mux))
}

type server struct {
	cfg    Config
	proofs *proofs // nil: no PDFs
	// searching holds a slot per search running: as many as there are
	// cores. Each search already spreads over the cores (shards, snippets
	// in parallel), so more at once only made each slower, and took the
	// CPU from a publish's render, which readers then waited for too.
	searching chan struct{}
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if s.cfg.Ready != nil && !s.cfg.Ready() {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ok\n"))
}

// static serves the live build. The build folder is looked up per request:
// a publish swaps in a new folder, and the next request sees it.
func (s *server) static(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	dir := s.cfg.SiteDir()
	if dir == "" {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "网站正在生成，请稍候刷新。", http.StatusServiceUnavailable)
		return
	}
	name := path.Clean("/" + r.URL.Path)
	full := filepath.Join(dir, filepath.FromSlash(name))
	fi, err := os.Stat(full)
	if err == nil && fi.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		full = filepath.Join(full, "index.html")
		fi, err = os.Stat(full)
	}
	if err != nil {
		s.notFound(w, dir)
		return
	}
	switch ext := filepath.Ext(full); {
	case ext == ".html" || ext == ".xml" || ext == ".txt":
		// Pages change when stories are published or corrected.
		w.Header().Set("Cache-Control", "public, max-age=60, no-transform, no-siteapp")
	case strings.Contains(filepath.Base(full), ".min.") || hasFingerprint(filepath.Base(full)):
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable, no-transform")
	default:
		w.Header().Set("Cache-Control", "public, max-age=3600, no-transform")
	}
	http.ServeFile(w, r, full)
}

// hasFingerprint reports whether a file name carries a content hash, as
// Hugo's fingerprinted assets do (main.3f2a…c1.css).
func hasFingerprint(name string) bool {
	parts := strings.Split(name, ".")
	return len(parts) >= 3 && len(parts[len(parts)-2]) >= 32
}

func (s *server) notFound(w http.ResponseWriter, dir string) {
	page, err := os.ReadFile(filepath.Join(dir, "404.html"))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=60, no-transform, no-siteapp")
	w.WriteHeader(http.StatusNotFound)
	if err != nil {
		w.Write([]byte("<!doctype html><meta charset=utf-8><title>页面不存在</title><p>页面不存在。<a href=\"/\">返回首页</a></p>"))
		return
	}
	w.Write(page)
}

// hitJSON is one hit of /api/search: a contract other tools rely on.
type hitJSON struct {
	URL     string `json:"url"`
	Title   string `json:"title"`
	Snippet string `json:"snippet"`
	Date    string `json:"date"`
	Section string `json:"section"`
	Kind    string `json:"kind"`
}

func (s *server) apiSearch(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r)
	var res *search.Results
	if err == nil {
		select {
		case s.searching <- struct{}{}:
			res, err = s.cfg.Search.Search(r.Context(), q)
			<-s.searching
		case <-r.Context().Done():
			err = r.Context().Err()
		}
	}
	if err != nil {
		status, msg := s.searchError(r, err)
		httpx.WriteJSON(w, status, map[string]string{"error": msg})
		return
	}
	hits := make([]hitJSON, 0, len(res.Hits))
	for _, h := range res.Hits {
		hits = append(hits, hitJSON{URL: h.URL, Title: h.Title, Snippet: h.Snippet, Date: formatDate(h.Date),
			Section: h.Section, Kind: h.Kind})
	}
	out := map[string]any{
		"total": res.Total, "page": res.Page, "page_size": res.PageSize,
		"took_ms": float64(res.Took.Microseconds()) / 1000, "hits": hits,
		"facets": res.Facets,
	}
	if res.Note != "" {
		out["note"] = res.Note
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// searchError maps a search failure to a status and a message: a bad query
// is the reader's to fix (400); anything else is ours (500, logged).
func (s *server) searchError(r *http.Request, err error) (int, string) {
	if errors.Is(err, search.ErrBadQuery) {
		err = news.Errorf(news.EINVALID, "搜索词无法识别：%s", strings.TrimPrefix(err.Error(), search.ErrBadQuery.Error()+": "))
	}
	switch status := httpx.Status(err); status {
	case http.StatusBadRequest:
		return status, news.ErrorMessage(err)
	case httpx.StatusClientClosed:
		return status, "请求已取消"
	}
	s.cfg.Log.Error("search failed", "query", r.URL.RawQuery, "err", err)
	return http.StatusInternalServerError, "搜索暂时不可用，请稍后再试。"
}
