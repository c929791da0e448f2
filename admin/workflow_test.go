package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/desk"
	"newsroom/internal/media"
	"newsroom/internal/news"
	"newsroom/internal/password"
	"newsroom/internal/sqlite"
)

type nopLive struct{}

func (nopLive) Update(context.Context, []news.Story, []string) error { return nil }

func (nopLive) Place(context.Context, map[string][]string) error { return nil }

// testAdmin is an admin over a fresh database with one user per role.
type testAdmin struct {
	srv     *httptest.Server
	desk    *desk.Service
	users   map[news.Role]*news.User
	tokens  map[news.Role]string
	cookies map[news.Role]string
}

func newTestAdmin(t *testing.T) *testAdmin {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "newsroom.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	db.SetHashParams(password.Params{Time: 1, Memory: 1024, Threads: 1})
	t.Cleanup(func() { db.Close() })
	d := &desk.Service{Store: db, Content: content.Dir{Root: filepath.Join(dir, "content")}, Live: nopLive{}, Clock: news.SystemClock{}}
	mediaDir := filepath.Join(dir, "media")
	lib := media.NewLibrary(mediaDir, "/media/", db, nil, media.Limits{MaxBytes: 2 << 20, MaxPixels: 50_000_000, MaxSide: 3000})
	a, err := New(Config{Desk: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), PaperName: "测试报", Media: lib, MediaDir: mediaDir})
	if err != nil {
		t.Fatal(err)
	}
	ta := &testAdmin{srv: httptest.NewServer(a), desk: d, users: map[news.Role]*news.User{}, tokens: map[news.Role]string{}, cookies: map[news.Role]string{}}
	t.Cleanup(ta.srv.Close)
	ctx := context.Background()
	for _, r := range news.Roles {
		u := &news.User{Name: string(r) + "1", Role: r}
		if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		ta.users[r] = u
		if ta.tokens[r], err = db.CreateToken(ctx, u.ID, news.ScopeWrite); err != nil {
			t.Fatal(err)
		}
		if ta.cookies[r], err = db.CreateSession(ctx, u.ID, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	return ta
}

// story makes a story of the reporter in the given state, through the desk.
func (ta *testAdmin) story(t *testing.T, state news.State) *news.Story {
	t.Helper()
	ctx := context.Background()
	d, admin := ta.desk, ta.users[news.RoleAdmin]
	s := &news.Story{Title: "权限测试稿件", Body: "正文第一段。", Section: "本地"}
	if err := d.Create(ctx, ta.users[news.RoleReporter], s); err != nil {
		t.Fatal(err)
	}
	step := func(st *news.Story, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		s = st
	}
	if state == news.StateDraft {
		return s
	}
	step(d.Submit(ctx, ta.users[news.RoleReporter], s.ID))
	if state == news.StateSubmitted {
		return s
	}
	// Three people sign the three levels: nobody signs two.
	for _, r := range []news.Role{news.RoleEditor, news.RoleDirector, news.RoleChief} {
		step(d.Approve(ctx, ta.users[r], s.ID))
	}
	switch state {
	case news.StateScheduled:
		step(d.Schedule(ctx, admin, s.ID, time.Now().Add(time.Hour)))
	case news.StatePublished:
		step(d.Publish(ctx, admin, s.ID))
	}
	if s.State != state {
		t.Fatalf("made a story in state %s, want %s", s.State, state)
	}
	return s
}

// viaAPI does action on story s as role through the JSON API and returns
// the status.
func (ta *testAdmin) viaAPI(t *testing.T, role news.Role, action string, s *news.Story) int {
	t.Helper()
	method, path, body := "POST", fmt.Sprintf("/api/admin/stories/%d/%s", s.ID, action), map[string]any{}
	switch action {
	case "edit":
		method, path = "PUT", fmt.Sprintf("/api/admin/stories/%d", s.ID)
		body = map[string]any{"body": "改过的正文。", "version": s.Version, "correction": map[string]string{"kind": "更正", "note": "改正一处错字。"}}
	case "return":
		body["comment"] = "请补充消息来源。"
	case "withdraw":
		body["reason"] = "测试撤稿"
	case "schedule":
		body["at"] = time.Now().Add(2 * time.Hour).Format(time.RFC3339)
	}
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, ta.srv.URL+path, strings.NewReader(string(b)))
	req.Header.Set("Authorization", "Bearer "+ta.tokens[role])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: not JSON: %v", method, path, err)
	}
	if resp.StatusCode == 200 && action != "edit" {
		if _, ok := out["signoffs"]; !ok || out["state"] == nil {
			t.Errorf("%s: story JSON without state and signoffs: %v", action, out)
		}
	}
	return resp.StatusCode
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// viaUI does action on story s as role through the admin's forms and
// returns the status: 303 (to the story page) means done.
func (ta *testAdmin) viaUI(t *testing.T, role news.Role, action string, s *news.Story) int {
	t.Helper()
	path := fmt.Sprintf("/admin/stories/%d/%s", s.ID, action)
	form := url.Values{}
	switch action {
	case "edit":
		path = fmt.Sprintf("/admin/stories/%d", s.ID)
		form = url.Values{"kind": {"story"}, "title": {s.Title}, "body": {"改过的正文。"}, "section": {s.Section},
			"version": {strconv.Itoa(s.Version)}, "correction_kind": {"更正"}, "correction": {"改正一处错字。"}}
	case "return":
		form.Set("comment", "请补充消息来源。")
	case "withdraw":
		form.Set("comment", "测试撤稿")
		form.Set("confirm", "1") // the confirmation page's button (TestWithdrawAsksFirst)
	case "schedule":
		form.Set("at", time.Now().In(news.Shanghai).Add(2*time.Hour).Format("2006-01-02T15:04"))
	}
	req, _ := http.NewRequest("POST", ta.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ta.cookies[role]})
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusSeeOther {
		return http.StatusOK
	}
	return resp.StatusCode
}

// TestRoleActionMatrix checks every (role, action) pair with the default
// 三审 chain, in the UI and in the API alike: 200 done, 403 not for this
// role, 409 not in this state (or not at this level).
func TestRoleActionMatrix(t *testing.T) {
	ta := newTestAdmin(t)
	roles := []news.Role{news.RoleReporter, news.RoleEditor, news.RoleDirector, news.RoleChief, news.RoleAdmin}
	cases := []struct {
		action string
		from   news.State
		want   []int // per role, in the order of roles
	}{
		{"edit", news.StateDraft, []int{200, 200, 200, 200, 200}},
		{"edit", news.StateSubmitted, []int{409, 200, 200, 200, 200}},
		{"edit", news.StatePublished, []int{403, 403, 403, 200, 200}}, // a correction
		{"submit", news.StateDraft, []int{200, 200, 200, 200, 200}},
		{"submit", news.StatePublished, []int{409, 409, 409, 409, 409}},
		{"approve", news.StateSubmitted, []int{403, 200, 409, 409, 200}}, // 一审 is the editor's
		{"approve", news.StateDraft, []int{403, 409, 409, 409, 409}},
		{"return", news.StateSubmitted, []int{403, 200, 200, 200, 200}},
		{"return", news.StateApproved, []int{403, 409, 409, 200, 200}}, // past 二审: only the chief (or admin)
		{"return", news.StatePublished, []int{403, 409, 409, 409, 409}},
		{"publish", news.StateApproved, []int{403, 403, 403, 200, 200}},
		{"publish", news.StateSubmitted, []int{403, 403, 403, 409, 409}},
		{"schedule", news.StateApproved, []int{403, 403, 403, 200, 200}},
		{"schedule", news.StateDraft, []int{403, 403, 403, 409, 409}},
		{"unschedule", news.StateScheduled, []int{403, 403, 403, 200, 200}},
		{"unschedule", news.StateApproved, []int{403, 403, 403, 409, 409}},
		{"withdraw", news.StatePublished, []int{403, 403, 403, 200, 200}},
		{"withdraw", news.StateApproved, []int{403, 403, 403, 409, 409}},
	}
	for _, c := range cases {
		for i, role := range roles {
			for _, way := range []string{"api", "ui"} {
				s := ta.story(t, c.from)
				var got int
				if way == "api" {
					got = ta.viaAPI(t, role, c.action, s)
				} else {
					got = ta.viaUI(t, role, c.action, s)
				}
				if got != c.want[i] {
					t.Errorf("%s: %s %s on a %s story: %d, want %d", way, role, c.action, c.from, got, c.want[i])
				}
			}
		}
	}
}

// TestAdminOnly checks the admin-only pages and endpoints for every role.
func TestAdminOnly(t *testing.T) {
	ta := newTestAdmin(t)
	for _, role := range news.Roles {
		want := http.StatusForbidden
		if role == news.RoleAdmin {
			want = http.StatusOK
		}
		for _, p := range []string{"/admin/audit", "/admin/workflow", "/api/admin/audit?action=create"} {
			req, _ := http.NewRequest("GET", ta.srv.URL+p, nil)
			if strings.HasPrefix(p, "/api/") {
				req.Header.Set("Authorization", "Bearer "+ta.tokens[role])
			} else {
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ta.cookies[role]})
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("%s GET %s: %d, want %d", role, p, resp.StatusCode, want)
			}
		}
		req, _ := http.NewRequest("PUT", ta.srv.URL+"/api/admin/workflow", strings.NewReader(`{"default":["editor","chief"]}`))
		req.Header.Set("Authorization", "Bearer "+ta.tokens[role])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s PUT /api/admin/workflow: %d, want %d", role, resp.StatusCode, want)
		}
	}
}

// TestDiffPresenceAndDesk covers the revision diff (character level, in
// Chinese), who else is editing, and the desk views.
func TestDiffPresenceAndDesk(t *testing.T) {
	ta := newTestAdmin(t)
	s := ta.story(t, news.StateDraft)
	ctx := context.Background()
	s.Body = "正文第一段，有改动。"
	if _, err := ta.desk.Update(ctx, ta.users[news.RoleReporter], s, s.Version); err != nil {
		t.Fatal(err)
	}
	left, right, _, del, ins := diffRevisions("吕梁市举行高考", "吕梁市顺利举行高考")
	if del != 0 || ins != 2 || !strings.Contains(string(right), "<ins>顺利</ins>") || strings.Contains(string(left), "<del>") {
		t.Fatalf("diff: -%d +%d %s | %s", del, ins, left, right)
	}
	get := func(role news.Role, path string) (int, string) {
		req, _ := http.NewRequest("GET", ta.srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ta.cookies[role]})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, page := get(news.RoleEditor, fmt.Sprintf("/admin/stories/%d/diff?a=1&b=2", s.ID)); code != 200 || !strings.Contains(page, "<ins>，有改动</ins>") {
		t.Fatalf("diff page: %d\n%s", code, page)
	}
	get(news.RoleEditor, fmt.Sprintf("/admin/stories/%d/edit", s.ID))
	if _, page := get(news.RoleChief, fmt.Sprintf("/admin/stories/%d/edit", s.ID)); !strings.Contains(page, "正在编辑这篇稿件的还有：editor1") {
		t.Fatal("the edit form does not say who else has the story open")
	}
	sub := ta.story(t, news.StateSubmitted)
	if _, page := get(news.RoleEditor, "/admin/"); !strings.Contains(page, "一审（编辑） · 我这一级（1）") || !strings.Contains(page, sub.Title) {
		t.Fatalf("dashboard lacks the 一审 queue:\n%s", page)
	}
}
