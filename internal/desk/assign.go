package desk

import (
	"context"

	"newsroom/internal/news"
)

// Count returns how many stories u may see that f selects, ignoring
// f's Limit and Offset: the total of a paged list.
func (d *Service) Count(ctx context.Context, u *news.User, f news.StoryFilter) (int, error) {
	if !u.Role.CanEditAny() {
		f.OwnerID = u.ID
	}
	return d.Store.CountStories(ctx, f)
}

// assignable lists the states in which a story may change hands: before
// it is published. A live or withdrawn story keeps its owner.
var assignable = []news.State{news.StateDraft, news.StateReturned, news.StateSubmitted,
	news.StateInReview, news.StateApproved, news.StateScheduled}

// Assign hands story id to user ownerID (an imported draft to a reporter,
// say): editors and above may, and the story's history and the audit log
// record who gave it to whom. The new owner must be an enabled account.
func (d *Service) Assign(ctx context.Context, u *news.User, id, ownerID int64) (*news.Story, error) {
	if !u.Role.Reviewer() {
		return nil, forbidden("只有编辑及以上可以指派稿件。")
	}
	to, err := d.Store.User(ctx, ownerID)
	if err != nil || to.Disabled {
		return nil, &news.Error{Code: news.EINVALID, Message: "指派对象不存在或已停用。",
			Fields: map[string]string{"owner": "请选择一个有效的用户"}}
	}
	var out *news.Story
	err = d.Store.WithTx(ctx, func(tx news.Tx) error {
		s, w, err := d.load(ctx, tx, u, id)
		if err != nil {
			return err
		}
		if s.OwnerID == to.ID {
			out = s
			return nil
		}
		if err := tx.Apply(ctx, s, u.ID, news.Change{Action: news.ActAssign, From: assignable, To: s.State,
			Owner: to.ID, Detail: s.Owner + " → " + to.Name}); err != nil {
			return err
		}
		if out, err = tx.Story(ctx, id); err != nil {
			return err
		}
		w.Review(out)
		return nil
	})
	return out, err
}

// Assignees lists the enabled accounts a story can be assigned to, by
// name; editors and above may ask.
func (d *Service) Assignees(ctx context.Context, u *news.User) ([]news.User, error) {
	if !u.Role.Reviewer() {
		return nil, forbidden("只有编辑及以上可以指派稿件。")
	}
	all, err := d.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]news.User, 0, len(all))
	for _, x := range all {
		if !x.Disabled {
			out = append(out, x)
		}
	}
	return out, nil
}
