package desk

import (
	"context"
	"errors"
	"fmt"

	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/notice"
	"newsroom/internal/password"
)

// ArchiveUser is the account that owns the stories taken into the desk
// from content files (AdoptFiles): the demo paper's, hand-placed files, an
// archive copied in from elsewhere. It is an editor account with a random
// password nobody knows, made when first needed.
const ArchiveUser = "archive"

// AdoptReport says what AdoptFiles did.
type AdoptReport struct {
	Adopted []news.Story `json:"-"`
	// Count is how many files became stories; Known how many belonged to
	// a story already; Failed the files that could not be read, with why.
	Count  int               `json:"adopted"`
	Known  int               `json:"known"`
	Failed map[string]string `json:"failed"`
	// Verifiable is how many adopted notices went into the verification
	// archive (/verify/) with their number; Unverified the adopted
	// notices with a number that did not, with why (a number taken, or a
	// fingerprint that is not of the file's text).
	Verifiable int               `json:"verifiable"`
	Unverified map[string]string `json:"unverified"`
}

// AdoptFiles takes every story and notice file of the content folder that
// no story of the database owns into the desk, so that it can be found,
// corrected and withdrawn like any other story. Each becomes a story owned
// by ArchiveUser in the state its file shows (published, corrected or
// withdrawn), with its path, URL, slug and dates as they are: the file and
// the site are not touched, and the text of its first revision is the
// file's. Running it again adopts nothing twice (a path belongs to at most
// one story). Only admins may do it.
func (d *Service) AdoptFiles(ctx context.Context, u *news.User) (*AdoptReport, error) {
	if u.Role != news.RoleAdmin {
		return nil, forbidden("只有管理员可以收录文件稿件。")
	}
	owner, err := d.archiveUser(ctx)
	if err != nil {
		return nil, err
	}
	rep := &AdoptReport{Failed: map[string]string{}, Unverified: map[string]string{}}
	err = d.Content.Files(func(rel string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		id, err := d.Store.StoryIDByPath(ctx, rel)
		if err != nil {
			return err
		}
		if id != 0 {
			rep.Known++
			return nil
		}
		it, err := d.Content.Read(rel)
		if err != nil {
			rep.Failed[rel] = err.Error()
			return nil
		}
		s := it.Story
		if s.ID != 0 && d.inFlight(ctx, &s) {
			// The desk is publishing this very story: its file is
			// written before its path is committed.
			rep.Known++
			return nil
		}
		s.Normalize()
		if err := s.Validate(); err != nil {
			rep.Failed[rel] = news.Plain(err).Error()
			return nil
		}
		ok, err := d.Store.AdoptStory(ctx, &s, rel, owner.ID, u.ID)
		if err != nil {
			return err
		}
		if !ok {
			rep.Known++
			return nil
		}
		s.Owner = owner.Name
		rep.Adopted = append(rep.Adopted, s)
		rep.Count++
		if s.Kind == news.KindNotice && s.Notice != nil && s.Notice.Number != "" {
			if err := d.recordAdoptedNotice(ctx, s, rel); err != nil {
				rep.Unverified[rel] = news.Plain(err).Error()
			} else {
				rep.Verifiable++
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("adopt content files: %w", err)
	}
	return rep, nil
}

// inFlight reports whether file story s (whose file names story s.ID) is
// a story of the desk being published right now: same title, no path yet.
func (d *Service) inFlight(ctx context.Context, s *news.Story) bool {
	cur, err := d.Store.Story(ctx, s.ID)
	if err != nil {
		return false
	}
	path, err := d.Store.StoryPath(ctx, s.ID)
	return err == nil && path == "" && cur.Title == s.Title
}

// archiveUser returns the ArchiveUser account, making it if needed.
func (d *Service) archiveUser(ctx context.Context) (*news.User, error) {
	u, err := d.Store.UserByName(ctx, ArchiveUser)
	if err == nil {
		return u, nil
	}
	if news.ErrorCode(err) != news.ENOTFOUND {
		return nil, err
	}
	u = &news.User{Name: ArchiveUser, Role: news.RoleEditor}
	if err := d.Store.CreateUser(ctx, u, password.NewReadable()); err != nil {
		// Made meanwhile by another adoption.
		if again, gerr := d.Store.UserByName(ctx, ArchiveUser); gerr == nil {
			return again, nil
		}
		return nil, errors.Join(fmt.Errorf("create user %q", ArchiveUser), err)
	}
	return u, nil
}

// recordAdoptedNotice puts adopted notice s, sealed where it was published,
// into the verification archive with its number, as its publication would
// have: only when its fingerprint is that of its text and its number is
// free. A number of this paper's form on a notice that cannot be vouched
// for (its file changed after sealing) is still taken, so the desk never
// prints it on another notice.
func (d *Service) recordAdoptedNotice(ctx context.Context, s news.Story, rel string) error {
	if s.URL == "" {
		s.URL = content.URLOf(rel)
	}
	rec, seq, rerr := notice.RecordOf(&s)
	if rerr != nil && seq == 0 {
		return rerr
	}
	err := d.Store.WithTx(ctx, func(tx news.Tx) error {
		number := s.Notice.Number
		if _, err := tx.NoticeByNumber(ctx, number); news.ErrorCode(err) != news.ENOTFOUND {
			if err == nil {
				err = fmt.Errorf("notice number %s is taken by another notice", number)
			}
			return err
		}
		if rerr != nil {
			return tx.ReserveNotice(ctx, s.ID, number, s.PublishedAt.In(news.Shanghai).Year(), seq)
		}
		return tx.AddNotice(ctx, rec, seq)
	})
	if err != nil {
		return err
	}
	return rerr
}
