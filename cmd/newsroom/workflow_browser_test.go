package main

// The editorial workflow in a real browser: a reporter files a story, the
// editor returns it with a comment, the reporter fixes it, it passes all
// three levels (一审 editor, 二审 director, 三审 chief), the chief
// publishes it and it appears on the site. Screenshots of each step go to
// test-artifacts/workflow/. Skips like TestBrowser without Chromium.

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestWorkflowBrowser(t *testing.T) {
	site := copySite(t)
	users := map[string]string{"reporter": "王记者", "editor": "李编辑", "director": "赵主任", "chief": "孙总编"}
	s := startServer(t, site)
	for role, name := range users {
		cli(t, "password-of-"+role+"\n", "user", "add", "--site", site, "--role", role, name)
	}

	b := newBrowserSession(t, "workflow", 120*time.Second)
	eval, waitFor, open, set, send, shot := b.eval, b.waitFor, b.open, b.set, b.send, b.shot
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
