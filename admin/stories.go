package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"newsroom/internal/news"
	"newsroom/internal/sqlite"
)

func urlQuery(s string) string { return url.QueryEscape(s) }

type dashboardData struct {
	Mine      []news.Story
	Queue     []news.Story
	Published []news.Story
}

func (a *Admin) dashboard(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	ctx := r.Context()
	var d dashboardData
	var err error
	if d.Mine, err = a.cfg.DB.Stories(ctx, sqlite.StoryFilter{OwnerID: u.ID, Limit: 50}); err != nil {
		return err
	}
	if u.Role.CanPublish() {
		if d.Queue, err = a.cfg.DB.Stories(ctx, sqlite.StoryFilter{States: []news.State{news.StateSubmitted}, Limit: 100}); err != nil {
			return err
		}
		if d.Published, err = a.cfg.DB.Stories(ctx, sqlite.StoryFilter{States: []news.State{news.StatePublished}, Limit: 30}); err != nil {
			return err
		}
	}
	return a.render(w, r, "dashboard", "工作台", &d)
}

// formData is the story form: the story as typed, field errors, and on a
// conflicting save the version someone else saved in between.
type formData struct {
	Story    *news.Story
	Base     int
	Errors   map[string]string
	Message  string
	Current  *news.Story // set when the save conflicted
	Sections []string
}

func (a *Admin) newStory(w http.ResponseWriter, r *http.Request) error {
	s := &news.Story{Kind: news.KindStory, Source: "本报讯"}
	return a.render(w, r, "edit", "写稿", &formData{Story: s, Sections: a.cfg.Sections})
}

// storyFromForm reads the story form. Lists are one entry per line (or
// separated by commas for tags).
func storyFromForm(r *http.Request) *news.Story {
	r.ParseForm()
	f := r.PostForm
	s := &news.Story{
		Kind:     news.Kind(f.Get("kind")),
		Kicker:   f.Get("kicker"),
		Title:    f.Get("title"),
		Subtitle: f.Get("subtitle"),
		Vertical: f.Get("vertical") == "on",
		Authors:  splitLines(f.Get("authors")),
		Source:   f.Get("source"),
		Section:  f.Get("section"),
		Tags:     strings.FieldsFunc(f.Get("tags"), func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == '\n' }),
		Body:     f.Get("body"),
		Edition:  f.Get("edition"),
		PageName: f.Get("page_name"),
	}
	s.Page, _ = strconv.Atoi(f.Get("page"))
	if src := strings.TrimSpace(f.Get("repost_source")); src != "" || f.Get("repost_title") != "" {
		s.Repost = &news.Repost{Source: src, Title: strings.TrimSpace(f.Get("repost_title")), Author: strings.TrimSpace(f.Get("repost_author"))}
	}
	if p := strings.TrimSpace(f.Get("photo_src")); p != "" {
		s.Photos = []news.Photo{{Src: p, Caption: strings.TrimSpace(f.Get("photo_caption")), Credit: strings.TrimSpace(f.Get("photo_credit"))}}
	}
	if iss := splitLines(f.Get("notice_issuers")); len(iss) > 0 || s.Kind == news.KindNotice {
		s.Notice = &news.NoticeInfo{Issuers: iss, DocNumber: strings.TrimSpace(f.Get("notice_doc_number")),
			IssuedOn: strings.TrimSpace(f.Get("notice_issued_on")), Phones: splitLines(f.Get("notice_phones")),
			Email: strings.TrimSpace(f.Get("notice_email"))}
	}
	return s
}

func splitLines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' || r == '；' })
}

func (a *Admin) createStory(w http.ResponseWriter, r *http.Request) error {
	s := storyFromForm(r)
	if err := a.cfg.Desk.Create(r.Context(), userOf(r), s); err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return a.renderStatus(w, r, http.StatusBadRequest, "edit", &page{Title: "写稿",
				Data: &formData{Story: s, Errors: news.ErrorFields(err), Message: news.ErrorMessage(err), Sections: a.cfg.Sections}})
		}
		return err
	}
	http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(s.ID, 10)+"?msg="+urlQuery("稿件已保存为草稿。"), http.StatusSeeOther)
	return nil
}

type showData struct {
	Story  *news.Story
	Events []sqlite.Event
	Can    map[string]bool
}

func (a *Admin) showStory(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	s, err := a.cfg.Desk.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	events, err := a.cfg.DB.Events(r.Context(), id)
	if err != nil {
		return err
	}
	editor := u.Role.CanPublish()
	can := map[string]bool{
		"edit":     (editor && s.State != news.StateWithdrawn) || s.State == news.StateDraft,
		"submit":   s.State == news.StateDraft,
		"publish":  editor && (s.State == news.StateDraft || s.State == news.StateSubmitted),
		"return":   editor && s.State == news.StateSubmitted,
		"withdraw": editor && s.State == news.StatePublished,
	}
	return a.render(w, r, "story", s.Title, &showData{Story: s, Events: events, Can: can})
}

func (a *Admin) editStory(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	s, err := a.cfg.Desk.Get(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	return a.render(w, r, "edit", "修改稿件", &formData{Story: s, Base: s.Version, Sections: a.cfg.Sections})
}

func (a *Admin) saveStory(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	s := storyFromForm(r)
	s.ID = id
	base, _ := strconv.Atoi(r.PostForm.Get("version"))
	updated, err := a.cfg.Desk.Update(r.Context(), userOf(r), s, base)
	switch news.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(id, 10)+"?msg="+urlQuery("已保存。"), http.StatusSeeOther)
		return nil
	case news.EINVALID:
		return a.renderStatus(w, r, http.StatusBadRequest, "edit", &page{Title: "修改稿件",
			Data: &formData{Story: s, Base: base, Errors: news.ErrorFields(err), Message: news.ErrorMessage(err), Sections: a.cfg.Sections}})
	case news.ECONFLICT:
		// Someone saved in between. Show both versions; the form keeps
		// what this user typed and now carries the current version, so
		// saving again (after merging) is a deliberate choice.
		cur, gerr := a.cfg.Desk.Get(r.Context(), userOf(r), id)
		if gerr != nil {
			return gerr
		}
		return a.renderStatus(w, r, http.StatusConflict, "edit", &page{Title: "修改稿件",
			Data: &formData{Story: s, Base: cur.Version, Current: cur, Message: news.ErrorMessage(err), Sections: a.cfg.Sections}})
	default:
		if updated != nil {
			// Saved, but the site update failed: say so on the story page.
			http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(id, 10)+"?msg="+urlQuery(news.ErrorMessage(err)), http.StatusSeeOther)
			return nil
		}
		return err
	}
}

// storyAction runs submit, publish, return and withdraw from the story page.
func (a *Admin) storyAction(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	s, err := a.act(r, id, chi.URLParam(r, "action"), r.PostFormValue("comment"))
	msg := map[string]string{"submit": "已提交审核。", "publish": "已发布，读者现在可以看到并搜索到这篇稿件。", "return": "已退回给作者。", "withdraw": "已撤稿。"}[chi.URLParam(r, "action")]
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
func (a *Admin) act(r *http.Request, id int64, action, comment string) (*news.Story, error) {
	ctx, u := r.Context(), userOf(r)
	switch action {
	case "submit":
		return a.cfg.Desk.Submit(ctx, u, id)
	case "publish":
		return a.cfg.Desk.Publish(ctx, u, id)
	case "return":
		return a.cfg.Desk.Return(ctx, u, id, strings.TrimSpace(comment))
	case "withdraw":
		return a.cfg.Desk.Withdraw(ctx, u, id, strings.TrimSpace(comment))
	}
	return nil, news.Errorf(news.ENOTFOUND, "没有这个操作：%s", action)
}
