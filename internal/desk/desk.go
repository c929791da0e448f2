// Package desk is the editorial desk: every action on a story (create,
// edit, submit, return, publish, withdraw) with the permission and state
// checks that go with it. The admin UI and the JSON API both call it, so a
// rule is enforced in one place whichever way a request comes in.
package desk

import (
	"context"
	"fmt"
	"log/slog"

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
	return s, nil
}

// List returns the stories u may see, filtered.
func (d *Service) List(ctx context.Context, u *news.User, f sqlite.StoryFilter) ([]news.Story, error) {
	if !u.Role.CanEditAny() {
		f.OwnerID = u.ID
	}
	return d.DB.Stories(ctx, f)
}

// Update saves an edit made from version base. Reporters edit their own
// drafts; editors edit anything, and an edit of a published story goes
// live at once (a correction).
func (d *Service) Update(ctx context.Context, u *news.User, s *news.Story, base int) (*news.Story, error) {
	cur, err := d.Get(ctx, u, s.ID)
	if err != nil {
		return nil, err
	}
	if !u.Role.CanEditAny() && cur.State != news.StateDraft {
		return nil, forbidden("稿件已提交，记者不能再修改；如需修改，请编辑退回。")
	}
	if cur.State == news.StateWithdrawn {
		return nil, news.Errorf(news.ECONFLICT, "稿件已撤稿，不能修改。")
	}
	if s.Kind == "" {
		s.Kind = cur.Kind
	}
	if cur.State == news.StatePublished {
		s.Normalize()
		if err := s.Publishable(); err != nil {
			return nil, err
		}
		if s.Kind != cur.Kind {
			return nil, news.Errorf(news.ECONFLICT, "已发布的稿件不能更改类型。")
		}
	}
	updated, err := d.DB.UpdateStory(ctx, s, base, u.ID)
	if err != nil {
		return nil, err
	}
	if updated.State == news.StatePublished {
		if err := d.writeFile(ctx, updated); err != nil {
			return nil, err
		}
		if err := d.Live.Update(ctx, []news.Story{*updated}, nil); err != nil {
			return updated, d.liveFailed(updated, err)
		}
	}
	return updated, nil
}

// Submit hands a draft to the editors.
func (d *Service) Submit(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	s, err := d.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := s.Publishable(); err != nil {
		return nil, err
	}
	return d.DB.Transition(ctx, id, sqlite.Transition{
		From: []news.State{news.StateDraft}, To: news.StateSubmitted, UserID: u.ID, Action: "submit",
	})
}

// Return sends a submitted story back to its author with a comment.
func (d *Service) Return(ctx context.Context, u *news.User, id int64, comment string) (*news.Story, error) {
	if !u.Role.CanPublish() {
		return nil, forbidden("只有编辑可以退回稿件。")
	}
	if _, err := d.Get(ctx, u, id); err != nil {
		return nil, err
	}
	return d.DB.Transition(ctx, id, sqlite.Transition{
		From: []news.State{news.StateSubmitted}, To: news.StateDraft, UserID: u.ID, Action: "return", Detail: comment,
	})
}

// Publish makes a story live: it writes its content file, records it as
// published, and waits until readers can see and find it.
func (d *Service) Publish(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	if !u.Role.CanPublish() {
		return nil, forbidden("只有编辑可以发布稿件。")
	}
	s, err := d.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := s.Publishable(); err != nil {
		return nil, err
	}
	now := d.Clock.Now()
	slug := content.NewSlug(now)
	rel := content.RelPath(s.Kind, now, slug)
	pub, err := d.DB.Transition(ctx, id, sqlite.Transition{
		From: []news.State{news.StateDraft, news.StateSubmitted}, To: news.StatePublished, UserID: u.ID, Action: "publish",
		Slug: slug, Path: rel, PublishedAt: now,
		// The file is written inside the database transaction: if it
		// cannot be written, the story stays unpublished.
		Apply: func(s *news.Story) error { return d.write(rel, s) },
	})
	if err != nil {
		return nil, err
	}
	if err := d.Live.Update(ctx, []news.Story{*pub}, nil); err != nil {
		return pub, d.liveFailed(pub, err)
	}
	return pub, nil
}

// Withdraw takes a published story off the site (撤稿), keeping it in the
// database with the reason.
func (d *Service) Withdraw(ctx context.Context, u *news.User, id int64, reason string) (*news.Story, error) {
	if !u.Role.CanPublish() {
		return nil, forbidden("只有编辑可以撤稿。")
	}
	if reason == "" {
		return nil, &news.Error{Code: news.EINVALID, Message: "撤稿须说明理由。", Fields: map[string]string{"reason": "请填写撤稿理由"}}
	}
	rel, err := d.DB.StoryPath(ctx, id)
	if err != nil {
		return nil, err
	}
	s, err := d.DB.Transition(ctx, id, sqlite.Transition{
		From: []news.State{news.StatePublished}, To: news.StateWithdrawn, UserID: u.ID, Action: "withdraw", Detail: reason,
		Apply: func(*news.Story) error { return d.Content.Remove(rel) },
	})
	if err != nil {
		return nil, err
	}
	if err := d.Live.Update(ctx, nil, []string{content.URLOf(rel)}); err != nil {
		return s, d.liveFailed(s, err)
	}
	return s, nil
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
	data, err := content.Marshal(*s, at)
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
