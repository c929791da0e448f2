// Package desk is the editorial desk: every action on a story (create,
// edit, submit, return, publish, withdraw) with the permission and state
// checks that go with it. The admin UI and the JSON API both call it, so a
// rule is enforced in one place whichever way a request comes in.
package desk

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/sqlite"
)

// Live makes published content visible to readers: it re-renders the site
// and updates the search index. Update returns once readers see the change.
type Live interface {
	Update(ctx context.Context, changed []news.Story, removedURLs []string) error
}

// Service carries out editorial actions.
type Service struct {
	DB      *sqlite.DB
	Content content.Dir
	Live    Live
	Clock   news.Clock
	Log     *slog.Logger
}

func forbidden(msg string) error { return news.Errorf(news.EFORBIDDEN, "%s", msg) }

// canSee reports whether u may read story s: reporters see their own.
func canSee(u *news.User, s *news.Story) bool {
	return u.Role.CanEditAny() || s.OwnerID == u.ID
}

// Create files a new draft owned by u.
func (d *Service) Create(ctx context.Context, u *news.User, s *news.Story) error {
	s.ID = 0
	if err := prepareNotice(s); err != nil {
		return err
	}
	if err := d.DB.CreateStory(ctx, s, u.ID); err != nil {
		return err
	}
	s.Owner = u.Name
	return nil
}

// Get returns a story u may see.
func (d *Service) Get(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	s, err := d.DB.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSee(u, s) {
		// Not found rather than forbidden: a reporter need not learn which
		// ids exist.
		return nil, news.Errorf(news.ENOTFOUND, "稿件不存在。")
	}
	d.fill(ctx, s)
	return s, nil
}

// List returns the stories u may see, filtered.
func (d *Service) List(ctx context.Context, u *news.User, f sqlite.StoryFilter) ([]news.Story, error) {
	if !u.Role.CanEditAny() {
		f.OwnerID = u.ID
	}
	list, err := d.DB.Stories(ctx, f)
	if err != nil {
		return nil, err
	}
	w := d.workflow(ctx)
	for i := range list {
		list[i].Chain = w.ChainFor(list[i].Section)
	}
	return list, nil
}

// Update saves an edit made from version base. Reporters edit their own
// drafts (and returned stories); reviewers edit anything in review; an edit
// of a live story is a correction and needs a note (UpdateNoted).
func (d *Service) Update(ctx context.Context, u *news.User, s *news.Story, base int) (*news.Story, error) {
	return d.UpdateNoted(ctx, u, s, base, nil)
}

// UpdateNoted saves an edit made from version base. When the story is live
// the edit goes live at once as a correction: note (更正 or 说明) is required,
// dated and appended to the story's corrections, and the story becomes
// corrected. Corrections and the withdrawal record are never taken from
// the client, so an edit cannot drop them.
func (d *Service) UpdateNoted(ctx context.Context, u *news.User, s *news.Story, base int, note *news.Correction) (*news.Story, error) {
	cur, err := d.Get(ctx, u, s.ID)
	if err != nil {
		return nil, err
	}
	if err := editPublishedNotice(cur); err != nil {
		return nil, err
	}
	if err := news.Permit(u, news.ActEdit, cur, cur.Chain); err != nil {
		return nil, err
	}
	if s.Kind == "" {
		s.Kind = cur.Kind
	}
	s.Corrections, s.Withdrawn = cur.Corrections, cur.Withdrawn
	live := cur.State.Live()
	if live {
		s.Normalize()
		if err := s.Publishable(); err != nil {
			return nil, err
		}
		if s.Kind != cur.Kind {
			return nil, news.Errorf(news.ECONFLICT, "已发布的稿件不能更改类型。")
		}
		if note == nil {
			note = &news.Correction{}
		}
		if err := note.Validate(); err != nil {
			return nil, err
		}
		note.At = d.Clock.Now()
		s.Corrections = append(slices.Clone(cur.Corrections), *note)
	}
	if err := prepareNotice(s); err != nil {
		return nil, err
	}
	updated, err := d.DB.UpdateStory(ctx, s, base, u.ID)
	if err != nil {
		return nil, err
	}
	if live {
		updated, err = d.DB.Transition(ctx, s.ID, sqlite.Transition{
			From: []news.State{news.StatePublished, news.StateCorrected}, To: news.StateCorrected, UserID: u.ID,
			Action: "correct", Detail: note.Kind + "：" + note.Note,
			Apply: func(st *news.Story) error { return d.writeFile(ctx, st) },
		})
		if err != nil {
			return nil, err
		}
		d.fill(ctx, updated)
		if err := d.Live.Update(ctx, []news.Story{*updated}, nil); err != nil {
			return updated, d.liveFailed(updated, err)
		}
		return updated, nil
	}
	d.fill(ctx, updated)
	return updated, nil
}

// Submit hands a draft (or a returned story) to review: it waits for the
// first level of its section's chain.
func (d *Service) Submit(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	s, err := d.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := news.Permit(u, news.ActSubmit, s, s.Chain); err != nil {
		return nil, err
	}
	if err := s.Publishable(); err != nil {
		return nil, err
	}
	if err := prepareNotice(s); err != nil {
		return nil, err
	}
	return d.move(ctx, u, id, news.ActSubmit, sqlite.Transition{To: news.StateSubmitted, Action: "submit"})
}

// Return sends a story in review (or approved, or scheduled) back to its
// author with a comment. The sign-offs of this round are voided: after the
// author's fix the story goes through the whole chain again.
func (d *Service) Return(ctx context.Context, u *news.User, id int64, comment string) (*news.Story, error) {
	s, err := d.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := news.Permit(u, news.ActReturn, s, s.Chain); err != nil {
		return nil, err
	}
	if comment == "" {
		return nil, &news.Error{Code: news.EINVALID, Message: "退回须填写意见。", Fields: map[string]string{"comment": "请填写退回意见"}}
	}
	return d.move(ctx, u, id, news.ActReturn, sqlite.Transition{To: news.StateReturned, Action: "return", Detail: comment,
		VoidSignoffs: true, ClearSchedule: true})
}

// Publish makes an approved (or scheduled) story live now (签发): it
// writes its content file, records it as published, and waits until
// readers can see and find it.
func (d *Service) Publish(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	s, err := d.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := news.Permit(u, news.ActPublish, s, s.Chain); err != nil {
		return nil, err
	}
	return d.publish(ctx, u, id, d.Clock.Now(), "", func(st *news.Story) error { return news.Permit(u, news.ActPublish, st, d.chainOf(ctx, st)) })
}

// publish writes the content file of story id dated at and marks it
// published, in one transaction; check runs on the story inside it.
func (d *Service) publish(ctx context.Context, u *news.User, id int64, at time.Time, detail string, check func(*news.Story) error) (*news.Story, error) {
	s, err := d.DB.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.Publishable(); err != nil {
		return nil, err
	}
	if s.Kind == news.KindNotice {
		return d.publishNotice(ctx, u, s, at, detail, check)
	}
	slug := content.NewSlug(at)
	rel := content.RelPath(s.Kind, at, slug)
	pub, err := d.DB.Transition(ctx, id, sqlite.Transition{
		To: news.StatePublished, UserID: u.ID, Action: "publish", Detail: detail,
		Slug: slug, Path: rel, PublishedAt: at, Check: check, ClearSchedule: true,
		// The file is written inside the database transaction: if it
		// cannot be written, the story stays unpublished.
		Apply: func(s *news.Story) error { return d.write(rel, s) },
	})
	if err != nil {
		return nil, err
	}
	d.fill(ctx, pub)
	if err := d.Live.Update(ctx, []news.Story{*pub}, nil); err != nil {
		return pub, d.liveFailed(pub, err)
	}
	return pub, nil
}

// Withdraw takes a live story off the site (撤稿). Its page stays and says
// it was withdrawn, with the reason (params.withdrawn; the text is left out
// of the file, kept in the database); lists, feeds, sitemaps and search
// drop it.
func (d *Service) Withdraw(ctx context.Context, u *news.User, id int64, reason string) (*news.Story, error) {
	s, err := d.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := news.Permit(u, news.ActWithdraw, s, s.Chain); err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, &news.Error{Code: news.EINVALID, Message: "撤稿须说明理由。", Fields: map[string]string{"reason": "请填写撤稿理由"}}
	}
	rel, err := d.DB.StoryPath(ctx, id)
	if err != nil {
		return nil, err
	}
	now := d.Clock.Now()
	w, err := d.move(ctx, u, id, news.ActWithdraw, sqlite.Transition{To: news.StateWithdrawn, Action: "withdraw", Detail: reason,
		Mutate: func(s *news.Story) { s.Withdrawn = &news.Withdrawal{At: now, Reason: reason} },
		Apply:  func(s *news.Story) error { return d.write(rel, s) },
	})
	if err != nil {
		return nil, err
	}
	if err := d.Live.Update(ctx, []news.Story{*w}, nil); err != nil {
		return w, d.liveFailed(w, err)
	}
	return w, nil
}

func (d *Service) writeFile(ctx context.Context, s *news.Story) error {
	rel, err := d.DB.StoryPath(ctx, s.ID)
	if err != nil {
		return err
	}
	return d.write(rel, s)
}

func (d *Service) write(rel string, s *news.Story) error {
	at := d.Clock.Now()
	if s.PublishedAt != nil {
		at = *s.PublishedAt
	}
	out := *s
	if out.Withdrawn != nil && out.Kind != news.KindNotice { // a notice keeps its text
		// A withdrawn story's file keeps its head, not its text: nothing
		// of it can leak through a summary or a description. The database
		// keeps every revision.
		out.Body, out.Photos = "", nil
	}
	data, err := content.Marshal(out, at)
	if err != nil {
		return err
	}
	if err := d.Content.Write(rel, data); err != nil {
		return fmt.Errorf("publish story %d: %w", s.ID, err)
	}
	return nil
}

// liveFailed reports a change that is saved but not yet on the site: the
// next successful build will show it, so the editor must not redo it.
func (d *Service) liveFailed(s *news.Story, err error) error {
	if d.Log != nil {
		d.Log.Error("site update failed", "story", s.ID, "err", err)
	}
	return news.Errorf(news.EINTERNAL, "稿件已保存，但网站更新失败（%v）。稍后重建网站即可生效，无需重新操作。", err)
}
