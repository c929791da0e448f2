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
)

const signoffSelect = `SELECT g.story_id, g.level, g.role, g.user_id, coalesce(u.name, ''), coalesce(u.role, ''), g.created_at, g.proxy
	FROM signoffs g LEFT JOIN users u ON u.id = g.user_id WHERE g.void = 0`

func scanSignoffs(rows *sql.Rows) (map[int64][]news.Signoff, error) {
	defer rows.Close()
	out := map[int64][]news.Signoff{}
	for rows.Next() {
		var id int64
		var g news.Signoff
		var role, urole, at string
		if err := rows.Scan(&id, &g.Level, &role, &g.UserID, &g.User, &urole, &at, &g.Proxy); err != nil {
			return nil, err
		}
		g.Role, g.UserRole, g.At, g.Label = news.Role(role), news.Role(urole), parseTime(at), news.LevelLabel(g.Level)
		out[id] = append(out[id], g)
	}
	return out, rows.Err()
}

// loadSignoffs fills in the sign-offs of s's current round.
func loadSignoffs(ctx context.Context, q conn, s *news.Story) error {
	rows, err := q.QueryContext(ctx, signoffSelect+` AND g.story_id = ? ORDER BY g.level, g.id`, s.ID)
	if err != nil {
		return fmt.Errorf("load sign-offs: %w", err)
	}
	m, err := scanSignoffs(rows)
	if err != nil {
		return err
	}
	s.Signoffs = m[s.ID]
	if s.Signoffs == nil {
		s.Signoffs = []news.Signoff{}
	}
	return nil
}

// loadSignoffsOf fills in the sign-offs of a list of stories in one query.
func (d *DB) loadSignoffsOf(ctx context.Context, list []news.Story) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]any, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}
	rows, err := d.db.QueryContext(ctx, signoffSelect+` AND g.story_id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+`) ORDER BY g.level, g.id`, ids...)
	if err != nil {
		return fmt.Errorf("load sign-offs: %w", err)
	}
	m, err := scanSignoffs(rows)
	if err != nil {
		return err
	}
	for i := range list {
		list[i].Signoffs = m[list[i].ID]
		if list[i].Signoffs == nil {
			list[i].Signoffs = []news.Signoff{}
		}
	}
	return nil
}

// DueStories returns the scheduled stories due at now, earliest first.
func (d *DB) DueStories(ctx context.Context, now time.Time) ([]news.DueStory, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, scheduled_at, coalesce(scheduled_by, owner_id) FROM stories
		WHERE state = ? AND scheduled_at IS NOT NULL AND scheduled_at <= ? ORDER BY scheduled_at, id`,
		string(news.StateScheduled), formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("due stories: %w", err)
	}
	defer rows.Close()
	var out []news.DueStory
	for rows.Next() {
		var ds news.DueStory
		var at string
		if err := rows.Scan(&ds.ID, &at, &ds.UserID); err != nil {
			return nil, err
		}
		ds.At = parseTime(at)
		out = append(out, ds)
	}
	return out, rows.Err()
}

const workflowKey = "workflow"

// Workflow returns the review setting; the default (三审 everywhere) when
// no admin changed it.
func (d *DB) Workflow(ctx context.Context) (news.WorkflowConfig, error) { return workflow(ctx, d.db) }

// Workflow returns the review setting, in the transaction.
func (t *tx) Workflow(ctx context.Context) (news.WorkflowConfig, error) { return workflow(ctx, t.q) }

func workflow(ctx context.Context, q conn) (news.WorkflowConfig, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, workflowKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return news.DefaultWorkflow(), nil
	}
	if err != nil {
		return news.WorkflowConfig{}, fmt.Errorf("read workflow setting: %w", err)
	}
	var w news.WorkflowConfig
	if err := json.Unmarshal([]byte(v), &w); err != nil {
		return news.WorkflowConfig{}, fmt.Errorf("workflow setting is corrupt: %w", err)
	}
	return w, nil
}

// SetWorkflow stores the review setting and records the change.
func (d *DB) SetWorkflow(ctx context.Context, w news.WorkflowConfig, userID int64) error {
	if err := w.Validate(); err != nil {
		return err
	}
	b, _ := json.Marshal(w)
	now := d.clock.Now()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		workflowKey, string(b), formatTime(now), userID); err != nil {
		return fmt.Errorf("store workflow setting: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (story_id, user_id, action, detail, created_at) VALUES (NULL, ?, ?, ?, ?)`,
		userID, string(news.ActSetWorkflow), string(b), formatTime(now)); err != nil {
		return fmt.Errorf("record event: %w", err)
	}
	return tx.Commit()
}

// Revisions lists a story's revisions, newest first, without their text.
func (d *DB) Revisions(ctx context.Context, storyID int64) ([]news.Revision, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT r.version, coalesce(u.name, ''), r.created_at FROM revisions r
		LEFT JOIN users u ON u.id = r.user_id WHERE r.story_id = ? ORDER BY r.version DESC`, storyID)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	defer rows.Close()
	var out []news.Revision
	for rows.Next() {
		var r news.Revision
		var at string
		if err := rows.Scan(&r.Version, &r.User, &at); err != nil {
			return nil, err
		}
		r.At = parseTime(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// Revision returns one revision with its text.
func (d *DB) Revision(ctx context.Context, storyID int64, version int) (*news.Revision, error) {
	var r news.Revision
	var at, data string
	err := d.db.QueryRowContext(ctx, `SELECT r.version, coalesce(u.name, ''), r.created_at, r.data FROM revisions r
		LEFT JOIN users u ON u.id = r.user_id WHERE r.story_id = ? AND r.version = ?`, storyID, version).Scan(&r.Version, &r.User, &at, &data)
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("修订 %d ", version))
	}
	r.At = parseTime(at)
	r.Story = &news.Story{ID: storyID, Version: version}
	if err := applyData(r.Story, data); err != nil {
		return nil, err
	}
	return &r, nil
}

// Audit returns the log of every action (state changes, sign-offs, edits,
// publishes, settings), newest first.
func (d *DB) Audit(ctx context.Context, f news.AuditFilter) ([]news.AuditEntry, error) {
	q := `SELECT e.id, e.created_at, coalesce(u.name, ''), coalesce(u.role, ''), e.action, e.detail, coalesce(e.story_id, 0),
		coalesce(json_extract(s.data, '$.title'), '') FROM events e LEFT JOIN users u ON u.id = e.user_id
		LEFT JOIN stories s ON s.id = e.story_id WHERE 1=1`
	var args []any
	if f.User != "" {
		q += ` AND u.name = ?`
		args = append(args, f.User)
	}
	if f.Action != "" {
		q += ` AND e.action = ?`
		args = append(args, f.Action)
	}
	if !f.From.IsZero() {
		q += ` AND e.created_at >= ?`
		args = append(args, formatTime(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND e.created_at < ?`
		args = append(args, formatTime(f.To))
	}
	if f.StoryID != 0 {
		q += ` AND e.story_id = ?`
		args = append(args, f.StoryID)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	q += ` ORDER BY e.id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	out := []news.AuditEntry{}
	for rows.Next() {
		var e news.AuditEntry
		var at, role string
		if err := rows.Scan(&e.ID, &at, &e.User, &role, &e.Action, &e.Detail, &e.StoryID, &e.Title); err != nil {
			return nil, err
		}
		e.At, e.Role = parseTime(at), news.Role(role)
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecordEvent adds an entry to a story's history outside a transition
// (a restore, for example).
func (d *DB) RecordEvent(ctx context.Context, storyID, userID int64, action news.Action, detail string) error {
	return addEvent(ctx, d.db, storyID, userID, action, detail, d.clock.Now())
}

// CorrectedStories lists the live stories that carry correction notes,
// most recently corrected first.
func (d *DB) CorrectedStories(ctx context.Context, limit int) ([]news.CorrectedStory, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := d.db.QueryContext(ctx, storySelect+` WHERE s.state = ? ORDER BY s.updated_at DESC LIMIT ?`, string(news.StateCorrected), limit)
	if err != nil {
		return nil, fmt.Errorf("corrected stories: %w", err)
	}
	defer rows.Close()
	var out []news.CorrectedStory
	for rows.Next() {
		s, err := scanStory(rows)
		if err != nil {
			return nil, err
		}
		if len(s.Corrections) > 0 {
			out = append(out, news.CorrectedStory{Title: s.Title, URL: s.URL, Corrections: s.Corrections})
		}
	}
	return out, rows.Err()
}
