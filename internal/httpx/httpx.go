// Package httpx holds what both HTTP sides of the program (the admin and
// the reader side) share: the one mapping of errors to HTTP statuses, the
// one JSON writer, and the strict readers of ids, query parameters and
// request bodies.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsroom/internal/news"
)

// StatusClientClosed is the status logged for a request whose client went
// away before the answer (nginx's 499).
const StatusClientClosed = 499

// Status maps an error to its HTTP status: the one place where errors
// become statuses. Domain errors carry a code (news.Error); a cancelled
// request is the client's doing; anything else is ours (500).
func Status(err error) int {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	switch news.ErrorCode(err) {
	case "":
		return http.StatusOK
	case news.EINVALID:
		return http.StatusBadRequest
	case news.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case news.EFORBIDDEN:
		return http.StatusForbidden
	case news.ENOTFOUND:
		return http.StatusNotFound
	case news.ECONFLICT:
		return http.StatusConflict
	case news.ETOOMANY:
		return http.StatusTooManyRequests
	case news.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	if errors.Is(err, context.Canceled) {
		return StatusClientClosed
	}
	return http.StatusInternalServerError
}

// RetryAfter sets the Retry-After header (whole seconds, rounded up) when
// err asks the client to wait.
func RetryAfter(w http.ResponseWriter, err error) {
	if d := news.RetryAfter(err); d > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((d+time.Second-1)/time.Second)))
	}
}

// WriteJSON answers v as JSON with status. The answer is encoded before
// anything is sent, so an encoding failure is a clean 500, and HTML
// characters are left as they are (the answer is not HTML).
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":"encode"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// ID reads an id from a path: a positive decimal number, digits only (no
// sign, space, leading zero or exponent), so that one story has one URL.
func ID(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 || s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}

// Int reads query parameter name of v: def when absent, else a decimal
// number (digits only) from min to max; anything else is EINVALID.
func Int(v url.Values, name string, def, min, max int) (int, error) {
	s, ok := v[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s[0])
	if len(s) != 1 || err != nil || n < min || n > max || strings.TrimLeft(s[0], "0123456789") != "" {
		msg := fmt.Sprintf("%s 应为 %d 到 %d 之间的整数", name, min, max)
		return 0, &news.Error{Code: news.EINVALID, Message: msg + "。", Fields: map[string]string{name: msg}}
	}
	return n, nil
}

// Text reads query parameter name of v, trimmed: at most max characters
// and no control characters, else EINVALID.
func Text(v url.Values, name string, max int) (string, error) {
	s := strings.TrimSpace(v.Get(name))
	_, bad := news.ControlChar(s, false)
	if bad || utf8.RuneCountInString(s) > max {
		msg := fmt.Sprintf("%s 最多 %d 个字，且不能含控制字符", name, max)
		return "", &news.Error{Code: news.EINVALID, Message: msg + "。", Fields: map[string]string{name: msg}}
	}
	return s, nil
}

// LimitBody bounds the body of every request through h to n bytes: a
// handler that reads more gets an error (*http.MaxBytesError, which Status
// answers with 413), and a request that says in advance it is larger is
// refused before h runs.
func LimitBody(n int64) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > n {
				w.Header().Set("Connection", "close")
				http.Error(w, "请求内容过大。", http.StatusRequestEntityTooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, n)
			h.ServeHTTP(w, r)
		})
	}
}

// TooLarge turns a body that broke its limit into a domain error with a
// Chinese message; Status still answers it with 413.
func TooLarge(err error) error {
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) {
		return err
	}
	return fmt.Errorf("%w (%w)", news.Errorf(news.EINVALID, "请求内容过大（最多 %d 字节）。", mb.Limit), mb)
}

// DecodeJSON reads exactly one JSON value from r's body into v: unknown
// fields and anything after the value (a second value, trailing garbage)
// are refused, and a body over its limit (LimitBody) is too large.
func DecodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if t := TooLarge(err); t != err {
			return t
		}
		return news.Errorf(news.EINVALID, "请求不是有效的 JSON：%v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if t := TooLarge(err); t != err {
			return t
		}
		return news.Errorf(news.EINVALID, "请求只能含一个 JSON 值，其后不能再有内容。")
	}
	return nil
}
