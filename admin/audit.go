package admin

import (
	"net/http"
	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"strconv"
	"strings"
	"time"
)

// auditData is the audit page: the filter and what it found.
type auditData struct {
	User, Action, From, To string
	Entries                []news.AuditEntry
	Actions                []string
}

// auditActions are the actions the audit page offers as a filter.
var auditActions = func() []string {
	out := make([]string, len(news.LoggedActions))
	for i, a := range news.LoggedActions {
		out[i] = string(a)
	}
	return out
}()

// auditFilter reads user, action, from and to (YYYY-MM-DD, Shanghai days,
// both included) and story.
func auditFilter(r *http.Request) (news.AuditFilter, error) {
	q := r.URL.Query()
	f := news.AuditFilter{User: strings.TrimSpace(q.Get("user")), Action: q.Get("action")}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	f.StoryID, _ = strconv.ParseInt(q.Get("story"), 10, 64)
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, v, news.Shanghai)
		if err != nil {
			return f, &news.Error{Code: news.EINVALID, Message: "日期格式应为 YYYY-MM-DD。", Fields: map[string]string{name: "日期格式应为 YYYY-MM-DD"}}
		}
		if name == "to" {
			t = t.AddDate(0, 0, 1)
		}
		*dst = t
	}
	return f, nil
}

func (a *Admin) auditPage(w http.ResponseWriter, r *http.Request) error {
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	entries, err := a.cfg.Desk.Audit(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	return a.render(w, r, "audit", "审计日志", &auditData{User: f.User, Action: f.Action, From: q.Get("from"), To: q.Get("to"),
		Entries: entries, Actions: auditActions})
}

func (a *Admin) apiAudit(w http.ResponseWriter, r *http.Request) error {
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	entries, err := a.cfg.Desk.Audit(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"entries": entries})
	return nil
}
