package admin

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// postNoticeForm posts form to path as role and returns status, body and
// the redirect target.
func (ta *testAdmin) postNoticeForm(t *testing.T, role news.Role, path string, form url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", ta.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ta.cookies[role]})
	return ta.do(t, req)
}

// getPage fetches path as role and returns status, body and redirect target.
func (ta *testAdmin) getPage(t *testing.T, role news.Role, path string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", ta.srv.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ta.cookies[role]})
	return ta.do(t, req)
}

func (ta *testAdmin) do(t *testing.T, req *http.Request) (int, string, string) {
	t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// capitalReductionForm is a complete 减资公告 as the form posts it.
func capitalReductionForm(code string) url.Values {
	return url.Values{
		"kind": {"capital-reduction"}, "title": {"吕梁示例有限公司减资公告"}, "section": {"公告"},
		"body":    {"经股东会决议，本公司注册资本由1000万元减至500万元。\n\n请债权人自本公告之日起四十五日内申报债权。"},
		"company": {"吕梁示例有限公司"}, "credit_code": {code}, "contact": {"李女士"},
		"phones": {"0358-1234567\n13812345678"}, "capital_before": {"1000万元"}, "capital_after": {"500万元"},
		"resolution_date": {"2023-05-20"}, "address": {"吕梁市离石区示例路1号"}, "version": {"0"},
	}
}

// fieldError returns the error message shown right after the field key.
func fieldError(body, key string) string {
	re := regexp.MustCompile(`(?s)id="f-` + regexp.QuoteMeta(key) + `"[^>]*aria-invalid="true"[^>]*>\s*<p class="field-error" id="err-` + regexp.QuoteMeta(key) + `">([^<]*)</p>`)
	if m := re.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func TestNoticeFormCreateEditConflict(t *testing.T) {
	ta := newTestAdmin(t)
	role := news.RoleReporter

	// The form and the links to it.
	status, body, _ := ta.getPage(t, role, "/admin/notices/new")
	if status != 200 {
		t.Fatalf("GET /admin/notices/new: %d", status)
	}
	for _, want := range []string{`<label for="f-credit_code">统一社会信用代码`, `<option value="capital-reduction">减资公告</option>`,
		`name="capital_before"`, `name="lost_number"`, `name="bid_deadline"`, `name="corrects"`, `按公告类型填写`,
		`<a href="/admin/notices/new">登公告</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("notice form lacks %q", want)
		}
	}
	if _, dash, _ := ta.getPage(t, role, "/admin/"); strings.Count(dash, `href="/admin/notices/new"`) < 2 {
		t.Error("dashboard lacks the 登公告 link (nav and page)")
	}

	// A bad 统一社会信用代码: 400, the message next to the field, the input kept.
	status, body, _ = ta.postNoticeForm(t, role, "/admin/notices", capitalReductionForm("91350100M000100Y44"))
	if status != http.StatusBadRequest {
		t.Fatalf("bad credit code: status %d, want 400", status)
	}
	if msg := fieldError(body, "credit_code"); msg == "" || !strings.Contains(msg, "校验") && !strings.Contains(msg, "信用代码") {
		t.Fatalf("no Chinese error next to credit_code; got %q in\n%s", msg, body)
	}
	if !strings.Contains(body, `value="吕梁示例有限公司"`) || !strings.Contains(body, `<option value="capital-reduction" selected>`) {
		t.Error("the form did not keep what was typed")
	}

	// Fixed: saved, redirected to the story page, which shows it.
	status, _, loc := ta.postNoticeForm(t, role, "/admin/notices", capitalReductionForm("91350100M000100Y43"))
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/stories/") {
		t.Fatalf("create: %d %q, want 303 to the story page", status, loc)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/admin/stories/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ = ta.getPage(t, role, loc)
	if status != 200 || !strings.Contains(body, "吕梁示例有限公司减资公告") || !strings.Contains(body, "减资公告") ||
		!strings.Contains(body, fmt.Sprintf(`href="/admin/notices/%d/edit">修改公告</a>`, id)) {
		t.Fatalf("story page: %d, lacks the notice or 修改公告:\n%s", status, body)
	}
	s, err := ta.desk.Get(context.Background(), ta.users[news.RoleAdmin], id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != news.KindNotice || s.Notice.CreditCode != "91350100M000100Y43" || s.Notice.CapitalAfter != "500万元" ||
		len(s.Notice.Phones) != 2 || s.Section != "公告" {
		t.Fatalf("saved notice: %+v %+v", s, s.Notice)
	}

	// The edit form carries the version; a save with it goes through.
	status, body, _ = ta.getPage(t, role, fmt.Sprintf("/admin/notices/%d/edit", id))
	if status != 200 || !strings.Contains(body, fmt.Sprintf(`name="version" value="%d"`, s.Version)) ||
		!strings.Contains(body, `value="91350100M000100Y43"`) {
		t.Fatalf("edit form: %d\n%s", status, body)
	}
	stale := s.Version
	form := capitalReductionForm("91350100M000100Y43")
	form.Set("version", strconv.Itoa(stale))
	form.Set("capital_after", "600万元")
	if status, _, loc = ta.postNoticeForm(t, role, fmt.Sprintf("/admin/notices/%d", id), form); status != http.StatusSeeOther {
		t.Fatalf("save: %d", status)
	}
	s, _ = ta.desk.Get(context.Background(), ta.users[news.RoleAdmin], id)
	if s.Notice.CapitalAfter != "600万元" || s.Version == stale {
		t.Fatalf("save did not take: %+v", s.Notice)
	}

	// A save on the old version: 409, the current version shown and
	// carried as the new base, the typed text kept.
	form.Set("capital_after", "700万元")
	form.Set("title", "我的标题")
	status, body, _ = ta.postNoticeForm(t, role, fmt.Sprintf("/admin/notices/%d", id), form)
	if status != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409", status)
	}
	for _, want := range []string{fmt.Sprintf("修订 %d", s.Version), fmt.Sprintf(`name="version" value="%d"`, s.Version),
		`value="700万元"`, "我的标题"} {
		if !strings.Contains(body, want) {
			t.Errorf("conflict page lacks %q", want)
		}
	}
	if cur, _ := ta.desk.Get(context.Background(), ta.users[news.RoleAdmin], id); cur.Notice.CapitalAfter != "600万元" {
		t.Error("a stale save changed the notice")
	}

	// A validation error on save: 400 with the message at the field.
	form.Set("version", strconv.Itoa(s.Version))
	form.Set("capital_after", "2000万元")
	status, body, _ = ta.postNoticeForm(t, role, fmt.Sprintf("/admin/notices/%d", id), form)
	if status != http.StatusBadRequest || !strings.Contains(fieldError(body, "capital_after"), "减资后注册资本须少于") {
		t.Fatalf("bad capital on save: %d %q", status, fieldError(body, "capital_after"))
	}

	// A story is not a notice.
	plain := ta.story(t, news.StateDraft)
	if status, _, _ = ta.getPage(t, role, fmt.Sprintf("/admin/notices/%d/edit", plain.ID)); status != http.StatusNotFound {
		t.Errorf("notice form for a story: %d, want 404", status)
	}
}

// TestNoticeFormPublished checks that a published notice is shown sealed:
// number, fingerprint, links to /verify/ and the 登报证明, no edit link,
// and its notice form refuses to save (409).
func TestNoticeFormPublished(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	status, _, loc := ta.postNoticeForm(t, news.RoleReporter, "/admin/notices", capitalReductionForm("91350100M000100Y43"))
	if status != http.StatusSeeOther {
		t.Fatalf("create: %d", status)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/admin/stories/"), 10, 64)
	admin := ta.users[news.RoleAdmin]
	s, err := ta.desk.Submit(ctx, ta.users[news.RoleReporter], id)
	for _, r := range []news.Role{news.RoleEditor, news.RoleDirector, news.RoleChief} {
		if err == nil {
			s, err = ta.desk.Approve(ctx, ta.users[r], id)
		}
	}
	if err == nil {
		s, err = ta.desk.Publish(ctx, admin, id)
	}
	if err != nil {
		t.Fatal(err)
	}
	n := s.Notice.Number
	if n == "" {
		t.Fatal("published notice has no number")
	}
	_, body, _ := ta.getPage(t, news.RoleAdmin, fmt.Sprintf("/admin/stories/%d", id))
	for _, want := range []string{n, s.Notice.Fingerprint, `href="/verify/?q=` + n + `"`, `href="/verify/proof/` + n + `/"`, "登报证明"} {
		if !strings.Contains(body, want) {
			t.Errorf("published notice page lacks %q", want)
		}
	}
	if strings.Contains(body, "修改公告") {
		t.Error("a published notice offers 修改公告")
	}
	form := capitalReductionForm("91350100M000100Y43")
	form.Set("version", strconv.Itoa(s.Version))
	if status, _, _ = ta.postNoticeForm(t, news.RoleAdmin, fmt.Sprintf("/admin/notices/%d", id), form); status != http.StatusConflict {
		t.Errorf("saving a published notice: %d, want 409", status)
	}
}
