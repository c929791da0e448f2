package web

import (
	"bytes"
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"newsroom/internal/news"
	"newsroom/search"
)

// marker is where the theme's search page wants the results.
const marker = "<!--newsroom:search-->"

// searchView is what the results template receives.
type searchView struct {
	Q, Kind, Section, From, To, Sort string
	Asked                            bool
	Error                            string
	Results                          *search.Results
	Prev, Next                       string
	Pages                            int
	Facets                           []facetView
}

// facetView is one facet beside the results: its values with their counts
// and the link that narrows the search to each.
type facetView struct {
	Label  string
	Values []facetValue
}

type facetValue struct {
	Label, Link string
	Count       int
	Active      bool
}

// facetLinks turns the results' facets into links that narrow the search:
// a year sets from/to to that year, a section or kind its filter. The
// values are in order of count, then label.
func facetLinks(v url.Values, res *search.Results) []facetView {
	link := func(set map[string]string) string {
		w := url.Values{}
		for k, vals := range v {
			w[k] = vals
		}
		w.Del("page")
		for k, x := range set {
			w.Set(k, x)
		}
		return "/search/?" + w.Encode()
	}
	var out []facetView
	for _, f := range []struct{ name, label string }{{"year", "年份"}, {"section", "栏目"}, {"kind", "类型"}} {
		counts := res.Facets[f.name]
		if len(counts) == 0 {
			continue
		}
		fv := facetView{Label: f.label}
		for val, n := range counts {
			x := facetValue{Label: val, Count: n}
			switch f.name {
			case "year":
				from, to := val+"-01-01", val+"-12-31"
				x.Link, x.Active = link(map[string]string{"from": from, "to": to}), v.Get("from") == from && v.Get("to") == to
				x.Label = val + "年"
			case "kind":
				x.Link, x.Active = link(map[string]string{"kind": val}), v.Get("kind") == val
				x.Label = cmp.Or(kindLabels[val], val)
			default:
				x.Link, x.Active = link(map[string]string{"section": val}), v.Get("section") == val
			}
			fv.Values = append(fv.Values, x)
		}
		slices.SortFunc(fv.Values, func(a, b facetValue) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Label, b.Label))
		})
		out = append(out, fv)
	}
	return out
}

var kindLabels = map[string]string{"story": "新闻", "photo": "图片", "notice": "公告"}

var resultsTmpl = template.Must(template.New("results").Funcs(template.FuncMap{
	"date":  func(t time.Time) string { return t.In(news.Shanghai).Format("2006-01-02") },
	"kind":  func(k string) string { return kindLabels[k] },
	"trust": func(s string) template.HTML { return template.HTML(s) }, // snippets are escaped by the search package
}).Parse(`
<form class="search-form search-form-big" role="search" action="/search/" method="get">
  <label for="search-q" class="search-label">搜索本报新闻与公告</label>
  <span class="search-row">
    <input id="search-q" name="q" type="search" value="{{ .Q }}" placeholder="输入关键词，如：高考、营商环境、文号">
    <button type="submit">搜索</button>
  </span>
  <details class="search-filters"{{ if or .Kind .Section .From .To .Sort }} open{{ end }}>
    <summary>筛选</summary>
    <label for="search-kind">类型</label>
    <select id="search-kind" name="kind">
      <option value="">全部</option>
      <option value="story"{{ if eq .Kind "story" }} selected{{ end }}>新闻</option>
      <option value="photo"{{ if eq .Kind "photo" }} selected{{ end }}>图片</option>
      <option value="notice"{{ if eq .Kind "notice" }} selected{{ end }}>公告</option>
    </select>
    <label for="search-section">栏目</label>
    <input id="search-section" name="section" value="{{ .Section }}">
    <label for="search-from">起始日期</label>
    <input id="search-from" name="from" type="date" value="{{ .From }}">
    <label for="search-to">截止日期</label>
    <input id="search-to" name="to" type="date" value="{{ .To }}">
    <label for="search-sort">排序</label>
    <select id="search-sort" name="sort">
      <option value="">按相关度</option>
      <option value="newest"{{ if eq .Sort "newest" }} selected{{ end }}>按时间（最新在前）</option>
    </select>
  </details>
</form>
{{ with .Error }}<p class="search-error" role="alert">{{ . }}</p>{{ end }}
{{ with .Results }}
<p class="search-count" role="status">找到 {{ .Total }} 条结果{{ if gt .Total 0 }}，第 {{ .Page }} 页{{ end }}</p>
{{ with .Note }}<p class="search-note">{{ . }}</p>{{ end }}
{{ end }}
{{ with .Facets }}
<aside class="search-facets" aria-label="按年份、栏目、类型缩小范围">
{{ range . }}
  <section class="search-facet">
    <h2>{{ .Label }}</h2>
    <ul>
    {{ range .Values }}<li>{{ if .Active }}<strong aria-current="true">{{ .Label }} <span class="facet-count">{{ .Count }}</span></strong>{{ else }}<a href="{{ .Link }}" rel="nofollow">{{ .Label }} <span class="facet-count">{{ .Count }}</span></a>{{ end }}</li>
    {{ end }}
    </ul>
  </section>
{{ end }}
</aside>
{{ end }}
{{ with .Results }}
{{ if .Hits }}
<ol class="search-hits">
{{ range .Hits }}
  <li class="search-hit">
    <h2 class="hit-title"><a href="{{ .URL }}">{{ if .TitleHTML }}{{ trust .TitleHTML }}{{ else }}{{ .Title }}{{ end }}</a></h2>
    <p class="hit-meta">{{ with kind .Kind }}<span class="hit-kind">{{ . }}</span>{{ end }} {{ .Section }} <time>{{ date .Date }}</time></p>
    <p class="hit-snippet">{{ trust .Snippet }}</p>
  </li>
{{ end }}
</ol>
{{ else }}
<div class="search-empty">
  <p>没有找到与“{{ $.Q }}”相符的内容。</p>
  <ul>
    <li>检查是否有错别字，或换一个说法；</li>
    <li>减少关键词，多个词之间用空格隔开时须全部出现；</li>
    <li>去掉类型、栏目或日期筛选；</li>
    <li>查找公告可直接输入文号或统一社会信用代码。</li>
  </ul>
</div>
{{ end }}
{{ end }}
{{ if or .Prev .Next }}
<nav class="pager" aria-label="搜索结果翻页">
  {{ with .Prev }}<a rel="prev" href="{{ . }}">上一页</a>{{ end }}
  {{ with .Next }}<a rel="next" href="{{ . }}">下一页</a>{{ end }}
</nav>
{{ end }}
`))

// searchPage renders results server side into the theme's search page, so
// it looks like the rest of the site and works without JavaScript.
func (s *server) searchPage(w http.ResponseWriter, r *http.Request) {
	dir := s.cfg.SiteDir()
	shell, err := os.ReadFile(filepath.Join(dir, "search", "index.html"))
	if dir == "" || err != nil || !bytes.Contains(shell, []byte(marker)) {
		s.cfg.Log.Error("search page shell missing", "dir", dir, "err", err)
		http.Error(w, "搜索页暂时不可用。", http.StatusServiceUnavailable)
		return
	}
	v := r.URL.Query()
	view := searchView{Q: v.Get("q"), Kind: v.Get("kind"), Section: v.Get("section"), From: v.Get("from"), To: v.Get("to"), Sort: v.Get("sort")}
	status := http.StatusOK
	if len(v) > 0 {
		view.Asked = true
		q, err := parseQuery(r)
		if err == nil {
			view.Results, err = s.cfg.Search.Search(r.Context(), q)
		}
		if err != nil {
			status, view.Error = s.searchError(r, err)
			if status == http.StatusBadRequest && view.Q == "" {
				status = http.StatusOK // an empty box is not an error
			}
		} else {
			view.Prev, view.Next, view.Pages = pagerLinks(v, view.Results)
			view.Facets = facetLinks(v, view.Results)
		}
	}
	var body bytes.Buffer
	if err := resultsTmpl.Execute(&body, &view); err != nil {
		s.cfg.Log.Error("render search results", "err", err)
		http.Error(w, "搜索页渲染失败。", http.StatusInternalServerError)
		return
	}
	page := bytes.Replace(shell, []byte(marker), body.Bytes(), 1)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	// Result pages are not for search engines' indexes.
	w.Header().Set("X-Robots-Tag", "noindex")
	w.WriteHeader(status)
	w.Write(page)
}

func pagerLinks(v url.Values, res *search.Results) (prev, next string, pages int) {
	if res.PageSize == 0 {
		return "", "", 0
	}
	pages = int((res.Total + uint64(res.PageSize) - 1) / uint64(res.PageSize))
	link := func(p int) string {
		w := url.Values{}
		for k, vals := range v {
			w[k] = vals
		}
		w.Set("page", strconv.Itoa(p))
		return "/search/?" + w.Encode()
	}
	if res.Page > 1 {
		prev = link(res.Page - 1)
	}
	if res.Page < pages && res.Page < 1000 {
		next = link(res.Page + 1)
	}
	return prev, next, pages
}
