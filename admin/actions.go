package admin

import (
	"net/http"
	"newsroom/internal/news"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// now is the desk's clock.
func (a *Admin) now() time.Time { return a.cfg.Desk.Now() }

// actionInput is what a state change may carry: a return comment or a
// withdrawal reason, and the time of a scheduled publish.
type actionInput struct {
	Comment string
	At      string // RFC 3339 (API) or datetime-local in Asia/Shanghai (form)
}

var actionMessages = map[string]string{
	"submit":     "已提交审核。",
	"approve":    "已签署本级审核意见。",
	"publish":    "已签发，读者现在可以看到并搜索到这篇稿件。",
	"schedule":   "已设定定时发布；到时自动发布，此前网站上不会出现。",
	"unschedule": "已取消定时发布。",
	"return":     "已退回给作者。",
	"withdraw":   "已撤稿。",
}

// parseAt reads a publish time: RFC 3339, or the form's datetime-local
// value, which is Asia/Shanghai time.
func parseAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, news.Shanghai); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &news.Error{Code: news.EINVALID, Message: "发布时间格式不对，应为 RFC 3339（如 2023-06-08T06:00:00+08:00）。",
		Fields: map[string]string{"at": "时间格式不对"}}
}

// storyAction runs submit, publish, return and withdraw from the story page.
func (a *Admin) storyAction(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	if chi.URLParam(r, "action") == "withdraw" && r.PostFormValue("confirm") != "1" {
		return a.confirmWithdraw(w, r)
	}
	s, err := a.act(r, id, chi.URLParam(r, "action"), actionInput{Comment: r.PostFormValue("comment"), At: r.PostFormValue("at")})
	msg := actionMessages[chi.URLParam(r, "action")]
	if err != nil {
		if s == nil {
			return err
		}
		msg = news.ErrorMessage(err)
	}
	http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(id, 10)+"?msg="+urlQuery(msg), http.StatusSeeOther)
	return nil
}

// act dispatches a state change by name; UI and API share it.
func (a *Admin) act(r *http.Request, id int64, action string, in actionInput) (*news.Story, error) {
	ctx, u := r.Context(), userOf(r)
	comment := strings.TrimSpace(in.Comment)
	switch action {
	case "submit":
		return a.cfg.Desk.Submit(ctx, u, id)
	case "approve":
		return a.cfg.Desk.Approve(ctx, u, id)
	case "publish":
		return a.cfg.Desk.Publish(ctx, u, id)
	case "schedule":
		at, err := parseAt(in.At)
		if err != nil {
			return nil, err
		}
		return a.cfg.Desk.Schedule(ctx, u, id, at)
	case "unschedule":
		return a.cfg.Desk.Unschedule(ctx, u, id)
	case "return":
		return a.cfg.Desk.Return(ctx, u, id, comment)
	case "withdraw":
		return a.cfg.Desk.Withdraw(ctx, u, id, comment)
	}
	return nil, news.Errorf(news.ENOTFOUND, "没有这个操作：%s", action)
}

// confirmWithdraw answers the story page's 撤稿 button with a page that
// asks again (what goes, the reason, 确认撤稿 or back): a withdrawal cannot
// be undone, and the page works without JavaScript. Who may not withdraw
// the story is refused here already.
func (a *Admin) confirmWithdraw(w http.ResponseWriter, r *http.Request) error {
	s, err := a.storyOf(r)
	if err != nil {
		return err
	}
	if err := news.Permit(userOf(r), news.ActWithdraw, s, s.Chain); err != nil {
		return err
	}
	return a.render(w, r, "withdraw", "确认撤稿", &struct {
		Story  *news.Story
		Reason string
	}{s, strings.TrimSpace(r.PostFormValue("comment"))})
}
