// Package sqlite stores the editorial side of the newspaper (users,
// sessions, API tokens, stories and their revisions, sign-offs, settings,
// the audit log, notices and imports) in one SQLite file, through the
// pure-Go modernc.org/sqlite driver so the program builds without cgo.
// *DB implements news.Store; nothing else here is exported, and only the
// wiring (cmd/newsroom) opens it.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"newsroom/internal/news"
	"newsroom/internal/password"
)

// DB is the newspaper's database.
type DB struct {
	db         *sql.DB
	clock      news.Clock
	hashParams *password.Params
	// hashes bounds the password hashes computed at once (64 MiB each).
	hashes *password.Limiter
	// dummy is the hash that logins with unknown names are checked against.
	dummyOnce sync.Once
	dummy     string
}

var (
	_ news.Store = (*DB)(nil)
	_ news.Tx    = (*tx)(nil)
)

// conn is what both *sql.DB and *sql.Tx offer: the queries shared by the
// store and its transactions are written once against it.
type conn interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

// tx is one transaction of the desk (news.Tx).
type tx struct {
	q     *sql.Tx
	clock news.Clock
}

// WithTx runs fn in one transaction, committed if fn returns nil. The
// transaction takes the write lock at its start (_txlock=immediate), so
// what fn reads stays true until it commits.
func (d *DB) WithTx(ctx context.Context, fn func(news.Tx) error) error {
	t, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if err := fn(&tx{q: t, clock: d.clock}); err != nil {
		return err
	}
	return t.Commit()
}

// migrations are applied in order, once each; the index of the last one
// applied is kept in PRAGMA user_version.
var migrations = []string{`
CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at    TEXT NOT NULL
);
CREATE TABLE sessions (
	digest     TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
	digest       TEXT PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at   TEXT NOT NULL,
	last_used_at TEXT
);
CREATE TABLE stories (
	id           INTEGER PRIMARY KEY,
	data         TEXT NOT NULL,
	state        TEXT NOT NULL,
	owner_id     INTEGER NOT NULL REFERENCES users(id),
	version      INTEGER NOT NULL,
	slug         TEXT NOT NULL DEFAULT '',
	path         TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	published_at TEXT
);
CREATE INDEX stories_state ON stories(state, updated_at);
CREATE INDEX stories_owner ON stories(owner_id, updated_at);
CREATE TABLE revisions (
	id         INTEGER PRIMARY KEY,
	story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	version    INTEGER NOT NULL,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	data       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE(story_id, version)
);
CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	story_id   INTEGER REFERENCES stories(id) ON DELETE CASCADE,
	user_id    INTEGER REFERENCES users(id),
	action     TEXT NOT NULL,
	detail     TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE INDEX events_story ON events(story_id, id);
`, `
CREATE TABLE imports (key TEXT PRIMARY KEY, story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL, file TEXT, created_at TEXT);
`, `
-- Editorial workflow (三审): sign-offs per level (void once the story is
-- returned), the embargo of scheduled stories, admin settings.
CREATE TABLE signoffs (
	id         INTEGER PRIMARY KEY,
	story_id   INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
	level      INTEGER NOT NULL,
	role       TEXT NOT NULL,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	created_at TEXT NOT NULL,
	void       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX signoffs_story ON signoffs(story_id, void, level);
ALTER TABLE stories ADD COLUMN scheduled_at TEXT;
ALTER TABLE stories ADD COLUMN scheduled_by INTEGER REFERENCES users(id);
CREATE INDEX stories_scheduled ON stories(state, scheduled_at);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by INTEGER);
CREATE INDEX events_time ON events(created_at);
CREATE INDEX events_action ON events(action, created_at);
`, `
-- Official and legal notices: what verification needs of each published
-- notice (internal/notice; docs/notices.md). A row is reserved (its number
-- taken) before the publish transaction and confirmed after it; a number is
-- never reused. Withdrawal is read from the story.
CREATE TABLE notices (
	story_id        INTEGER PRIMARY KEY REFERENCES stories(id),
	number          TEXT NOT NULL UNIQUE,
	year            INTEGER NOT NULL,
	seq             INTEGER NOT NULL,
	fingerprint     TEXT NOT NULL,
	body_key        TEXT NOT NULL,
	text_key        TEXT NOT NULL,
	kind            TEXT NOT NULL,
	title           TEXT NOT NULL,
	issuers         TEXT NOT NULL DEFAULT '',
	url             TEXT NOT NULL,
	published_at    TEXT NOT NULL,
	edition         TEXT NOT NULL DEFAULT '',
	page            INTEGER NOT NULL DEFAULT 0,
	page_name       TEXT NOT NULL DEFAULT '',
	canonical       TEXT NOT NULL,
	period_start    TEXT NOT NULL DEFAULT '',
	period_end      TEXT NOT NULL DEFAULT '',
	corrects        TEXT NOT NULL DEFAULT '',
	reserved        INTEGER NOT NULL DEFAULT 1,
	UNIQUE(year, seq)
);
CREATE INDEX notices_fingerprint ON notices(fingerprint);
CREATE INDEX notices_body_key ON notices(body_key);
CREATE INDEX notices_text_key ON notices(text_key);
CREATE INDEX notices_corrects ON notices(corrects);
`, `
-- Accounts: disabled users, one-time passwords, scoped API tokens.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write';
`, migrationMedia, migrationImportJournal, migrationAdopt, migrationAutosave, migrationDesk}

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(path string, clock news.Clock) (*DB, error) {
	if clock == nil {
		clock = news.SystemClock{}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	// WAL lets readers go on while a write commits; busy_timeout makes a
	// second writer wait instead of failing; foreign keys are off by
	// default in SQLite.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Two hashes at once use both cores and 128 MiB; 32 more may wait.
	d := &DB{db: db, clock: clock, hashes: password.NewLimiter(2, 32)}
	if err := d.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

func (d *DB) migrate(ctx context.Context) error {
	var version int
	if err := d.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this program (%d): upgrade newsroom", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		tx, err := d.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}

// now returns the clock's time formatted for storage: RFC 3339 in UTC with
// nanoseconds, which sorts as text.
func (d *DB) now() string { return formatTime(d.clock.Now()) }

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// notFound turns sql.ErrNoRows into a domain error.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return news.Errorf(news.ENOTFOUND, "%s不存在。", what)
	}
	return err
}
