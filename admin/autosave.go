package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"newsroom/internal/notice"
)

// The story form and the notice form autosave to the server every few
// seconds while someone types (story-form.js, notice-form.js): one copy per
// person and story, overwritten, never a revision (desk.Autosave).
// Reopening the form offers it back; the offer and the restore are plain
// links and forms, so they work without JavaScript.

// autosaveID reads the {id} of the autosave routes: a story id, or "new"
// for a story not saved yet (0) or, on the notices' routes, a notice not
// saved yet (news.NewNotice).
func autosaveID(r *http.Request) (int64, error) {
	if chi.URLParam(r, "id") == "new" {
		if noticeRoute(r) {
			return news.NewNotice, nil
		}
		return 0, nil
	}
	return parseID(r)
}

// noticeRoute reports whether r is one of the notice form's routes
// (/admin/notices/…, /api/admin/notices/…).
func noticeRoute(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/admin/notices/") || strings.HasPrefix(r.URL.Path, "/api/admin/notices/")
}

// apiGetAutosave is GET /api/admin/stories/{id|new}/autosave: the caller's
// autosaved form, 404 when there is none.
func (a *Admin) apiGetAutosave(w http.ResponseWriter, r *http.Request) error {
	id, err := autosaveID(r)
	if err != nil {
		return err
	}
	as, err := a.cfg.Desk.Autosaved(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	as.StoryID = max(as.StoryID, 0)
	httpx.WriteJSON(w, http.StatusOK, as)
	return nil
}

// apiPutAutosave is PUT /api/admin/stories/{id|new}/autosave with
// {"base": version, "fields": {name: value or [values]}}: it replaces the
// caller's copy and answers {"story","base","saved_at"}.
func (a *Admin) apiPutAutosave(w http.ResponseWriter, r *http.Request) error {
	id, err := autosaveID(r)
	if err != nil {
		return err
	}
	var in struct {
		Base   int             `json:"base"`
		Fields news.FormFields `json:"fields"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	as := &news.Autosave{StoryID: id, Base: in.Base, Fields: in.Fields}
	if err := a.cfg.Desk.Autosave(r.Context(), userOf(r), as); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"story": max(id, 0), "base": as.Base, "saved_at": as.SavedAt})
	return nil
}

// apiDeleteAutosave is DELETE /api/admin/stories/{id|new}/autosave.
func (a *Admin) apiDeleteAutosave(w http.ResponseWriter, r *http.Request) error {
	id, err := autosaveID(r)
	if err != nil {
		return err
	}
	if err := a.cfg.Desk.DropAutosave(r.Context(), userOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// discardAutosave is the offer's 丢弃 button: the copy goes, the form
// opens as saved.
func (a *Admin) discardAutosave(w http.ResponseWriter, r *http.Request) error {
	id, err := autosaveID(r)
	if err != nil {
		return err
	}
	if err := a.cfg.Desk.DropAutosave(r.Context(), userOf(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, formPath(noticeRoute(r), id)+"?msg="+urlQuery("已丢弃自动保存的内容。"), http.StatusSeeOther)
	return nil
}

// formPath is where the form of story id (0 or news.NewNotice: a new one)
// opens: the notice form for a notice.
func formPath(notice bool, id int64) string {
	top := "/admin/stories/"
	if notice {
		top = "/admin/notices/"
	}
	if id <= 0 {
		return top + "new"
	}
	return top + strconv.FormatInt(id, 10) + "/edit"
}

// offerAutosave adds the caller's autosaved copy of story id (0: new) to
// the form d, whose story is at version current: restored into the form
// when the page was asked for it (?restore=autosave), else offered.
func (a *Admin) offerAutosave(r *http.Request, d *formData, id int64, current int) {
	as, err := a.cfg.Desk.Autosaved(r.Context(), userOf(r), id)
	if err != nil {
		return
	}
	f := url.Values(as.Fields)
	s := storyFromValues(f)
	if cur := d.Story; id != 0 && s.Kicker == cur.Kicker && s.Title == cur.Title && s.Subtitle == cur.Subtitle &&
		normalBody(s.Body) == normalBody(cur.Body) {
		// Nothing to give back: the copy says what the story says (an
		// autosave that arrived just after the form was saved).
		return
	}
	if r.URL.Query().Get("restore") != "autosave" {
		d.Autosave, d.AutosaveStale = as, id != 0 && as.Base != current
		return
	}
	s.ID = id
	d.Story, d.Base, d.Restored = s, as.Base, true
	d.Note = news.Correction{Kind: f.Get("correction_kind"), Note: f.Get("correction")}
}

// normalBody is a body as the story keeps it (trimmed, LF line ends), to
// compare a form's with a story's.
func normalBody(b string) string {
	return strings.TrimSpace(strings.ReplaceAll(b, "\r\n", "\n"))
}

// offerNoticeAutosave is offerAutosave for the notice form d of notice id
// (news.NewNotice: a new one), whose notice is at version current.
func (a *Admin) offerNoticeAutosave(r *http.Request, d *noticeFormData, id int64, current int) {
	as, err := a.cfg.Desk.Autosaved(r.Context(), userOf(r), id)
	if err != nil {
		return
	}
	in := noticeFromValues(url.Values(as.Fields))
	s := cloneNotice(d.Story)
	in.apply(s)
	if s.Section == "" {
		s.Section = d.Story.Section
	}
	// Compared as the desk would store it (notice.Prepare fills defaults
	// such as the issuer).
	p := cloneNotice(s)
	notice.Prepare(p)
	if cur := d.Story; id > 0 && p.Title == cur.Title && p.Subtitle == cur.Subtitle && normalBody(p.Body) == normalBody(cur.Body) &&
		p.Edition == cur.Edition && p.Page == cur.Page && p.PageName == cur.PageName && sameJSON(p.Notice, cur.Notice) {
		return // the copy says what the notice says
	}
	if r.URL.Query().Get("restore") != "autosave" {
		d.Autosave, d.AutosaveStale = as, id > 0 && as.Base != current
		return
	}
	d.Story, d.Notice, d.Base, d.Restored = s, s.Notice, as.Base, true
}

// sameJSON reports whether a and b say the same in JSON (an empty list
// and none are the same there).
func sameJSON(a, b any) bool {
	x, errx := json.Marshal(a)
	y, erry := json.Marshal(b)
	return errx == nil && erry == nil && bytes.Equal(x, y)
}

// cloneNotice copies s deep enough for apply to change the copy only.
func cloneNotice(s *news.Story) *news.Story {
	c := *s
	if s.Notice != nil {
		n := *s.Notice
		c.Notice = &n
	} else {
		c.Notice = &news.NoticeInfo{}
	}
	return &c
}
