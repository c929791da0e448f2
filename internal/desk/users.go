package desk

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"newsroom/internal/news"
	"newsroom/internal/password"
	"newsroom/internal/throttle"
)

// Who may log in and with what: users, login sessions and API tokens. The
// admin asks the desk, never the store, so that the rules (who may manage
// users, what a password change ends, how guessing is slowed) live here.

// Logins slows down password guessing: failures are counted per account
// and per client address (an office behind one address gets more), each
// failure beyond the free ones doubling the wait, up to 15 minutes.
type Logins struct {
	account *throttle.Throttle
	address *throttle.Throttle
}

// NewLogins returns the login throttle, reading the time from clock.
func NewLogins(clock news.Clock) *Logins {
	now := clock.Now
	return &Logins{
		account: throttle.New(throttle.Policy{Free: 5, Base: time.Second, Max: 15 * time.Minute}, now),
		address: throttle.New(throttle.Policy{Free: 20, Base: time.Second, Max: 15 * time.Minute}, now),
	}
}

func accountKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// addressKey is the client's address without its port; IPv6 clients are
// counted per /64, since one host commonly has a whole /64.
func addressKey(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String()
	}
	return ip.String()
}

func tooMany(wait time.Duration) error {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	msg := fmt.Sprintf("登录失败次数过多，请 %d 秒后再试。", int((wait+time.Second-1)/time.Second))
	if wait > time.Minute {
		msg = fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试。", minutes)
	}
	return &news.Error{Code: news.ETOOMANY, Message: msg, RetryAfter: wait}
}

// Login checks a user's name and password, from the client at address
// remote, and starts a session of ttl; it returns the user and the
// session's secret (the cookie's value). Every failure is the same
// EUNAUTHORIZED error, whether or not the name exists; after repeated
// failures for the name or the address, ETOOMANY says how long to wait,
// and no password is checked meanwhile.
func (d *Service) Login(ctx context.Context, name, pw, remote string, ttl time.Duration) (*news.User, string, error) {
	acct, addr := accountKey(name), addressKey(remote)
	if d.Logins != nil {
		if wait := max(d.Logins.account.Wait(acct), d.Logins.address.Wait(addr)); wait > 0 {
			return nil, "", tooMany(wait)
		}
	}
	u, err := d.Store.Authenticate(ctx, name, pw)
	if err != nil {
		if news.ErrorCode(err) == news.EUNAUTHORIZED && d.Logins != nil {
			d.Logins.account.Fail(acct)
			d.Logins.address.Fail(addr)
		}
		return nil, "", err
	}
	if d.Logins != nil {
		d.Logins.account.Succeed(acct)
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

// LogoutEverywhere ends every session of u (including the caller's).
func (d *Service) LogoutEverywhere(ctx context.Context, u *news.User) error {
	return d.Store.DeleteSessions(ctx, u.ID)
}

// SessionUser returns the user of a live session (EUNAUTHORIZED if it
// expired, never existed or its user is disabled).
func (d *Service) SessionUser(ctx context.Context, secret string) (*news.User, error) {
	return d.Store.SessionUser(ctx, secret)
}

// TokenUser returns the user an API token belongs to, and the token (its
// scope says what it may do).
func (d *Service) TokenUser(ctx context.Context, token string) (*news.User, *news.Token, error) {
	return d.Store.TokenUser(ctx, token)
}

// ChangePassword replaces u's password after checking the current one and
// that the new one was typed twice the same (confirm); every session and
// API token of u ends, and a new session of ttl is returned for the browser
// that made the change. Wrong input is EINVALID.
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
	if password == current {
		return "", news.Errorf(news.EINVALID, "新密码不能与当前密码相同。")
	}
	if err := d.Store.SetPassword(ctx, u.ID, password, false); err != nil {
		return "", err
	}
	d.record(ctx, u.ID, news.ActPassword, "")
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

// UserChange is what an admin changes of a user: a role, or whether the
// account is disabled (nil fields stay as they are).
type UserChange struct {
	Role     *news.Role `json:"role"`
	Disabled *bool      `json:"disabled"`
}

// UpdateUser applies c to user id; admins only. An admin cannot disable
// or demote themselves, so that a paper is never left without an admin by
// a slip of the mouse.
func (d *Service) UpdateUser(ctx context.Context, u *news.User, id int64, c UserChange) (*news.User, error) {
	if err := requireAdmin(u); err != nil {
		return nil, err
	}
	if id == u.ID && ((c.Disabled != nil && *c.Disabled) || (c.Role != nil && *c.Role != news.RoleAdmin)) {
		return nil, news.Errorf(news.ECONFLICT, "不能停用自己的账号或取消自己的管理员角色。")
	}
	if c.Role != nil {
		if err := d.Store.SetRole(ctx, id, *c.Role); err != nil {
			return nil, err
		}
		d.record(ctx, u.ID, news.ActUserRole, fmt.Sprintf("用户 %d → %s", id, *c.Role))
	}
	if c.Disabled != nil {
		if err := d.Store.SetDisabled(ctx, id, *c.Disabled); err != nil {
			return nil, err
		}
		action := news.ActUserEnable
		if *c.Disabled {
			action = news.ActUserDisable
		}
		d.record(ctx, u.ID, action, fmt.Sprintf("用户 %d", id))
	}
	return d.Store.User(ctx, id)
}

// ResetPassword gives user id a new one-time password, which it returns:
// the user must choose their own at the next login. Their sessions and
// tokens end. Admins only.
func (d *Service) ResetPassword(ctx context.Context, u *news.User, id int64) (string, error) {
	if err := requireAdmin(u); err != nil {
		return "", err
	}
	pw := password.NewReadable()
	if err := d.Store.SetPassword(ctx, id, pw, true); err != nil {
		return "", err
	}
	d.record(ctx, u.ID, news.ActResetPassword, fmt.Sprintf("用户 %d", id))
	return pw, nil
}

// Access lists the live sessions and API tokens of user id: a user sees
// their own, an admin anybody's.
func (d *Service) Access(ctx context.Context, u *news.User, id int64) ([]news.Session, []news.Token, error) {
	if id != u.ID {
		if err := requireAdmin(u); err != nil {
			return nil, nil, err
		}
	}
	sessions, err := d.Store.Sessions(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	tokens, err := d.Store.Tokens(ctx, id)
	return sessions, tokens, err
}

// EndSessions ends every session of user id: one's own, or anybody's for
// an admin.
func (d *Service) EndSessions(ctx context.Context, u *news.User, id int64) error {
	if id != u.ID {
		if err := requireAdmin(u); err != nil {
			return err
		}
	}
	return d.Store.DeleteSessions(ctx, id)
}

// RevokeToken deletes API token tokenID: one of one's own, or anybody's for
// an admin.
func (d *Service) RevokeToken(ctx context.Context, u *news.User, tokenID int64) error {
	if u.Role != news.RoleAdmin {
		mine, err := d.Store.Tokens(ctx, u.ID)
		if err != nil {
			return err
		}
		found := false
		for _, t := range mine {
			found = found || t.ID == tokenID
		}
		if !found {
			return news.Errorf(news.ENOTFOUND, "没有这个令牌。")
		}
	}
	return d.Store.RevokeToken(ctx, tokenID)
}

// record adds an account event to the audit log. The change it records
// is already made, so a failure to record it is logged, not returned.
func (d *Service) record(ctx context.Context, userID int64, action news.Action, detail string) {
	if err := d.Store.RecordEvent(ctx, 0, userID, action, detail); err != nil && d.Log != nil {
		d.Log.Error("record account event", "action", action, "err", err)
	}
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
