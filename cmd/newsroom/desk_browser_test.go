package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDeskBrowser walks an editor through the desk in Chromium: the story
// list with the 8 imported drafts, the 待处理 view, the admin's search (a
// draft found by a word of its text), and 版面排序: stories placed by typing
// numbers, then reordered by dragging, each saved and shown on the home
// page's 头条 at once. Screenshots go to test-artifacts/desk/.
func TestDeskBrowser(t *testing.T) {
	sampleText(t)
	site := copySite(t)
	s := startServer(t, site)
	cli(t, "password-of-editor\n", "user", "add", "--site", site, "--role", "editor", "李编辑")
	admin := lastLine(cli(t, "", "token", "create", "--site", site, "admin"))
	editor := lastLine(cli(t, "", "token", "create", "--site", site, "李编辑"))
	idA, _ := publishStory(t, s.base, site, admin, "离石区新建三座口袋公园", "本报讯 离石区新建三座口袋公园，市民家门口多了休闲去处。")
	idB, _ := publishStory(t, s.base, site, admin, "孝义市开通城乡公交新线路", "本报讯 孝义市开通城乡公交新线路，沿线十二个村通上公交。")
	cli(t, "", "import", "--site", site, "--date", "2023-06-08", "--page", "1", "--page-name", "要闻", samplePage)

	b := newBrowserSession(t, "desk", 180*time.Second)
	text := func() string {
		t.Helper()
		return b.eval("read page", "document.querySelector('main').innerText")
	}
	b.open("login page", s.base+"/admin/login")
	b.set("#name", "李编辑")
	b.set("#password", "password-of-editor")
	b.send("log in", "form button[type=submit]")

	// The story list: everything, the imports among it.
	b.open("story list", s.base+"/admin/stories")
	if got := text(); !strings.Contains(got, "高考首日") || !strings.Contains(got, "孝义市开通城乡公交新线路") {
		t.Fatalf("the story list lacks the imports or the published stories:\n%s", got)
	}
	b.shot("story-list")
	b.open("待处理", s.base+"/admin/stories?owner=importer&state=draft")
	if got := text(); !strings.Contains(got, "000_e58c90808f211c85.txt") || strings.Contains(got, "孝义市开通城乡公交新线路") {
		t.Fatalf("待处理 does not list the imports with their file, or lists more:\n%s", got)
	}
	b.shot("pending")

	// Search inside the admin: a word of a draft's text.
	b.open("story list", s.base+"/admin/stories")
	b.set(`form.filters input[name=q]`, "公交新线路")
	b.send("search", "form.filters button[type=submit]")
	if got := text(); !strings.Contains(got, "孝义市开通城乡公交新线路") || strings.Contains(got, "离石区新建三座口袋公园") {
		t.Fatalf("the admin's search for 公交新线路:\n%s", got)
	}
	b.shot("search")

	order := func() string {
		t.Helper()
		_, out := api(t, "GET", s.base+"/api/admin/placement/home", editor, nil)
		return fmt.Sprint(out["stories"])
	}
	// 版面排序 by numbers: B first (头条), A second.
	b.open("placement", s.base+"/admin/placement")
	b.shot("placement-empty")
	b.set(fmt.Sprintf(`tr[data-id="%d"] input.pos`, idB), "1")
	b.set(fmt.Sprintf(`tr[data-id="%d"] input.pos`, idA), "2")
	b.send("save placement", "#placement-form button[type=submit]")
	if got := text(); !strings.Contains(got, "排序已保存并发布") {
		t.Fatalf("no confirmation after saving the placement:\n%s", got)
	}
	if got := order(); got != fmt.Sprintf("[%d %d]", idB, idA) {
		t.Fatalf("placement after typing numbers: %s", got)
	}
	b.shot("placement-by-number")
	// Reader pages may be cached for a minute (Cache-Control): each visit
	// asks for a fresh copy, as a reader arriving later would get.
	b.open("home", s.base+"/?after=number")
	if lead := b.eval("头条", "document.querySelector('.lead-story').innerText"); !strings.Contains(lead, "孝义市开通城乡公交新线路") {
		t.Fatalf("the home page's 头条 after placing by number: %s", lead)
	}
	b.shot("home-lead-b")

	// By dragging: A's row dropped above B's; the numbers follow.
	b.open("placement", s.base+"/admin/placement")
	b.eval("drag", fmt.Sprintf(`(() => {
		const a = document.querySelector('#placed tr[data-id="%d"]'), b = document.querySelector('#placed tr[data-id="%d"]');
		const dt = new DataTransfer(), r = b.getBoundingClientRect();
		a.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: dt}));
		b.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt, clientY: r.top + 1}));
		b.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
		a.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt}));
		return '';
	})()`, idA, idB))
	if got := b.eval("numbers", `[...document.querySelectorAll('#placed input.pos')].map(i => i.closest('tr').dataset.id + ':' + i.value).join(',')`); got != fmt.Sprintf("%d:1,%d:2", idA, idB) {
		t.Fatalf("the rows were not renumbered after the drag: %s", got)
	}
	if got := b.eval("badges", `[...document.querySelectorAll('#placed .badge')].map(e => e.textContent).join(',')`); got != "头条,推荐" {
		t.Fatalf("the badges did not follow the drag: %s", got)
	}
	b.shot("placement-dragged")
	b.send("save placement", "#placement-form button[type=submit]")
	if got := order(); got != fmt.Sprintf("[%d %d]", idA, idB) {
		t.Fatalf("placement after dragging: %s", got)
	}
	b.open("home", s.base+"/?after=drag")
	if lead := b.eval("头条", "document.querySelector('.lead-story').innerText"); !strings.Contains(lead, "离石区新建三座口袋公园") {
		t.Fatalf("the home page's 头条 after the drag: %s", lead)
	}
	b.shot("home-lead-a")
}
