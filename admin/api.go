package admin

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

// Request bodies are bounded on every route: a story is at most 100,000
// characters (300 KB of UTF-8; a form encodes each as 9 bytes), a login
// is a name and a password.
const (
	maxBody      = 2 << 20
	maxLoginBody = 16 << 10
)

// storyInput is the writable part of a story in the API.
type storyInput struct {
	Kind     *news.Kind       `json:"kind"`
	Kicker   *string          `json:"kicker"`
	Title    *string          `json:"title"`
	Subtitle *string          `json:"subtitle"`
	Vertical *bool            `json:"vertical"`
	Authors  *[]string        `json:"authors"`
	Source   *string          `json:"source"`
	Repost   *news.Repost     `json:"repost"`
	Section  *string          `json:"section"`
	Tags     *[]string        `json:"tags"`
	Body     *string          `json:"body"`
	Photos   *[]news.Photo    `json:"photos"`
	Notice   *news.NoticeInfo `json:"notice"`
	Edition  *string          `json:"edition"`
	Page     *int             `json:"page"`
	PageName *string          `json:"page_name"`
	Editor   *string          `json:"editor"`
	Version  *int             `json:"version"`
	// Correction is required when the story is live: {"kind": "更正"|"说明", "note": "…"}.
	Correction *news.Correction `json:"correction"`
}

// setIf copies *src to *dst when the request carried the field (src is
// not nil): a PUT changes only what it sends.
func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// apply copies the fields present in the request onto s, so a PUT may send
// only what it changes.
func (in *storyInput) apply(s *news.Story) {
	setIf(&s.Kind, in.Kind)
	setIf(&s.Kicker, in.Kicker)
	setIf(&s.Title, in.Title)
	setIf(&s.Subtitle, in.Subtitle)
	setIf(&s.Source, in.Source)
	setIf(&s.Section, in.Section)
	setIf(&s.Body, in.Body)
	setIf(&s.Edition, in.Edition)
	setIf(&s.PageName, in.PageName)
	setIf(&s.Editor, in.Editor)
	setIf(&s.Vertical, in.Vertical)
	setIf(&s.Authors, in.Authors)
	setIf(&s.Tags, in.Tags)
	setIf(&s.Photos, in.Photos)
	if in.Repost != nil {
		s.Repost = in.Repost
	}
	if in.Notice != nil {
		s.Notice = in.Notice
	}
	setIf(&s.Page, in.Page)
}

// decode reads the one JSON value of a request body (httpx.DecodeJSON).
func decode(r *http.Request, v any) error { return httpx.DecodeJSON(r, v) }

// conflictError is a stale-version save; the API answers it with the
// current story so the client can merge.
type conflictError struct {
	err     error
	current *news.Story
}

func (e *conflictError) Error() string { return e.err.Error() }
func (e *conflictError) Unwrap() error { return e.err }

func (a *Admin) apiMe(w http.ResponseWriter, r *http.Request) error {
	httpx.WriteJSON(w, http.StatusOK, userOf(r))
	return nil
}

func (a *Admin) apiCreateStory(w http.ResponseWriter, r *http.Request) error {
	var in storyInput
	if err := decode(r, &in); err != nil {
		return err
	}
	s := &news.Story{Kind: news.KindStory}
	in.apply(s)
	if err := a.resolvePhotos(r.Context(), s); err != nil {
		return err
	}
	if err := a.cfg.Desk.Create(r.Context(), userOf(r), s); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/admin/stories/"+strconv.FormatInt(s.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, s)
	return nil
}

func (a *Admin) apiGetStory(w http.ResponseWriter, r *http.Request) error {
	s, err := a.storyOf(r)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.storyJSON(s))
	return nil
}

// edits is a decoded PUT body: it changes the fields it carries, says
// which version it was made from, and may carry a correction note.
type edits interface {
	apply(*news.Story)
	base() *int
	note() *news.Correction
}

func (in *storyInput) base() *int             { return in.Version }
func (in *storyInput) note() *news.Correction { return in.Correction }

func (a *Admin) apiUpdateStory(w http.ResponseWriter, r *http.Request) error {
	return a.update(w, r, &storyInput{}, "")
}

// update applies a PUT to a story (of the given kind, if not ""). Without
// "version" the client edits what is there now; with it, a stale version
// is refused with 409 and the current story, so no edit is silently lost.
func (a *Admin) update(w http.ResponseWriter, r *http.Request, in edits, kind news.Kind) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	if err := decode(r, in); err != nil {
		return err
	}
	u := userOf(r)
	s, err := a.cfg.Desk.Get(r.Context(), u, id)
	if err != nil {
		return err
	}
	if kind != "" && s.Kind != kind {
		return news.Errorf(news.ENOTFOUND, "%s不存在。", kind.Label())
	}
	base := s.Version
	if v := in.base(); v != nil {
		base = *v
	}
	in.apply(s)
	if err := a.resolvePhotos(r.Context(), s); err != nil {
		return err
	}
	updated, err := a.cfg.Desk.UpdateNoted(r.Context(), u, s, base, in.note())
	if err != nil {
		if news.ErrorCode(err) == news.ECONFLICT {
			if cur, gerr := a.cfg.Desk.Get(r.Context(), u, id); gerr == nil {
				return &conflictError{err: err, current: cur}
			}
		}
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.storyJSON(updated))
	return nil
}

func (a *Admin) apiStoryAction(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	var in struct {
		Comment string `json:"comment"`
		Reason  string `json:"reason"`
		At      string `json:"at"` // RFC 3339, for schedule
	}
	if r.ContentLength != 0 {
		if err := decode(r, &in); err != nil {
			return err
		}
	}
	comment := in.Comment
	if comment == "" {
		comment = in.Reason
	}
	s, err := a.act(r, id, chi.URLParam(r, "action"), actionInput{Comment: comment, At: in.At})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.storyJSON(s))
	return nil
}
