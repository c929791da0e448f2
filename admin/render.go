package admin

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"newsroom/internal/news"
)

// page is what every admin page template receives.
type page struct {
	Title     string
	User      *news.User
	PaperName string
	Flash     string
	Data      any
}

type errorPage struct {
	Status  int
	Message string
}

var funcs = template.FuncMap{
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(news.Shanghai).Format("2006-01-02 15:04")
	},
	"datetimep": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(news.Shanghai).Format("2006-01-02 15:04")
	},
	"join": strings.Join,
	// mediaURL: where the admin shows a photo of the library (the reader
	// site has it only once a story with it is published).
	"mediaURL": func(src string) string {
		if strings.HasPrefix(src, "/media/") {
			return "/admin" + src
		}
		return src
	},
	"lines":       func(list []string) string { return strings.Join(list, "\n") },
	"actionLabel": func(a string) string { return news.Action(a).Label() },
	"levelLabel":  news.LevelLabel,
	"prev":        func(v int) int { return v - 1 },
	"inc":         func(v int) int { return v + 1 },
	"signoff": func(s *news.Story, level int) *news.Signoff {
		for i := range s.Signoffs {
			if s.Signoffs[i].Level == level {
				return &s.Signoffs[i]
			}
		}
		return nil
	},
}

// parseTemplates parses each page together with the layout, once, at start.
func (a *Admin) parseTemplates() error {
	names, err := templateFS.ReadDir("templates")
	if err != nil {
		return err
	}
	for _, e := range names {
		name := strings.TrimSuffix(e.Name(), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+e.Name())
		if err != nil {
			return fmt.Errorf("admin template %s: %w", e.Name(), err)
		}
		a.pages[name] = t
	}
	return nil
}

// render writes a page with status 200.
func (a *Admin) render(w http.ResponseWriter, r *http.Request, name string, title string, data any) error {
	return a.renderStatus(w, r, http.StatusOK, name, &page{Title: title, Data: data})
}

// renderStatus renders into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (a *Admin) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	p, ok := data.(*page)
	if !ok {
		p = &page{Data: data}
		if ep, isErr := data.(*errorPage); isErr {
			p.Title = "出错了"
			_ = ep
		}
	}
	p.User = userOf(r)
	p.PaperName = a.cfg.PaperName
	if p.Flash == "" {
		p.Flash = r.URL.Query().Get("msg")
	}
	t, ok := a.pages[name]
	if !ok {
		return fmt.Errorf("no admin template %q", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		a.cfg.Log.Error("render admin page", "page", name, "err", err)
		http.Error(w, "页面渲染失败", http.StatusInternalServerError)
		return nil
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// urlQuery escapes a flash message for a redirect's ?msg=.
func urlQuery(s string) string { return url.QueryEscape(s) }
