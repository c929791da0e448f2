package httpx

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"newsroom/internal/news"
)

func TestID(t *testing.T) {
	for s, want := range map[string]int64{"1": 1, "42": 42, "999999999999999999": 999999999999999999} {
		if got, ok := ID(s); !ok || got != want {
			t.Errorf("ID(%q) = %d, %v; want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "0", "01", "-1", "+1", " 1", "1 ", "1abc", "1e3", "0x10", "1.0", "１", "9999999999999999999"} {
		if got, ok := ID(s); ok {
			t.Errorf("ID(%q) = %d, accepted", s, got)
		}
	}
}

func TestInt(t *testing.T) {
	v := url.Values{"ok": {"7"}, "neg": {"-1"}, "plus": {"+7"}, "big": {"1001"}, "empty": {""}, "two": {"1", "2"}, "exp": {"1e3"}}
	if n, err := Int(v, "absent", 100, 1, 1000); err != nil || n != 100 {
		t.Errorf("absent: %d %v", n, err)
	}
	if n, err := Int(v, "ok", 100, 1, 1000); err != nil || n != 7 {
		t.Errorf("ok: %d %v", n, err)
	}
	for _, name := range []string{"neg", "plus", "big", "empty", "two", "exp"} {
		if _, err := Int(v, name, 100, 1, 1000); news.ErrorCode(err) != news.EINVALID || Status(err) != http.StatusBadRequest {
			t.Errorf("%s=%q accepted: %v", name, v[name], err)
		}
	}
}

func TestDecodeJSONTakesOneValue(t *testing.T) {
	var v struct{ A int }
	decode := func(body string, limit int64) error {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		w := httptest.NewRecorder()
		var err error
		LimitBody(limit)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { err = DecodeJSON(r, &v) })).ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			return fmt.Errorf("status %d", w.Code)
		}
		return err
	}
	if err := decode(`{"A":1}`+"\n", 100); err != nil || v.A != 1 {
		t.Fatalf("one value: %v %+v", err, v)
	}
	for _, body := range []string{`{"A":1} x`, `{"A":1}{"A":2}`, `{"A":1}]`, `{"B":1}`, `{"A":1`, ``} {
		if err := decode(body, 100); Status(err) != http.StatusBadRequest {
			t.Errorf("%q: %v, want 400", body, err)
		}
	}
	// Over the limit: refused before reading when the length is known,
	// and as too large (413, with a Chinese message) when it is not.
	if err := decode(`{"A":`+strings.Repeat("1", 200)+`}`, 100); err == nil || !strings.Contains(err.Error(), "413") {
		t.Errorf("announced 200 bytes over a 100-byte limit: %v", err)
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader(`{"A":`+strings.Repeat("1", 200)+`}`))
	r.ContentLength = -1
	var err error
	LimitBody(100)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { err = DecodeJSON(r, &v) })).ServeHTTP(httptest.NewRecorder(), r)
	if Status(err) != http.StatusRequestEntityTooLarge || !strings.Contains(news.ErrorMessage(err), "过大") {
		t.Errorf("unannounced 200 bytes: %d %q", Status(err), news.ErrorMessage(err))
	}
}

func TestStatus(t *testing.T) {
	for err, want := range map[error]int{
		nil:                              200,
		news.Errorf(news.EINVALID, "x"):  400,
		news.Errorf(news.ENOTFOUND, "x"): 404,
		news.Errorf(news.ECONFLICT, "x"): 409,
		fmt.Errorf("wrapped: %w", news.Errorf(news.EFORBIDDEN, "x")): 403,
		context.Canceled:          StatusClientClosed,
		errors.New("disk broken"): 500,
	} {
		if got := Status(err); got != want {
			t.Errorf("Status(%v) = %d, want %d", err, got, want)
		}
	}
}
