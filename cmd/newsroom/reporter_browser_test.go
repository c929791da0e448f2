package main

// The reporter's desk in a real browser at a phone's width (390 px): the
// rich editor, a paste from WPS (the clipboard fixture of internal/paste),
// three photos dropped onto the upload area with captions and credits, the
// tab closed and the text offered back from the browser's copy, the preview
// rendered by the site's theme, and after 三审 the published page with
// responsive photos, their credits, og:image and JSON-LD image of the lead
// photo. Screenshots go to test-artifacts/reporter/. Skips like TestBrowser
// without Chromium.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

func TestReporterDeskBrowser(t *testing.T) {
	site := copySite(t)
	s := startServer(t, site)
	cli(t, "reporter-password-1\n", "user", "add", "--site", site, "--role", "reporter", "王记者")
	cli(t, "chief-password-1234\n", "user", "add", "--site", site, "--role", "admin", "孙总编")
	chief := lastLine(cli(t, "", "token", "create", "--site", site, "孙总编"))
	wps, err := os.ReadFile(filepath.Join("..", "..", "internal", "paste", "testdata", "wps.html"))
	if err != nil {
		t.Fatal(err)
	}

	b := newBrowserSession(t, "reporter", 180*time.Second)
	eval, waitFor, open, set, send, shot := b.eval, b.waitFor, b.open, b.set, b.send, b.shot
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	noSideScroll := func(what string) {
		t.Helper()
		if w := eval(what, "String(document.documentElement.scrollWidth)"); w != eval(what, "String(window.innerWidth)") || w != "390" {
			wide := eval(what, `[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 391 && e.getBoundingClientRect().width > 200 && ![...e.children].some((c) => c.getBoundingClientRect().right > 391))
				.slice(0, 8).map((e) => e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`)
			t.Errorf("%s: the page is %s px wide at 390 px (scrolls sideways): %s", what, w, wide)
		}
	}
	open("login page", s.base+"/admin/login")
	set("#name", "王记者")
	set("#password", "reporter-password-1")
	send("log in", "form button[type=submit]")
	noSideScroll("dashboard")
	shot("phone-dashboard")

	// Write in a tab of its own, which is then closed.
	tab, closeTab := chromedp.NewContext(b.ctx)
	main := b.ctx
	b.ctx = tab
	if err := chromedp.Do(tab, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	open("new story", s.base+"/admin/stories/new")
	waitFor("editor", "document.querySelector('.rich-text')")
	noSideScroll("story form")
	set("#title", "大棚里的新农人")
	set("#section", "本地")
	eval("paste from WPS", fmt.Sprintf(`(() => { const ed = document.querySelector('.rich-text'); ed.focus();
		const dt = new DataTransfer(); dt.setData("text/html", %s); dt.setData("text/plain", "x");
		ed.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true})); return ""; })()`, jsQuote(string(wps))))
	waitFor("pasted text", `document.getElementById("body").value.includes("大棚采用智能温控，种植户用手机就能开窗通风。")`)
	if body := eval("body", `document.getElementById("body").value`); !strings.HasPrefix(body, "示例县今年新建的三座蔬菜大棚已全部投入使用。\n\n大棚采用") ||
		!strings.Contains(body, "## 订单农业稳收入") || strings.Contains(body, "\u3000") {
		t.Errorf("pasted from WPS, the body is:\n%s", body)
	}
	if msg := eval("paste note", `document.querySelector(".rich-message").textContent`); !strings.Contains(msg, "图片") {
		t.Errorf("no word about the image the paste could not carry: %q", msg)
	}
	// Three photos dropped onto the upload area, as from a file manager.
	set("#photo-default-credit", "记者 示例 摄")
	eval("drop photos", `(() => { const dt = new DataTransfer(); let n = 0;
		const colours = ["#7a3", "#37a", "#a73"];
		const make = (i) => new Promise((ok) => { const c = document.createElement("canvas"); c.width = 800; c.height = 520;
			const g = c.getContext("2d"); g.fillStyle = colours[i]; g.fillRect(0, 0, 800, 520); g.fillStyle = "#fff"; g.fillRect(100, 100, 300, 200);
			c.toBlob((b) => ok(new File([b], "photo" + (i + 1) + ".jpg", {type: "image/jpeg"})), "image/jpeg", 0.9); });
		Promise.all([make(0), make(1), make(2)]).then((files) => { files.forEach((f) => dt.items.add(f));
			document.getElementById("photo-drop").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true})); });
		return ""; })()`)
	waitFor("three photos uploaded", `document.querySelectorAll(".photo-row").length === 3`)
	eval("captions", `(() => { const caps = ["图为智能温控大棚。", "种植户查看手机上的温度。", "刚采摘的黄瓜。"];
		document.querySelectorAll('input[name="photo_caption"]').forEach((e, i) => { e.value = caps[i]; e.dispatchEvent(new Event("input", {bubbles: true})); });
		document.querySelector('input[name="photo_alt"]').value = "大棚里一排排黄瓜架";
		document.querySelector('input[name="photo_alt"]').dispatchEvent(new Event("input", {bubbles: true})); return ""; })()`)
	waitFor("local copy", `(JSON.parse(localStorage.getItem("newsroom:story:new") || "{}").fields || {}).photo_caption !== undefined &&
		JSON.parse(localStorage.getItem("newsroom:story:new")).fields.photo_caption[2] === "刚采摘的黄瓜。"`)
	noSideScroll("story form with photos")
	shot("phone-writing")
	typed := eval("body", `document.getElementById("body").value`)
	closeTab()
	b.ctx = main

	// Reopened: the browser's copy is offered back.
	open("new story again", s.base+"/admin/stories/new")
	waitFor("restore offer", "document.querySelector('.restore-offer')")
	shot("phone-restore-offer")
	eval("restore", `(() => { document.querySelector(".restore-yes").click(); return ""; })()`)
	if got := eval("body", `document.getElementById("body").value`); got != typed {
		t.Errorf("restored body:\n%s\nwant what was typed:\n%s", got, typed)
	}
	if got := eval("title", `document.getElementById("title").value`); got != "大棚里的新农人" {
		t.Errorf("restored title %q", got)
	}
	if n := eval("photos", `String(document.querySelectorAll(".photo-row").length)`); n != "3" {
		t.Errorf("%s photo rows restored, want 3", n)
	}
	send("save", "form.story-form button[type=submit]")
	m := regexp.MustCompile(`/admin/stories/(\d+)`).FindStringSubmatch(eval("location", "location.pathname"))
	if m == nil {
		t.Fatalf("no story page after saving:\n%s", eval("page", "document.querySelector('main').innerText"))
	}
	id := m[1]
	if eval("local copy", `String(localStorage.getItem("newsroom:story:new"))`) != "null" {
		t.Error("the browser's copy is kept after saving")
	}

	// The media library finds the photos by the captions given in the story.
	open("edit", s.base+"/admin/stories/"+id+"/edit")
	waitFor("editor", "document.querySelector('.rich-text')")
	eval("search the library", `(() => { document.getElementById("media-library").open = true;
		const q = document.getElementById("media-q"); q.value = "采摘"; q.dispatchEvent(new Event("input", {bubbles: true})); return ""; })()`)
	deadline := time.Now().Add(20 * time.Second)
	for eval("library", `[...document.querySelectorAll(".media-pick")].map((b) => b.textContent).join("|")`) != "刚采摘的黄瓜。　记者 示例 摄" {
		if time.Now().After(deadline) {
			t.Fatalf("the library found %q for 采摘, want the one photo so captioned", eval("library", `[...document.querySelectorAll(".media-pick")].map((b) => b.textContent).join("|")`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	noSideScroll("media library")
	shot("phone-media-library")

	// The preview, rendered by Hugo with the site's theme.
	open("preview", s.base+"/admin/stories/"+id+"/preview/page")
	preview := eval("preview", "document.documentElement.outerHTML")
	for _, want := range []string{"大棚里的新农人", "<picture>", "srcset=", "/admin/preview/files/media/", "图为智能温控大棚。", "记者 示例 摄", "预览：稿件尚未发布"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	waitFor("preview photos load", `[...document.images].every((i) => i.complete && i.naturalWidth > 0)`)
	noSideScroll("preview")
	shot("phone-preview")

	// 三审 and publish through the API (the workflow browser test covers
	// the review pages).
	base := s.base + "/api/admin/stories/" + id
	signers := reviewers(t, site)
	for i, tok := range []string{chief, signers[0], signers[1], signers[2], chief} {
		step := []string{"submit", "approve", "approve", "approve", "publish"}[i]
		if code, out := api(t, "POST", base+"/"+step, tok, map[string]any{}); code != 200 {
			t.Fatalf("%s: %d %v", step, code, out)
		}
	}
	_, story := api(t, "GET", base, chief, nil)
	url, _ := story["url"].(string)
	photos, _ := story["photos"].([]any)
	if url == "" || len(photos) != 3 {
		t.Fatalf("published story: %v", story)
	}
	lead := photos[0].(map[string]any)
	if lead["media"] == nil || lead["alt"] != "大棚里一排排黄瓜架" || lead["credit"] != "记者 示例 摄" {
		t.Errorf("lead photo %v", lead)
	}
	leadSrc := lead["src"].(string)

	open("published", s.base+url)
	page := eval("published", "document.documentElement.outerHTML")
	for _, want := range []string{"<picture>", `type="image/webp"`, "刚采摘的黄瓜。", "记者 示例 摄", `width="800" height="520"`} {
		if !strings.Contains(page, want) {
			t.Errorf("published page lacks %q", want)
		}
	}
	og := eval("og:image", `document.querySelector('meta[property="og:image"]').content`)
	if !strings.HasSuffix(og, leadSrc) {
		t.Errorf("og:image %q, want the lead photo %s", og, leadSrc)
	}
	var ld struct {
		Image any `json:"image"`
	}
	for _, js := range strings.Split(eval("json-ld", `[...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent).join("\u0000")`), "\x00") {
		if strings.Contains(js, "NewsArticle") {
			json.Unmarshal([]byte(js), &ld)
		}
	}
	if img := fmt.Sprint(ld.Image); !strings.Contains(img, leadSrc) {
		t.Errorf("JSON-LD image %v, want the lead photo %s", ld.Image, leadSrc)
	}
	waitFor("published photos load", `[...document.images].every((i) => i.complete && i.naturalWidth > 0)`)
	noSideScroll("published page")
	shot("phone-published")
	resp, err := http.Get(s.base + leadSrc)
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("lead photo %s: %v %v", leadSrc, err, resp)
	}
	if resp != nil {
		resp.Body.Close()
	}
}

func jsQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
