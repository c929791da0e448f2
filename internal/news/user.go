package news

import (
	"slices"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user may do in the admin.
type Role string

// The roles. Reporters write; editors review (一审); desk directors sign
// off the second review (二审); the duty chief editor signs off the third
// and publishes (签发) or withdraws; admins may act at any level and also
// manage users and settings. See workflow.go for who may do what.
const (
	RoleReporter Role = "reporter"
	RoleEditor   Role = "editor"
	RoleDirector Role = "director"
	RoleChief    Role = "chief"
	RoleAdmin    Role = "admin"
)

// Roles lists every role, in rising order of rights.
var Roles = []Role{RoleReporter, RoleEditor, RoleDirector, RoleChief, RoleAdmin}

// Outranks reports whether r has more rights than o (Roles' order).
func (r Role) Outranks(o Role) bool {
	return slices.Index(Roles, r) > slices.Index(Roles, o)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// Label is the role's name in the admin UI.
func (r Role) Label() string {
	switch r {
	case RoleReporter:
		return "记者"
	case RoleEditor:
		return "编辑"
	case RoleDirector:
		return "部门主任"
	case RoleChief:
		return "值班总编"
	case RoleAdmin:
		return "管理员"
	}
	return string(r)
}

// CanPublish reports whether the role may publish and withdraw whatever
// the section's review chain: the duty chief editor and admins. (The role
// of a chain's last level may too; see Chain.Publishers.)
func (r Role) CanPublish() bool { return r == RoleChief || r == RoleAdmin }

// CanEditAny reports whether the role may see and edit stories of other
// users: every reviewer.
func (r Role) CanEditAny() bool { return r.Reviewer() }

// Reviewer reports whether the role takes part in review: editors,
// directors, chief editors and admins.
func (r Role) Reviewer() bool {
	return r == RoleEditor || r == RoleDirector || r == RoleChief || r == RoleAdmin
}

// User is a person who logs in to the admin.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	// Disabled users cannot log in, and their sessions and tokens no
	// longer work.
	Disabled bool `json:"disabled"`
	// MustChangePassword is set by a one-time password (the first admin's,
	// a reset): the user must choose a new one before anything else.
	MustChangePassword bool `json:"must_change_password"`
}

// Session is a login session as listed to its user and to admins; its
// secret is never stored, so it cannot be shown.
type Session struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Token scopes: what an API token may do.
const (
	ScopeWrite = "write" // everything its user may do
	ScopeRead  = "read"  // only reading (GET)
)

// Token is an API token as listed; like a session, its secret is shown
// once, when it is made, and never again.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	User       string     `json:"user"`
	Scope      string     `json:"scope"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// LastUsed is when the token was last used; the zero time if never.
func (t Token) LastUsed() time.Time {
	if t.LastUsedAt == nil {
		return time.Time{}
	}
	return *t.LastUsedAt
}

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	n := utf8.RuneCountInString(u.Name)
	switch {
	case n == 0:
		return &Error{Code: EINVALID, Message: "用户名不能为空。", Fields: map[string]string{"name": "用户名不能为空"}}
	case n > 32:
		return &Error{Code: EINVALID, Message: "用户名太长。", Fields: map[string]string{"name": "用户名最多 32 个字"}}
	case !u.Role.Valid():
		return &Error{Code: EINVALID, Message: "未知的角色：" + string(u.Role), Fields: map[string]string{"role": "角色必须是 reporter、editor、director、chief 或 admin"}}
	}
	for _, r := range u.Name {
		if r <= ' ' || r == '/' || r == ':' || unicode.IsControl(r) {
			return &Error{Code: EINVALID, Message: "用户名不能包含空格、斜杠或冒号。", Fields: map[string]string{"name": "用户名不能包含空格、斜杠或冒号"}}
		}
	}
	return nil
}

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 10

// ValidatePassword checks a new password: long enough, not too long, and
// not one that is guessed early (see weakPassword).
func ValidatePassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength {
		return &Error{Code: EINVALID, Message: "密码至少需要 10 个字符。", Fields: map[string]string{"password": "密码至少需要 10 个字符"}}
	}
	if len(p) > 256 {
		return &Error{Code: EINVALID, Message: "密码太长。", Fields: map[string]string{"password": "密码最多 256 字节"}}
	}
	if why := weakPassword(p); why != "" {
		return &Error{Code: EINVALID, Message: why + "。", Fields: map[string]string{"password": why}}
	}
	return nil
}
