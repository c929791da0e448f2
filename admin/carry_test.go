package admin

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsroom/internal/news"
)

// TestFormPostAfterLoginEnded: a story or notice form sent without a live
// session (no JavaScript to keep a copy) is not lost. The login page
// carries it (a token; the server keeps the post), and after the login the
// form opens restored from it, not saved; whoever may not autosave it gets
// the form back with the text and the reason. Other posts go to the login
// page as before.
func TestFormPostAfterLoginEnded(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	s := ta.story(t, news.StateDraft)
	tokenRE := regexp.MustCompile(`name="carry" value="([0-9a-f]{32})"`)
	// post sends form to path with a session cookie that is no longer
	// valid and returns the carried token from the login page.
	post := func(path string, form url.Values) string {
		t.Helper()
		req, _ := http.NewRequest("POST", ta.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "ended-session"})
		status, body, _ := ta.do(t, req)
		m := tokenRE.FindStringSubmatch(body)
		if status != http.StatusUnauthorized || m == nil || !strings.Contains(body, "登录已过期") || !strings.Contains(body, `id="password"`) {
			t.Fatalf("form post after the login ended: %d, want the login page carrying it:\n%s", status, body)
		}
		return m[1]
	}
	// login logs in as role with the carried token; it returns the status,
	// the page and the redirect, and the new session cookie.
	login := func(role news.Role, token string) (int, string, string, string) {
		t.Helper()
		form := url.Values{"name": {ta.users[role].Name}, "password": {"correct horse battery"}, "carry": {token}}
		req, _ := http.NewRequest("POST", ta.srv.URL+"/admin/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var cookie string
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				cookie = c.Value
			}
		}
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Location"), cookie
	}
	page := func(cookie, path string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", ta.srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
		status, body, _ := ta.do(t, req)
		if status != 200 {
			t.Fatalf("GET %s: %d", path, status)
		}
		return body
	}

	// A story's form: after the login it opens with the typed text.
	typed := "登录过期后才提交的这一段不能丢。"
	token := post(fmt.Sprintf("/admin/stories/%d", s.ID), url.Values{"kind": {"story"}, "title": {"改过的标题"},
		"body": {typed}, "section": {"本地"}, "version": {fmt.Sprint(s.Version)}})
	if cur, _ := ta.desk.Get(ctx, ta.users[news.RoleAdmin], s.ID); cur.Body == typed || cur.Version != s.Version {
		t.Fatal("the post was saved without a login")
	}
	status, _, loc, cookie := login(news.RoleReporter, token)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, fmt.Sprintf("/admin/stories/%d/edit?restore=autosave", s.ID)) || cookie == "" {
		t.Fatalf("login carrying the post: %d %s", status, loc)
	}
	if body := page(cookie, loc); !strings.Contains(body, typed) || !strings.Contains(body, `value="改过的标题"`) || !strings.Contains(body, `id="autosave-restored"`) {
		t.Fatalf("the form after the login lacks the typed text:\n%s", body)
	}
	if cur, _ := ta.desk.Get(ctx, ta.users[news.RoleAdmin], s.ID); cur.Body == typed {
		t.Fatal("the carried post was saved without the user saving it")
	}
	// A token serves once.
	if status, _, loc, _ := login(news.RoleReporter, token); status != http.StatusSeeOther || loc != "/admin/" {
		t.Errorf("a used token: %d %s, want the dashboard", status, loc)
	}

	// A new notice's form.
	token = post("/admin/notices", url.Values{"kind": {"lost"}, "title": {"遗失声明"}, "body": {"不慎遗失营业执照副本，声明作废。"},
		"holder": {"吕梁遗失测试有限公司"}, "section": {"公告"}, "version": {"0"}})
	status, _, loc, cookie = login(news.RoleReporter, token)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/notices/new?restore=autosave") {
		t.Fatalf("login carrying a new notice: %d %s", status, loc)
	}
	if body := page(cookie, loc); !strings.Contains(body, `value="吕梁遗失测试有限公司"`) || !strings.Contains(body, "不慎遗失营业执照副本") ||
		!strings.Contains(body, `<option value="lost" selected>`) {
		t.Fatalf("the notice form after the login lacks the typed fields:\n%s", body)
	}

	// Who may not autosave the form (the story went into review
	// meanwhile) gets it back with the text and the reason.
	sub := ta.story(t, news.StateSubmitted)
	token = post(fmt.Sprintf("/admin/stories/%d", sub.ID), url.Values{"kind": {"story"}, "title": {"送审中的稿件"}, "body": {typed}, "version": {"2"}})
	status, body, _, _ := login(news.RoleReporter, token)
	if status != http.StatusConflict || !strings.Contains(body, typed) || !strings.Contains(body, "登录前提交的内容没有保存") {
		t.Fatalf("a carried post the user may not autosave: %d\n%s", status, body)
	}

	// Other posts without a login go to the login page as before.
	req, _ := http.NewRequest("POST", ta.srv.URL+fmt.Sprintf("/admin/stories/%d/submit", s.ID), strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if status, _, loc := ta.do(t, req); status != http.StatusSeeOther || loc != "/admin/login" {
		t.Errorf("an action without a login: %d %s", status, loc)
	}
}

// TestCarriedBounds: the posts kept for a login are bounded in number and
// bytes (the oldest go first) and expire.
func TestCarriedBounds(t *testing.T) {
	at := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	c := newCarried(func() time.Time { return at })
	first := c.keep("/admin/stories", url.Values{"body": {"第一篇"}})
	for i := 1; i < carryMaxForms; i++ {
		c.keep("/admin/stories", url.Values{"body": {"x"}})
		at = at.Add(time.Second)
	}
	if _, ok := c.take(first); !ok {
		t.Fatal("the first post went before the bound was reached")
	}
	first = c.keep("/admin/stories", url.Values{"body": {"y"}})
	at = at.Add(time.Second)
	c.keep("/admin/stories", url.Values{"body": {"z"}})
	if len(c.forms) != carryMaxForms {
		t.Fatalf("%d posts kept, want at most %d", len(c.forms), carryMaxForms)
	}
	big := c.keep("/admin/stories", url.Values{"body": {strings.Repeat("字", carryMaxBytes/3-10)}})
	if c.bytes > carryMaxBytes {
		t.Fatalf("%d bytes kept, want at most %d", c.bytes, carryMaxBytes)
	}
	if _, ok := c.take(big); !ok {
		t.Fatal("the newest post was dropped")
	}
	tok := c.keep("/admin/stories", url.Values{"body": {"会过期"}})
	at = at.Add(carryTTL + time.Second)
	if _, ok := c.take(tok); ok {
		t.Error("an expired post was given back")
	}
}
