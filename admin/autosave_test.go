package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// TestAutosaveAPI: the form's autosave keeps one copy per person and story
// on the server, overwritten, without touching the story or its revisions;
// reopening the form offers it back and restores it (without script); the
// real save still answers 409 on a stale base, and a successful save
// discards the copy. Whoever may not edit the story may not autosave it.
func TestAutosaveAPI(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	s := ta.story(t, news.StateDraft)
	path := fmt.Sprintf("/api/admin/stories/%d/autosave", s.ID)
	put := func(role news.Role, p, body string) (int, map[string]any) {
		code, _, out := ta.apiJSON(t, role, "PUT", p, body)
		return code, out
	}
	if code, _, _ := ta.apiJSON(t, news.RoleReporter, "GET", path, ""); code != http.StatusNotFound {
		t.Fatalf("no autosave yet: %d, want 404", code)
	}
	for i, text := range []string{"第一次自动保存。", "第二次自动保存，覆盖第一次。"} {
		body := fmt.Sprintf(`{"base": %d, "fields": {"title": "自动保存的标题", "body": %q, "kind": "story", "section": "本地", "photo_caption": ["甲", "乙"]}}`, s.Version, text)
		if code, out := put(news.RoleReporter, path, body); code != 200 || out["saved_at"] == nil {
			t.Fatalf("autosave %d: %d %v", i, code, out)
		}
	}
	code, _, got := ta.apiJSON(t, news.RoleReporter, "GET", path, "")
	fields, _ := got["fields"].(map[string]any)
	if code != 200 || fmt.Sprint(fields["body"]) != "[第二次自动保存，覆盖第一次。]" || fmt.Sprint(fields["photo_caption"]) != "[甲 乙]" || got["base"] != float64(s.Version) {
		t.Fatalf("autosaved copy: %d %v", code, got)
	}
	cur, _ := ta.desk.Get(ctx, ta.users[news.RoleAdmin], s.ID)
	revs, _ := ta.desk.Revisions(ctx, ta.users[news.RoleAdmin], s.ID)
	if cur.Version != s.Version || cur.Body != s.Body || len(revs) != 1 {
		t.Fatalf("autosave changed the story: version %d, body %q, %d revisions", cur.Version, cur.Body, len(revs))
	}
	// Another person's copy is their own.
	if code, _, _ := ta.apiJSON(t, news.RoleEditor, "GET", path, ""); code != http.StatusNotFound {
		t.Errorf("the editor sees the reporter's autosave: %d", code)
	}

	// Reopened, the form offers the copy; ?restore=autosave fills it in.
	edit := fmt.Sprintf("/admin/stories/%d/edit", s.ID)
	_, page, _ := ta.getPage(t, news.RoleReporter, edit)
	if !strings.Contains(page, `id="autosave-offer"`) || !strings.Contains(page, `href="?restore=autosave"`) || strings.Contains(page, "第二次自动保存") {
		t.Fatalf("the form does not offer the autosaved copy:\n%s", page)
	}
	_, page, _ = ta.getPage(t, news.RoleReporter, edit+"?restore=autosave")
	if !strings.Contains(page, "第二次自动保存，覆盖第一次。") || !strings.Contains(page, `value="自动保存的标题"`) || !strings.Contains(page, `id="autosave-restored"`) {
		t.Fatalf("restored form lacks the autosaved text:\n%s", page)
	}

	// Someone saves meanwhile: the restored form's save (stale base) is
	// refused with 409 and both texts; nothing is lost.
	cur.Body = "编辑同时做的修改。"
	if _, err := ta.desk.Update(ctx, ta.users[news.RoleEditor], cur, cur.Version); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"kind": {"story"}, "title": {"自动保存的标题"}, "body": {"第二次自动保存，覆盖第一次。"}, "section": {"本地"}, "version": {strconv.Itoa(s.Version)}}
	status, page, _ := ta.postNoticeForm(t, news.RoleReporter, fmt.Sprintf("/admin/stories/%d", s.ID), form)
	if status != http.StatusConflict || !strings.Contains(page, "编辑同时做的修改。") || !strings.Contains(page, "第二次自动保存，覆盖第一次。") {
		t.Fatalf("stale save from the restored form: %d", status)
	}
	// Saved for real: the copy is gone.
	form.Set("version", strconv.Itoa(s.Version+1))
	if status, _, _ := ta.postNoticeForm(t, news.RoleReporter, fmt.Sprintf("/admin/stories/%d", s.ID), form); status != http.StatusSeeOther {
		t.Fatalf("save: %d", status)
	}
	if code, _, _ := ta.apiJSON(t, news.RoleReporter, "GET", path, ""); code != http.StatusNotFound {
		t.Errorf("the autosave outlived the save: %d", code)
	}

	// A new story's form has its copy too, discarded by 丢弃.
	if code, out := put(news.RoleReporter, "/api/admin/stories/new/autosave", `{"base": 0, "fields": {"title": "还没保存的新稿", "body": "新稿正文。"}}`); code != 200 {
		t.Fatalf("autosave a new story: %d %v", code, out)
	}
	if _, page, _ := ta.getPage(t, news.RoleReporter, "/admin/stories/new"); !strings.Contains(page, `id="autosave-offer"`) {
		t.Error("the new-story form does not offer its autosave")
	}
	if status, _, loc := ta.postNoticeForm(t, news.RoleReporter, "/admin/stories/new/autosave/discard", url.Values{}); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/stories/new") {
		t.Fatalf("discard: %d %s", status, loc)
	}
	if code, _, _ := ta.apiJSON(t, news.RoleReporter, "GET", "/api/admin/stories/new/autosave", ""); code != http.StatusNotFound {
		t.Errorf("discarded autosave still there: %d", code)
	}

	// Who may not edit the story may not autosave it.
	sub := ta.story(t, news.StateSubmitted)
	if code, _ := put(news.RoleReporter, fmt.Sprintf("/api/admin/stories/%d/autosave", sub.ID), `{"base": 1, "fields": {"body": "x"}}`); code != http.StatusConflict {
		t.Errorf("reporter autosaving a submitted story: %d, want 409", code)
	}
	live := ta.story(t, news.StatePublished)
	if code, _ := put(news.RoleEditor, fmt.Sprintf("/api/admin/stories/%d/autosave", live.ID), `{"base": 1, "fields": {"body": "x"}}`); code != http.StatusForbidden {
		t.Errorf("editor autosaving a live story: %d, want 403", code)
	}
	if code, _ := put(news.RoleReporter, path, `{"base": 1, "fields": {"body": 3}}`); code != http.StatusBadRequest {
		t.Errorf("a field that is a number: %d, want 400", code)
	}
}

// TestNoticeAutosave: the notice form autosaves like the story form, under
// /api/admin/notices/{id|new}/autosave. A new notice's copy is kept apart
// from a new story's; reopening the form offers it, ?restore=autosave fills
// every field back in (without script), 丢弃 drops it, and saving the form
// discards it.
func TestNoticeAutosave(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	role := news.RoleReporter
	fields := `{"kind": "capital-reduction", "title": "自动保存的减资公告", "body": "经股东会决议，注册资本减少。", "company": "吕梁自动保存有限公司", "phones": "0358-7654321\n13900000000", "version": "0"}`
	if code, _, out := ta.apiJSON(t, role, "PUT", "/api/admin/notices/new/autosave", `{"base": 0, "fields": `+fields+`}`); code != 200 || out["story"] != 0.0 {
		t.Fatalf("autosave a new notice: %d %v", code, out)
	}
	if code, _, _ := ta.apiJSON(t, role, "PUT", "/api/admin/stories/new/autosave", `{"base": 0, "fields": {"title": "新稿的自动保存"}}`); code != 200 {
		t.Fatalf("autosave a new story: %d", code)
	}
	code, _, got := ta.apiJSON(t, role, "GET", "/api/admin/notices/new/autosave", "")
	if f, _ := got["fields"].(map[string]any); code != 200 || fmt.Sprint(f["title"]) != "[自动保存的减资公告]" {
		t.Fatalf("the new notice's copy (kept apart from the new story's): %d %v", code, got)
	}

	_, page, _ := ta.getPage(t, role, "/admin/notices/new")
	if !strings.Contains(page, `id="autosave-offer"`) || !strings.Contains(page, `action="/admin/notices/new/autosave/discard"`) ||
		strings.Contains(page, "吕梁自动保存有限公司") || !strings.Contains(page, `src="/admin/static/notice-form.js"`) {
		t.Fatalf("the notice form does not offer its autosave:\n%s", page)
	}
	_, page, _ = ta.getPage(t, role, "/admin/notices/new?restore=autosave")
	for _, want := range []string{`id="autosave-restored"`, `value="自动保存的减资公告"`, `value="吕梁自动保存有限公司"`,
		"0358-7654321\n13900000000</textarea>", `<option value="capital-reduction" selected>`, "经股东会决议，注册资本减少。"} {
		if !strings.Contains(page, want) {
			t.Errorf("restored notice form lacks %q", want)
		}
	}
	if _, story, _ := ta.getPage(t, role, "/admin/stories/new"); !strings.Contains(story, `id="autosave-offer"`) {
		t.Error("the new story's copy is gone")
	}

	// Saved: the copy goes; the story page clears the browser's copy.
	status, _, loc := ta.postNoticeForm(t, role, "/admin/notices", capitalReductionForm("91350100M000100Y43"))
	if status != http.StatusSeeOther || !strings.Contains(loc, "saved=notice-new") {
		t.Fatalf("create: %d %s", status, loc)
	}
	if code, _, _ := ta.apiJSON(t, role, "GET", "/api/admin/notices/new/autosave", ""); code != http.StatusNotFound {
		t.Errorf("the new notice's copy outlived the save: %d", code)
	}
	if code, _, _ := ta.apiJSON(t, role, "GET", "/api/admin/stories/new/autosave", ""); code != 200 {
		t.Errorf("saving a notice dropped the new story's copy: %d", code)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/admin/stories/"), 10, 64)
	s, err := ta.desk.Get(ctx, ta.users[news.RoleAdmin], id)
	if err != nil {
		t.Fatal(err)
	}

	// An existing notice: a copy equal to the notice is not offered, a
	// changed one is, and 丢弃 drops it.
	path := fmt.Sprintf("/api/admin/notices/%d/autosave", id)
	edit := fmt.Sprintf("/admin/notices/%d/edit", id)
	form := capitalReductionForm("91350100M000100Y43")
	form.Set("version", strconv.Itoa(s.Version))
	same, _ := json.Marshal(map[string]any{"base": s.Version, "fields": map[string][]string(form)})
	if code, _, out := ta.apiJSON(t, role, "PUT", path, string(same)); code != 200 {
		t.Fatalf("autosave the notice: %d %v", code, out)
	}
	if _, page, _ := ta.getPage(t, role, edit); strings.Contains(page, `id="autosave-offer"`) {
		t.Error("a copy that says what the notice says is offered")
	}
	form.Set("contact", "王先生")
	changed, _ := json.Marshal(map[string]any{"base": s.Version, "fields": map[string][]string(form)})
	ta.apiJSON(t, role, "PUT", path, string(changed))
	if _, page, _ := ta.getPage(t, role, edit); !strings.Contains(page, `id="autosave-offer"`) {
		t.Error("a changed copy is not offered")
	}
	if _, page, _ := ta.getPage(t, role, edit+"?restore=autosave"); !strings.Contains(page, `value="王先生"`) {
		t.Error("the restored form lacks the changed contact")
	}
	if status, _, loc := ta.postNoticeForm(t, role, fmt.Sprintf("/admin/notices/%d/autosave/discard", id), url.Values{}); status != http.StatusSeeOther || !strings.HasPrefix(loc, edit) {
		t.Fatalf("discard: %d %s", status, loc)
	}
	if code, _, _ := ta.apiJSON(t, role, "GET", path, ""); code != http.StatusNotFound {
		t.Errorf("discarded copy still there: %d", code)
	}
	// Who may not edit the notice may not autosave it.
	if code, _, _ := ta.apiJSON(t, news.RoleReporter, "PUT", "/api/admin/notices/abc/autosave", `{"base": 1, "fields": {}}`); code != http.StatusNotFound {
		t.Errorf("autosave of notice abc: %d, want 404", code)
	}
}
