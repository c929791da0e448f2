package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"newsroom/internal/news"
)

// migrationMedia adds the media library: one row per uploaded picture, and
// which stories use which.
const migrationMedia = `
CREATE TABLE media (
	id          INTEGER PRIMARY KEY,
	file        TEXT NOT NULL UNIQUE,
	url         TEXT NOT NULL,
	width       INTEGER NOT NULL,
	height      INTEGER NOT NULL,
	bytes       INTEGER NOT NULL,
	format      TEXT NOT NULL,
	caption     TEXT NOT NULL DEFAULT '',
	credit      TEXT NOT NULL DEFAULT '',
	alt         TEXT NOT NULL DEFAULT '',
	story_id    INTEGER,
	uploaded_by INTEGER NOT NULL REFERENCES users(id),
	uploaded_at TEXT NOT NULL
);
CREATE INDEX media_time ON media(uploaded_at);
CREATE TABLE media_uses (
	story_id INTEGER NOT NULL,
	media_id INTEGER NOT NULL REFERENCES media(id),
	PRIMARY KEY (story_id, media_id)
);
CREATE INDEX media_uses_media ON media_uses(media_id);
`

var _ news.MediaStore = (*DB)(nil)

// CreateMedia records an uploaded picture and sets m.ID and m.UploadedAt.
func (d *DB) CreateMedia(ctx context.Context, m *news.Media) error {
	now := d.now()
	var sid any
	if m.StoryID > 0 {
		sid = m.StoryID
	}
	res, err := d.db.ExecContext(ctx, `INSERT INTO media (file, url, width, height, bytes, format, caption, credit, alt, story_id, uploaded_by, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.File, m.URL, m.Width, m.Height, m.Bytes, m.Format, m.Caption, m.Credit, m.Alt, sid, m.UploadedBy, now)
	if err != nil {
		return fmt.Errorf("record media: %w", err)
	}
	m.ID, _ = res.LastInsertId()
	m.UploadedAt = parseTime(now)
	if m.StoryID > 0 {
		return d.UseMedia(ctx, m.StoryID, []int64{m.ID})
	}
	return nil
}

const mediaColumns = `m.id, m.file, m.url, m.width, m.height, m.bytes, m.format, m.caption, m.credit, m.alt,
	COALESCE(m.story_id, 0), m.uploaded_by, COALESCE(u.name, ''), m.uploaded_at`

func scanMedia(row interface{ Scan(...any) error }) (*news.Media, error) {
	var m news.Media
	var at string
	err := row.Scan(&m.ID, &m.File, &m.URL, &m.Width, &m.Height, &m.Bytes, &m.Format, &m.Caption, &m.Credit, &m.Alt,
		&m.StoryID, &m.UploadedBy, &m.Uploader, &at)
	if err != nil {
		return nil, err
	}
	m.UploadedAt = parseTime(at)
	return &m, nil
}

// MediaByID returns one picture's record (news.ENOTFOUND if there is none).
func (d *DB) MediaByID(ctx context.Context, id int64) (*news.Media, error) {
	m, err := scanMedia(d.db.QueryRowContext(ctx, `SELECT `+mediaColumns+` FROM media m LEFT JOIN users u ON u.id = m.uploaded_by WHERE m.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, news.Errorf(news.ENOTFOUND, "没有这张照片（编号 %d）。", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read media %d: %w", id, err)
	}
	return m, nil
}

// FindMedia returns the pictures matching q, newest first. Each word of
// q.Text must occur in the caption, credit or alt text (a library of a few
// hundred thousand pictures is scanned in well under a second; the
// uploaded_at index serves the date range).
func (d *DB) FindMedia(ctx context.Context, q news.MediaQuery) ([]*news.Media, error) {
	var where []string
	var args []any
	for _, w := range strings.Fields(q.Text) {
		where = append(where, `instr(m.caption || ' ' || m.credit || ' ' || m.alt, ?) > 0`)
		args = append(args, w)
	}
	if q.StoryID > 0 {
		where = append(where, `(m.story_id = ? OR m.id IN (SELECT media_id FROM media_uses WHERE story_id = ?))`)
		args = append(args, q.StoryID, q.StoryID)
	}
	if !q.From.IsZero() {
		where = append(where, `m.uploaded_at >= ?`)
		args = append(args, formatTime(q.From))
	}
	if !q.To.IsZero() {
		where = append(where, `m.uploaded_at < ?`)
		args = append(args, formatTime(q.To))
	}
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	query := `SELECT ` + mediaColumns + ` FROM media m LEFT JOIN users u ON u.id = m.uploaded_by`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += fmt.Sprintf(` ORDER BY m.uploaded_at DESC, m.id DESC LIMIT %d`, limit)
	rows, err := d.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find media: %w", err)
	}
	defer rows.Close()
	var out []*news.Media
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, fmt.Errorf("find media: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// UseMedia records that a story uses the pictures ids; unknown ids are
// ignored (the story's own validation reports them).
func (d *DB) UseMedia(ctx context.Context, storyID int64, ids []int64) error {
	for _, id := range ids {
		if _, err := d.db.ExecContext(ctx, `INSERT OR IGNORE INTO media_uses (story_id, media_id) SELECT ?, id FROM media WHERE id = ?`, storyID, id); err != nil {
			return fmt.Errorf("record media use: %w", err)
		}
	}
	return nil
}

// DescribeMedia fills in the empty caption, credit and alt text of picture id.
func (d *DB) DescribeMedia(ctx context.Context, id int64, caption, credit, alt string) error {
	_, err := d.db.ExecContext(ctx, `UPDATE media SET
		caption = CASE WHEN caption = '' THEN ? ELSE caption END,
		credit = CASE WHEN credit = '' THEN ? ELSE credit END,
		alt = CASE WHEN alt = '' THEN ? ELSE alt END WHERE id = ?`, caption, credit, alt, id)
	if err != nil {
		return fmt.Errorf("describe media %d: %w", id, err)
	}
	return nil
}

// SetMediaText replaces the caption, credit and alt text of picture id.
func (d *DB) SetMediaText(ctx context.Context, id int64, caption, credit, alt string) error {
	res, err := d.db.ExecContext(ctx, `UPDATE media SET caption = ?, credit = ?, alt = ? WHERE id = ?`, caption, credit, alt, id)
	if err != nil {
		return fmt.Errorf("describe media %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.Errorf(news.ENOTFOUND, "没有这张照片（编号 %d）。", id)
	}
	return nil
}

// DeleteMedia removes the record of picture m unless a live or scheduled
// story names it (in its photos, by id or address, or in its text): then it
// returns those stories and removes nothing.
func (d *DB) DeleteMedia(ctx context.Context, m *news.Media) ([]news.MediaUse, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, coalesce(json_extract(data, '$.title'), ''), state FROM stories
		WHERE state IN (?, ?, ?) AND (instr(data, ?) > 0 OR EXISTS (SELECT 1 FROM json_each(data, '$.photos') p
			WHERE json_extract(p.value, '$.media') = ?)) ORDER BY id`,
		string(news.StatePublished), string(news.StateCorrected), string(news.StateScheduled), m.URL, m.ID)
	if err != nil {
		return nil, fmt.Errorf("find uses of media %d: %w", m.ID, err)
	}
	var uses []news.MediaUse
	for rows.Next() {
		var u news.MediaUse
		var st string
		if err := rows.Scan(&u.StoryID, &u.Title, &st); err != nil {
			rows.Close()
			return nil, err
		}
		u.State = news.State(st)
		uses = append(uses, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(uses) > 0 {
		return uses, nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM media_uses WHERE media_id = ?`, m.ID); err != nil {
		return nil, fmt.Errorf("delete media %d: %w", m.ID, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM media WHERE id = ?`, m.ID)
	if err != nil {
		return nil, fmt.Errorf("delete media %d: %w", m.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil, news.Errorf(news.ENOTFOUND, "没有这张照片（编号 %d）。", m.ID)
	}
	return nil, tx.Commit()
}
