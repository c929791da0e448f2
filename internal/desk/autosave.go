package desk

import (
	"context"
	"fmt"
	"unicode/utf8"

	"newsroom/internal/news"
)

// Limits of an autosaved form: more than the story form has fields, and
// room for a body at its limit with everything else.
const (
	maxAutosaveFields = 300
	maxAutosaveChars  = 300_000
	maxFieldName      = 64
)

// Autosave keeps what u is typing into the form of story a.StoryID (0: a
// new story, news.NewNotice: a new notice) on the server, replacing u's earlier copy: one per person and
// story, never a revision, never a change of the story. Whoever may edit
// the story as it is now may autosave it; anyone may autosave a new one.
func (d *Service) Autosave(ctx context.Context, u *news.User, a *news.Autosave) error {
	if err := d.mayAutosave(ctx, u, a.StoryID); err != nil {
		return err
	}
	n, chars := 0, 0
	for k, vs := range a.Fields {
		n += len(vs)
		if utf8.RuneCountInString(k) > maxFieldName {
			return news.Errorf(news.EINVALID, "自动保存的字段名过长。")
		}
		for _, v := range vs {
			chars += utf8.RuneCountInString(v)
		}
	}
	if n > maxAutosaveFields || chars > maxAutosaveChars {
		return news.Errorf(news.EINVALID, "%s", fmt.Sprintf("自动保存的内容过多（最多 %d 项、%d 字）。", maxAutosaveFields, maxAutosaveChars))
	}
	a.UserID = u.ID
	return d.Store.PutAutosave(ctx, a)
}

// Autosaved returns u's autosaved form of story id (0: a new story,
// news.NewNotice: a new notice); ENOTFOUND when there is none.
func (d *Service) Autosaved(ctx context.Context, u *news.User, id int64) (*news.Autosave, error) {
	if id > 0 {
		if _, err := d.Get(ctx, u, id); err != nil {
			return nil, err
		}
	}
	return d.Store.Autosave(ctx, id, u.ID)
}

// DropAutosave discards u's autosaved form of story id: the form was
// saved, or u chose not to restore it.
func (d *Service) DropAutosave(ctx context.Context, u *news.User, id int64) error {
	return d.Store.DeleteAutosave(ctx, id, u.ID)
}

func (d *Service) mayAutosave(ctx context.Context, u *news.User, id int64) error {
	switch {
	case id == 0 || id == news.NewNotice:
		return nil
	case id < 0:
		return news.Errorf(news.ENOTFOUND, "稿件不存在。")
	}
	s, err := d.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if err := editPublishedNotice(s); err != nil {
		return err
	}
	return news.Permit(u, news.ActEdit, s, s.Chain)
}
