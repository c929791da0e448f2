package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"newsroom/internal/news"
	"newsroom/internal/notice"
)

// ReserveNotice takes the next notice number of the year of at for story
// id and records the sealed notice for verification, reserved until
// ConfirmNotice (or dropped by CancelNotice if the publish fails). seal
// numbers and seals a copy of the notice as the seq-th of the year. A
// correction's target must exist, be confirmed and not be withdrawn.
func (d *DB) ReserveNotice(ctx context.Context, id int64, at time.Time, seal func(seq int) (*notice.Record, error)) (*notice.Record, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// A reservation left by a crash between reserve and confirm is
	// dropped with its number unused; a new one replaces it.
	if _, err := tx.ExecContext(ctx, `DELETE FROM notices WHERE story_id = ? AND reserved = 1`, id); err != nil {
		return nil, err
	}
	year := at.In(news.Shanghai).Year()
	var seq int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM notices WHERE year = ?`, year).Scan(&seq); err != nil {
		return nil, err
	}
	rec, err := seal(seq)
	if err != nil {
		return nil, err
	}
	if rec.Corrects != "" {
		var state string
		err := tx.QueryRowContext(ctx, `SELECT s.state FROM notices n JOIN stories s ON s.id = n.story_id
			WHERE n.number = ? AND n.reserved = 0`, rec.Corrects).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, &news.Error{Code: news.EINVALID, Message: "被更正的公告 " + rec.Corrects + " 不存在。",
				Fields: map[string]string{"corrects": "档案中没有编号为 " + rec.Corrects + " 的公告"}}
		}
		if err != nil {
			return nil, err
		}
		if state == string(news.StateWithdrawn) {
			return nil, &news.Error{Code: news.EINVALID, Message: "公告 " + rec.Corrects + " 已撤回，不能更正。",
				Fields: map[string]string{"corrects": "公告 " + rec.Corrects + " 已撤回"}}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO notices (story_id, number, year, seq, fingerprint, body_key, text_key, kind, title,
		issuers, url, published_at, edition, page, page_name, canonical, period_start, period_end, corrects, reserved)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
		id, rec.Number, year, seq, rec.Fingerprint, rec.BodyKey, rec.TextKey, string(rec.Kind), rec.Title,
		strings.Join(rec.Issuers, "\n"), rec.URL, formatTime(at), rec.Edition, rec.Page, rec.PageName, rec.Canonical,
		rec.PeriodStart, rec.End, rec.Corrects); err != nil {
		return nil, fmt.Errorf("reserve notice number for story %d: %w", id, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return rec, nil
}

// ConfirmNotice marks the reserved record of story id as published: from
// now on /verify/ finds it.
func (d *DB) ConfirmNotice(ctx context.Context, id int64) error {
	_, err := d.db.ExecContext(ctx, `UPDATE notices SET reserved = 0 WHERE story_id = ?`, id)
	return err
}

// CancelNotice drops the reservation of story id after a failed publish.
func (d *DB) CancelNotice(ctx context.Context, id int64) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM notices WHERE story_id = ? AND reserved = 1`, id)
	return err
}

const noticeSelect = `SELECT n.story_id, n.number, n.fingerprint, n.body_key, n.text_key, n.kind, n.title, n.issuers, n.url,
	n.published_at, n.edition, n.page, n.page_name, n.canonical, n.period_start, n.period_end, n.corrects,
	coalesce(s.state, ''), coalesce(s.data, '{}') FROM notices n LEFT JOIN stories s ON s.id = n.story_id`

func (d *DB) scanNotices(ctx context.Context, where string, args ...any) ([]notice.Record, error) {
	rows, err := d.db.QueryContext(ctx, noticeSelect+" WHERE n.reserved = 0 AND ("+where+") ORDER BY n.published_at, n.number", args...)
	if err != nil {
		return nil, err
	}
	var out []notice.Record
	for rows.Next() {
		var r notice.Record
		var kind, issuers, published, state, data string
		if err := rows.Scan(&r.StoryID, &r.Number, &r.Fingerprint, &r.BodyKey, &r.TextKey, &kind, &r.Title, &issuers, &r.URL,
			&published, &r.Edition, &r.Page, &r.PageName, &r.Canonical, &r.PeriodStart, &r.End, &r.Corrects,
			&state, &data); err != nil {
			rows.Close()
			return nil, err
		}
		r.Kind, r.PublishedAt = notice.Kind(kind), parseTime(published)
		if issuers != "" {
			r.Issuers = strings.Split(issuers, "\n")
		}
		if state == string(news.StateWithdrawn) {
			var w struct {
				Withdrawn *news.Withdrawal `json:"withdrawn"`
			}
			json.Unmarshal([]byte(data), &w)
			if w.Withdrawn == nil {
				w.Withdrawn = &news.Withdrawal{}
			}
			r.Withdrawn = w.Withdrawn
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		crows, err := d.db.QueryContext(ctx, `SELECT number FROM notices WHERE corrects = ? AND reserved = 0 ORDER BY published_at`, out[i].Number)
		if err != nil {
			return nil, err
		}
		for crows.Next() {
			var n string
			if err := crows.Scan(&n); err == nil {
				out[i].CorrectedBy = append(out[i].CorrectedBy, n)
			}
		}
		crows.Close()
	}
	return out, nil
}

// NoticeByNumber returns the record of the published notice numbered
// number.
func (d *DB) NoticeByNumber(ctx context.Context, number string) (*notice.Record, error) {
	list, err := d.scanNotices(ctx, "n.number = ?", number)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, news.Errorf(news.ENOTFOUND, "没有编号为 %s 的公告。", number)
	}
	return &list[0], nil
}

// NoticesByFingerprint returns the published notices whose canonical text
// has the SHA-256 fingerprint fp (one, unless the same text was published
// twice).
func (d *DB) NoticesByFingerprint(ctx context.Context, fp string) ([]notice.Record, error) {
	return d.scanNotices(ctx, "n.fingerprint = ?", fp)
}

// NoticesByLooseKey returns the published notices whose body or canonical
// text has the white-space-free key (notice.LooseKey).
func (d *DB) NoticesByLooseKey(ctx context.Context, key string) ([]notice.Record, error) {
	return d.scanNotices(ctx, "n.body_key = ? OR n.text_key = ?", key, key)
}
