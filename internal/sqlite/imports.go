package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"newsroom/internal/news"
)

// ImportedStory reports whether an e-paper item with the de-duplication key
// (importer.Key) was imported before, and the story it became. The id is 0
// when that story no longer exists: the item still counts as imported, so a
// deleted import is not brought back by importing the page again.
func (d *DB) ImportedStory(ctx context.Context, key string) (int64, bool, error) {
	var id sql.NullInt64
	err := d.db.QueryRowContext(ctx, `SELECT story_id FROM imports WHERE key = ?`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("look up import: %w", err)
	}
	return id.Int64, true, nil
}

// RecordImport remembers that the item with key became story storyID,
// imported from file. A key that is already recorded is a conflict
// (news.ECONFLICT): another import of the same page got there first.
func (d *DB) RecordImport(ctx context.Context, key string, storyID int64, file string) error {
	var sid any
	if storyID > 0 {
		sid = storyID
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO imports (key, story_id, file, created_at) VALUES (?, ?, ?, ?)`, key, sid, file, d.now())
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return news.Errorf(news.ECONFLICT, "该条目已导入。")
		}
		return fmt.Errorf("record import: %w", err)
	}
	return nil
}

// CountImports returns how many items have been imported.
func (d *DB) CountImports(ctx context.Context) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM imports`).Scan(&n)
	return n, err
}
