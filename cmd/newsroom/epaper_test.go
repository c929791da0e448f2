package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// publishOnPage files, reviews and publishes a story on an e-paper page.
func publishOnPage(t *testing.T, base, site, token, edition string, page int, title, body string) (int64, string) {
	t.Helper()
	code, created := api(t, "POST", base+"/api/admin/stories", token, map[string]any{
		"title": title, "section": "本地", "source": "本报讯", "authors": []string{"记者 测试"}, "body": body,
		"edition": edition, "page": page, "page_name": "本地新闻"})
	if code != http.StatusCreated {
		t.Fatalf("create %q: %d %v", title, code, created)
	}
	id := int64(created["id"].(float64))
	path := fmt.Sprintf("%s/api/admin/stories/%d", base, id)
	if code, st := api(t, "POST", path+"/submit", token, nil); code != 200 {
		t.Fatalf("submit: %d %v", code, st)
	}
	for i, signer := range reviewers(t, site) {
		if code, st := api(t, "POST", path+"/approve", signer, nil); code != 200 {
			t.Fatalf("approve level %d: %d %v", i+1, code, st)
		}
	}
	code, pub := api(t, "POST", path+"/publish", token, nil)
	if code != 200 {
		t.Fatalf("publish %q: %d %v", title, code, pub)
	}
	return id, pub["url"].(string)
}

// uploadPage sends a page file as an editor's browser or client would.
func uploadPage(t *testing.T, u, token, name string, file []byte) (int, map[string]any) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "page.bin")
	fw.Write(file)
	mw.WriteField("name", name)
	mw.Close()
	req, _ := http.NewRequest("PUT", u, &b)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("PUT %s: not JSON: %s", u, data)
	}
	return resp.StatusCode, out
}

// A 数字报 page from end to end, on the real server: stories published
// into a page are on it when the publish returns; the editors' order puts
// the 头条 first at once; an uploaded PDF gives the page its image and
// finds every story's area without hand work; areas can be corrected; the
// page's PDF downloads; each change is in the audit log.
func TestEPaperPageEndToEnd(t *testing.T) {
	chromium := findChromium()
	browserNeeds(t, chromium != "", "Chromium not found (prints the test page's PDF)")
	_, err := exec.LookPath("pdftoppm")
	browserNeeds(t, err == nil, "pdftoppm (poppler-utils) not found")
	site := copySite(t)
	s := startServer(t, site)
	token := lastLine(cli(t, "", "token", "create", "--site", site, "admin"))

	// The demo paper's page 1: its image (epaper/2023-06-08/01.jpg) with a
	// link over each of its 8 stories, the 头条 first, the PDF to download.
	_, demo := get(t, http.DefaultClient, s.base+"/edition/2023-06-08/01/")
	if !strings.Contains(demo, `src="/edition/2023-06-08/01/page.jpg"`) || strings.Count(demo, `class="epaper-area"`) != 8 ||
		!strings.Contains(demo, `href="/edition/2023-06-08/01/page.pdf"`) {
		t.Errorf("the demo's page 1 has no image, areas or PDF:\n%s", demo)
	}
	if i, j := strings.Index(demo, "头条</span>"), strings.Index(demo, `href="/stories/2023/06/yijianshi-yicibang/">“一件事一次办”`); i < 0 || j < i || j-i > 200 {
		t.Errorf("the demo's 头条 is not first on page 1")
	}
	if code, body := get(t, http.DefaultClient, s.base+"/edition/2023-06-08/01/page.pdf"); code != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("the demo's page PDF: %d", code)
	}
	if code, _ := get(t, http.DefaultClient, s.base+"/edition/2023-06-08/#page-1"); code != 200 {
		t.Errorf("the edition page: %d", code)
	}
	const ed = "2023-06-12"
	type story struct {
		title, body string
		id          int64
		url         string
	}
	stories := []*story{
		{title: "城区新增公共充电桩二百个", body: "本报讯　为方便市民绿色出行，城区今年新建公共充电桩二百个，覆盖主要商圈、医院和住宅小区，市民可通过手机查询空闲车位。\n\n供电部门表示，年内还将在各县城推广快充站点，让充电像加油一样方便。"},
		{title: "社区食堂开到家门口", body: "本报讯　离石区首批八家社区食堂日前开业，为辖区老年人提供实惠可口的一日三餐，七十岁以上老人用餐还可享受补贴。\n\n社区工作人员介绍，食堂菜品每周更新，并可为行动不便的老人送餐上门。"},
	}
	for _, st := range stories {
		start := time.Now()
		st.id, st.url = publishOnPage(t, s.base, site, token, ed, 3, st.title, st.body)
		code, page := get(t, http.DefaultClient, s.base+"/edition/"+ed+"/03/")
		if code != 200 || !strings.Contains(page, st.url) {
			t.Fatalf("page 3 right after publishing %q (%v): %d\n%.800s", st.title, time.Since(start), code, page)
		}
	}
	// The new edition's neighbours: the demo's 2023-06-08 links it as 下一期
	// at once, and it links back; a story on page 4 makes 下一版 of page 3.
	_, p4 := publishOnPage(t, s.base, site, token, ed, 4, "四版短讯", "本报讯　四版的一篇短讯，用来检验上一版与下一版。")
	_, page3 := get(t, http.DefaultClient, s.base+"/edition/"+ed+"/03/")
	for _, want := range []string{`href="/edition/2023-06-08/" rel="prev">上一期`, `href="/edition/` + ed + `/04/" rel="next">下一版：第04版`,
		`<a href="/edition/` + ed + `/03/" aria-current="page">第03版：本地新闻</a>`} {
		if !strings.Contains(page3, want) {
			t.Errorf("page 3 has no %s", want)
		}
	}
	_, page4 := get(t, http.DefaultClient, s.base+"/edition/"+ed+"/04/")
	if !strings.Contains(page4, p4) || !strings.Contains(page4, `href="/edition/`+ed+`/03/" rel="prev">上一版`) {
		t.Errorf("page 4 does not list its story or link page 3")
	}
	if _, demo := get(t, http.DefaultClient, s.base+"/edition/2023-06-08/01/"); !strings.Contains(demo, `href="/edition/`+ed+`/" rel="next">下一期`) {
		t.Errorf("the edition before the new one does not link it as 下一期")
	}

	// The story page links its e-paper page.
	if _, page := get(t, http.DefaultClient, s.base+stories[0].url); !strings.Contains(page, "/edition/"+ed+"/03/") {
		t.Errorf("story page does not link its e-paper page")
	}

	// Placement: the second story becomes the 头条.
	place := fmt.Sprintf("%s/api/admin/placement/edition/%s/3", s.base, ed)
	code, got := api(t, "PUT", place, token, map[string]any{"stories": []int64{stories[1].id}})
	if code != 200 || fmt.Sprint(got["stories"]) != fmt.Sprint([]any{float64(stories[1].id), float64(stories[0].id)}) {
		t.Fatalf("placement: %d %v", code, got)
	}
	_, page := get(t, http.DefaultClient, s.base+"/edition/"+ed+"/03/")
	if i, j := strings.Index(page, stories[1].url), strings.Index(page, stories[0].url); i < 0 || j < 0 || i > j || !strings.Contains(page, "头条") {
		t.Fatalf("the placed 头条 is not first on the page:\n%s", page)
	}
	if code, got := api(t, "GET", place, token, nil); code != 200 || fmt.Sprint(got["stories"]) != fmt.Sprint([]any{float64(stories[1].id), float64(stories[0].id)}) {
		t.Errorf("GET placement: %d %v", code, got)
	}
	if code, got := api(t, "PUT", place, token, map[string]any{"stories": []int64{999999}}); code != 400 || !strings.Contains(fmt.Sprint(got["error"]), "不在本版") {
		t.Errorf("placement of a story from elsewhere: %d %v", code, got)
	}

	// The printed page's PDF, made from the two stories' text.
	var html strings.Builder
	html.WriteString(`<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><style>@page{size:297mm 420mm;margin:0}body{margin:0;width:297mm;height:420mm;position:relative}div{position:absolute;left:5%;width:90%;height:40%}h1{font-size:9mm}p{font-size:4mm;line-height:1.6;text-indent:2em}</style><body>`)
	for i, st := range stories {
		fmt.Fprintf(&html, `<div style="top:%d%%"><h1>%s</h1>`, 5+i*50, st.title)
		for _, p := range strings.Split(st.body, "\n\n") {
			fmt.Fprintf(&html, "<p>%s</p>", p)
		}
		html.WriteString("</div>")
	}
	dir := t.TempDir()
	htmlFile, pdfFile := filepath.Join(dir, "page.html"), filepath.Join(dir, "page.pdf")
	os.WriteFile(htmlFile, []byte(html.String()), 0o600)
	if out, err := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--no-pdf-header-footer", "--print-to-pdf="+pdfFile, "file://"+htmlFile).CombinedOutput(); err != nil {
		t.Fatalf("print PDF: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(pdfFile)
	if err != nil {
		t.Fatal(err)
	}
	pageAPI := fmt.Sprintf("%s/api/admin/editions/%s/pages/3", s.base, ed)
	code, up := uploadPage(t, pageAPI, token, "本地新闻", pdf)
	if code != 200 || up["image"] != "/edition/"+ed+"/03/page.jpg" || up["pdf"] != "/edition/"+ed+"/03/page.pdf" {
		t.Fatalf("upload: %d %v", code, up)
	}
	areas, _ := up["areas"].([]any)
	if len(areas) != 2 {
		t.Fatalf("areas found: %v", up["areas"])
	}
	for _, a := range areas {
		a := a.(map[string]any)
		top := map[int64]float64{stories[0].id: 5, stories[1].id: 55}[int64(a["story"].(float64))]
		if y := a["y"].(float64); y < top-2 || y > top+5 || a["h"].(float64) > 41 {
			t.Errorf("area %v: want it at the top of its story's box (y %v%%)", a, top)
		}
	}
	_, page = get(t, http.DefaultClient, s.base+"/edition/"+ed+"/03/")
	if !strings.Contains(page, `src="/edition/`+ed+`/03/page.jpg"`) || strings.Count(page, `class="epaper-area"`) != 2 || !strings.Contains(page, "page.pdf") {
		t.Fatalf("page after the upload has no image, areas or PDF link:\n%s", page)
	}
	if code, img := get(t, http.DefaultClient, s.base+"/edition/"+ed+"/03/page.jpg"); code != 200 || !strings.HasPrefix(img, "\xff\xd8\xff") {
		t.Errorf("page image: %d", code)
	}
	if code, body := get(t, http.DefaultClient, s.base+"/edition/"+ed+"/03/page.pdf"); code != 200 || body != string(pdf) {
		t.Errorf("page PDF: %d, %d bytes", code, len(body))
	}
	if code, _ := get(t, http.DefaultClient, s.base+"/edition/"+ed+"/04/page.pdf"); code != 404 {
		t.Errorf("PDF of a page without one: %d", code)
	}

	// The editor corrects an area.
	code, fixed := api(t, "PUT", pageAPI+"/areas", token, map[string]any{"areas": []map[string]any{
		{"story": stories[0].id, "x": 10, "y": 10, "w": 30, "h": 20}}})
	if code != 200 || len(fixed["areas"].([]any)) != 1 {
		t.Fatalf("areas: %d %v", code, fixed)
	}
	_, page = get(t, http.DefaultClient, s.base+"/edition/"+ed+"/03/")
	if !strings.Contains(page, "left:10.00%;top:10.00%;width:30.00%;height:20.00%") {
		t.Errorf("corrected area not on the page")
	}
	if code, got := api(t, "PUT", pageAPI+"/areas", token, map[string]any{"areas": []map[string]any{
		{"story": stories[0].id, "x": 90, "y": 10, "w": 30, "h": 20}}}); code != 400 || !strings.Contains(fmt.Sprint(got["error"]), "超出版面") {
		t.Errorf("area off the page: %d %v", code, got)
	}

	// Bad uploads: by content, with Chinese messages.
	if code, got := uploadPage(t, pageAPI, token, "", []byte("GIF89a not a page")); code != 400 || !strings.Contains(fmt.Sprint(got["error"]), "请上传版面的 PDF") {
		t.Errorf("GIF upload: %d %v", code, got)
	}
	if code, _ := uploadPage(t, fmt.Sprintf("%s/api/admin/editions/2023-02-30/pages/3", s.base), token, "", pdf); code != 404 {
		t.Errorf("upload for no date: %d", code)
	}

	// The page editor in a browser: the area is a box the editor drags;
	// the numbers follow, and saving them publishes the page.
	cli(t, "password-of-editor\n", "user", "add", "--site", site, "--role", "editor", "李编辑")
	b := newBrowserSession(t, "epaper-page", 90*time.Second)
	b.open("login page", s.base+"/admin/login")
	b.set("#name", "李编辑")
	b.set("#password", "password-of-editor")
	b.send("log in", "form button[type=submit]")
	b.send("open the e-paper", `nav a[href="/admin/editions"]`)
	b.set(`input[name="date"]`, ed)
	b.set(`input[name="page"]`, "3")
	b.send("open page 3", `form.filters button[type=submit]`)
	if got := b.eval("where", "location.pathname"); got != fmt.Sprintf("/admin/editions/%s/pages/3", ed) {
		t.Fatalf("the page form led to %s", got)
	}
	b.waitFor("page image", `document.querySelector('#ep-sheet img').complete && document.querySelectorAll('.ep-box').length === 1`)
	b.shot("page-editor")
	var box struct{ X, Y, W, H float64 }
	if err := json.Unmarshal([]byte(b.eval("box", `(() => { const e = document.querySelector('.ep-box'); e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); return JSON.stringify({X: r.x, Y: r.y, W: r.width, H: r.height}); })()`)), &box); err != nil {
		t.Fatal(err)
	}
	x0, y0 := box.X+box.W/2, box.Y+box.H/2
	if err := chromedp.Do(b.ctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x0, y0),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x0, y0, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x0+40, y0+30, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x0+80, y0+60, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x0+80, y0+60, chromedp.ButtonLeft)); err != nil {
		t.Fatal(err)
	}
	xField := fmt.Sprintf(`document.querySelector('input[name="x_%d"]').value`, stories[0].id)
	moved := b.eval("x after the drag", xField)
	if moved == "10" || moved == "" {
		t.Fatalf("dragging the box left x at %q", moved)
	}
	b.shot("dragged")
	b.send("save areas", "#ep-areas button[type=submit]")
	b.waitFor("saved", `document.querySelector('.flash')`)
	_, page = get(t, http.DefaultClient, s.base+"/edition/"+ed+"/03/")
	if !strings.Contains(page, "left:"+moved) {
		t.Errorf("the dragged area (x %s) is not on the reader's page", moved)
	}

	// The audit log has every change.
	_, audit := api(t, "GET", s.base+"/api/admin/audit?action=epaper-order", token, nil)
	if entries, _ := audit["entries"].([]any); len(entries) != 1 {
		t.Errorf("audit log of the order: %v", audit)
	}
	_, audit = api(t, "GET", s.base+"/api/admin/audit?action=epaper-page", token, nil)
	if entries, _ := audit["entries"].([]any); len(entries) != 3 {
		t.Errorf("audit log of the page: %v", audit)
	}
}
