package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// TestWithdrawAsksFirst: the story page's 撤稿 button leads to a page that
// asks again, with the reason kept; nothing is withdrawn until 确认撤稿. A
// role that may not withdraw is refused at the first step already.
func TestWithdrawAsksFirst(t *testing.T) {
	ta := newTestAdmin(t)
	s := ta.story(t, news.StatePublished)
	path := fmt.Sprintf("/admin/stories/%d/withdraw", s.ID)
	status, body, _ := ta.postNoticeForm(t, news.RoleChief, path, url.Values{"comment": {"来源有误"}})
	if status != http.StatusOK || !strings.Contains(body, "确认撤稿") || !strings.Contains(body, "来源有误") ||
		!strings.Contains(body, `name="confirm" value="1"`) || !strings.Contains(body, s.Title) {
		t.Fatalf("first step: %d, want the confirmation page\n%s", status, body)
	}
	if cur, _ := ta.desk.Get(context.Background(), ta.users[news.RoleChief], s.ID); cur.State != news.StatePublished {
		t.Fatalf("withdrawn before confirmation: %s", cur.State)
	}
	if status, _, _ := ta.postNoticeForm(t, news.RoleEditor, path, url.Values{"comment": {"来源有误"}}); status != http.StatusForbidden {
		t.Errorf("editor's first step: %d, want 403", status)
	}
	status, _, loc := ta.postNoticeForm(t, news.RoleChief, path, url.Values{"comment": {"来源有误"}, "confirm": {"1"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, fmt.Sprintf("/admin/stories/%d", s.ID)) {
		t.Fatalf("confirmed: %d %s", status, loc)
	}
	if cur, _ := ta.desk.Get(context.Background(), ta.users[news.RoleChief], s.ID); cur.State != news.StateWithdrawn || cur.Withdrawn.Reason != "来源有误" {
		t.Fatalf("after confirmation: %s %+v", cur.State, cur.Withdrawn)
	}
}

// TestNoFormForWhoMayNotSave: a user who may not edit a story as it is now
// (correct a live story, edit one in review as its reporter) is not shown
// the form; a signer of the live story is shown the correction form.
func TestNoFormForWhoMayNotSave(t *testing.T) {
	ta := newTestAdmin(t)
	live := ta.story(t, news.StatePublished)
	edit := fmt.Sprintf("/admin/stories/%d/edit", live.ID)
	for _, role := range []news.Role{news.RoleEditor, news.RoleDirector} {
		status, body, _ := ta.getPage(t, role, edit)
		if status != http.StatusForbidden || strings.Contains(body, `name="correction"`) || strings.Contains(body, `name="body"`) {
			t.Errorf("%s opening the form of a live story: %d, want 403 without a form", role, status)
		}
	}
	if status, body, _ := ta.getPage(t, news.RoleChief, edit); status != 200 || !strings.Contains(body, `name="correction"`) {
		t.Errorf("chief: %d, want the correction form", status)
	}
	sub := ta.story(t, news.StateSubmitted)
	if status, body, _ := ta.getPage(t, news.RoleReporter, fmt.Sprintf("/admin/stories/%d/edit", sub.ID)); status != http.StatusConflict || strings.Contains(body, `name="body"`) {
		t.Errorf("reporter opening a submitted story's form: %d, want 409 without a form", status)
	}
	// The story page offers 修改 only to whoever may edit.
	if _, body, _ := ta.getPage(t, news.RoleEditor, fmt.Sprintf("/admin/stories/%d", live.ID)); strings.Contains(body, `href="`+edit+`"`) {
		t.Error("the story page offers the editor a correction of a live story")
	}
}

// TestRefusedSaveKeepsText: a save the desk refuses (the role may not, or
// the story moved on meanwhile) answers with the form holding every word
// typed, and the reason.
func TestRefusedSaveKeepsText(t *testing.T) {
	ta := newTestAdmin(t)
	typed := "我刚刚打好的一大段正文，不能丢。"
	// The reporter opened the draft, then it was submitted (by someone
	// else's hand or in another tab): the save is refused (409).
	s := ta.story(t, news.StateDraft)
	if _, err := ta.desk.Submit(context.Background(), ta.users[news.RoleReporter], s.ID); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"kind": {"story"}, "title": {"改过的标题"}, "body": {typed}, "section": {"本地"}, "version": {strconv.Itoa(s.Version)}}
	status, body, _ := ta.postNoticeForm(t, news.RoleReporter, fmt.Sprintf("/admin/stories/%d", s.ID), form)
	if status != http.StatusConflict || !strings.Contains(body, typed) || !strings.Contains(body, "改过的标题") || !strings.Contains(body, "这次修改没有保存") {
		t.Errorf("state conflict: %d, want 409 with the typed text\n%s", status, body)
	}
	// An editor may not correct a live story: 403, text kept.
	live := ta.story(t, news.StatePublished)
	form.Set("version", strconv.Itoa(live.Version))
	form.Set("live", "1")
	form.Set("correction_kind", "更正")
	form.Set("correction", "改正错字")
	status, body, _ = ta.postNoticeForm(t, news.RoleEditor, fmt.Sprintf("/admin/stories/%d", live.ID), form)
	if status != http.StatusForbidden || !strings.Contains(body, typed) || !strings.Contains(body, "改正错字") {
		t.Errorf("forbidden correction: %d, want 403 with the typed text\n%s", status, body)
	}
}

// TestRevisionWords: a revision is 修订 N on every page that names one,
// never 第 N 版 (at a newspaper 版 is a page).
func TestRevisionWords(t *testing.T) {
	ta := newTestAdmin(t)
	s := ta.story(t, news.StateDraft)
	s.Body = "第二次修订的正文。"
	if _, err := ta.desk.Update(context.Background(), ta.users[news.RoleReporter], s, s.Version); err != nil {
		t.Fatal(err)
	}
	page := regexp.MustCompile(`第\s*\d+\s*版|[旧新两一]版`)
	for _, p := range []string{"/admin/stories/%d", "/admin/stories/%d/revisions", "/admin/stories/%d/diff?a=1&b=2"} {
		status, body, _ := ta.getPage(t, news.RoleEditor, fmt.Sprintf(p, s.ID))
		if status != 200 || !strings.Contains(body, "修订 2") {
			t.Errorf("%s: %d, want a page naming 修订 2", p, status)
		}
		if m := page.FindString(body); m != "" {
			t.Errorf("%s says %q", p, m)
		}
	}
}
