package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"newsroom/internal/news"
)

// NextNoticeSeq returns the next free sequence number of year's notices.
func (t *tx) NextNoticeSeq(ctx context.Context, year int) (int, error) {
	var seq int
	err := t.q.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM notices WHERE year = ?`, year).Scan(&seq)
	return seq, err
}

// AddNotice records a published notice for verification, as the seq-th of
// the year it was published in. The row is written in the transaction that
// publishes the notice, so a number is taken only by a notice that was
// published, and never reused.
func (t *tx) AddNotice(ctx context.Context, rec *news.NoticeRecord, seq int) error {
	// A reservation left by an older version of the program (which
	// numbered a notice before its publish transaction) is dropped with its
	// number unused.
	if _, err := t.q.ExecContext(ctx, `DELETE FROM notices WHERE story_id = ? AND reserved = 1`, rec.StoryID); err != nil {
		return err
	}
	year := rec.PublishedAt.In(news.Shanghai).Year()
	if _, err := t.q.ExecContext(ctx, `INSERT INTO notices (story_id, number, year, seq, fingerprint, body_key, text_key, kind, title,
		issuers, url, published_at, edition, page, page_name, canonical, period_start, period_end, corrects, reserved)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
		rec.StoryID, rec.Number, year, seq, rec.Fingerprint, rec.BodyKey, rec.TextKey, rec.Kind, rec.Title,
		strings.Join(rec.Issuers, "\n"), rec.URL, formatTime(rec.PublishedAt), rec.Edition, rec.Page, rec.PageName, rec.Canonical,
		rec.PeriodStart, rec.End, rec.Corrects); err != nil {
		return fmt.Errorf("record notice %s of story %d: %w", rec.Number, rec.StoryID, err)
	}
	return nil
}

// ReserveNotice takes a notice number without recording the notice for
// verification (a reserved row: verification never finds it, and the
// year's next number comes after it).
func (t *tx) ReserveNotice(ctx context.Context, storyID int64, number string, year, seq int) error {
	if _, err := t.q.ExecContext(ctx, `INSERT INTO notices (story_id, number, year, seq, fingerprint, body_key, text_key, kind, title,
		url, published_at, canonical, reserved) VALUES (?, ?, ?, ?, '', '', '', '', '', '', '', '', 1)`, storyID, number, year, seq); err != nil {
		return fmt.Errorf("reserve notice number %s for story %d: %w", number, storyID, err)
	}
	return nil
}

const noticeSelect = `SELECT n.story_id, n.number, n.fingerprint, n.body_key, n.text_key, n.kind, n.title, n.issuers, n.url,
	n.published_at, n.edition, n.page, n.page_name, n.canonical, n.period_start, n.period_end, n.corrects,
	coalesce(s.state, ''), coalesce(s.data, '{}') FROM notices n LEFT JOIN stories s ON s.id = n.story_id`

func scanNotices(ctx context.Context, q conn, where string, args ...any) ([]news.NoticeRecord, error) {
	rows, err := q.QueryContext(ctx, noticeSelect+" WHERE n.reserved = 0 AND ("+where+") ORDER BY n.published_at, n.number", args...)
	if err != nil {
		return nil, err
	}
	var out []news.NoticeRecord
	for rows.Next() {
		var r news.NoticeRecord
		var kind, issuers, published, state, data string
		if err := rows.Scan(&r.StoryID, &r.Number, &r.Fingerprint, &r.BodyKey, &r.TextKey, &kind, &r.Title, &issuers, &r.URL,
			&published, &r.Edition, &r.Page, &r.PageName, &r.Canonical, &r.PeriodStart, &r.End, &r.Corrects,
			&state, &data); err != nil {
			rows.Close()
			return nil, err
		}
		r.Kind, r.PublishedAt = kind, parseTime(published)
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
		crows, err := q.QueryContext(ctx, `SELECT number FROM notices WHERE corrects = ? AND reserved = 0 ORDER BY published_at`, out[i].Number)
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
func (d *DB) NoticeByNumber(ctx context.Context, number string) (*news.NoticeRecord, error) {
	return noticeByNumber(ctx, d.db, number)
}

// NoticeByNumber returns the record of the published notice numbered
// number, in the transaction.
func (t *tx) NoticeByNumber(ctx context.Context, number string) (*news.NoticeRecord, error) {
	return noticeByNumber(ctx, t.q, number)
}

func noticeByNumber(ctx context.Context, q conn, number string) (*news.NoticeRecord, error) {
	list, err := scanNotices(ctx, q, "n.number = ?", number)
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
func (d *DB) NoticesByFingerprint(ctx context.Context, fp string) ([]news.NoticeRecord, error) {
	return scanNotices(ctx, d.db, "n.fingerprint = ?", fp)
}

// NoticesByLooseKey returns the published notices whose body or canonical
// text has the white-space-free key (notice.LooseKey).
func (d *DB) NoticesByLooseKey(ctx context.Context, key string) ([]news.NoticeRecord, error) {
	return scanNotices(ctx, d.db, "n.body_key = ? OR n.text_key = ?", key, key)
}
