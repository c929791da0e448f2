package main

// The editorial workflow in a real browser: a reporter files a story, the
// editor returns it with a comment, the reporter fixes it, it passes all
// three levels (一审 editor, 二审 director, 三审 chief), the chief
// publishes it and it appears on the site. Screenshots of each step go to
// test-artifacts/workflow/. Skips like TestBrowser without Chromium.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestWorkflowBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	chromium := findChromium()
	browserNeeds(t, chromium != "", "Chromium not found (apt-get install -y chromium fonts-noto-cjk)")
	artifacts := filepath.Join("..", "..", "test-artifacts", "workflow")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	site := copySite(t)
	users := map[string]string{"reporter": "王记者", "editor": "李编辑", "director": "赵主任", "chief": "孙总编"}
	s := startServer(t, site)
	for role, name := range users {
		cli(t, "password-of-"+role+"\n", "user", "add", "--site", site, "--role", role, name)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium (%s): %v", chromium, err)
	}

	step := 0
	shot := func(name string) {
		t.Helper()
		step++
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(artifacts, fmt.Sprintf("%02d-%s.png", step, name)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(what, js string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
	// waitFor polls until the JavaScript expression is true (a page
	// loaded after a form was sent).
	waitFor := func(what, js string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool]("(() => { try { return document.readyState === 'complete' && !!("+js+"); } catch (e) { return false; } })()"))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: timed out waiting for %s (%v)", what, js, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	open := func(what, url string) {
		t.Helper()
		if err := chromedp.Do(bctx, chromedp.Navigate(url)); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		waitFor(what, "document.querySelector('main')")
	}
	set := func(sel, value string) {
		t.Helper()
		eval("set "+sel, fmt.Sprintf("(() => { const e = document.querySelector(%q); e.value = %q; return e.value; })()", sel, value))
	}
	// send submits a form (by clicking sel) and waits for the next page.
	send := func(what, sel string) {
		t.Helper()
		eval(what, fmt.Sprintf("(() => { window.__old = true; document.querySelector(%q).click(); return ''; })()", sel))
		waitFor(what, "!window.__old && document.querySelector('main')")
	}
	text := func() string {
		t.Helper()
		return eval("read page", "document.querySelector('main').innerText")
	}
	login := func(role string) {
		t.Helper()
		open("login page", s.base+"/admin/login")
		set("#name", users[role])
		set("#password", "password-of-"+role)
		send("log in as "+role, "form button[type=submit]")
		if !strings.Contains(text(), "工作台") {
			t.Fatalf("login as %s failed:\n%s", role, text())
		}
	}
	click := func(what, sel string) {
		t.Helper()
		send(what, sel)
		waitFor(what, "document.querySelector('p.flash')")
	}

	// 1. The reporter files a story and submits it.
	login("reporter")
	open("write", s.base+"/admin/stories/new")
	set("#title", "离石区老旧小区改造全面启动")
	set("#body", "本报讯 今年离石区将改造老旧小区三十个。\n\n改造内容包括管网、外墙保温和加装电梯。")
	set("#section", "本地")
	shot("reporter-writes")
	click("save", "form.story-form button[type=submit]")
	m := regexp.MustCompile(`/admin/stories/(\d+)`).FindStringSubmatch(eval("location", "location.pathname"))
	if m == nil {
		t.Fatalf("no story page after saving")
	}
	storyPage := s.base + "/admin/stories/" + m[1]
	click("submit", `form[action$="/submit"] button`)
	shot("reporter-submits")

	// 2. The editor returns it with a comment.
	login("editor")
	open("story", storyPage)
	set("#return-comment", "请补充改造资金来源。")
	shot("editor-returns")
	click("return", `form[action$="/return"] button`)
	if !strings.Contains(text(), "请补充改造资金来源") {
		t.Fatal("the return comment is not in the story's history")
	}
	shot("returned")

	// 3. The reporter fixes it and submits again.
	login("reporter")
	open("edit", storyPage+"/edit")
	set("#body", "本报讯 今年离石区将改造老旧小区三十个，资金由中央补助和市级配套共同承担。\n\n改造内容包括管网、外墙保温和加装电梯。")
	click("save fix", "form.story-form button[type=submit]")
	click("resubmit", `form[action$="/submit"] button`)
	shot("reporter-fixes-and-resubmits")

	// 4. 一审, 二审, 三审.
	for _, role := range []string{"editor", "director", "chief"} {
		login(role)
		open("story", storyPage)
		click(role+" approves", "#approve")
		shot(role + "-signs")
	}
	if page := text(); !strings.Contains(page, "已审定") || strings.Count(page, " 已签 ") != 3 {
		t.Fatalf("after three sign-offs:\n%s", page)
	}

	// 5. The chief publishes (签发); the story is on the site.
	click("publish", "#publish")
	shot("chief-publishes")
	href := eval("public link", `document.querySelector('main a[href^="/stories/"]').getAttribute('href')`)
	open("public page", s.base+href)
	h1 := eval("headline", "document.querySelector('h1').innerText")
	body := eval("body", "document.querySelector('.story-body').innerText")
	if h1 != "离石区老旧小区改造全面启动" || !strings.Contains(body, "资金由中央补助") {
		t.Fatalf("public page: %q / %q", h1, body)
	}
	shot("on-the-site")
	open("home", s.base+"/")
	if !strings.Contains(eval("home", "document.querySelector('main').innerText"), "离石区老旧小区改造全面启动") {
		t.Fatal("the published story is not on the home page")
	}
}
