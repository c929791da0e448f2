package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// apiJSON does method path with body as role and decodes the answer.
func (ta *testAdmin) apiJSON(t *testing.T, role news.Role, method, path, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, ta.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+ta.tokens[role])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: not JSON: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, out
}

// titles lists the titles of a story list answer.
func titles(out map[string]any) []string {
	var ts []string
	list, _ := out["stories"].([]any)
	for _, s := range list {
		ts = append(ts, s.(map[string]any)["title"].(string))
	}
	return ts
}

// TestStoryListFilters checks each filter of GET /api/admin/stories, the
// paging and its total, what a reporter sees, and bad input.
func TestStoryListFilters(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	rep, ed := ta.users[news.RoleReporter], ta.users[news.RoleEditor]
	mk := func(u *news.User, s *news.Story) *news.Story {
		t.Helper()
		if err := ta.desk.Create(ctx, u, s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	mk(rep, &news.Story{Title: "吕梁市举行高考", Body: "考生两万余名。", Section: "本地", Edition: "2023-06-08", Page: 2})
	mk(rep, &news.Story{Title: "汾阳文化节开幕", Body: "杏花村迎来游客。", Section: "文化", Edition: "2023-06-08", Page: 3})
	mk(ed, &news.Story{Title: "编辑的稿件", Body: "正文里提到杏花村。", Section: "要闻", Edition: "2023-06-09", Page: 2})
	for i := range 5 {
		mk(ed, &news.Story{Title: fmt.Sprintf("分页稿件%d", i), Section: "要闻"})
	}
	sub := ta.story(t, news.StateSubmitted) // 权限测试稿件, the reporter's

	cases := []struct {
		role  news.Role
		query string
		want  []string // titles, newest first; nil: only the total is checked
		total int
	}{
		{news.RoleEditor, "q=杏花村", []string{"编辑的稿件", "汾阳文化节开幕"}, 2}, // title or body, drafts included
		{news.RoleEditor, "q=高考", []string{"吕梁市举行高考"}, 1},
		{news.RoleEditor, "section=文化", []string{"汾阳文化节开幕"}, 1},
		{news.RoleEditor, "edition=2023-06-08&page=2", []string{"吕梁市举行高考"}, 1},
		{news.RoleEditor, "edition=2023-06-08", []string{"汾阳文化节开幕", "吕梁市举行高考"}, 2},
		{news.RoleEditor, "owner=reporter1&state=submitted", []string{sub.Title}, 1},
		{news.RoleEditor, "state=draft,submitted", nil, 9},
		{news.RoleEditor, "q=&state=&section=&owner=&edition=", nil, 9}, // an empty filter is no filter
		{news.RoleEditor, "owner=editor1&limit=2", []string{"分页稿件4", "分页稿件3"}, 6},
		{news.RoleEditor, "owner=editor1&limit=2&offset=4", []string{"分页稿件0", "编辑的稿件"}, 6},
		{news.RoleEditor, "owner=editor1&limit=2&offset=6", []string{}, 6},
		{news.RoleEditor, "q=没有这个词", []string{}, 0},
		// A reporter sees only their own, whatever the filter asks.
		{news.RoleReporter, "q=杏花村", []string{"汾阳文化节开幕"}, 1},
		{news.RoleReporter, "owner=editor1", []string{}, 0},
		{news.RoleReporter, "", nil, 3},
	}
	for _, c := range cases {
		code, h, out := ta.apiJSON(t, c.role, "GET", "/api/admin/stories?"+c.query, "")
		if code != 200 {
			t.Errorf("%s ?%s: %d %v", c.role, c.query, code, out)
			continue
		}
		if got := int(out["total"].(float64)); got != c.total || h.Get("X-Total-Count") != fmt.Sprint(c.total) {
			t.Errorf("%s ?%s: total %d (header %q), want %d", c.role, c.query, got, h.Get("X-Total-Count"), c.total)
		}
		if c.want == nil {
			continue
		}
		if got := titles(out); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s ?%s: %q, want %q", c.role, c.query, got, c.want)
		}
	}
	// The default page is 50 stories.
	for i := range 50 {
		mk(ed, &news.Story{Title: fmt.Sprintf("更多稿件%d", i)})
	}
	if _, _, out := ta.apiJSON(t, news.RoleEditor, "GET", "/api/admin/stories", ""); len(titles(out)) != 50 || out["total"].(float64) != 59 {
		t.Errorf("default page: %d stories of %v, want 50 of 59", len(titles(out)), out["total"])
	}
	for _, bad := range []string{"limit=", "page=", "limit=201", "limit=0", "limit=x", "offset=-1", "edition=2023-6-8", "page=0", "state=gone"} {
		code, _, out := ta.apiJSON(t, news.RoleEditor, "GET", "/api/admin/stories?"+bad, "")
		if code != http.StatusBadRequest || out["code"] != news.EINVALID {
			t.Errorf("?%s: %d %v, want 400 invalid", bad, code, out)
		}
	}
}

// TestAssign checks who may assign a story, that the new owner may then
// work on it, and that the audit log records it.
func TestAssign(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	ed, rep := ta.users[news.RoleEditor], ta.users[news.RoleReporter]
	s := &news.Story{Title: "导入的草稿", Body: "正文。", Section: "本地"}
	if err := ta.desk.Create(ctx, ed, s); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"owner": %d}`, rep.ID)
	path := fmt.Sprintf("/api/admin/stories/%d/assign", s.ID)
	if code, _, out := ta.apiJSON(t, news.RoleReporter, "POST", path, body); code != http.StatusForbidden {
		t.Fatalf("a reporter assigned a story: %d %v", code, out)
	}
	if code, _, out := ta.apiJSON(t, news.RoleEditor, "POST", path, `{"owner": 9999}`); code != http.StatusBadRequest {
		t.Fatalf("assigned to nobody: %d %v", code, out)
	}
	code, _, out := ta.apiJSON(t, news.RoleEditor, "POST", path, body)
	if code != 200 || out["owner"] != rep.Name || out["owner_id"].(float64) != float64(rep.ID) || out["state"] != "draft" {
		t.Fatalf("assign: %d %v", code, out)
	}
	// The reporter now owns the draft: sees it in their list and submits it.
	if _, _, out := ta.apiJSON(t, news.RoleReporter, "GET", "/api/admin/stories", ""); strings.Join(titles(out), "|") != "导入的草稿" {
		t.Fatalf("reporter's list after assign: %v", titles(out))
	}
	if code, _, out := ta.apiJSON(t, news.RoleReporter, "POST", fmt.Sprintf("/api/admin/stories/%d/submit", s.ID), ""); code != 200 {
		t.Fatalf("the new owner cannot submit: %d %v", code, out)
	}
	log, err := ta.desk.Audit(ctx, ta.users[news.RoleAdmin], news.AuditFilter{Action: string(news.ActAssign)})
	if err != nil || len(log) != 1 || log[0].User != ed.Name || log[0].StoryID != s.ID || !strings.Contains(log[0].Detail, rep.Name) {
		t.Fatalf("audit log of the assignment: %v %+v", err, log)
	}
	// A published story keeps its owner.
	pub := ta.story(t, news.StatePublished)
	if code, _, _ := ta.apiJSON(t, news.RoleAdmin, "POST", fmt.Sprintf("/api/admin/stories/%d/assign", pub.ID), fmt.Sprintf(`{"owner": %d}`, ed.ID)); code != http.StatusConflict {
		t.Fatalf("assigned a published story: %d", code)
	}
}

// TestStoryListPage checks the list page: filters, the 待处理 view with the
// import's file, paging links and the assign form.
func TestStoryListPage(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	imp := &news.User{Name: "importer", Role: news.RoleEditor}
	if err := ta.desk.Store.CreateUser(ctx, imp, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	s := &news.Story{Title: "版面导入稿", Body: "正文。", Edition: "2023-06-08", Page: 1, PageName: "要闻"}
	if err := ta.desk.Create(ctx, imp, s); err != nil {
		t.Fatal(err)
	}
	if err := ta.desk.Store.RecordImport(ctx, "k1", s.ID, "lvliang-20230608-01.html"); err != nil {
		t.Fatal(err)
	}
	ta.story(t, news.StateDraft)
	code, body, _ := ta.getPage(t, news.RoleEditor, "/admin/stories?"+pendingQuery)
	if code != 200 || !strings.Contains(body, "版面导入稿") || !strings.Contains(body, "lvliang-20230608-01.html") ||
		!strings.Contains(body, "第1版") || strings.Contains(body, "权限测试稿件") || !strings.Contains(body, `action="/admin/stories/`) {
		t.Fatalf("待处理 view: %d\n%s", code, body)
	}
	if _, body, _ := ta.getPage(t, news.RoleEditor, fmt.Sprintf("/admin/stories/%d", s.ID)); !strings.Contains(body, "导入自 <code>lvliang-20230608-01.html</code>") {
		t.Fatalf("the story page does not say where the import came from:\n%s", body)
	}
	form := url.Values{"owner": {fmt.Sprint(ta.users[news.RoleReporter].ID)}, "back": {"/admin/stories?" + pendingQuery}}
	code, _, loc := ta.postNoticeForm(t, news.RoleEditor, fmt.Sprintf("/admin/stories/%d/assign", s.ID), form)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/stories?owner=importer") {
		t.Fatalf("assign form: %d → %s", code, loc)
	}
	if _, body, _ := ta.getPage(t, news.RoleEditor, loc); !strings.Contains(body, "已将《版面导入稿》指派给 reporter1") || strings.Contains(body, "lvliang-20230608-01.html") {
		t.Fatalf("after assign:\n%s", body)
	}
	if code, _, _ := ta.postNoticeForm(t, news.RoleReporter, fmt.Sprintf("/admin/stories/%d/assign", s.ID), form); code != http.StatusForbidden {
		t.Fatalf("a reporter's assign form: %d", code)
	}
	// Search and paging.
	_, body, _ = ta.getPage(t, news.RoleEditor, "/admin/stories?q=导入&limit=1")
	if !strings.Contains(body, "版面导入稿") || !strings.Contains(body, "共 1 篇") || strings.Contains(body, "下一页") {
		t.Fatalf("search:\n%s", body)
	}
	_, body, _ = ta.getPage(t, news.RoleEditor, "/admin/stories?q=&state=&section=&owner=&edition=&page=&limit=1") // the form sends empty fields
	if !strings.Contains(body, "共 2 篇，第 1–1 篇") || !strings.Contains(body, "下一页") || strings.Contains(body, "上一页") {
		t.Fatalf("paging:\n%s", body)
	}
	if code, body, _ := ta.getPage(t, news.RoleEditor, "/admin/stories?edition=昨天"); code != 400 || !strings.Contains(body, "版面日期格式应为 YYYY-MM-DD") {
		t.Fatalf("bad filter: %d\n%s", code, body)
	}
}

// TestEditorField checks that the API sets and answers the 责任编辑.
func TestEditorField(t *testing.T) {
	ta := newTestAdmin(t)
	s := ta.story(t, news.StateDraft)
	code, _, out := ta.apiJSON(t, news.RoleEditor, "PUT", fmt.Sprintf("/api/admin/stories/%d", s.ID), `{"editor": "王主任"}`)
	if code != 200 || out["editor"] != "王主任" {
		t.Fatalf("PUT editor: %d %v", code, out)
	}
	if _, _, out := ta.apiJSON(t, news.RoleEditor, "GET", fmt.Sprintf("/api/admin/stories/%d", s.ID), ""); out["editor"] != "王主任" {
		t.Fatalf("GET after PUT editor: %v", out["editor"])
	}
	if _, body, _ := ta.getPage(t, news.RoleEditor, fmt.Sprintf("/admin/stories/%d/edit", s.ID)); !strings.Contains(body, `name="editor" value="王主任"`) {
		t.Fatalf("the edit form lacks the 责任编辑 field:\n%s", body)
	}
	if _, body, _ := ta.getPage(t, news.RoleEditor, fmt.Sprintf("/admin/stories/%d", s.ID)); !strings.Contains(body, "责任编辑 王主任") {
		t.Fatalf("the story page does not name the 责任编辑:\n%s", body)
	}
}
