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

// migrationImportJournal adds the journal of imported page files: a file
// whose every item was imported is skipped by the next run over the same
// archive (keyed by its content and the edition page it was imported as).
const migrationImportJournal = `
CREATE TABLE import_files (
	key     TEXT PRIMARY KEY,
	file    TEXT NOT NULL,
	items   INTEGER NOT NULL,
	done_at TEXT NOT NULL
);
`

// ImportedFile reports whether the page file with key (a digest of its
// content and edition page) was imported whole before, and how many items
// it had then.
func (d *DB) ImportedFile(ctx context.Context, key string) (items int, ok bool, err error) {
	err = d.db.QueryRowContext(ctx, `SELECT items FROM import_files WHERE key = ?`, key).Scan(&items)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("look up imported file: %w", err)
	}
	return items, true, nil
}

// RecordImportedFile writes the page file with key into the journal, with
// the number of its items; recording it again keeps the first entry.
func (d *DB) RecordImportedFile(ctx context.Context, key, file string, items int) error {
	_, err := d.db.ExecContext(ctx, `INSERT INTO import_files (key, file, items, done_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		key, file, items, d.now())
	if err != nil {
		return fmt.Errorf("record imported file: %w", err)
	}
	return nil
}

// LiveBodies calls fn with the id and body of every published (or
// corrected) story, in id order, until fn returns an error.
func (d *DB) LiveBodies(ctx context.Context, fn func(id int64, body string) error) error {
	rows, err := d.db.QueryContext(ctx, `SELECT id, coalesce(json_extract(data, '$.body'), '') FROM stories WHERE state IN (?, ?) ORDER BY id`,
		string(news.StatePublished), string(news.StateCorrected))
	if err != nil {
		return fmt.Errorf("list published stories: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			return err
		}
		if err := fn(id, body); err != nil {
			return err
		}
	}
	return rows.Err()
}
