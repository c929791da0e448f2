package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"newsroom/internal/news"
)

// storyData is the part of a story kept as JSON in stories.data: what the
// author edits. State, ownership and timestamps have their own columns.
type storyData struct {
	Kind     news.Kind        `json:"kind"`
	Kicker   string           `json:"kicker,omitempty"`
	Title    string           `json:"title"`
	Subtitle string           `json:"subtitle,omitempty"`
	Vertical bool             `json:"vertical,omitempty"`
	Authors  []string         `json:"authors,omitempty"`
	Source   string           `json:"source,omitempty"`
	Repost   *news.Repost     `json:"repost,omitempty"`
	Section  string           `json:"section,omitempty"`
	Tags     []string         `json:"tags,omitempty"`
	Body     string           `json:"body,omitempty"`
	Photos   []news.Photo     `json:"photos,omitempty"`
	Notice   *news.NoticeInfo `json:"notice,omitempty"`
	Edition  string           `json:"edition,omitempty"`
	Page     int              `json:"page,omitempty"`
	PageName string           `json:"page_name,omitempty"`
	Editor   string           `json:"editor,omitempty"`
	// Workflow records kept with the text, so a revision carries them too.
	Corrections []news.Correction `json:"corrections,omitempty"`
	Withdrawn   *news.Withdrawal  `json:"withdrawn,omitempty"`
}

func dataOf(s *news.Story) string {
	b, _ := json.Marshal(storyData{
		Kind: s.Kind, Kicker: s.Kicker, Title: s.Title, Subtitle: s.Subtitle, Vertical: s.Vertical,
		Authors: s.Authors, Source: s.Source, Repost: s.Repost, Section: s.Section, Tags: s.Tags,
		Body: s.Body, Photos: s.Photos, Notice: s.Notice, Edition: s.Edition, Page: s.Page, PageName: s.PageName,
		Editor: s.Editor, Corrections: s.Corrections, Withdrawn: s.Withdrawn,
	})
	return string(b)
}

func applyData(s *news.Story, data string) error {
	var d storyData
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return fmt.Errorf("story %d: corrupt data: %w", s.ID, err)
	}
	s.Kind, s.Kicker, s.Title, s.Subtitle, s.Vertical = d.Kind, d.Kicker, d.Title, d.Subtitle, d.Vertical
	s.Authors, s.Source, s.Repost, s.Section, s.Tags = d.Authors, d.Source, d.Repost, d.Section, d.Tags
	s.Body, s.Photos, s.Notice, s.Edition, s.Page, s.PageName = d.Body, d.Photos, d.Notice, d.Edition, d.Page, d.PageName
	s.Corrections, s.Withdrawn, s.Editor = d.Corrections, d.Withdrawn, d.Editor
	return nil
}

// CreateStory stores a new draft owned by userID, as its first revision.
func (d *DB) CreateStory(ctx context.Context, s *news.Story, userID int64) error {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	now := d.clock.Now()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	data := dataOf(s)
	res, err := tx.ExecContext(ctx, `INSERT INTO stories (data, state, owner_id, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)`,
		data, string(news.StateDraft), userID, formatTime(now), formatTime(now))
	if err != nil {
		return fmt.Errorf("create story: %w", err)
	}
	id, _ := res.LastInsertId()
	if err := addRevision(ctx, tx, id, 1, userID, data, now); err != nil {
		return err
	}
	if err := addEvent(ctx, tx, id, userID, news.ActCreate, "", now); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("create story: %w", err)
	}
	s.ID, s.State, s.OwnerID, s.Version, s.CreatedAt, s.UpdatedAt = id, news.StateDraft, userID, 1, now, now
	return nil
}

// UpdateStory saves an edit of s made from version base. If the story
// changed since base, nothing is written and an ECONFLICT error is returned,
// so no edit is silently lost.
func (d *DB) UpdateStory(ctx context.Context, s *news.Story, base int, userID int64) (*news.Story, error) {
	var out *news.Story
	err := d.WithTx(ctx, func(t news.Tx) error {
		var err error
		out, err = t.UpdateStory(ctx, s, base, userID)
		return err
	})
	return out, err
}

// UpdateStory saves an edit of s made from version base, in the
// transaction.
func (t *tx) UpdateStory(ctx context.Context, s *news.Story, base int, userID int64) (*news.Story, error) {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	now := t.clock.Now()
	var version int
	if err := t.q.QueryRowContext(ctx, `SELECT version FROM stories WHERE id = ?`, s.ID).Scan(&version); err != nil {
		return nil, notFound(err, "稿件")
	}
	if version != base {
		return nil, &news.Error{Code: news.ECONFLICT, Message: fmt.Sprintf("稿件已被他人修改（当前为修订 %d，你编辑的是修订 %d）。请对照最新内容后再保存。", version, base)}
	}
	data := dataOf(s)
	if _, err := t.q.ExecContext(ctx, `UPDATE stories SET data = ?, version = ?, updated_at = ? WHERE id = ?`,
		data, version+1, formatTime(now), s.ID); err != nil {
		return nil, fmt.Errorf("update story %d: %w", s.ID, err)
	}
	if err := addRevision(ctx, t.q, s.ID, version+1, userID, data, now); err != nil {
		return nil, err
	}
	if err := addEvent(ctx, t.q, s.ID, userID, news.ActEdit, "", now); err != nil {
		return nil, err
	}
	return t.Story(ctx, s.ID)
}

// Apply stores change c of story s (as read in this transaction) and
// updates s to match.
func (t *tx) Apply(ctx context.Context, s *news.Story, userID int64, c news.Change) error {
	if len(c.From) > 0 && !slices.Contains(c.From, s.State) {
		return news.Errorf(news.ECONFLICT, "稿件当前状态为「%s」，不能执行此操作。", s.State.Label())
	}
	now := t.clock.Now()
	q := `UPDATE stories SET state = ?, updated_at = ?`
	args := []any{string(c.To), formatTime(now)}
	if p := c.Publish; p != nil {
		q += `, slug = ?, path = ?, published_at = ?`
		args = append(args, p.Slug, p.Path, formatTime(p.At))
	}
	if c.Owner != 0 {
		q += `, owner_id = ?`
		args = append(args, c.Owner)
	}
	if c.Text {
		q += `, data = ?`
		args = append(args, dataOf(s))
	}
	switch {
	case c.Schedule != nil:
		q += `, scheduled_at = ?, scheduled_by = ?`
		args = append(args, formatTime(*c.Schedule), userID)
	case c.ClearSchedule:
		q += `, scheduled_at = NULL, scheduled_by = NULL`
	}
	q += ` WHERE id = ?`
	args = append(args, s.ID)
	if _, err := t.q.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("%s story %d: %w", c.Action, s.ID, err)
	}
	if g := c.Signoff; g != nil {
		if _, err := t.q.ExecContext(ctx, `INSERT INTO signoffs (story_id, level, role, user_id, created_at, proxy) VALUES (?, ?, ?, ?, ?, ?)`,
			s.ID, g.Level, string(g.Role), g.UserID, formatTime(now), g.Proxy); err != nil {
			return fmt.Errorf("record sign-off: %w", err)
		}
		signed := *g
		signed.At = now
		s.Signoffs = append(s.Signoffs, signed)
	}
	if c.VoidSignoffs {
		if _, err := t.q.ExecContext(ctx, `UPDATE signoffs SET void = 1 WHERE story_id = ? AND void = 0`, s.ID); err != nil {
			return fmt.Errorf("void sign-offs: %w", err)
		}
		s.Signoffs = []news.Signoff{}
	}
	if err := addEvent(ctx, t.q, s.ID, userID, c.Action, c.Detail, now); err != nil {
		return err
	}
	s.State, s.UpdatedAt = c.To, now
	if c.Owner != 0 {
		s.OwnerID = c.Owner
	}
	switch {
	case c.Schedule != nil:
		at := *c.Schedule
		s.ScheduledAt = &at
	case c.ClearSchedule:
		s.ScheduledAt = nil
	}
	if p := c.Publish; p != nil {
		at := p.At
		s.Slug, s.PublishedAt, s.URL = p.Slug, &at, urlOfPath(p.Path)
	}
	return nil
}

// StoryPath returns where a published story's content file lives, "" if
// it has none.
func (d *DB) StoryPath(ctx context.Context, id int64) (string, error) {
	return storyPath(ctx, d.db, id)
}

// StoryPath returns where a story's content file lives, in the
// transaction.
func (t *tx) StoryPath(ctx context.Context, id int64) (string, error) { return storyPath(ctx, t.q, id) }

func storyPath(ctx context.Context, q conn, id int64) (string, error) {
	var p string
	err := q.QueryRowContext(ctx, `SELECT path FROM stories WHERE id = ?`, id).Scan(&p)
	return p, notFound(err, "稿件")
}

const storySelect = `SELECT s.id, s.data, s.state, s.owner_id, coalesce(u.name, ''), s.version, s.slug, s.path,
	s.created_at, s.updated_at, s.published_at, s.scheduled_at,
	coalesce((SELECT i.file FROM imports i WHERE i.story_id = s.id LIMIT 1), '')
	FROM stories s LEFT JOIN users u ON u.id = s.owner_id`

type scanner interface{ Scan(...any) error }

func scanStory(row scanner) (*news.Story, error) {
	var s news.Story
	var data, state, path, created, updated string
	var published, scheduled sql.NullString
	if err := row.Scan(&s.ID, &data, &state, &s.OwnerID, &s.Owner, &s.Version, &s.Slug, &path, &created, &updated, &published, &scheduled, &s.ImportFile); err != nil {
		return nil, err
	}
	if err := applyData(&s, data); err != nil {
		return nil, err
	}
	s.State, s.CreatedAt, s.UpdatedAt = news.State(state), parseTime(created), parseTime(updated)
	if published.Valid {
		t := parseTime(published.String)
		s.PublishedAt = &t
	}
	if scheduled.Valid {
		t := parseTime(scheduled.String)
		s.ScheduledAt = &t
	}
	// A withdrawn story keeps its page, which says it was withdrawn.
	if path != "" && (s.State.Live() || s.State == news.StateWithdrawn) {
		s.URL = urlOfPath(path)
	}
	return &s, nil
}

// urlOfPath mirrors content.URLOf; it is repeated here (three lines) so
// that storage does not depend on the content package.
func urlOfPath(p string) string { return "/" + strings.TrimSuffix(p, ".md") + "/" }

// Story returns one story with the sign-offs of its current round.
func (d *DB) Story(ctx context.Context, id int64) (*news.Story, error) { return story(ctx, d.db, id) }

// Story returns one story as it is in the transaction.
func (t *tx) Story(ctx context.Context, id int64) (*news.Story, error) { return story(ctx, t.q, id) }

func story(ctx context.Context, q conn, id int64) (*news.Story, error) {
	s, err := scanStory(q.QueryRowContext(ctx, storySelect+` WHERE s.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "稿件")
	}
	if err := loadSignoffs(ctx, q, s); err != nil {
		return nil, err
	}
	return s, nil
}

// storyWhere is the WHERE clause of the stories f selects, with its
// arguments. The text search is a substring match (instr) over the title
// and the body as stored: it finds any run of Chinese characters, drafts
// included, without an index; the public search (package search) is
// where ranking and word segmentation live.
func storyWhere(f news.StoryFilter) (string, []any) {
	q := ` WHERE 1=1`
	var args []any
	if f.OwnerID != 0 {
		q += ` AND s.owner_id = ?`
		args = append(args, f.OwnerID)
	}
	if f.Owner != "" {
		q += ` AND u.name = ?`
		args = append(args, f.Owner)
	}
	if len(f.States) > 0 {
		q += ` AND s.state IN (` + strings.TrimSuffix(strings.Repeat("?,", len(f.States)), ",") + `)`
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	if f.Section != "" {
		q += ` AND json_extract(s.data, '$.section') = ?`
		args = append(args, f.Section)
	}
	if f.Edition != "" {
		q += ` AND json_extract(s.data, '$.edition') = ?`
		args = append(args, f.Edition)
	}
	if f.Page != 0 {
		q += ` AND json_extract(s.data, '$.page') = ?`
		args = append(args, f.Page)
	}
	if f.Query != "" {
		q += ` AND (instr(json_extract(s.data, '$.title'), ?) > 0 OR instr(coalesce(json_extract(s.data, '$.body'), ''), ?) > 0)`
		args = append(args, f.Query, f.Query)
	}
	return q, args
}

// CountStories counts the stories f selects, ignoring its Limit and
// Offset.
func (d *DB) CountStories(ctx context.Context, f news.StoryFilter) (int, error) {
	where, args := storyWhere(f)
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM stories s LEFT JOIN users u ON u.id = s.owner_id`+where, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count stories: %w", err)
	}
	return n, nil
}

// Stories lists stories, most recently changed first.
func (d *DB) Stories(ctx context.Context, f news.StoryFilter) ([]news.Story, error) {
	where, args := storyWhere(f)
	q := storySelect + where
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q += ` ORDER BY s.updated_at DESC, s.id DESC LIMIT ? OFFSET ?`
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	defer rows.Close()
	var out []news.Story
	for rows.Next() {
		s, err := scanStory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, d.loadSignoffsOf(ctx, out)
}

// Events returns a story's history, oldest first.
func (d *DB) Events(ctx context.Context, storyID int64) ([]news.Event, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT e.created_at, coalesce(u.name, ''), e.action, e.detail
		FROM events e LEFT JOIN users u ON u.id = e.user_id WHERE e.story_id = ? ORDER BY e.id`, storyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Event
	for rows.Next() {
		var e news.Event
		var at string
		if err := rows.Scan(&at, &e.User, &e.Action, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func addRevision(ctx context.Context, tx conn, storyID int64, version int, userID int64, data string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO revisions (story_id, version, user_id, data, created_at) VALUES (?, ?, ?, ?, ?)`,
		storyID, version, userID, data, formatTime(at))
	if err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	return nil
}

func addEvent(ctx context.Context, tx conn, storyID, userID int64, action news.Action, detail string, at time.Time) error {
	// Events about no story (accounts, settings) have story_id NULL.
	story := sql.NullInt64{Int64: storyID, Valid: storyID != 0}
	_, err := tx.ExecContext(ctx, `INSERT INTO events (story_id, user_id, action, detail, created_at) VALUES (?, ?, ?, ?, ?)`,
		story, userID, string(action), detail, formatTime(at))
	if err != nil {
		return fmt.Errorf("record event: %w", err)
	}
	return nil
}
