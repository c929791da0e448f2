package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// postForm posts form to path as role and returns status, body and
// redirect target.
func (ta *testAdmin) postForm(t *testing.T, role news.Role, path string, form url.Values) (int, string, string) {
	t.Helper()
	return ta.postNoticeForm(t, role, path, form)
}

// TestSeparationOfDutiesMatrix extends the role × action table with the
// rules of separation: in the UI and the API alike, nobody approves their
// own story, and one person never signs two levels, unless the section
// allows 代签 (set in the review form); then the sign-off is allowed and
// its record says 代签.
func TestSeparationOfDutiesMatrix(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	d := ta.desk
	submitted := func(owner news.Role, section string) *news.Story {
		t.Helper()
		s := &news.Story{Title: "分工测试稿件", Body: "正文第一段。", Section: section}
		if err := d.Create(ctx, ta.users[owner], s); err != nil {
			t.Fatal(err)
		}
		s, err := d.Submit(ctx, ta.users[owner], s.ID)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, way := range []string{"api", "ui"} {
		do := ta.viaAPI
		if way == "ui" {
			do = ta.viaUI
		}
		// Self-approval: an editor's own story, waiting for 一审.
		if got := do(t, news.RoleEditor, "approve", submitted(news.RoleEditor, "本地")); got != http.StatusForbidden {
			t.Errorf("%s: editor approves own story: %d, want 403", way, got)
		}
		// Self-approval by an admin, any level.
		if got := do(t, news.RoleAdmin, "approve", submitted(news.RoleAdmin, "本地")); got != http.StatusForbidden {
			t.Errorf("%s: admin approves own story: %d, want 403", way, got)
		}
		// One person, two levels: the admin signed 一审, 二审 is refused.
		s := submitted(news.RoleReporter, "本地")
		if _, err := d.Approve(ctx, ta.users[news.RoleAdmin], s.ID); err != nil {
			t.Fatal(err)
		}
		if got := do(t, news.RoleAdmin, "approve", s); got != http.StatusForbidden {
			t.Errorf("%s: one admin signs two levels: %d, want 403", way, got)
		}
		if got := do(t, news.RoleDirector, "approve", s); got != http.StatusOK {
			t.Errorf("%s: another person signs 二审: %d, want 200", way, got)
		}
	}

	// The review form: 快讯 gets two levels and 代签; 评论 two, without.
	form := url.Values{"rows": {"3"},
		"sec_0": {""}, "lvl_0_0": {"editor"}, "lvl_0_1": {"director"}, "lvl_0_2": {"chief"},
		"sec_1": {"快讯"}, "lvl_1_0": {"editor"}, "lvl_1_1": {"director"}, "proxy_1": {"1"},
		"sec_2": {"评论"}, "lvl_2_0": {"editor"}, "lvl_2_1": {"chief"}}
	if code, body, _ := ta.postForm(t, news.RoleAdmin, "/admin/workflow", form); code != http.StatusSeeOther {
		t.Fatalf("save the review form: %d\n%s", code, body)
	}
	w, _ := d.Workflow(ctx)
	if strings.Join(roleNames(w.ChainFor("快讯")), ",") != "editor,director" || !w.ProxyFor("快讯") || w.ProxyFor("评论") ||
		strings.Join(roleNames(w.ChainFor("评论")), ",") != "editor,chief" || w.ProxyDefault {
		t.Fatalf("stored setting: %+v", w)
	}
	if code, _, _ := ta.getPage(t, news.RoleEditor, "/admin/workflow"); code != http.StatusForbidden {
		t.Errorf("an editor opened the review form: %d", code)
	}
	code, page, _ := ta.getPage(t, news.RoleAdmin, "/admin/workflow")
	if code != 200 || !strings.Contains(page, `name="sec_1" value="快讯"`) || !strings.Contains(page, `name="proxy_1" value="1" checked`) {
		t.Fatalf("the form does not show the setting: %d\n%s", code, page)
	}
	// A section row with levels but no name is refused, with the typed rows kept.
	bad := url.Values{"rows": {"2"}, "lvl_0_0": {"editor"}, "lvl_1_0": {"chief"}}
	if code, body, _ := ta.postForm(t, news.RoleAdmin, "/admin/workflow", bad); code != http.StatusBadRequest || !strings.Contains(body, "请填写栏目名") {
		t.Fatalf("a nameless section: %d\n%s", code, body)
	}

	// In 快讯 the director signs both levels of their own story (一审 for the
	// editor): 代签, marked.
	for _, way := range []string{"api", "ui"} {
		s := submitted(news.RoleDirector, "快讯")
		do := ta.viaAPI
		if way == "ui" {
			do = ta.viaUI
		}
		for lvl := range 2 {
			if got := do(t, news.RoleDirector, "approve", s); got != http.StatusOK {
				t.Fatalf("%s: 代签 of level %d in 快讯: %d, want 200", way, lvl+1, got)
			}
		}
		_, _, out := ta.apiJSON(t, news.RoleDirector, "GET", fmt.Sprintf("/api/admin/stories/%d", s.ID), "")
		signoffs, _ := out["signoffs"].([]any)
		if out["state"] != "approved" || len(signoffs) != 2 || out["proxy_allowed"] != true {
			t.Fatalf("%s: after 代签: %v", way, out)
		}
		if p, _ := signoffs[1].(map[string]any)["proxy"].(string); !strings.Contains(p, "同一人已签一审") || !strings.Contains(p, "本人稿件") {
			t.Fatalf("%s: the record does not say 代签: %v", way, signoffs[1])
		}
		_, page, _ := ta.getPage(t, news.RoleDirector, fmt.Sprintf("/admin/stories/%d", s.ID))
		if !strings.Contains(page, "代签：部门主任代编辑签，本人稿件") || !strings.Contains(page, "同一人已签一审") {
			t.Fatalf("%s: the story page does not say 代签:\n%s", way, page)
		}
	}
	log, _ := d.Audit(ctx, ta.users[news.RoleAdmin], news.AuditFilter{Action: "approve", User: ta.users[news.RoleDirector].Name})
	n := 0
	for _, e := range log {
		if strings.Contains(e.Detail, "代签") {
			n++
		}
	}
	if n != 4 {
		t.Fatalf("audit log: %d 代签 entries, want 4: %+v", n, log)
	}
}

func roleNames(c news.Chain) []string {
	var out []string
	for _, r := range c {
		out = append(out, string(r))
	}
	return out
}

// TestPlacementAPIAndForm: GET/PUT /api/admin/placement/{place} as the
// contract says, editors and above only; the 版面排序 form places stories
// by the numbers typed (no script needed), and refuses a bad number or a
// draft in Chinese.
func TestPlacementAPIAndForm(t *testing.T) {
	ta := newTestAdmin(t)
	a, b, c := ta.story(t, news.StatePublished), ta.story(t, news.StatePublished), ta.story(t, news.StatePublished)
	draft := ta.story(t, news.StateDraft)

	if code, _, out := ta.apiJSON(t, news.RoleReporter, "PUT", "/api/admin/placement/home", fmt.Sprintf(`{"stories": [%d]}`, a.ID)); code != 403 {
		t.Fatalf("reporter PUT: %d %v", code, out)
	}
	if code, _, _ := ta.apiJSON(t, news.RoleReporter, "GET", "/api/admin/placement/home", ""); code != 403 {
		t.Fatalf("reporter GET: %d", code)
	}
	if code, _, out := ta.apiJSON(t, news.RoleEditor, "PUT", "/api/admin/placement/home", fmt.Sprintf(`{"stories": [%d, %d]}`, a.ID, draft.ID)); code != 400 || out["fields"] == nil {
		t.Fatalf("a draft placed: %d %v", code, out)
	}
	if code, _, out := ta.apiJSON(t, news.RoleEditor, "PUT", "/api/admin/placement/home", `{"stories": [1], "extra": 1}`); code != 400 {
		t.Fatalf("unknown field: %d %v", code, out)
	}
	code, _, out := ta.apiJSON(t, news.RoleEditor, "PUT", "/api/admin/placement/home", fmt.Sprintf(`{"stories": [%d, %d]}`, c.ID, a.ID))
	if code != 200 || fmt.Sprint(out["stories"]) != fmt.Sprintf("[%d %d]", c.ID, a.ID) || out["place"] != "home" {
		t.Fatalf("PUT: %d %v", code, out)
	}
	code, _, out = ta.apiJSON(t, news.RoleChief, "GET", "/api/admin/placement/home", "")
	if code != 200 || fmt.Sprint(out["stories"]) != fmt.Sprintf("[%d %d]", c.ID, a.ID) {
		t.Fatalf("GET: %d %v", code, out)
	}
	if items, _ := out["items"].([]any); len(items) != 2 || items[0].(map[string]any)["title"] != c.Title {
		t.Fatalf("GET items: %v", out["items"])
	}
	// A section's place: its own stories only (the test stories are 本地).
	if code, _, out := ta.apiJSON(t, news.RoleEditor, "PUT", "/api/admin/placement/"+url.PathEscape("要闻"), fmt.Sprintf(`{"stories": [%d]}`, a.ID)); code != 400 {
		t.Fatalf("another section's story: %d %v", code, out)
	}
	if code, _, out := ta.apiJSON(t, news.RoleEditor, "PUT", "/api/admin/placement/"+url.PathEscape("本地"), fmt.Sprintf(`{"stories": [%d]}`, b.ID)); code != 200 {
		t.Fatalf("a section's story: %d %v", code, out)
	}

	// The form: numbers decide the order; an empty box leaves a story out.
	code, page, _ := ta.getPage(t, news.RoleEditor, "/admin/placement?place=home")
	if code != 200 || !strings.Contains(page, "头条") || !strings.Contains(page, c.Title) || !strings.Contains(page, `name="pos"`) {
		t.Fatalf("placement page: %d\n%s", code, page)
	}
	form := url.Values{"place": {"home"}, "id": {fmt.Sprint(a.ID), fmt.Sprint(b.ID), fmt.Sprint(c.ID)}, "pos": {"2", "1", ""}}
	if code, body, loc := ta.postForm(t, news.RoleEditor, "/admin/placement", form); code != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/placement?place=home") {
		t.Fatalf("save the form: %d %s\n%s", code, loc, body)
	}
	_, _, out = ta.apiJSON(t, news.RoleEditor, "GET", "/api/admin/placement/home", "")
	if fmt.Sprint(out["stories"]) != fmt.Sprintf("[%d %d]", b.ID, a.ID) {
		t.Fatalf("after the form: %v", out["stories"])
	}
	form.Set("pos", "")
	form["pos"] = []string{"x", "1", ""}
	if code, body, _ := ta.postForm(t, news.RoleEditor, "/admin/placement", form); code != 400 || !strings.Contains(body, "序号须为") {
		t.Fatalf("a bad number: %d\n%s", code, body)
	}
	if code, _, _ := ta.getPage(t, news.RoleReporter, "/admin/placement"); code != 403 {
		t.Fatalf("a reporter opened the placement page: %d", code)
	}
	log, _ := ta.desk.Audit(context.Background(), ta.users[news.RoleAdmin], news.AuditFilter{Action: "place"})
	if len(log) != 3 || log[0].User != ta.users[news.RoleEditor].Name || !strings.Contains(log[0].Detail, b.Title) {
		t.Fatalf("audit log: %+v", log)
	}
}
