package desk

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"newsroom/internal/news"
)

// workflow returns the review setting as q (the store or a transaction)
// has it, the default when it cannot be read (the error is logged: a
// broken setting must not stop the desk).
func (d *Service) workflow(ctx context.Context, q interface {
	Workflow(context.Context) (news.WorkflowConfig, error)
}) news.WorkflowConfig {
	w, err := q.Workflow(ctx)
	if err != nil {
		if d.Log != nil {
			d.Log.Error("read workflow setting", "err", err)
		}
		return news.DefaultWorkflow()
	}
	return w
}

// Workflow returns the review setting (anyone logged in may read it).
func (d *Service) Workflow(ctx context.Context) (news.WorkflowConfig, error) {
	return d.Store.Workflow(ctx)
}

// SetWorkflow changes the review setting; admins only.
func (d *Service) SetWorkflow(ctx context.Context, u *news.User, w news.WorkflowConfig) error {
	if u.Role != news.RoleAdmin {
		return forbidden("只有管理员可以修改审核流程。")
	}
	return d.Store.SetWorkflow(ctx, w, u.ID)
}

// Approve signs off the level the story waits for. The last level's
// sign-off makes it approved: it may then be published or scheduled. An
// admin may sign any one level; the sign-off records the admin as signer.
// Nobody signs two levels of a story or their own story unless the
// section allows 代签 (news.Permit); a 代签 is marked on the sign-off and
// in the audit log.
func (d *Service) Approve(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	return d.act(ctx, u, id, news.ActApprove, func(tx news.Tx, s *news.Story) error {
		if err := s.Publishable(); err != nil {
			return err
		}
		// A notice's rules are checked again at every level: a date that
		// passed since it was filed is found now, not at 签发.
		if err := d.prepareNotice(s); err != nil {
			return err
		}
		c, lvl := s.Chain, s.Pending()
		proxy := s.ProxyReason(u)
		change := news.Change{Action: news.ActApprove, To: news.StateInReview, Detail: news.LevelLabel(lvl),
			Signoff: &news.Signoff{Level: lvl, Label: news.LevelLabel(lvl), Role: c[lvl], UserID: u.ID, User: u.Name, UserRole: u.Role, Proxy: proxy}}
		if proxy != "" {
			// The audit log and the story's history say it was a 代签.
			change.Detail += "（" + proxy + "）"
		}
		if lvl+1 >= len(c) {
			change.To = news.StateApproved
		}
		return tx.Apply(ctx, s, u.ID, change)
	})
}

// Schedule sets an approved story to publish at a set time (embargo). No
// content file exists until then, so the story is on no page, feed,
// sitemap or search result; the scheduler publishes it on time.
func (d *Service) Schedule(ctx context.Context, u *news.User, id int64, at time.Time) (*news.Story, error) {
	return d.act(ctx, u, id, news.ActSchedule, func(tx news.Tx, s *news.Story) error {
		if at.IsZero() {
			return &news.Error{Code: news.EINVALID, Message: "请填写发布时间。", Fields: map[string]string{"at": "请填写发布时间"}}
		}
		if !at.After(d.Now()) {
			return &news.Error{Code: news.EINVALID, Message: "定时发布的时间须晚于现在。", Fields: map[string]string{"at": "须晚于现在"}}
		}
		at := at.In(news.Shanghai)
		return tx.Apply(ctx, s, u.ID, news.Change{Action: news.ActSchedule, To: news.StateScheduled,
			Detail: at.Format("2006-01-02 15:04"), Schedule: &at})
	})
}

// Unschedule cancels a scheduled publish: the story is approved again.
func (d *Service) Unschedule(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	return d.act(ctx, u, id, news.ActUnschedule, func(tx news.Tx, s *news.Story) error {
		return tx.Apply(ctx, s, u.ID, news.Change{Action: news.ActUnschedule, To: news.StateApproved, ClearSchedule: true})
	})
}

// PublishDue publishes every scheduled story whose time has come (by the
// desk's clock), dated at its set time and recorded as published by the
// user who scheduled it. It returns how many it published. Scheduled
// stories live in the database, so stories that fell due while the server
// was down are published on the first run after a restart.
func (d *Service) PublishDue(ctx context.Context) (int, error) {
	due, err := d.Store.DueStories(ctx, d.Now())
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ds := range due {
		u, err := d.Store.User(ctx, ds.UserID)
		if err != nil {
			return n, err
		}
		_, err = d.publish(ctx, u, ds.ID, ds.At, "定时发布", func(s *news.Story) error {
			if s.State != news.StateScheduled {
				return news.Errorf(news.ECONFLICT, "稿件已不是定时发布状态。")
			}
			return nil
		})
		switch news.ErrorCode(err) {
		case "":
			n++
		case news.ECONFLICT:
			// Unscheduled or returned meanwhile.
		default:
			if d.Log != nil {
				d.Log.Error("scheduled publish failed", "story", ds.ID, "err", err)
			}
		}
	}
	return n, nil
}

// RunScheduler publishes due stories every interval until ctx ends. The
// time it compares with is the desk's clock, so tests control it.
func (d *Service) RunScheduler(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := d.PublishDue(ctx); err != nil && ctx.Err() == nil && d.Log != nil {
			d.Log.Error("scheduler", "err", err)
		} else if n > 0 && d.Log != nil {
			d.Log.Info("scheduled stories published", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PublishImport publishes a story imported from an e-paper page that was
// already printed (and so already went through review on paper): it skips
// the chain and is recorded as such. It is dated at, the day the page was
// printed (never later than now). Only `newsroom import --publish` calls
// it; no HTTP route reaches it.
func (d *Service) PublishImport(ctx context.Context, u *news.User, id int64, at time.Time) (*news.Story, error) {
	if !u.Role.Reviewer() {
		return nil, forbidden("导入发布需要编辑账号。")
	}
	if now := d.Now(); at.IsZero() || at.After(now) {
		at = now
	}
	return d.publish(ctx, u, id, at, "导入已见报稿件（免审）", func(s *news.Story) error {
		if s.State.Live() || s.State == news.StateWithdrawn || s.State == news.StateScheduled {
			return news.Errorf(news.ECONFLICT, "稿件当前状态为「%s」，不能发布。", s.State.Label())
		}
		return nil
	})
}

// Revisions lists the revisions of a story u may see, newest first.
func (d *Service) Revisions(ctx context.Context, u *news.User, id int64) ([]news.Revision, error) {
	if _, err := d.Get(ctx, u, id); err != nil {
		return nil, err
	}
	return d.Store.Revisions(ctx, id)
}

// Revision returns one revision of a story u may see.
func (d *Service) Revision(ctx context.Context, u *news.User, id int64, version int) (*news.Revision, error) {
	if _, err := d.Get(ctx, u, id); err != nil {
		return nil, err
	}
	return d.Store.Revision(ctx, id, version)
}

// Restore saves the text of an old revision as a new revision, with the
// same rights as an edit (a live story needs a correction note).
func (d *Service) Restore(ctx context.Context, u *news.User, id int64, version int, note *news.Correction) (*news.Story, error) {
	cur, err := d.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	old, err := d.Store.Revision(ctx, id, version)
	if err != nil {
		return nil, err
	}
	s := old.Story
	s.ID = id
	updated, err := d.UpdateNoted(ctx, u, s, cur.Version, note)
	if err != nil {
		return updated, err
	}
	if err := d.Store.RecordEvent(ctx, id, u.ID, news.ActRestore, "恢复修订 "+strconv.Itoa(version)+"，存为修订 "+strconv.Itoa(updated.Version)); err != nil {
		return updated, fmt.Errorf("record restore: %w", err)
	}
	return updated, nil
}

// Audit returns the audit log; admins only.
func (d *Service) Audit(ctx context.Context, u *news.User, f news.AuditFilter) ([]news.AuditEntry, error) {
	if u.Role != news.RoleAdmin {
		return nil, forbidden("只有管理员可以查看审计日志。")
	}
	return d.Store.Audit(ctx, f)
}
