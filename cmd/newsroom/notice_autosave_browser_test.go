package main

// The notice form's autosave in a real browser, as the story form's
// (TestAutosaveBrowser): a reporter fills in a new notice, the form keeps
// a copy in the browser and autosaves to the server, the tab is closed
// without saving; reopening the form offers the browser's copy, and once
// that is wiped the server's, which restores every field; saving discards
// both. Screenshots go to test-artifacts/notice-autosave/. Skips like
// TestBrowser without Chromium.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func TestNoticeAutosaveBrowser(t *testing.T) {
	site := copySite(t)
	s := startServer(t, site)
	cli(t, "reporter-password-1\n", "user", "add", "--site", site, "--role", "reporter", "王记者")
	reporter := lastLine(cli(t, "", "token", "create", "--site", site, "王记者"))

	b := newBrowserSession(t, "notice-autosave", 150*time.Second)
	eval, waitFor, open, set, send, shot := b.eval, b.waitFor, b.open, b.set, b.send, b.shot
	open("login page", s.base+"/admin/login")
	set("#name", "王记者")
	set("#password", "reporter-password-1")
	send("log in", "form button[type=submit]")

	// Fill in a new notice in a tab of its own, wait for both copies,
	// close the tab.
	tab, closeTab := chromedp.NewContext(b.ctx)
	main := b.ctx
	b.ctx = tab
	open("notice form", s.base+"/admin/notices/new")
	waitFor("form", "document.querySelector('form.notice-form')")
	fill := map[string]string{"#f-kind": "capital-reduction", "#f-title": "吕梁自动保存有限公司减资公告",
		"#f-body": "经股东会决议，本公司注册资本由1000万元减至500万元。", "#f-company": "吕梁自动保存有限公司",
		"#f-phones": "0358-7654321\n13900000000"}
	for sel, v := range fill {
		set(sel, v)
	}
	waitFor("autosaved", `document.getElementById("autosave-status").textContent.includes("已自动保存到服务器")`)
	waitFor("browser's copy", `(JSON.parse(localStorage.getItem("newsroom:notice:new") || "{}").fields || {}).company === "吕梁自动保存有限公司"`)
	shot("autosaved")
	code, saved := api(t, "GET", s.base+"/api/admin/notices/new/autosave", reporter, nil)
	if fields, _ := saved["fields"].(map[string]any); code != 200 || fmt.Sprint(fields["company"]) != "[吕梁自动保存有限公司]" {
		t.Fatalf("the server's copy: %d %v", code, saved)
	}
	closeTab()
	b.ctx = main

	// Reopened: both offers; the browser's copy restores the fields.
	open("notice form again", s.base+"/admin/notices/new")
	waitFor("browser's offer", "document.querySelector('.restore-offer:not(.server-offer) .restore-yes')")
	waitFor("server's offer", "document.getElementById('autosave-offer')")
	if got := eval("title before restoring", `document.getElementById("f-title").value`); got != "" {
		t.Fatalf("the form shows %q before it is restored", got)
	}
	shot("offers")
	eval("restore the browser's copy", `(() => { document.querySelector(".restore-offer:not(.server-offer) .restore-yes").click(); return ""; })()`)
	for sel, v := range fill {
		if got := eval("restored "+sel, fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != v {
			t.Errorf("restored %s = %q, want %q", sel, got, v)
		}
	}

	// Only the server can give it back: the browser's copy is wiped (from
	// another page: leaving the form keeps a copy of it).
	open("dashboard", s.base+"/admin/")
	eval("clear the browser's copy", `(() => { localStorage.clear(); return ""; })()`)
	open("notice form once more", s.base+"/admin/notices/new")
	waitFor("server's offer", "document.getElementById('autosave-offer')")
	if n := eval("local offers", `String(document.querySelectorAll(".restore-offer:not(.server-offer)").length)`); n != "0" {
		t.Fatalf("%s offers from the browser's copy after it was wiped", n)
	}
	send("restore", "#autosave-offer a.restore-server")
	waitFor("restored", "document.getElementById('autosave-restored')")
	for sel, v := range fill {
		if got := eval("restored "+sel, fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != v {
			t.Errorf("restored from the server %s = %q, want %q", sel, got, v)
		}
	}
	shot("restored")
	set("#f-credit_code", "91350100M000100Y43")
	set("#f-contact", "李女士")
	set("#f-capital_before", "1000万元")
	set("#f-capital_after", "500万元")
	set("#f-resolution_date", "2023-05-20")
	send("save", "form.notice-form button[type=submit]")
	waitFor("story page", "location.pathname.match(/^\\/admin\\/stories\\/\\d+$/)")
	if main := eval("story page", "document.querySelector('main').innerText"); !strings.Contains(main, "吕梁自动保存有限公司减资公告") || !strings.Contains(main, "公告已保存为草稿") {
		t.Fatalf("story page after saving:\n%s", main)
	}
	if code, _ := api(t, "GET", s.base+"/api/admin/notices/new/autosave", reporter, nil); code != http.StatusNotFound {
		t.Errorf("the server's copy outlived the save: %d", code)
	}
	waitFor("browser's copy cleared", `localStorage.getItem("newsroom:notice:new") === null`)

	// Without JavaScript (the page's script blocked), a save sent after
	// the login ended is not lost either: the login page carries it and
	// the form opens restored from it after logging in again.
	if err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetBlockedURLs, network.SetBlockedURLsParams{
			URLPatterns: []*network.BlockPattern{{URLPattern: "*://*:*/admin/static/*.js", Block: true}}})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimPrefix(eval("story id", "location.pathname"), "/admin/stories/")
	open("edit the notice", s.base+"/admin/notices/"+id+"/edit")
	if v := eval("script ran", "document.getElementById('autosave-status').textContent"); v != "" {
		t.Fatalf("the blocked script ran: %q", v)
	}
	set("#f-contact", "登录过期后改的联系人")
	_, notice := api(t, "GET", s.base+"/api/admin/notices/"+id, reporter, nil)
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/admin/users/%d/logout", s.base, int64(notice["owner_id"].(float64))), nil)
	req.Header.Set("Authorization", "Bearer "+reporter)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("end the reporter's sessions: %d", resp.StatusCode)
	}
	send("save after the login ended", "form.notice-form button[type=submit]")
	waitFor("login page", "document.getElementById('password')")
	if msg := eval("login page", "document.querySelector('main').innerText"); !strings.Contains(msg, "登录已过期") {
		t.Errorf("the login page does not say the text is kept:\n%s", msg)
	}
	shot("login-carrying-the-form")
	set("#name", "王记者")
	set("#password", "reporter-password-1")
	send("log in again", "form button[type=submit]")
	waitFor("the form restored after the login", "document.getElementById('autosave-restored')")
	if got := eval("contact", `document.getElementById("f-contact").value`); got != "登录过期后改的联系人" {
		t.Errorf("after an expired login the contact is %q", got)
	}
	shot("restored-after-login")
	send("save", "form.notice-form button[type=submit]")
	if _, notice := api(t, "GET", s.base+"/api/admin/notices/"+id, reporter, nil); fmt.Sprint(notice["notice"]) == "" ||
		!strings.Contains(fmt.Sprint(notice["notice"]), "登录过期后改的联系人") {
		t.Errorf("saved notice: %v", notice)
	}
}
