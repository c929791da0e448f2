package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"net/http/httptest"

	"newsroom/internal/content"
	"newsroom/internal/desk"
	"newsroom/internal/news"
	"newsroom/internal/password"
	"newsroom/internal/sqlite"
)

// callAPI sends a JSON request with a token and decodes the answer.
func callAPI(t *testing.T, method, u, token string, body any) (int, http.Header, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, resp.Header, out
}

func TestAdminsManageUsersAndTheirAccess(t *testing.T) {
	ta := newTestAdmin(t)
	admin, reporter := ta.tokens[news.RoleAdmin], ta.tokens[news.RoleReporter]
	rep := ta.users[news.RoleReporter]
	base := ta.srv.URL + "/api/admin/users"

	if code, _, _ := callAPI(t, "GET", base, reporter, nil); code != http.StatusForbidden {
		t.Fatalf("reporter listed users: %d", code)
	}
	code, _, out := callAPI(t, "GET", base, admin, nil)
	if code != 200 || len(out["users"].([]any)) != len(news.Roles) {
		t.Fatalf("users: %d %v", code, out)
	}
	// A role change.
	code, _, out = callAPI(t, "PUT", fmt.Sprintf("%s/%d", base, rep.ID), admin, map[string]any{"role": "editor"})
	if code != 200 || out["role"] != "editor" {
		t.Fatalf("role change: %d %v", code, out)
	}
	callAPI(t, "PUT", fmt.Sprintf("%s/%d", base, rep.ID), admin, map[string]any{"role": "reporter"})
	// Disabling ends the token and session at once.
	code, _, out = callAPI(t, "PUT", fmt.Sprintf("%s/%d", base, rep.ID), admin, map[string]any{"disabled": true})
	if code != 200 || out["disabled"] != true {
		t.Fatalf("disable: %d %v", code, out)
	}
	if code, _, _ := callAPI(t, "GET", ta.srv.URL+"/api/admin/me", reporter, nil); code != http.StatusUnauthorized {
		t.Fatalf("disabled user's token answered %d", code)
	}
	req, _ := http.NewRequest("GET", ta.srv.URL+"/admin/", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ta.cookies[news.RoleReporter]})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login" {
		t.Fatalf("disabled user's session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	callAPI(t, "PUT", fmt.Sprintf("%s/%d", base, rep.ID), admin, map[string]any{"disabled": false})
	// An admin cannot lock themselves out.
	me := ta.users[news.RoleAdmin]
	if code, _, _ := callAPI(t, "PUT", fmt.Sprintf("%s/%d", base, me.ID), admin, map[string]any{"disabled": true}); code != http.StatusConflict {
		t.Fatalf("admin disabled themselves: %d", code)
	}
	// A reset gives a one-time password that must be changed at login.
	code, _, out = callAPI(t, "POST", fmt.Sprintf("%s/%d/reset-password", base, rep.ID), admin, nil)
	pw, _ := out["password"].(string)
	if code != 200 || len(pw) < 10 {
		t.Fatalf("reset: %d %v", code, out)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err = c.PostForm(ta.srv.URL+"/admin/login", url.Values{"name": {rep.Name}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path != "/admin/password" || !strings.Contains(string(body), "请先设置您自己的密码") {
		t.Fatalf("login with a one-time password went to %s", resp.Request.URL)
	}
	resp, _ = c.Get(ta.srv.URL + "/admin/")
	resp.Body.Close()
	if resp.Request.URL.Path != "/admin/password" {
		t.Fatalf("a user with a one-time password reached %s", resp.Request.URL)
	}
	resp, _ = c.PostForm(ta.srv.URL+"/admin/password", url.Values{"current": {pw}, "new": {"我自己的新密码 kite"}, "confirm": {"我自己的新密码 kite"}})
	resp.Body.Close()
	resp, _ = c.Get(ta.srv.URL + "/admin/")
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path != "/admin/" || !strings.Contains(string(body), "工作台") {
		t.Fatalf("after choosing a password: %s", resp.Request.URL)
	}
	// Tokens: listed, and revoked by id; a read-only token cannot write.
	ctx := context.Background()
	editor := ta.users[news.RoleEditor]
	readOnly, err := ta.desk.Store.CreateToken(ctx, editor.ID, news.ScopeRead)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, _ := callAPI(t, "GET", ta.srv.URL+"/api/admin/stories", readOnly, nil); code != 200 {
		t.Fatalf("read-only token could not read: %d", code)
	}
	if code, _, _ := callAPI(t, "POST", ta.srv.URL+"/api/admin/stories", readOnly, map[string]any{"title": "只读"}); code != http.StatusForbidden {
		t.Fatalf("read-only token wrote: %d", code)
	}
	code, _, out = callAPI(t, "GET", fmt.Sprintf("%s/%d/access", base, editor.ID), admin, nil)
	tokens, _ := out["tokens"].([]any)
	if code != 200 || len(tokens) != 2 {
		t.Fatalf("access: %d %v", code, out)
	}
	for _, tk := range tokens {
		id := strconv.Itoa(int(tk.(map[string]any)["id"].(float64)))
		if code, _, _ := callAPI(t, "DELETE", ta.srv.URL+"/api/admin/tokens/"+id, admin, nil); code != http.StatusNoContent {
			t.Fatalf("revoke %s: %d", id, code)
		}
	}
	if code, _, _ := callAPI(t, "GET", ta.srv.URL+"/api/admin/me", ta.tokens[news.RoleEditor], nil); code != http.StatusUnauthorized {
		t.Fatalf("revoked token answered %d", code)
	}
}

type stepClock struct{ t time.Time }

func (c *stepClock) Now() time.Time { return c.t }

// TestLoginIsThrottled: after five wrong passwords for one account the
// next try, even with the right password, answers 429 with Retry-After
// and a Chinese message; once the wait is over the right password works.
func TestLoginIsThrottled(t *testing.T) {
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "newsroom.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.SetHashParams(password.Params{Time: 1, Memory: 1024, Threads: 1})
	t.Cleanup(func() { db.Close() })
	clock := &stepClock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}
	d := &desk.Service{Store: db, Content: content.Dir{Root: filepath.Join(dir, "content")}, Live: nopLive{}, Clock: clock, Logins: desk.NewLogins(clock)}
	a, err := New(Config{Desk: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), PaperName: "测试报"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	if err := db.CreateUser(context.Background(), &news.User{Name: "编辑甲", Role: news.RoleEditor}, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	login := func(pw string) (int, string, string) {
		resp, err := http.PostForm(srv.URL+"/admin/login", url.Values{"name": {"编辑甲"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
	}
	for i := 0; i < 5; i++ {
		if code, _, _ := login("wrong password"); code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d answered %d", i+1, code)
		}
	}
	code, _, _ := login("wrong password")
	if code != http.StatusUnauthorized {
		t.Fatalf("sixth wrong password answered %d", code)
	}
	code, retry, body := login("correct horse battery")
	if code != http.StatusTooManyRequests || retry == "" || !strings.Contains(body, "登录失败次数过多") {
		t.Fatalf("throttled login: %d Retry-After %q", code, retry)
	}
	clock.t = clock.t.Add(2 * time.Second)
	if code, _, _ := login("correct horse battery"); code != http.StatusOK {
		t.Fatalf("login after the wait: %d", code)
	}
}
