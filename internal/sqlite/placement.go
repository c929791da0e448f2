package sqlite

import (
	"context"
	"fmt"
	"slices"

	"newsroom/internal/news"
)

// migrationDesk marks 代签 sign-offs (why, "" for an ordinary one) and keeps
// the editors' placement of stories on the reader site's pages: one row per
// placed story, in order (position 0 is the 头条). A deleted story leaves
// every place.
const migrationDesk = `
ALTER TABLE signoffs ADD COLUMN proxy TEXT NOT NULL DEFAULT '';
CREATE TABLE placements (
	place    TEXT NOT NULL,
	position INTEGER NOT NULL,
	story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	PRIMARY KEY (place, position)
);
CREATE INDEX placements_story ON placements(story_id);
`

// Placements returns the stories placed on each place, in order.
func (d *DB) Placements(ctx context.Context) (map[string][]int64, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT place, story_id FROM placements ORDER BY place, position`)
	if err != nil {
		return nil, fmt.Errorf("read placements: %w", err)
	}
	defer rows.Close()
	out := map[string][]int64{}
	for rows.Next() {
		var place string
		var id int64
		if err := rows.Scan(&place, &id); err != nil {
			return nil, err
		}
		out[place] = append(out[place], id)
	}
	return out, rows.Err()
}

// SetPlacement replaces the stories placed on place and records the change.
func (t *tx) SetPlacement(ctx context.Context, place string, ids []int64, userID int64, detail string) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM placements WHERE place = ?`, place); err != nil {
		return fmt.Errorf("clear placement: %w", err)
	}
	for i, id := range ids {
		if _, err := t.q.ExecContext(ctx, `INSERT INTO placements (place, position, story_id) VALUES (?, ?, ?)`, place, i, id); err != nil {
			return fmt.Errorf("store placement: %w", err)
		}
	}
	var lead int64
	if len(ids) > 0 {
		lead = ids[0]
	}
	return addEvent(ctx, t.q, lead, userID, news.ActPlace, detail, t.clock.Now())
}

// Unplace takes story id off the places named (every place when none is),
// closing the gaps it leaves, and returns the places it was on.
func (t *tx) Unplace(ctx context.Context, id int64, only ...string) ([]string, error) {
	rows, err := t.q.QueryContext(ctx, `SELECT DISTINCT place FROM placements WHERE story_id = ? ORDER BY place`, id)
	if err != nil {
		return nil, fmt.Errorf("read placements: %w", err)
	}
	var places []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, err
		}
		if len(only) == 0 || slices.Contains(only, p) {
			places = append(places, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, p := range places {
		ids, err := placed(ctx, t.q, p)
		if err != nil {
			return nil, err
		}
		ids = slices.DeleteFunc(ids, func(x int64) bool { return x == id })
		// Rewritten whole, so positions stay 0, 1, 2 ….
		if _, err := t.q.ExecContext(ctx, `DELETE FROM placements WHERE place = ?`, p); err != nil {
			return nil, fmt.Errorf("unplace story: %w", err)
		}
		for i, x := range ids {
			if _, err := t.q.ExecContext(ctx, `INSERT INTO placements (place, position, story_id) VALUES (?, ?, ?)`, p, i, x); err != nil {
				return nil, fmt.Errorf("unplace story: %w", err)
			}
		}
	}
	return places, nil
}

// placed returns the stories placed on place, in order.
func placed(ctx context.Context, q conn, place string) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT story_id FROM placements WHERE place = ? ORDER BY position`, place)
	if err != nil {
		return nil, fmt.Errorf("read placement: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
