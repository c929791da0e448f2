package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"newsroom/search"
)

// queryError is a malformed search parameter (not the query text itself):
// the reader's to fix.
func queryError(msg string) error { return news.Errorf(news.EINVALID, "%s", msg) }

// Limits of the search parameters, in characters.
const (
	maxQuery   = 200
	maxSection = 40
	maxIssuer  = 100
)

// parseQuery reads q, kind, section, issuer, from, to, sort and page.
func parseQuery(r *http.Request) (search.Query, error) {
	v := r.URL.Query()
	q := search.Query{
		Q:       strings.TrimSpace(v.Get("q")),
		Kind:    v.Get("kind"),
		Section: strings.TrimSpace(v.Get("section")),
		Issuer:  strings.TrimSpace(v.Get("issuer")),
		Sort:    v.Get("sort"),
	}
	// The filters are compared with stored names, the query is cut into
	// terms: none of them needs more than these lengths.
	for _, f := range []struct {
		name string
		dst  *string
		max  int
	}{{"q", &q.Q, maxQuery}, {"section", &q.Section, maxSection}, {"issuer", &q.Issuer, maxIssuer}} {
		t, err := httpx.Text(v, f.name, f.max)
		if err != nil {
			return q, err
		}
		*f.dst = t
	}
	switch q.Kind {
	case "", "story", "photo", "notice":
	default:
		return q, queryError("kind 只能是 story、photo 或 notice")
	}
	switch q.Sort {
	case "", "relevance", "newest":
	default:
		return q, queryError("sort 只能是 relevance 或 newest")
	}
	for name, dst := range map[string]*time.Time{"from": &q.From, "to": &q.To} {
		if s := v.Get(name); s != "" {
			t, err := time.ParseInLocation(time.DateOnly, s, news.Shanghai)
			if err != nil {
				return q, queryError(name + " 日期格式应为 YYYY-MM-DD")
			}
			*dst = t
		}
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 1000 || strings.TrimLeft(p, "0123456789") != "" {
			return q, queryError("page 应为 1 到 1000 之间的整数")
		}
		q.Page = n
	}
	if q.Q == "" && q.Kind == "" && q.Section == "" && q.Issuer == "" {
		return q, queryError("请输入搜索词")
	}
	return q, nil
}
