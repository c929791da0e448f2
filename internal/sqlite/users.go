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

// HashParams are the Argon2id costs for new passwords. Tests lower them.
var defaultHashParams = password.Default

// SetHashParams changes the cost of hashing new passwords (tests use cheap
// ones); existing hashes keep their own.
func (d *DB) SetHashParams(p password.Params) { d.hashParams = &p }

func (d *DB) params() password.Params {
	if d.hashParams != nil {
		return *d.hashParams
	}
	return defaultHashParams
}

// CreateUser stores a new user with the given password.
func (d *DB) CreateUser(ctx context.Context, u *news.User, pw string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := news.ValidatePassword(pw); err != nil {
		return err
	}
	hash := password.Hash(pw, d.params())
	now := d.clock.Now()
	res, err := d.db.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)`,
		u.Name, string(u.Role), hash, formatTime(now))
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

// SetPassword replaces a user's password and ends all their sessions.
func (d *DB) SetPassword(ctx context.Context, userID int64, pw string) error {
	if err := news.ValidatePassword(pw); err != nil {
		return err
	}
	hash := password.Hash(pw, d.params())
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return news.Errorf(news.ENOTFOUND, "用户不存在。")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
		return err
	}
	return tx.Commit()
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

func (d *DB) userWhere(ctx context.Context, where string, arg any) (*news.User, error) {
	var u news.User
	var role, created string
	err := d.db.QueryRowContext(ctx, `SELECT id, name, role, created_at FROM users WHERE `+where, arg).Scan(&u.ID, &u.Name, &role, &created)
	if err != nil {
		return nil, notFound(err, "用户")
	}
	u.Role, u.CreatedAt = news.Role(role), parseTime(created)
	return &u, nil
}

// Users lists all users by name.
func (d *DB) Users(ctx context.Context) ([]news.User, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, name, role, created_at FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []news.User
	for rows.Next() {
		var u news.User
		var role, created string
		if err := rows.Scan(&u.ID, &u.Name, &role, &created); err != nil {
			return nil, err
		}
		u.Role, u.CreatedAt = news.Role(role), parseTime(created)
		out = append(out, u)
	}
	return out, rows.Err()
}

// errBadLogin is the one answer to every failed login, so that it does not
// tell whether the name exists.
var errBadLogin = news.Errorf(news.EUNAUTHORIZED, "用户名或密码错误。")

// Authenticate returns the user whose name and password match.
func (d *DB) Authenticate(ctx context.Context, name, pw string) (*news.User, error) {
	var id int64
	var hash string
	err := d.db.QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE name = ?`, name).Scan(&id, &hash)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			// Spend the same time as a real check so timing does not tell
			// which names exist.
			password.Check(password.Hash("x", d.params()), pw)
			return nil, errBadLogin
		}
		return nil, err
	}
	ok, err := password.Check(hash, pw)
	if err != nil {
		return nil, fmt.Errorf("check password of user %d: %w", id, err)
	}
	if !ok {
		return nil, errBadLogin
	}
	return d.User(ctx, id)
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

// SessionUser returns the user of a live session.
func (d *DB) SessionUser(ctx context.Context, secret string) (*news.User, error) {
	var id int64
	err := d.db.QueryRowContext(ctx, `SELECT user_id FROM sessions WHERE digest = ? AND expires_at > ?`,
		password.Digest(secret), d.now()).Scan(&id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, news.Errorf(news.EUNAUTHORIZED, "登录已过期，请重新登录。")
		}
		return nil, err
	}
	return d.User(ctx, id)
}

// DeleteSession ends a session (logout).
func (d *DB) DeleteSession(ctx context.Context, secret string) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE digest = ?`, password.Digest(secret))
	return err
}

// CreateToken makes a new API token for the user and returns it. Only its
// digest is stored: the token is shown once.
func (d *DB) CreateToken(ctx context.Context, userID int64) (string, error) {
	secret := "nr_" + password.NewSecret()
	_, err := d.db.ExecContext(ctx, `INSERT INTO api_tokens (digest, user_id, created_at) VALUES (?, ?, ?)`,
		password.Digest(secret), userID, d.now())
	if err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return secret, nil
}

// TokenUser returns the user an API token belongs to.
func (d *DB) TokenUser(ctx context.Context, token string) (*news.User, error) {
	var id int64
	digest := password.Digest(token)
	err := d.db.QueryRowContext(ctx, `SELECT user_id FROM api_tokens WHERE digest = ?`, digest).Scan(&id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, news.Errorf(news.EUNAUTHORIZED, "API 令牌无效。")
		}
		return nil, err
	}
	d.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE digest = ?`, d.now(), digest)
	return d.User(ctx, id)
}
