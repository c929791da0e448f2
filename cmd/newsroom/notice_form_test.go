package main

// The notice form (登公告) in a real browser: the fieldsets follow the
// selected kind through CSS :has() alone (the page's one script, the
// autosave, is blocked while they are checked), a bad
// 统一社会信用代码 comes back with its Chinese message next to the field,
// and the fixed notice is saved and shown on its story page. Screenshots go
// to test-artifacts/notice-form/. Skips like TestBrowser without Chromium.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func TestNoticeFormBrowser(t *testing.T) {
	site := copySite(t)
	s := startServer(t, site)
	cli(t, "password-of-reporter\n", "user", "add", "--site", site, "--role", "reporter", "王记者")

	b := newBrowserSession(t, "notice-form", 90*time.Second)
	eval, waitFor, open, set, send, shot := b.eval, b.waitFor, b.open, b.set, b.send, b.shot
	// shown lists the legends of the visible fieldsets, without their
	// notes in brackets, as |a|b|c|.
	shown := func() string {
		t.Helper()
		v := eval("visible fieldsets", `[...document.querySelectorAll('.notice-form fieldset')].filter(f => getComputedStyle(f).display !== 'none').map(f => f.querySelector('legend').textContent.split('（')[0]).join('|')`)
		return "|" + v + "|"
	}

	open("login page", s.base+"/admin/login")
	set("#name", "王记者")
	set("#password", "password-of-reporter")
	send("log in", "form button[type=submit]")
	waitFor("nav link", `document.querySelector('nav a[href="/admin/notices/new"]')`)
	// The form needs no script: the autosave's is the page's only one,
	// and it is blocked here.
	block := func(on bool) {
		t.Helper()
		if err := chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, network.SetBlockedURLs, network.SetBlockedURLsParams{
				URLPatterns: []*network.BlockPattern{{URLPattern: "*://*:*/admin/static/notice-form.js", Block: on}}})
			return err
		})); err != nil {
			t.Fatal(err)
		}
	}
	block(true)
	defer block(false)
	send("open the notice form", `nav a[href="/admin/notices/new"]`)
	if n := eval("scripts", "[...document.scripts].map(s => s.getAttribute('src')).join(' ')"); n != "/admin/static/notice-form.js" {
		t.Errorf("the notice form has scripts %q; only the autosave's is expected", n)
	}
	if v := eval("script ran", "String(!!document.querySelector('.restore-offer') || document.getElementById('autosave-status').textContent !== '')"); v != "false" {
		t.Errorf("the blocked script ran")
	}
	if v := shown(); v != "|发布单位|政府公告、公示、通知|联系方式|公示期|电子版|" {
		t.Errorf("kind gov shows fieldsets %q", v)
	}
	set("#f-kind", "lost")
	if v := shown(); v != "|发布单位|公司信息|遗失声明|联系方式|公示期|电子版|" {
		t.Errorf("kind lost shows fieldsets %q", v)
	}
	set("#f-kind", "capital-reduction")
	if v := shown(); v != "|发布单位|公司信息|减资|联系方式|公示期|电子版|" {
		t.Errorf("kind capital-reduction shows fieldsets %q", v)
	}
	fill := map[string]string{
		"#f-title": "吕梁示例有限公司减资公告", "#f-body": "经股东会决议，本公司注册资本由1000万元减至500万元。\n\n请债权人自本公告之日起四十五日内申报债权。",
		"#f-company": "吕梁示例有限公司", "#f-credit_code": "91350100M000100Y44", "#f-contact": "李女士",
		"#f-phones": "0358-1234567", "#f-capital_before": "1000万元", "#f-capital_after": "500万元", "#f-resolution_date": "2023-05-20",
	}
	for sel, v := range fill {
		set(sel, v)
	}
	shot("capital-reduction")
	send("save with a bad code", "form.notice-form button[type=submit]")
	msg := eval("field error", `(() => { const i = document.querySelector('#f-credit_code'); const e = document.getElementById(i.getAttribute('aria-describedby')); return i.getAttribute('aria-invalid') + ' ' + (e ? e.textContent : '') + ' ' + (i.nextElementSibling === e); })()`)
	if !strings.HasPrefix(msg, "true 统一社会信用代码") || !strings.HasSuffix(msg, " true") {
		t.Fatalf("credit code error next to the field: %q", msg)
	}
	shot("bad-credit-code")
	set("#f-credit_code", "91350100M000100Y43")
	send("save fixed", "form.notice-form button[type=submit]")
	waitFor("story page", "location.pathname.match(/^\\/admin\\/stories\\/\\d+$/)")
	main := eval("story page", "document.querySelector('main').innerText")
	if !strings.Contains(main, "吕梁示例有限公司减资公告") || !strings.Contains(main, "公告已保存为草稿") || !strings.Contains(main, "修改公告") {
		t.Fatalf("story page after saving:\n%s", main)
	}
	shot("saved")
}
