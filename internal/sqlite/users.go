package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"newsroom/internal/news"
	"newsroom/internal/password"
)

// defaultHashParams are the Argon2id costs for new passwords.
var defaultHashParams = password.Default

// SetHashParams changes the cost of hashing new passwords (tests use cheap
// ones); existing hashes keep their own.
func (d *DB) SetHashParams(p password.Params) {
	d.hashParams = &p
	d.dummy = password.Hash("", p)
}

func (d *DB) params() password.Params {
	if d.hashParams != nil {
		return *d.hashParams
	}
	return defaultHashParams
}

// errBusy answers a login or password change when the hashing queue is
// full: memory stays bounded, and the client is told when to come back.
var errBusy = &news.Error{Code: news.EUNAVAILABLE, Message: "登录的人太多，请稍后再试。", RetryAfter: 5 * time.Second}

// hash hashes pw under the limiter.
func (d *DB) hash(ctx context.Context, pw string) (string, error) {
	h, err := d.hashes.Hash(ctx, pw, d.params())
	if errors.Is(err, password.ErrBusy) {
		return "", errBusy
	}
	return h, err
}

// CreateUser stores a new user with the given password.
func (d *DB) CreateUser(ctx context.Context, u *news.User, pw string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := news.ValidatePassword(pw); err != nil {
		return err
	}
	hash, err := d.hash(ctx, pw)
	if err != nil {
		return err
	}
	now := d.clock.Now()
	res, err := d.db.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_at, must_change) VALUES (?, ?, ?, ?, ?)`,
		u.Name, string(u.Role), hash, formatTime(now), u.MustChangePassword)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return &news.Error{Code: news.ECONFLICT, Message: "用户名已存在：" + u.Name, Fields: map[string]string{"name": "用户名已存在"}}
		}
		return fmt.Errorf("create user: %w", err)
	}
	u.ID, _ = res.LastInsertId()
	u.CreatedAt = now
	return nil
}

// SetPassword replaces a user's password and ends all their sessions and
// API tokens: whoever held them knew the old password, or took it.
func (d *DB) SetPassword(ctx context.Context, userID int64, pw string, mustChange bool) error {
	if err := news.ValidatePassword(pw); err != nil {
		return err
	}
	hash, err := d.hash(ctx, pw)
	if err != nil {
		return err
	}
	return d.endAccess(ctx, userID, `UPDATE users SET password_hash = ?, must_change = ? WHERE id = ?`, hash, mustChange, userID)
}

// endAccess runs update on user userID and ends the user's sessions and
// tokens, in one transaction.
func (d *DB) endAccess(ctx context.Context, userID int64, update string, args ...any) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, update, args...)
	if err != nil {
		return fmt.Errorf("update user %d: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.Errorf(news.ENOTFOUND, "用户不存在。")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = ?`, userID); err != nil {
		return err
	}
	return tx.Commit()
}

// SetRole changes a user's role.
func (d *DB) SetRole(ctx context.Context, userID int64, role news.Role) error {
	if !role.Valid() {
		return &news.Error{Code: news.EINVALID, Message: "未知的角色：" + string(role), Fields: map[string]string{"role": "角色必须是 reporter、editor、director、chief 或 admin"}}
	}
	res, err := d.db.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, string(role), userID)
	if err != nil {
		return fmt.Errorf("set role: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.Errorf(news.ENOTFOUND, "用户不存在。")
	}
	return nil
}

// SetDisabled disables a user (ending their sessions and tokens) or
// enables them again.
func (d *DB) SetDisabled(ctx context.Context, userID int64, disabled bool) error {
	if !disabled {
		res, err := d.db.ExecContext(ctx, `UPDATE users SET disabled = 0 WHERE id = ?`, userID)
		if err != nil {
			return fmt.Errorf("enable user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return news.Errorf(news.ENOTFOUND, "用户不存在。")
		}
		return nil
	}
	return d.endAccess(ctx, userID, `UPDATE users SET disabled = 1 WHERE id = ?`, userID)
}

// CountUsers returns how many users exist.
func (d *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// User returns the user with the given id.
func (d *DB) User(ctx context.Context, id int64) (*news.User, error) {
	return d.userWhere(ctx, "id = ?", id)
}

// UserByName returns the user with the given name.
func (d *DB) UserByName(ctx context.Context, name string) (*news.User, error) {
	return d.userWhere(ctx, "name = ?", name)
}

const userColumns = `id, name, role, created_at, disabled, must_change`

func scanUser(row interface{ Scan(...any) error }) (*news.User, error) {
	var u news.User
	var role, created string
	if err := row.Scan(&u.ID, &u.Name, &role, &created, &u.Disabled, &u.MustChangePassword); err != nil {
		return nil, err
	}
	u.Role, u.CreatedAt = news.Role(role), parseTime(created)
	return &u, nil
}

func (d *DB) userWhere(ctx context.Context, where string, arg any) (*news.User, error) {
	u, err := scanUser(d.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg))
	if err != nil {
		return nil, notFound(err, "用户")
	}
	return u, nil
}

// Users lists all users by name.
func (d *DB) Users(ctx context.Context) ([]news.User, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// errBadLogin is the one answer to every failed login, so that it does not
// tell whether the name exists.
var errBadLogin = news.Errorf(news.EUNAUTHORIZED, "用户名或密码错误。")

// Authenticate returns the user whose name and password match. An unknown
// name costs one password check like a known one (against a hash of
// nothing, made once), so timing does not tell which names exist; the
// checks run under the limiter, so a flood of logins waits in a bounded
// queue or is refused instead of taking 64 MiB each.
func (d *DB) Authenticate(ctx context.Context, name, pw string) (*news.User, error) {
	var id int64
	var hash string
	var disabled bool
	err := d.db.QueryRowContext(ctx, `SELECT id, password_hash, disabled FROM users WHERE name = ?`, name).Scan(&id, &hash, &disabled)
	known := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if !known {
		hash = d.dummyHash()
	}
	ok, err := d.hashes.Check(ctx, hash, pw)
	switch {
	case errors.Is(err, password.ErrBusy):
		return nil, errBusy
	case err != nil:
		return nil, fmt.Errorf("check password of user %d: %w", id, err)
	case !ok || !known:
		return nil, errBadLogin
	case disabled:
		return nil, news.Errorf(news.EUNAUTHORIZED, "该账号已停用，请联系管理员。")
	}
	return d.User(ctx, id)
}

// dummyHash is the hash that unknown names are checked against, made with
// the current costs on first use.
func (d *DB) dummyHash() string {
	d.dummyOnce.Do(func() {
		if d.dummy == "" {
			d.dummy = password.Hash("", d.params())
		}
	})
	return d.dummy
}

// CreateSession starts a login session for the user and returns its secret.
func (d *DB) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	secret := password.NewSecret()
	now := d.clock.Now()
	_, err := d.db.ExecContext(ctx, `INSERT INTO sessions (digest, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		password.Digest(secret), userID, formatTime(now), formatTime(now.Add(ttl)))
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	// Expired sessions are swept here rather than by a timer: logins are
	// rare enough and this keeps the table small without a goroutine.
	d.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, formatTime(now))
	return secret, nil
}

// SessionUser returns the user of a live session of an enabled user.
func (d *DB) SessionUser(ctx context.Context, secret string) (*news.User, error) {
	u, err := scanUser(d.db.QueryRowContext(ctx, `SELECT `+prefixed("u.", userColumns)+` FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.digest = ? AND s.expires_at > ? AND u.disabled = 0`, password.Digest(secret), d.now()))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, news.Errorf(news.EUNAUTHORIZED, "登录已过期，请重新登录。")
		}
		return nil, err
	}
	return u, nil
}

// DeleteSession ends a session (logout).
func (d *DB) DeleteSession(ctx context.Context, secret string) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE digest = ?`, password.Digest(secret))
	return err
}

// Sessions lists a user's live sessions, newest first.
func (d *DB) Sessions(ctx context.Context, userID int64) ([]news.Session, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT rowid, user_id, created_at, expires_at FROM sessions
		WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC`, userID, d.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Session
	for rows.Next() {
		var s news.Session
		var created, expires string
		if err := rows.Scan(&s.ID, &s.UserID, &created, &expires); err != nil {
			return nil, err
		}
		s.CreatedAt, s.ExpiresAt = parseTime(created), parseTime(expires)
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteSessions ends every session of a user.
func (d *DB) DeleteSessions(ctx context.Context, userID int64) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

// CreateToken makes a new API token for the user and returns it. Only its
// digest is stored: the token is shown once.
func (d *DB) CreateToken(ctx context.Context, userID int64, scope string) (string, error) {
	if scope != news.ScopeRead && scope != news.ScopeWrite {
		return "", &news.Error{Code: news.EINVALID, Message: "令牌权限须为 read 或 write。", Fields: map[string]string{"scope": "read 或 write"}}
	}
	secret := "nr_" + password.NewSecret()
	_, err := d.db.ExecContext(ctx, `INSERT INTO api_tokens (digest, user_id, created_at, scope) VALUES (?, ?, ?, ?)`,
		password.Digest(secret), userID, d.now(), scope)
	if err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return secret, nil
}

const tokenColumns = `t.rowid, t.user_id, u.name, t.scope, t.created_at, t.last_used_at`

func scanToken(row interface{ Scan(...any) error }) (*news.Token, error) {
	var t news.Token
	var created string
	var used sql.NullString
	if err := row.Scan(&t.ID, &t.UserID, &t.User, &t.Scope, &created, &used); err != nil {
		return nil, err
	}
	t.CreatedAt = parseTime(created)
	if used.Valid {
		at := parseTime(used.String)
		t.LastUsedAt = &at
	}
	return &t, nil
}

// TokenUser returns the enabled user an API token belongs to, and the token.
func (d *DB) TokenUser(ctx context.Context, token string) (*news.User, *news.Token, error) {
	digest := password.Digest(token)
	t, err := scanToken(d.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.digest = ? AND u.disabled = 0`, digest))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, news.Errorf(news.EUNAUTHORIZED, "API 令牌无效。")
		}
		return nil, nil, err
	}
	d.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE digest = ?`, d.now(), digest)
	u, err := d.User(ctx, t.UserID)
	return u, t, err
}

// Tokens lists the API tokens of a user, or of everybody when userID is 0.
func (d *DB) Tokens(ctx context.Context, userID int64) ([]news.Token, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE ? = 0 OR t.user_id = ? ORDER BY t.created_at DESC`, userID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// RevokeToken deletes an API token by id.
func (d *DB) RevokeToken(ctx context.Context, id int64) error {
	res, err := d.db.ExecContext(ctx, `DELETE FROM api_tokens WHERE rowid = ?`, id)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.Errorf(news.ENOTFOUND, "没有这个令牌。")
	}
	return nil
}

// prefixed puts p before each of the comma-separated columns.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ", ")
	for i := range cols {
		cols[i] = p + cols[i]
	}
	return strings.Join(cols, ", ")
}
