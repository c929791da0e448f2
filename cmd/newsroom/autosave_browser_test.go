package main

// Server-side autosave in a real browser: a reporter types into the rich
// editor, the form autosaves to the server, the tab is closed without
// saving, the browser's own copy is wiped (so what comes back is the
// server's), and reopening the story offers the text back. Screenshots go
// to test-artifacts/autosave/. Skips like TestBrowser without Chromium.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

func TestAutosaveBrowser(t *testing.T) {
	site := copySite(t)
	s := startServer(t, site)
	cli(t, "reporter-password-1\n", "user", "add", "--site", site, "--role", "reporter", "王记者")
	reporter := lastLine(cli(t, "", "token", "create", "--site", site, "王记者"))
	code, created := api(t, "POST", s.base+"/api/admin/stories", reporter, map[string]any{
		"title": "自动保存测试稿", "section": "本地", "body": "原来的第一段。"})
	if code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, created)
	}
	id := fmt.Sprint(int64(created["id"].(float64)))

	b := newBrowserSession(t, "autosave", 150*time.Second)
	eval, waitFor, open, set, send, shot := b.eval, b.waitFor, b.open, b.set, b.send, b.shot
	open("login page", s.base+"/admin/login")
	set("#name", "王记者")
	set("#password", "reporter-password-1")
	send("log in", "form button[type=submit]")

	// Type in a tab of its own, wait for the server's copy, close the tab.
	tab, closeTab := chromedp.NewContext(b.ctx)
	main := b.ctx
	b.ctx = tab
	open("edit", s.base+"/admin/stories/"+id+"/edit")
	waitFor("editor", "document.querySelector('.rich-text')")
	typed := "记者在现场看到，抢修队伍连夜作业。"
	eval("caret at the end", `(() => { const ed = document.querySelector(".rich-text"); ed.focus();
		const r = document.createRange(); r.selectNodeContents(ed); r.collapse(false);
		const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r); return ""; })()`)
	if err := chromedp.Do(tab, chromedp.KeyEvent("\r"), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: typed})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	waitFor("typed into the body", fmt.Sprintf(`document.getElementById("body").value.includes(%q)`, typed))
	waitFor("autosaved", `document.getElementById("autosave-status").textContent.includes("已自动保存到服务器")`)
	shot("autosaved")
	code, saved := api(t, "GET", s.base+"/api/admin/stories/"+id+"/autosave", reporter, nil)
	if fields, _ := saved["fields"].(map[string]any); code != 200 || !strings.Contains(fmt.Sprint(fields["body"]), typed) {
		t.Fatalf("the server's copy: %d %v", code, saved)
	}
	closeTab()
	b.ctx = main

	// The story itself is as it was: an autosave is no save.
	if _, story := api(t, "GET", s.base+"/api/admin/stories/"+id, reporter, nil); story["body"] != "原来的第一段。" || story["version"] != 1.0 {
		t.Fatalf("autosave changed the story: %v", story)
	}
	// Only the server can give it back: the browser's copy is wiped.
	eval("clear the browser's copy", `(() => { localStorage.clear(); return String(localStorage.length); })()`)

	open("edit again", s.base+"/admin/stories/"+id+"/edit")
	waitFor("server's offer", "document.getElementById('autosave-offer')")
	if n := eval("local offers", `String(document.querySelectorAll(".restore-offer:not(.server-offer)").length)`); n != "0" {
		t.Fatalf("%s offers from the browser's copy after it was wiped", n)
	}
	if got := eval("body before restoring", `document.getElementById("body").value`); strings.Contains(got, typed) {
		t.Fatal("the form shows the autosaved text before it is restored")
	}
	shot("offer")
	send("restore", "#autosave-offer a.restore-server")
	waitFor("restored", "document.getElementById('autosave-restored') && document.querySelector('.rich-text')")
	if got := eval("body", `document.getElementById("body").value`); !strings.Contains(got, "原来的第一段。") || !strings.Contains(got, typed) {
		t.Fatalf("restored body %q, want the typed text", got)
	}
	if got := eval("editor", `document.querySelector(".rich-text").innerText`); !strings.Contains(got, typed) {
		t.Errorf("the rich editor shows %q", got)
	}
	shot("restored")
	send("save", "form.story-form button[type=submit]")
	if _, story := api(t, "GET", s.base+"/api/admin/stories/"+id, reporter, nil); !strings.Contains(fmt.Sprint(story["body"]), typed) || story["version"] != 2.0 {
		t.Errorf("saved story: %v", story)
	}
	if code, _ := api(t, "GET", s.base+"/api/admin/stories/"+id+"/autosave", reporter, nil); code != http.StatusNotFound {
		t.Errorf("the autosave outlived the save: %d", code)
	}
	if n := eval("local copy after the save", `String(localStorage.getItem("newsroom:story:`+id+`"))`); n != "null" {
		t.Errorf("the browser's copy outlived the save: %s", n)
	}

	// A save sent after the login ended meanwhile keeps the text: the
	// login page carries it, and after logging in again the form opens
	// restored from it (the browser's copy is there as well).
	open("edit once more", s.base+"/admin/stories/"+id+"/edit")
	waitFor("editor", "document.querySelector('.rich-text')")
	late := "这一句在登录过期后才保存。"
	eval("type more", fmt.Sprintf(`(() => { const ed = document.querySelector(".rich-text"); ed.focus();
		const r = document.createRange(); r.selectNodeContents(ed); r.collapse(false);
		const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r); document.execCommand("insertText", false, %q); return ""; })()`, late))
	waitFor("typed", fmt.Sprintf(`document.getElementById("body").value.includes(%q)`, late))
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/admin/users/%d/logout", s.base, int64(created["owner_id"].(float64))), nil)
	req.Header.Set("Authorization", "Bearer "+reporter)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("end the reporter's sessions: %d", resp.StatusCode)
	}
	send("save after the login ended", "form.story-form button[type=submit]")
	waitFor("login page", "document.getElementById('password')")
	set("#name", "王记者")
	set("#password", "reporter-password-1")
	if msg := eval("login page", "document.querySelector('main').innerText"); !strings.Contains(msg, "登录已过期") {
		t.Errorf("the login page does not say the text is kept:\n%s", msg)
	}
	if n := eval("browser's copy", `String(localStorage.getItem("newsroom:story:`+id+`") !== null)`); n != "true" {
		t.Error("the browser's copy is gone after the refused save")
	}
	send("log in again", "form button[type=submit]")
	waitFor("the form restored after the login", "document.getElementById('autosave-restored') && document.querySelector('.rich-text')")
	shot("restored-after-login")
	if got := eval("body", `document.getElementById("body").value`); !strings.Contains(got, late) {
		t.Errorf("after an expired login the text is gone: %q", got)
	}
}
