package desk

import (
	"context"
	"time"

	"newsroom/internal/news"
)

// Who may log in and with what: users, login sessions and API tokens. The
// admin asks the desk, never the store, so that the rules (who may manage
// users, what a password change ends) live here.

// Login checks a user's name and password and starts a session of ttl; it
// returns the user and the session's secret (the cookie's value). Every
// failure is the same EUNAUTHORIZED error, whether or not the name exists.
func (d *Service) Login(ctx context.Context, name, password string, ttl time.Duration) (*news.User, string, error) {
	u, err := d.Store.Authenticate(ctx, name, password)
	if err != nil {
		return nil, "", err
	}
	secret, err := d.Store.CreateSession(ctx, u.ID, ttl)
	if err != nil {
		return nil, "", err
	}
	return u, secret, nil
}

// Logout ends the session with the given secret.
func (d *Service) Logout(ctx context.Context, secret string) error {
	return d.Store.DeleteSession(ctx, secret)
}

// SessionUser returns the user of a live session (EUNAUTHORIZED if it
// expired or never existed).
func (d *Service) SessionUser(ctx context.Context, secret string) (*news.User, error) {
	return d.Store.SessionUser(ctx, secret)
}

// TokenUser returns the user an API token belongs to.
func (d *Service) TokenUser(ctx context.Context, token string) (*news.User, error) {
	return d.Store.TokenUser(ctx, token)
}

// ChangePassword replaces u's password after checking the current one and
// that the new one was typed twice the same (confirm); every session of u
// ends, and a new one of ttl is returned for the browser that made the
// change. Wrong input is EINVALID.
func (d *Service) ChangePassword(ctx context.Context, u *news.User, current, password, confirm string, ttl time.Duration) (string, error) {
	if _, err := d.Store.Authenticate(ctx, u.Name, current); err != nil {
		if news.ErrorCode(err) == news.EUNAUTHORIZED {
			return "", news.Errorf(news.EINVALID, "当前密码不正确。")
		}
		return "", err
	}
	if password != confirm {
		return "", news.Errorf(news.EINVALID, "两次输入的新密码不一致。")
	}
	if err := d.Store.SetPassword(ctx, u.ID, password); err != nil {
		return "", err
	}
	return d.Store.CreateSession(ctx, u.ID, ttl)
}

// Users lists every user by name; admins only.
func (d *Service) Users(ctx context.Context, u *news.User) ([]news.User, error) {
	if err := requireAdmin(u); err != nil {
		return nil, err
	}
	return d.Store.Users(ctx)
}

// CreateUser adds user nu with a password; admins only.
func (d *Service) CreateUser(ctx context.Context, u, nu *news.User, password string) error {
	if err := requireAdmin(u); err != nil {
		return err
	}
	return d.Store.CreateUser(ctx, nu, password)
}

func requireAdmin(u *news.User) error {
	if u.Role != news.RoleAdmin {
		return forbidden("只有管理员可以管理用户。")
	}
	return nil
}

// Events returns the history of a story u may see, oldest first.
func (d *Service) Events(ctx context.Context, u *news.User, id int64) ([]news.Event, error) {
	if _, err := d.Get(ctx, u, id); err != nil {
		return nil, err
	}
	return d.Store.Events(ctx, id)
}
