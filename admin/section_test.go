package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// moveSection edits story s as role, through the API or the UI, changing
// only its section (with a correction note, needed if it is live), and
// returns the status: 200 done (a UI redirect counts as done).
func (ta *testAdmin) moveSection(t *testing.T, way string, role news.Role, s *news.Story, section string) int {
	t.Helper()
	var req *http.Request
	if way == "api" {
		b, _ := json.Marshal(map[string]any{"section": section, "version": s.Version,
			"correction": map[string]string{"kind": "说明", "note": "栏目调整。"}})
		req, _ = http.NewRequest("PUT", fmt.Sprintf("%s/api/admin/stories/%d", ta.srv.URL, s.ID), strings.NewReader(string(b)))
		req.Header.Set("Authorization", "Bearer "+ta.tokens[role])
		req.Header.Set("Content-Type", "application/json")
	} else {
		form := url.Values{"kind": {"story"}, "title": {s.Title}, "body": {s.Body}, "section": {section},
			"version": {strconv.Itoa(s.Version)}, "correction_kind": {"说明"}, "correction": {"栏目调整。"}}
		req, _ = http.NewRequest("POST", fmt.Sprintf("%s/admin/stories/%d", ta.srv.URL, s.ID), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: ta.cookies[role]})
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusSeeOther {
		return http.StatusOK
	}
	return resp.StatusCode
}

// TestSectionMoveMatrix extends the role × action table with section
// moves under a setting where 快讯 has one level (issue 22): moving a
// story under review to 快讯 restarts its review, and nobody can move a
// live 快讯 story into 要闻, whose 三审 it did not pass (400, the form
// keeps what was typed).
func TestSectionMoveMatrix(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	admin, editor := ta.users[news.RoleAdmin], ta.users[news.RoleEditor]
	if err := ta.desk.SetWorkflow(ctx, admin, news.WorkflowConfig{Default: news.DefaultChain,
		Sections: map[string]news.Chain{"快讯": {news.RoleEditor}}}); err != nil {
		t.Fatal(err)
	}
	roles := []news.Role{news.RoleReporter, news.RoleEditor, news.RoleDirector, news.RoleChief, news.RoleAdmin}
	inReview := func() *news.Story {
		s := ta.story(t, news.StateSubmitted)
		s, err := ta.desk.Approve(ctx, editor, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	liveFlash := func() *news.Story {
		s := &news.Story{Title: "快讯稿件", Body: "正文。", Section: "快讯"}
		if err := ta.desk.Create(ctx, ta.users[news.RoleReporter], s); err != nil {
			t.Fatal(err)
		}
		for _, step := range []func(context.Context, *news.User, int64) (*news.Story, error){ta.desk.Submit, ta.desk.Approve, ta.desk.Publish} {
			var err error
			if s, err = step(ctx, editor, s.ID); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	cases := []struct {
		name    string
		story   func() *news.Story
		section string
		want    []int // per role, in the order of roles
		state   news.State
	}{
		{"move an in-review 本地 story to 快讯", inReview, "快讯", []int{409, 200, 200, 200, 200}, news.StateSubmitted},
		{"move a live 快讯 story to 要闻", liveFlash, "要闻", []int{403, 400, 403, 400, 400}, news.StatePublished},
	}
	for _, c := range cases {
		for i, role := range roles {
			for _, way := range []string{"api", "ui"} {
				s := c.story()
				if got := ta.moveSection(t, way, role, s, c.section); got != c.want[i] {
					t.Errorf("%s: %s: %s: %d, want %d", way, c.name, role, got, c.want[i])
				}
				cur, err := ta.desk.Get(ctx, admin, s.ID)
				if err != nil {
					t.Fatal(err)
				}
				if c.want[i] == 200 && (cur.State != c.state || len(cur.Signoffs) != 0) {
					t.Errorf("%s: %s: %s: now %s with %d sign-offs, want %s with none", way, c.name, role, cur.State, len(cur.Signoffs), c.state)
				}
				if c.want[i] != 200 && cur.Section != s.Section {
					t.Errorf("%s: %s: %s: refused, but the section is now %s", way, c.name, role, cur.Section)
				}
			}
		}
	}
}
