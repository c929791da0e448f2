package desk

import (
	"context"

	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/notice"
)

// The desk's rules for official and legal notices (package notice holds
// the rules themselves): a notice is validated by kind whenever it is
// saved or submitted, numbered and sealed with its fingerprint when it is
// published, never edited once published (a correction is a new 更正公告,
// linked both ways), and kept in the archive with its text when withdrawn.

// prepareNotice normalizes a notice and checks every rule of its kind,
// those that depend on the publication date too (as if published now), so
// that a problem is found when the notice is filed, saved, submitted or
// signed off, never first at 签发; the error lists every wrong or missing
// field. It does nothing to other stories.
func (d *Service) prepareNotice(s *news.Story) error {
	if s.Kind != news.KindNotice {
		return nil
	}
	notice.Prepare(s)
	return notice.Check(s, d.Now())
}

// editPublishedNotice refuses any edit of a published or withdrawn notice:
// what was published is a legal act and must stay exactly as it was.
func editPublishedNotice(cur *news.Story) error {
	if cur.Kind == news.KindNotice && (cur.PublishedAt != nil || cur.State.Live() || cur.State == news.StateWithdrawn) {
		num := ""
		if cur.Notice != nil {
			num = cur.Notice.Number
		}
		return news.Errorf(news.ECONFLICT, "已发布的公告不能修改；如需更正，请另发更正公告（kind: correction，corrects: %s）。", num)
	}
	return nil
}

// sealNotice readies notice s, in the transaction that publishes it by
// change c, for publication: it takes the year's next number, seals the
// notice (its period, canonical text and fingerprint) and records it for
// verification; c then stores the sealed text. A correction's target must
// be published and not withdrawn: it is returned, to be linked once the
// correction is published.
func (d *Service) sealNotice(ctx context.Context, tx news.Tx, u *news.User, s *news.Story, c *news.Change) (*news.Story, error) {
	notice.Prepare(s)
	at := c.Publish.At
	seq, err := tx.NextNoticeSeq(ctx, at.In(news.Shanghai).Year())
	if err != nil {
		return nil, err
	}
	sealed := *s
	n := *s.Notice
	sealed.Notice, sealed.URL, sealed.PublishedAt = &n, content.URLOf(c.Publish.Path), &at
	rec, err := notice.Seal(&sealed, at, seq)
	if err != nil {
		return nil, err
	}
	var orig *news.Story
	if rec.Corrects != "" {
		r, err := tx.NoticeByNumber(ctx, rec.Corrects)
		if news.ErrorCode(err) == news.ENOTFOUND {
			return nil, &news.Error{Code: news.EINVALID, Message: "被更正的公告 " + rec.Corrects + " 不存在。",
				Fields: map[string]string{"corrects": "档案中没有编号为 " + rec.Corrects + " 的公告"}}
		}
		if err != nil {
			return nil, err
		}
		if r.Withdrawn != nil {
			return nil, &news.Error{Code: news.EINVALID, Message: "公告 " + rec.Corrects + " 已撤回，不能更正。",
				Fields: map[string]string{"corrects": "公告 " + rec.Corrects + " 已撤回"}}
		}
		if orig, err = tx.Story(ctx, r.StoryID); err != nil {
			return nil, err
		}
	}
	if err := tx.AddNotice(ctx, rec, seq); err != nil {
		return nil, err
	}
	if c.Detail == "" {
		c.Detail = rec.Number
	}
	s.Notice, s.Section, c.Text = sealed.Notice, sealed.Section, true
	return orig, nil
}

// linkCorrection adds correction number to the corrected_by list of the
// notice orig and rewrites its content file, inside tx.
func (d *Service) linkCorrection(ctx context.Context, tx news.Tx, u *news.User, orig *news.Story, number string) error {
	if orig.Notice != nil {
		orig.Notice.CorrectedBy = append(orig.Notice.CorrectedBy, number)
	}
	if err := tx.Apply(ctx, orig, u.ID, news.Change{Action: news.ActCorrectedBy, To: orig.State, Detail: number, Text: true}); err != nil {
		return err
	}
	return d.writeFile(ctx, tx, orig)
}

// NoticeStatus says whether a notice's period is running now (公示中 /
// 已截止 and the days left), by the desk's clock.
func (d *Service) NoticeStatus(s *news.Story) notice.Status {
	return notice.StatusAt(s.Notice, d.Now())
}
