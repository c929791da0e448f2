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
	"net/http"
	"strconv"
	"time"

	"newsroom/internal/news"
)

// StatusClientClosed is the status logged for a request whose client went
// away before the answer (nginx's 499).
const StatusClientClosed = 499

// Status maps an error to its HTTP status: the one place where errors
// become statuses. Domain errors carry a code (news.Error); a cancelled
// request is the client's doing; anything else is ours (500).
func Status(err error) int {
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
