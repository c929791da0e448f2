package web

import (
	"bytes"
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"newsroom/internal/news"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"
)

// CorrectionEntry is one correction note of a published story.
type CorrectionEntry struct {
	Title string    // the story's headline
	URL   string    // its page
	At    time.Time // when the correction was made
	Kind  string    // 更正 or 说明
	Note  string
}

// CorrectionsConfig is what the corrections page needs.
type CorrectionsConfig struct {
	// SiteDir returns the folder of the live build ("" before the first);
	// the page borrows the search page's shell for the site's look.
	SiteDir func() string
	// List returns the corrections to show, in any order; the page sorts
	// them newest first. It is read from the editorial database on every
	// request, so the page is current without a site rebuild.
	List func(ctx context.Context) ([]CorrectionEntry, error)
	Log  *slog.Logger
}

var (
	listTitleRE = regexp.MustCompile(`(<h1 class="list-title">)[^<]*(</h1>)`)
	titleRE     = regexp.MustCompile(`<title>[^<]*</title>`)
)

var correctionsTmpl = template.Must(template.New("corrections").Funcs(template.FuncMap{
	"date": func(t time.Time) string { return t.In(news.Shanghai).Format("2006-01-02 15:04") },
}).Parse(`
<div class="corrections">
<p>本报对已发布稿件的更正与说明，按时间倒序排列。每条也注明在原稿文末。</p>
{{ if . }}
<ol class="corrections-list">
{{ range . }}
  <li class="correction-item">
    <p class="hit-meta"><time datetime="{{ .At.Format "2006-01-02T15:04:05Z07:00" }}">{{ date .At }}</time> <strong>{{ .Kind }}</strong></p>
    <h2 class="hit-title"><a href="{{ .URL }}">{{ .Title }}</a></h2>
    <p class="hit-snippet">{{ .Note }}</p>
  </li>
{{ end }}
</ol>
{{ else }}<p>暂无更正。</p>{{ end }}
</div>
`))

// CorrectionsPage serves /corrections/: every correction note, newest
// first, rendered on the server from the editorial database into the
// theme's look (the search page's shell, with its own title). A Hugo list
// of every corrected story would have to be rebuilt on each correction and
// grow with the archive; this page costs one bounded, indexed query.
func CorrectionsPage(cfg CorrectionsConfig) http.Handler {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "strict-origin-when-cross-origin")
		dir := cfg.SiteDir()
		shell, err := os.ReadFile(filepath.Join(dir, "search", "index.html"))
		if dir == "" || err != nil || !bytes.Contains(shell, []byte(marker)) {
			http.Error(w, "页面暂时不可用。", http.StatusServiceUnavailable)
			return
		}
		list, err := cfg.List(r.Context())
		if err != nil {
			cfg.Log.Error("corrections page", "err", err)
			http.Error(w, "页面暂时不可用。", http.StatusInternalServerError)
			return
		}
		sort.SliceStable(list, func(i, j int) bool { return list[i].At.After(list[j].At) })
		var body bytes.Buffer
		if err := correctionsTmpl.Execute(&body, list); err != nil {
			cfg.Log.Error("render corrections", "err", err)
			http.Error(w, "页面渲染失败。", http.StatusInternalServerError)
			return
		}
		page := bytes.Replace(shell, []byte(marker), body.Bytes(), 1)
		page = listTitleRE.ReplaceAll(page, []byte("${1}更正与说明${2}"))
		page = titleRE.ReplaceAll(page, []byte("<title>更正与说明</title>"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=60")
		w.Write(page)
	})
}
