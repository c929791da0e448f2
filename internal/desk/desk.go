// Package desk is the editorial desk: every action on a story (create,
// edit, submit, return, publish, withdraw) with the permission and state
// checks that go with it. The admin UI and the JSON API both call it, so a
// rule is enforced in one place whichever way a request comes in.
package desk

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"newsroom/internal/content"
	"newsroom/internal/news"
)

// Live makes published content visible to readers: it re-renders the site
// and updates the search index. Update returns once readers see the change.
type Live interface {
	Update(ctx context.Context, changed []news.Story, removedURLs []string) error
	// Place shows the editors' placement: for each place (news.PlaceHome
	// or a section), the content files placed there, in order. It returns
	// once readers see it.
	Place(ctx context.Context, placed map[string][]string) error
}

// Service carries out editorial actions.
type Service struct {
	Store   news.Store
	Content content.Dir
	Live    Live
	Clock   news.Clock
	Log     *slog.Logger
	// Logins throttles password guessing (NewLogins); nil checks every
	// login at once.
	Logins *Logins
	// EPaper edits the e-paper's printed pages (epaper.go); nil turns
	// that off.
	EPaper *EPaper
}

// Now is the desk's time: the one clock of the editorial side, which the
// admin also reads (presence, the schedule form).
func (d *Service) Now() time.Time {
	if d.Clock == nil {
		return time.Now()
	}
	return d.Clock.Now()
}

func forbidden(msg string) error { return news.Errorf(news.EFORBIDDEN, "%s", msg) }

// canSee reports whether u may read story s: reporters see their own.
func canSee(u *news.User, s *news.Story) bool {
	return u.Role.CanEditAny() || s.OwnerID == u.ID
}

// Create files a new draft owned by u.
func (d *Service) Create(ctx context.Context, u *news.User, s *news.Story) error {
	s.ID = 0
	if err := d.prepareNotice(s); err != nil {
		return err
	}
	if err := d.Store.CreateStory(ctx, s, u.ID); err != nil {
		return err
	}
	s.Owner = u.Name
	return nil
}

// Get returns a story u may see.
func (d *Service) Get(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	s, err := d.Store.Story(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSee(u, s) {
		return nil, notFound()
	}
	d.workflow(ctx, d.Store).Review(s)
	return s, nil
}

// notFound is the answer for a story u may not see: not found rather than
// forbidden, so that a reporter need not learn which ids exist.
func notFound() error { return news.Errorf(news.ENOTFOUND, "稿件不存在。") }

// List returns the stories u may see, filtered.
func (d *Service) List(ctx context.Context, u *news.User, f news.StoryFilter) ([]news.Story, error) {
	if !u.Role.CanEditAny() {
		f.OwnerID = u.ID
	}
	list, err := d.Store.Stories(ctx, f)
	if err != nil {
		return nil, err
	}
	w := d.workflow(ctx, d.Store)
	for i := range list {
		w.Review(&list[i])
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
// corrected; its file is written in the same transaction. Corrections and
// the withdrawal record are never taken from the client, so an edit cannot
// drop them.
func (d *Service) UpdateNoted(ctx context.Context, u *news.User, s *news.Story, base int, note *news.Correction) (*news.Story, error) {
	var updated *news.Story
	var live bool
	var unplaced []string
	err := d.withTx(ctx, func(tx news.Tx) error {
		cur, w, err := d.load(ctx, tx, u, s.ID)
		if err != nil {
			return err
		}
		if err := editPublishedNotice(cur); err != nil {
			return err
		}
		if err := news.Permit(u, news.ActEdit, cur, cur.Chain); err != nil {
			return err
		}
		if s.Kind == "" {
			s.Kind = cur.Kind
		}
		s.Corrections, s.Withdrawn = cur.Corrections, cur.Withdrawn
		live = cur.State.Live()
		if live {
			s.Normalize()
			if err := s.Publishable(); err != nil {
				return err
			}
			if s.Kind != cur.Kind {
				return news.Errorf(news.ECONFLICT, "已发布的稿件不能更改类型。")
			}
			if note == nil {
				note = &news.Correction{}
			}
			if err := note.Validate(); err != nil {
				return err
			}
			note.At = d.Now()
			s.Corrections = append(slices.Clone(cur.Corrections), *note)
		}
		if err := d.prepareNotice(s); err != nil {
			return err
		}
		restart, err := sectionMove(cur, s, w)
		if err != nil {
			return err
		}
		if updated, err = tx.UpdateStory(ctx, s, base, u.ID); err != nil {
			return err
		}
		w.Review(updated)
		if restart != "" {
			// The sign-offs were given under another chain: the review
			// starts again under the new one.
			return tx.Apply(ctx, updated, u.ID, news.Change{Action: news.ActRestart, To: news.StateSubmitted, Detail: restart,
				VoidSignoffs: true, ClearSchedule: true})
		}
		if !live {
			return nil
		}
		if updated.Section != cur.Section {
			// A story placed first on its old section's page leaves it.
			if unplaced, err = tx.Unplace(ctx, cur.ID, cur.Section); err != nil {
				return err
			}
		}
		if err := tx.Apply(ctx, updated, u.ID, news.Change{Action: news.ActCorrect,
			From: []news.State{news.StatePublished, news.StateCorrected}, To: news.StateCorrected,
			Detail: note.Kind + "：" + note.Note}); err != nil {
			return err
		}
		return d.writeFile(ctx, tx, updated)
	})
	if err != nil {
		return nil, err
	}
	if !live {
		return updated, nil
	}
	if updated, err = d.goLive(ctx, updated); err != nil || len(unplaced) == 0 {
		return updated, err
	}
	return updated, d.showPlacement(ctx)
}

// sectionMove decides what an edit that moves story cur into next's
// section does to its review, so that no move skips a level of review
// (three-level 要闻 → one-level 快讯, approve and publish, back to 要闻).
// A story under review whose chain changes starts its review again: it
// returns the history's note for that. A live story may only move into a
// section whose chain its sign-offs cover; any other move is refused.
func sectionMove(cur, next *news.Story, w news.WorkflowConfig) (restart string, err error) {
	section := strings.TrimSpace(next.Section)
	if section == cur.Section {
		return "", nil
	}
	to := w.ChainFor(section)
	switch {
	case cur.State.Live():
		if !to.SignedBy(cur.Signoffs) {
			msg := fmt.Sprintf("栏目「%s」须经%s，本稿未经这些审核，不能改到该栏目。", section, to.Labels())
			return "", &news.Error{Code: news.EINVALID, Message: msg, Fields: map[string]string{"section": msg}}
		}
	case slices.Equal(to, cur.Chain):
	case len(cur.Signoffs) > 0 || cur.State == news.StateApproved || cur.State == news.StateScheduled:
		return fmt.Sprintf("栏目由「%s」改为「%s」，审核流程不同（%s），重新审核", cur.Section, section, to.Labels()), nil
	}
	return "", nil
}

// load reads story id inside a transaction for u (ENOTFOUND if u may not
// see it) with its section's review chain, and returns the review setting
// too: it is read once per action.
func (d *Service) load(ctx context.Context, tx news.Tx, u *news.User, id int64) (*news.Story, news.WorkflowConfig, error) {
	s, err := tx.Story(ctx, id)
	if err != nil {
		return nil, news.WorkflowConfig{}, err
	}
	if !canSee(u, s) {
		return nil, news.WorkflowConfig{}, notFound()
	}
	w := d.workflow(ctx, tx)
	w.Review(s)
	return s, w, nil
}

// act runs action a of u on story id in one transaction: it loads the
// story, checks that u may do a to it as it is now (so two reviewers cannot
// sign the same level), then lets do carry the action out through tx.
func (d *Service) act(ctx context.Context, u *news.User, id int64, a news.Action, do func(tx news.Tx, s *news.Story) error) (*news.Story, error) {
	var out *news.Story
	err := d.withTx(ctx, func(tx news.Tx) error {
		s, _, err := d.load(ctx, tx, u, id)
		if err != nil {
			return err
		}
		if err := news.Permit(u, a, s, s.Chain); err != nil {
			return err
		}
		if err := do(tx, s); err != nil {
			return err
		}
		out = s
		return nil
	})
	return out, err
}

// Submit hands a draft (or a returned story) to review: it waits for the
// first level of its section's chain.
func (d *Service) Submit(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	return d.act(ctx, u, id, news.ActSubmit, func(tx news.Tx, s *news.Story) error {
		if err := s.Publishable(); err != nil {
			return err
		}
		if err := d.prepareNotice(s); err != nil {
			return err
		}
		return tx.Apply(ctx, s, u.ID, news.Change{Action: news.ActSubmit, To: news.StateSubmitted})
	})
}

// Return sends a story in review (or approved, or scheduled) back to its
// author with a comment. The sign-offs of this round are voided: after the
// author's fix the story goes through the whole chain again.
func (d *Service) Return(ctx context.Context, u *news.User, id int64, comment string) (*news.Story, error) {
	return d.act(ctx, u, id, news.ActReturn, func(tx news.Tx, s *news.Story) error {
		if comment == "" {
			return &news.Error{Code: news.EINVALID, Message: "退回须填写意见。", Fields: map[string]string{"comment": "请填写退回意见"}}
		}
		if err := checkNote("comment", "退回意见", comment); err != nil {
			return err
		}
		return tx.Apply(ctx, s, u.ID, news.Change{Action: news.ActReturn, To: news.StateReturned, Detail: comment,
			VoidSignoffs: true, ClearSchedule: true})
	})
}

// Publish makes an approved (or scheduled) story live now (签发): it
// writes its content file, records it as published, and waits until
// readers can see and find it.
func (d *Service) Publish(ctx context.Context, u *news.User, id int64) (*news.Story, error) {
	return d.publish(ctx, u, id, d.Now(), "", func(s *news.Story) error {
		if !canSee(u, s) {
			return notFound()
		}
		return news.Permit(u, news.ActPublish, s, s.Chain)
	})
}

// publish writes the content file of story id dated at and marks it
// published, in one transaction; check decides, on the story as it is in
// the transaction, whether u may publish it.
func (d *Service) publish(ctx context.Context, u *news.User, id int64, at time.Time, detail string, check func(*news.Story) error) (*news.Story, error) {
	var pub *news.Story
	var changed []news.Story
	err := d.withTx(ctx, func(tx news.Tx) error {
		s, err := tx.Story(ctx, id)
		if err != nil {
			return err
		}
		d.workflow(ctx, tx).Review(s)
		if err := check(s); err != nil {
			return err
		}
		if err := s.Publishable(); err != nil {
			return err
		}
		slug := content.NewSlug(at)
		rel := content.RelPath(s.Kind, at, slug)
		c := news.Change{Action: news.ActPublish, To: news.StatePublished, Detail: detail, ClearSchedule: true,
			Publish: &news.Publication{Slug: slug, Path: rel, At: at}}
		if s.Editor == "" {
			// The 责任编辑 is by default who signed 一审; it is kept
			// with the text, so the database and the file agree.
			for _, g := range s.Signoffs {
				if g.Level == 0 {
					s.Editor, c.Text = g.User, true
				}
			}
		}
		var linked *news.Story
		if s.Kind == news.KindNotice {
			if linked, err = d.sealNotice(ctx, tx, u, s, &c); err != nil {
				return err
			}
		}
		if err := tx.Apply(ctx, s, u.ID, c); err != nil {
			return err
		}
		// The file is written inside the transaction: if it cannot be
		// written, the story stays unpublished.
		if err := d.write(tx, rel, s); err != nil {
			return err
		}
		pub, changed = s, []news.Story{*s}
		if linked != nil {
			// The corrected notice's page gains the link to its correction.
			if err := d.linkCorrection(ctx, tx, u, linked, s.Notice.Number); err != nil {
				return err
			}
			changed = append(changed, *linked)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := d.Live.Update(ctx, changed, nil); err != nil {
		return pub, d.liveFailed(pub, err)
	}
	return pub, nil
}

// Withdraw takes a live story off the site (撤稿). Its page stays and says
// it was withdrawn, with the reason (params.withdrawn; the text is left out
// of the file, kept in the database); lists, feeds, sitemaps and search
// drop it.
func (d *Service) Withdraw(ctx context.Context, u *news.User, id int64, reason string) (*news.Story, error) {
	var unplaced []string
	w, err := d.act(ctx, u, id, news.ActWithdraw, func(tx news.Tx, s *news.Story) error {
		if reason == "" {
			return &news.Error{Code: news.EINVALID, Message: "撤稿须说明理由。", Fields: map[string]string{"reason": "请填写撤稿理由"}}
		}
		if err := checkNote("reason", "撤稿理由", reason); err != nil {
			return err
		}
		s.Withdrawn = &news.Withdrawal{At: d.Now(), Reason: reason}
		if err := tx.Apply(ctx, s, u.ID, news.Change{Action: news.ActWithdraw, To: news.StateWithdrawn, Detail: reason, Text: true}); err != nil {
			return err
		}
		// A withdrawn story leaves every page it was placed on.
		var err error
		if unplaced, err = tx.Unplace(ctx, s.ID); err != nil {
			return err
		}
		return d.writeFile(ctx, tx, s)
	})
	if err != nil {
		return nil, err
	}
	if w, err = d.goLive(ctx, w); err != nil || len(unplaced) == 0 {
		return w, err
	}
	return w, d.showPlacement(ctx)
}

// maxNote bounds a return comment or a withdrawal reason, in characters.
const maxNote = 500

// checkNote refuses a comment or reason that is too long or holds control
// characters (newlines and tabs are fine).
func checkNote(field, label, v string) error {
	if _, bad := news.ControlChar(v, true); bad || utf8.RuneCountInString(v) > maxNote {
		msg := fmt.Sprintf("%s最多 %d 个字，且不能含控制字符", label, maxNote)
		return &news.Error{Code: news.EINVALID, Message: msg + "。", Fields: map[string]string{field: msg}}
	}
	return nil
}

// goLive shows a committed change of a live story to readers.
func (d *Service) goLive(ctx context.Context, s *news.Story) (*news.Story, error) {
	if err := d.Live.Update(ctx, []news.Story{*s}, nil); err != nil {
		return s, d.liveFailed(s, err)
	}
	return s, nil
}

// writeFile rewrites the content file of story s, inside tx.
func (d *Service) writeFile(ctx context.Context, tx news.Tx, s *news.Story) error {
	rel, err := tx.StoryPath(ctx, s.ID)
	if err != nil {
		return err
	}
	return d.write(tx, rel, s)
}

// withTx runs fn in one transaction of the store. Content files fn writes
// (d.write) are put back as they were when the transaction fails after
// them (a commit refused, as on a full disk), so that the files and the
// database still agree.
func (d *Service) withTx(ctx context.Context, fn func(tx news.Tx) error) error {
	ft := &fileTx{dir: d.Content}
	err := d.Store.WithTx(ctx, func(tx news.Tx) error {
		ft.Tx = tx
		return fn(ft)
	})
	if err != nil {
		if uerr := ft.undo(); uerr != nil && d.Log != nil {
			d.Log.Error("content file not put back after a failed transaction", "err", uerr)
		}
	}
	return err
}

// fileTx is a transaction that remembers the content files written in it,
// as they were before.
type fileTx struct {
	news.Tx
	dir    content.Dir
	before []oldFile
}

type oldFile struct {
	rel     string
	data    []byte
	existed bool
}

// remember keeps what rel holds before it is written.
func (t *fileTx) remember(rel string) {
	data, err := os.ReadFile(filepath.Join(t.dir.Root, filepath.FromSlash(rel)))
	t.before = append(t.before, oldFile{rel, data, err == nil})
}

// undo puts the files written back as they were, the last written first.
func (t *fileTx) undo() error {
	var errs []error
	for i := len(t.before) - 1; i >= 0; i-- {
		f := t.before[i]
		if f.existed {
			errs = append(errs, t.dir.Write(f.rel, f.data))
		} else if err := t.dir.Remove(f.rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	t.before = nil
	return errors.Join(errs...)
}

// write writes story s to its content file rel, inside tx.
func (d *Service) write(tx news.Tx, rel string, s *news.Story) error {
	at := d.Now()
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
	if ft, ok := tx.(*fileTx); ok {
		ft.remember(rel)
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
