package sqlite

import (
	"context"
	"fmt"
)

// Snapshot writes a consistent copy of the database to the new file dst
// (VACUUM INTO) while the database is in use. The write lock is held from
// before during runs until the copy is made, so no write commits in
// between: files written inside the database's transactions (content/) can
// be copied by during in the same state as the copy. Writers wait meanwhile
// (up to the busy timeout), readers do not.
func (d *DB) Snapshot(ctx context.Context, dst string, during func() error) error {
	lock, err := d.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer lock.Close()
	if _, err := lock.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("snapshot: take the write lock: %w", err)
	}
	defer lock.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	if during != nil {
		if err := during(); err != nil {
			return err
		}
	}
	// Another connection reads the last committed state; VACUUM INTO
	// cannot run inside the locking connection's transaction.
	if _, err := d.db.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return nil
}
