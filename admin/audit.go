package admin

import (
	"net/http"
	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"slices"
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
	f := news.AuditFilter{Action: q.Get("action")}
	var err error
	if f.User, err = httpx.Text(q, "user", 32); err != nil {
		return f, err
	}
	if f.Action != "" && !slices.Contains(auditActions, f.Action) {
		return f, &news.Error{Code: news.EINVALID, Message: "没有这个操作：" + f.Action + "。", Fields: map[string]string{"action": "未知的操作"}}
	}
	if f.Limit, err = httpx.Int(q, "limit", 200, 1, 1000); err != nil {
		return f, err
	}
	if s := q.Get("story"); s != "" {
		var ok bool
		if f.StoryID, ok = httpx.ID(s); !ok {
			return f, &news.Error{Code: news.EINVALID, Message: "story 应为稿件编号。", Fields: map[string]string{"story": "应为稿件编号"}}
		}
	}
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
