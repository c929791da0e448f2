package desk

import (
	"context"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/notice"
	"newsroom/internal/sqlite"
)

// The desk's rules for official and legal notices (package notice holds
// the rules themselves): a notice is validated by kind whenever it is
// saved or submitted, numbered and sealed with its fingerprint when it is
// published, never edited once published (a correction is a new 更正公告,
// linked both ways), and kept in the archive with its text when withdrawn.

// prepareNotice normalizes and validates a notice before it is saved; it
// does nothing to other stories.
func prepareNotice(s *news.Story) error {
	if s.Kind != news.KindNotice {
		return nil
	}
	notice.Prepare(s)
	return notice.Validate(s)
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

// publishNotice publishes notice s at at. The number is reserved and the
// notice sealed first (sqlite.ReserveNotice); the publish transition then
// stores the sealed fields and writes the content file, refusing if the
// notice changed in between; the reservation is confirmed after it, or
// dropped if it failed. A correction is then linked from the notice it
// corrects, whose page gains the link (its text and fingerprint do not
// change).
func (d *Service) publishNotice(ctx context.Context, u *news.User, s *news.Story, at time.Time, detail string, check func(*news.Story) error) (*news.Story, error) {
	if err := prepareNotice(s); err != nil {
		return nil, err
	}
	slug := content.NewSlug(at)
	rel := content.RelPath(s.Kind, at, slug)
	sealed := *s
	rec, err := d.DB.ReserveNotice(ctx, s.ID, at, func(seq int) (*notice.Record, error) {
		n := *s.Notice
		sealed.Notice, sealed.URL, sealed.PublishedAt = &n, content.URLOf(rel), &at
		return notice.Seal(&sealed, at, seq)
	})
	if err != nil {
		return nil, err
	}
	if detail == "" {
		detail = rec.Number
	}
	pub, err := d.DB.Transition(ctx, s.ID, sqlite.Transition{
		To: news.StatePublished, UserID: u.ID, Action: "publish", Detail: detail,
		Slug: slug, Path: rel, PublishedAt: at, ClearSchedule: true,
		Check: func(st *news.Story) error {
			if check != nil {
				if err := check(st); err != nil {
					return err
				}
			}
			if st.Version != s.Version {
				return news.Errorf(news.ECONFLICT, "公告在发布时被修改，请重新发布。")
			}
			return nil
		},
		Mutate: func(st *news.Story) { st.Notice = sealed.Notice; st.Section = sealed.Section },
		Apply:  func(st *news.Story) error { return d.write(rel, st) },
	})
	if err != nil {
		if cerr := d.DB.CancelNotice(ctx, s.ID); cerr != nil && d.Log != nil {
			d.Log.Error("cancel notice reservation", "story", s.ID, "err", cerr)
		}
		return nil, err
	}
	if err := d.DB.ConfirmNotice(ctx, s.ID); err != nil {
		return nil, err
	}
	d.fill(ctx, pub)
	changed := []news.Story{*pub}
	if rec.Corrects != "" {
		if orig, err := d.linkCorrection(ctx, u, rec.Corrects, rec.Number); err != nil {
			return pub, err
		} else if orig != nil {
			changed = append(changed, *orig)
		}
	}
	if err := d.Live.Update(ctx, changed, nil); err != nil {
		return pub, d.liveFailed(pub, err)
	}
	return pub, nil
}

// linkCorrection adds correction number to the corrected_by list of the
// notice numbered orig and rewrites its content file.
func (d *Service) linkCorrection(ctx context.Context, u *news.User, orig, number string) (*news.Story, error) {
	r, err := d.DB.NoticeByNumber(ctx, orig)
	if err != nil {
		return nil, err
	}
	cur, err := d.DB.Story(ctx, r.StoryID)
	if err != nil {
		return nil, err
	}
	return d.DB.Transition(ctx, r.StoryID, sqlite.Transition{
		To: cur.State, UserID: u.ID, Action: "corrected-by", Detail: number,
		Mutate: func(st *news.Story) {
			if st.Notice != nil {
				st.Notice.CorrectedBy = append(st.Notice.CorrectedBy, number)
			}
		},
		Apply: func(st *news.Story) error { return d.writeFile(ctx, st) },
	})
}

// NoticeStatus says whether a notice's period is running now (公示中 /
// 已截止 and the days left), by the desk's clock.
func (d *Service) NoticeStatus(s *news.Story) notice.Status {
	now := time.Now()
	if d.Clock != nil {
		now = d.Clock.Now()
	}
	return notice.StatusAt(s.Notice, now)
}
