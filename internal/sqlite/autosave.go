package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"newsroom/internal/news"
)

// migrationAutosave adds the forms autosaved while people type: one row per
// person and story (story 0: a new story not saved yet), overwritten.
const migrationAutosave = `
CREATE TABLE autosaves (
	story_id INTEGER NOT NULL,
	user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	base     INTEGER NOT NULL,
	fields   TEXT NOT NULL,
	saved_at TEXT NOT NULL,
	PRIMARY KEY (story_id, user_id)
);
`

// PutAutosave stores a, replacing the person's earlier copy for the story.
func (d *DB) PutAutosave(ctx context.Context, a *news.Autosave) error {
	a.SavedAt = d.clock.Now()
	b, err := json.Marshal(a.Fields)
	if err != nil {
		return err
	}
	_, err = d.db.ExecContext(ctx, `INSERT INTO autosaves (story_id, user_id, base, fields, saved_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (story_id, user_id) DO UPDATE SET base = excluded.base, fields = excluded.fields, saved_at = excluded.saved_at`,
		a.StoryID, a.UserID, a.Base, string(b), formatTime(a.SavedAt))
	if err != nil {
		return fmt.Errorf("autosave story %d: %w", a.StoryID, err)
	}
	return nil
}

// Autosave returns the person's copy for the story.
func (d *DB) Autosave(ctx context.Context, storyID, userID int64) (*news.Autosave, error) {
	a := &news.Autosave{StoryID: storyID, UserID: userID}
	var fields, at string
	err := d.db.QueryRowContext(ctx, `SELECT base, fields, saved_at FROM autosaves WHERE story_id = ? AND user_id = ?`,
		storyID, userID).Scan(&a.Base, &fields, &at)
	if err != nil {
		return nil, notFound(err, "自动保存的内容")
	}
	if err := json.Unmarshal([]byte(fields), &a.Fields); err != nil {
		return nil, fmt.Errorf("autosave of story %d: %w", storyID, err)
	}
	a.SavedAt = parseTime(at)
	return a, nil
}

// DeleteAutosave drops the person's copy for the story.
func (d *DB) DeleteAutosave(ctx context.Context, storyID, userID int64) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM autosaves WHERE story_id = ? AND user_id = ?`, storyID, userID)
	return err
}
