package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"newsroom/internal/news"
)

// migrationAdopt makes a content path belong to at most one story, so a
// file taken into the desk (AdoptStory) can never become two stories, and
// finds a story by its path quickly.
const migrationAdopt = `
CREATE UNIQUE INDEX stories_path ON stories(path) WHERE path != '';
`

// StoryIDByPath returns the story whose content file is at path, 0 if none.
func (d *DB) StoryIDByPath(ctx context.Context, path string) (int64, error) {
	var id int64
	err := d.db.QueryRowContext(ctx, `SELECT id FROM stories WHERE path = ?`, path).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// AdoptStory stores s, read from the content file at path, as a story of
// the desk owned by ownerID, in the state the file shows (published,
// corrected or withdrawn), keeping its path (so its URL), slug and dates;
// its first revision is the file's text and its history says who adopted
// it (byID). It reports false, and stores nothing, when a story already
// owns path.
func (d *DB) AdoptStory(ctx context.Context, s *news.Story, path string, ownerID, byID int64) (bool, error) {
	if s.PublishedAt == nil {
		return false, fmt.Errorf("adopt %s: no publication date", path)
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM stories WHERE path = ?`, path).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	now := d.clock.Now()
	data := dataOf(s)
	updated := s.UpdatedAt
	if updated.IsZero() {
		updated = *s.PublishedAt
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO stories (data, state, owner_id, version, slug, path, created_at, updated_at, published_at)
		VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?)`, data, string(s.State), ownerID, s.Slug, path,
		formatTime(*s.PublishedAt), formatTime(updated), formatTime(*s.PublishedAt))
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return false, nil
		}
		return false, fmt.Errorf("adopt %s: %w", path, err)
	}
	id, _ := res.LastInsertId()
	if err := addRevision(ctx, tx, id, 1, byID, data, now); err != nil {
		return false, err
	}
	if err := addEvent(ctx, tx, id, byID, news.ActAdopt, path, now); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("adopt %s: %w", path, err)
	}
	s.ID, s.OwnerID, s.Version, s.CreatedAt, s.UpdatedAt = id, ownerID, 1, *s.PublishedAt, updated
	return true, nil
}
