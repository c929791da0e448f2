package admin

import (
	"context"
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
