package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

// The story form autosaves to the server every few seconds while someone
// types (story-form.js): one copy per person and story, overwritten, never
// a revision (desk.Autosave). Reopening the form offers it back; the offer
// and the restore are plain links and forms, so they work without
// JavaScript.

// autosaveID reads the {id} of the autosave routes: a story id, or "new"
// for a story not saved yet (0).
func autosaveID(r *http.Request) (int64, error) {
	if chi.URLParam(r, "id") == "new" {
		return 0, nil
	}
	return parseID(r)
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
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"story": id, "base": as.Base, "saved_at": as.SavedAt})
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
	http.Redirect(w, r, formPath(id)+"?msg="+urlQuery("已丢弃自动保存的内容。"), http.StatusSeeOther)
	return nil
}

// formPath is where the form of story id (0: a new story) opens.
func formPath(id int64) string {
	if id == 0 {
		return "/admin/stories/new"
	}
	return "/admin/stories/" + strconv.FormatInt(id, 10) + "/edit"
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
