package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"newsroom/internal/notice"
)

// formData is the story form: the story as typed, field errors, and on a
// conflicting save the version someone else saved in between.
type formData struct {
	Story    *news.Story
	Base     int
	Errors   map[string]string
	Message  string
	Current  *news.Story // set when the save conflicted
	Sections []string
	Others   []string // who else has this story open (presence)
	Live     bool     // the story is published: saving needs a correction note
	Note     news.Correction
	// Refused is set when the form comes back from a save that was not
	// made: the page says the text below is not saved.
	Refused bool
	// Autosave is the user's autosaved copy, offered back (AutosaveStale:
	// the story was saved since it was typed); Restored says the form holds
	// it.
	Autosave      *news.Autosave
	AutosaveStale bool
	Restored      bool
}

func (a *Admin) newStory(w http.ResponseWriter, r *http.Request) error {
	s := &news.Story{Kind: news.KindStory, Source: "本报讯"}
	d := &formData{Story: s, Sections: a.cfg.Sections}
	a.offerAutosave(r, d, 0, 0)
	return a.render(w, r, "edit", "写稿", d)
}

// storyFromForm reads the story form. Lists are one entry per line (or
// separated by commas for tags). The error is a field the form could not
// have sent (a photo row naming no library photo); the story holds what
// was typed all the same, so the form can come back with it.
func storyFromForm(r *http.Request) (*news.Story, error) {
	r.ParseForm()
	return storyFromValues(r.PostForm), checkPhotoMedia(r.PostForm)
}

// checkPhotoMedia refuses photo rows whose library id (photo_media) is not
// an id: empty is a photo given by address only, "1abc" or "-1" is not
// taken as 1 or as none.
func checkPhotoMedia(f url.Values) error {
	for _, v := range f["photo_media"] {
		if v = strings.TrimSpace(v); v != "" {
			if _, ok := httpx.ID(v); !ok {
				return &news.Error{Code: news.EINVALID, Message: "图片的图库编号有误，请移除这张图片后从图片库重新选择。",
					Fields: map[string]string{"photos": "图库编号应为正整数"}}
			}
		}
	}
	return nil
}

// storyFromValues reads the story form's fields (a form post, or the
// fields an autosave kept).
func storyFromValues(f url.Values) *news.Story {
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
		Editor:   f.Get("editor"),
	}
	s.Page, _ = strconv.Atoi(f.Get("page"))
	if src := strings.TrimSpace(f.Get("repost_source")); src != "" || f.Get("repost_title") != "" {
		s.Repost = &news.Repost{Source: src, Title: strings.TrimSpace(f.Get("repost_title")), Author: strings.TrimSpace(f.Get("repost_author"))}
	}
	s.Photos = photosFromForm(f)
	if iss := splitLines(f.Get("notice_issuers")); len(iss) > 0 || s.Kind == news.KindNotice {
		s.Notice = &news.NoticeInfo{Issuers: iss, DocNumber: strings.TrimSpace(f.Get("notice_doc_number")),
			IssuedOn: strings.TrimSpace(f.Get("notice_issued_on")), Phones: splitLines(f.Get("notice_phones")),
			Email: strings.TrimSpace(f.Get("notice_email"))}
	}
	return s
}

// photosFromForm reads the photo rows of the form: photo_media, photo_src,
// photo_caption, photo_credit and photo_alt, repeated, one of each per row;
// rows naming no photo are left out.
func photosFromForm(f url.Values) []news.Photo {
	at := func(k string, i int) string {
		if v := f[k]; i < len(v) {
			return strings.TrimSpace(v[i])
		}
		return ""
	}
	var out []news.Photo
	for i := range max(len(f["photo_src"]), len(f["photo_media"])) {
		p := news.Photo{Src: at("photo_src", i), Caption: at("photo_caption", i), Credit: at("photo_credit", i), Alt: at("photo_alt", i)}
		p.Media, _ = strconv.ParseInt(at("photo_media", i), 10, 64)
		if p.Src != "" || p.Media != 0 {
			out = append(out, p)
		}
	}
	return out
}

func splitLines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ';' || r == '；' })
}

func (a *Admin) createStory(w http.ResponseWriter, r *http.Request) error {
	s, err := storyFromForm(r)
	if err == nil {
		err = a.resolvePhotos(r.Context(), s)
	}
	if err == nil {
		err = a.cfg.Desk.Create(r.Context(), userOf(r), s)
	}
	if err != nil {
		// Refused or failed: the form comes back with what was typed.
		return a.renderStatus(w, r, httpx.Status(err), "edit", &page{Title: "写稿",
			Data: &formData{Story: s, Errors: news.ErrorFields(err), Message: news.ErrorMessage(err), Sections: a.cfg.Sections}})
	}
	a.dropAutosave(r, 0)
	http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(s.ID, 10)+"?saved=new&msg="+urlQuery("稿件已保存为草稿。"), http.StatusSeeOther)
	return nil
}

type showData struct {
	Story  *news.Story
	Events []news.Event
	Can    map[string]bool
	Others []string // who has the story open in the edit form
	Now    string   // for the schedule field: now, Shanghai, datetime-local
	// For notices: the kind's Chinese name, and whether the notice is
	// sealed (numbered at publication, so immutable).
	NoticeKind string
	Sealed     bool
	// NoticeFields are the notice's structured fields, shown beside its
	// text for review; NoticeErrors what its rules find wrong now (by
	// field), NoticeProblem their summary.
	NoticeFields  []notice.Field
	NoticeErrors  map[string]string
	NoticeProblem string
}

func (a *Admin) showStory(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	s, err := a.storyOf(r)
	if err != nil {
		return err
	}
	id := s.ID
	events, err := a.cfg.Desk.Events(r.Context(), u, id)
	if err != nil {
		return err
	}
	can := map[string]bool{}
	for _, act := range news.Actions {
		can[string(act)] = news.Permit(u, act, s, s.Chain) == nil
	}
	d := &showData{Story: s, Events: events, Can: can,
		Others: a.presence.others(id, u.Name), Now: a.now().In(news.Shanghai).Add(time.Hour).Format("2006-01-02T15:04")}
	if s.Kind == news.KindNotice && s.Notice != nil {
		d.NoticeKind = notice.Kind(s.Notice.Kind).Label()
		d.Sealed = s.Notice.Number != ""
		d.NoticeFields = notice.Fields(s)
		if !d.Sealed && s.State != news.StateWithdrawn {
			// The rules as they stand now, as the next sign-off will
			// check them (a copy: Prepare normalizes).
			c := *s
			n := *s.Notice
			c.Notice = &n
			notice.Prepare(&c)
			if err := notice.Check(&c, a.now()); err != nil {
				d.NoticeErrors, d.NoticeProblem = news.ErrorFields(err), news.ErrorMessage(err)
			}
		}
	}
	return a.render(w, r, "story", s.Title, d)
}

func (a *Admin) editStory(w http.ResponseWriter, r *http.Request) error {
	u := userOf(r)
	s, err := a.storyOf(r)
	if err != nil {
		return err
	}
	// Whoever may not edit the story as it is now (a live story outside
	// the signers, a story in review for its reporter) is not shown a
	// form whose every save would be refused.
	if err := news.Permit(u, news.ActEdit, s, s.Chain); err != nil {
		return err
	}
	id := s.ID
	a.presence.see(id, u.Name)
	d := &formData{Story: s, Base: s.Version, Sections: a.cfg.Sections, Others: a.presence.others(id, u.Name), Live: s.State.Live()}
	a.offerAutosave(r, d, id, s.Version)
	return a.render(w, r, "edit", "修改稿件", d)
}

func (a *Admin) saveStory(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	s, err := storyFromForm(r)
	s.ID = id
	base, _ := strconv.Atoi(r.PostForm.Get("version"))
	note := &news.Correction{Kind: r.PostForm.Get("correction_kind"), Note: r.PostForm.Get("correction")}
	var updated *news.Story
	if err == nil {
		err = a.resolvePhotos(r.Context(), s)
	}
	if err == nil {
		updated, err = a.cfg.Desk.UpdateNoted(r.Context(), userOf(r), s, base, note)
	}
	switch news.ErrorCode(err) {
	case "":
		a.dropAutosave(r, id)
		http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(id, 10)+"?saved="+strconv.FormatInt(id, 10)+"&msg="+urlQuery("已保存。"), http.StatusSeeOther)
		return nil
	case news.EINVALID:
		return a.renderStatus(w, r, http.StatusBadRequest, "edit", &page{Title: "修改稿件",
			Data: &formData{Story: s, Base: base, Errors: news.ErrorFields(err), Message: news.ErrorMessage(err), Sections: a.cfg.Sections,
				Live: r.PostForm.Get("live") == "1", Note: *note}})
	case news.ECONFLICT:
		// Someone saved in between. Show both versions; the form keeps
		// what this user typed and now carries the current version, so
		// saving again (after merging) is a deliberate choice.
		cur, gerr := a.cfg.Desk.Get(r.Context(), userOf(r), id)
		if gerr != nil {
			return gerr
		}
		if cur.Version == base {
			// Not a version clash but a state one (submitted or withdrawn
			// meanwhile): the form comes back with the typed text and the
			// message, so nothing is lost.
			return a.refusedSave(w, r, s, base, note, err)
		}
		return a.renderStatus(w, r, http.StatusConflict, "edit", &page{Title: "修改稿件",
			Data: &formData{Story: s, Base: cur.Version, Current: cur, Message: news.ErrorMessage(err), Sections: a.cfg.Sections,
				Others: a.presence.others(id, userOf(r).Name), Live: cur.State.Live(), Note: *note}})
	case news.ENOTFOUND, news.EUNAUTHORIZED:
		return err
	default:
		if updated != nil {
			// Saved, but the site update failed: say so on the story page.
			http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(id, 10)+"?msg="+urlQuery(news.ErrorMessage(err)), http.StatusSeeOther)
			return nil
		}
		return a.refusedSave(w, r, s, base, note, err)
	}
}

// refusedSave answers a save the desk refused (not allowed, the story's
// state changed, a failing disk) with the form as the user sent it and the
// reason, under the error's status: a refusal never throws typed text away.
func (a *Admin) refusedSave(w http.ResponseWriter, r *http.Request, s *news.Story, base int, note *news.Correction, err error) error {
	return a.renderStatus(w, r, httpx.Status(err), "edit", &page{Title: "修改稿件",
		Data: &formData{Story: s, Base: base, Errors: news.ErrorFields(err), Message: news.ErrorMessage(err), Sections: a.cfg.Sections,
			Live: r.PostForm.Get("live") == "1", Note: *note, Refused: true}})
}

// dropAutosave discards the user's autosaved copy of story id once the
// form is saved; a failure only leaves an offer that is no longer needed.
func (a *Admin) dropAutosave(r *http.Request, id int64) {
	if err := a.cfg.Desk.DropAutosave(r.Context(), userOf(r), id); err != nil {
		a.cfg.Log.Warn("drop autosave", "story", id, "err", err)
	}
}
