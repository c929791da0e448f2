package main

// The notice form (登公告) in a real browser: the fieldsets follow the
// selected kind through CSS :has() alone (no script on the page), a bad
// 统一社会信用代码 comes back with its Chinese message next to the field,
// and the fixed notice is saved and shown on its story page. Screenshots go
// to test-artifacts/notice-form/. Skips like TestBrowser without Chromium.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestNoticeFormBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	chromium := findChromium()
	browserNeeds(t, chromium != "", "Chromium not found (apt-get install -y chromium fonts-noto-cjk)")
	artifacts := filepath.Join("..", "..", "test-artifacts", "notice-form")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	site := copySite(t)
	s := startServer(t, site)
	cli(t, "password-of-reporter\n", "user", "add", "--site", site, "--role", "reporter", "王记者")

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
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

	eval := func(what, js string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
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
		eval("set "+sel, fmt.Sprintf("(() => { const e = document.querySelector(%q); e.value = %q; e.dispatchEvent(new Event('change', {bubbles: true})); return e.value; })()", sel, value))
	}
	send := func(what, sel string) {
		t.Helper()
		eval(what, fmt.Sprintf("(() => { window.__old = true; document.querySelector(%q).click(); return ''; })()", sel))
		waitFor(what, "!window.__old && document.querySelector('main')")
	}
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		os.WriteFile(filepath.Join(artifacts, name+".png"), png, 0o644)
	}
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
	send("open the notice form", `nav a[href="/admin/notices/new"]`)
	if n := eval("scripts", "String(document.scripts.length)"); n != "0" {
		t.Errorf("the notice form has %s scripts; it should need none", n)
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
	shot("01-capital-reduction")
	send("save with a bad code", "form.notice-form button[type=submit]")
	msg := eval("field error", `(() => { const i = document.querySelector('#f-credit_code'); const e = document.getElementById(i.getAttribute('aria-describedby')); return i.getAttribute('aria-invalid') + ' ' + (e ? e.textContent : '') + ' ' + (i.nextElementSibling === e); })()`)
	if !strings.HasPrefix(msg, "true 统一社会信用代码") || !strings.HasSuffix(msg, " true") {
		t.Fatalf("credit code error next to the field: %q", msg)
	}
	shot("02-bad-credit-code")
	set("#f-credit_code", "91350100M000100Y43")
	send("save fixed", "form.notice-form button[type=submit]")
	waitFor("story page", "location.pathname.match(/^\\/admin\\/stories\\/\\d+$/)")
	main := eval("story page", "document.querySelector('main').innerText")
	if !strings.Contains(main, "吕梁示例有限公司减资公告") || !strings.Contains(main, "公告已保存为草稿") || !strings.Contains(main, "修改公告") {
		t.Fatalf("story page after saving:\n%s", main)
	}
	shot("03-saved")
}
