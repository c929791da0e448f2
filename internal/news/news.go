// Package news holds the newspaper's domain types: stories, notices, users
// and the errors the rest of the program reports about them. It imports no
// other package of this program, and every adapter (storage, site, search,
// admin) depends on it, never the other way round.
package news

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. Each one maps to one HTTP status in the web layer, so the
// domain can say what went wrong without knowing about HTTP.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Fields says which
	ENOTFOUND     = "not_found"    // no such thing
	ECONFLICT     = "conflict"     // the thing changed, or is in the wrong state
	EFORBIDDEN    = "forbidden"    // the user may not do this
	EUNAUTHORIZED = "unauthorized" // nobody is logged in, or the token is wrong
	ETOOMANY      = "too_many"     // too many tries: wait RetryAfter before the next
	EUNAVAILABLE  = "unavailable"  // the server is too busy for this now: try again soon
	EINTERNAL     = "internal"     // a bug or a failing disk; details are logged, not shown
)

// Error is an error a user can act on. Message is shown to users (in
// Chinese); Fields holds per-field messages for form and API validation.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	// RetryAfter is how long to wait before trying again (ETOOMANY,
	// EUNAVAILABLE).
	RetryAfter time.Duration
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the user-facing message of err. Internal errors get a
// generic message so that no path or SQL leaks to a reader.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "服务器内部错误，请稍后再试。"
}

// RetryAfter returns how long err asks the caller to wait, 0 if it does not.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// ErrorFields returns the per-field messages of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Clock tells the time. It is injected so that tests control "now".
type Clock interface{ Now() time.Time }

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// ClockFunc is a function used as a Clock.
type ClockFunc func() time.Time

// Now returns f().
func (f ClockFunc) Now() time.Time { return f() }

// Shanghai is the newspaper's time zone: every printed date and time, and
// every edition date, is in Asia/Shanghai. It falls back to a fixed +08:00
// zone on machines without time zone data (China has no daylight saving).
var Shanghai = loadShanghai()

func loadShanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}
