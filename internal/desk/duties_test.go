package desk

import (
	"context"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// submitted files a story as u (with bylines) in section and submits it.
func (f *fixture) submitted(t *testing.T, u *news.User, section string, authors ...string) *news.Story {
	t.Helper()
	ctx := context.Background()
	s := &news.Story{Title: "分级审核测试", Body: "正文。", Section: section, Authors: authors}
	if err := f.desk.Create(ctx, u, s); err != nil {
		t.Fatal(err)
	}
	return must(f.desk.Submit(ctx, u, s.ID))(t)
}

// TestSeparationOfDuties: by default nobody signs two levels of a story or
// signs off their own story (owner or byline), admins included; an admin
// may sign one level for another role, marked 代签. A section that allows
// 代签 lets one person sign several levels and their own story, and every
// such sign-off says 代签 on the story's record and in the audit log.
func TestSeparationOfDuties(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	d := f.desk

	// The editor's own story: refused at 一审, whatever the state.
	own := f.submitted(t, f.editor, "本地")
	if _, err := d.Approve(ctx, f.editor, own.ID); code(err) != news.EFORBIDDEN || !strings.Contains(err.Error(), "自己的稿件") {
		t.Fatalf("self-approval: %v", err)
	}
	// A byline naming the reviewer makes it theirs too.
	byline := f.submitted(t, f.reporter, "本地", "记者 "+f.editor.Name)
	if _, err := d.Approve(ctx, f.editor, byline.ID); code(err) != news.EFORBIDDEN {
		t.Fatalf("approval of a story under one's byline: %v", err)
	}

	// One admin, two levels: the second is refused.
	s := f.submitted(t, f.reporter, "本地")
	first := must(d.Approve(ctx, f.admin, s.ID))(t)
	if g := first.Signoffs[0]; !strings.Contains(g.Proxy, "管理员代编辑签") {
		t.Fatalf("an admin's 一审 is not marked 代签: %+v", g)
	}
	if _, err := d.Approve(ctx, f.admin, s.ID); code(err) != news.EFORBIDDEN || !strings.Contains(err.Error(), "两级") {
		t.Fatalf("one admin signing two levels: %v", err)
	}
	second := &news.User{Name: "第二管理员", Role: news.RoleAdmin}
	if err := d.Store.CreateUser(ctx, second, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	must(d.Approve(ctx, second, s.ID))(t) // another person, 二审
	if _, err := d.Approve(ctx, second, s.ID); code(err) != news.EFORBIDDEN {
		t.Fatalf("the second admin signing 三审 too: %v", err)
	}
	if got := must(d.Approve(ctx, f.chief, s.ID))(t); got.State != news.StateApproved {
		t.Fatalf("three people signed: %s", got.State)
	}

	// 快讯 allows 代签: one admin signs all three levels of an own story.
	w := news.DefaultWorkflow()
	w.Proxy = []string{"快讯"}
	if err := d.SetWorkflow(ctx, f.admin, w); err != nil {
		t.Fatal(err)
	}
	q := f.submitted(t, second, "快讯")
	if !q.Proxy {
		t.Fatal("the story does not say its section allows 代签")
	}
	for range 3 {
		q = must(d.Approve(ctx, second, q.ID))(t)
	}
	if q.State != news.StateApproved || len(q.Signoffs) != 3 {
		t.Fatalf("代签 in 快讯: %s %+v", q.State, q.Signoffs)
	}
	for i, g := range q.Signoffs {
		if !strings.Contains(g.Proxy, "代签") || !strings.Contains(g.Proxy, "本人稿件") || (i > 0) != strings.Contains(g.Proxy, "同一人已签") {
			t.Errorf("sign-off %d not marked: %q", i, g.Proxy)
		}
	}
	// The record survives a reload, and the audit log says 代签 each time.
	if g := must(d.Get(ctx, f.admin, q.ID))(t).Signoffs[2]; !strings.Contains(g.Proxy, "同一人已签一审") {
		t.Fatalf("reloaded sign-off: %+v", g)
	}
	ev := must(d.Audit(ctx, f.admin, news.AuditFilter{StoryID: q.ID, Action: "approve"}))(t)
	if len(ev) != 3 {
		t.Fatalf("audit: %+v", ev)
	}
	for _, e := range ev {
		if !strings.Contains(e.Detail, "代签") {
			t.Errorf("audit entry without 代签: %+v", e)
		}
	}
	// Other sections keep the rule.
	r := f.submitted(t, second, "本地")
	if _, err := d.Approve(ctx, second, r.ID); code(err) != news.EFORBIDDEN {
		t.Fatalf("代签 leaked into 本地: %v", err)
	}
	// ProxyDefault allows it in every section without its own setting.
	w.ProxyDefault = true
	w.Sections = map[string]news.Chain{"评论": {news.RoleEditor, news.RoleChief}}
	if err := d.SetWorkflow(ctx, f.admin, w); err != nil {
		t.Fatal(err)
	}
	must(d.Approve(ctx, second, r.ID))(t)
	c := f.submitted(t, second, "评论")
	if _, err := d.Approve(ctx, second, c.ID); code(err) != news.EFORBIDDEN {
		t.Fatalf("a section with its own chain and no 代签: %v", err)
	}
}

// TestPlacement: editors place live stories on the home page and on their
// section's page; the order is shown to readers and logged; reporters may
// not; drafts, notices and another section's stories are refused; a
// withdrawn story leaves every place.
func TestPlacement(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	d := f.desk
	live := func(title, section string) *news.Story {
		s := f.submitted(t, f.reporter, section)
		for _, u := range []*news.User{f.editor, f.director, f.chief} {
			must(d.Approve(ctx, u, s.ID))(t)
		}
		s = must(d.Publish(ctx, f.chief, s.ID))(t)
		s.Title = title
		return s
	}
	a, b := live("甲", "本地"), live("乙", "要闻")
	draft := &news.Story{Title: "草稿", Body: "正文。", Section: "本地"}
	if err := d.Create(ctx, f.reporter, draft); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Place(ctx, f.reporter, news.Placement{Place: "home", Stories: []int64{a.ID}}); code(err) != news.EFORBIDDEN {
		t.Fatalf("a reporter placed: %v", err)
	}
	for _, bad := range []news.Placement{
		{Place: "home", Stories: []int64{a.ID, draft.ID}},
		{Place: "home", Stories: []int64{a.ID, a.ID}},
		{Place: "home", Stories: []int64{9999}},
		{Place: "本地", Stories: []int64{b.ID}},
	} {
		if _, err := d.Place(ctx, f.editor, bad); code(err) != news.EINVALID {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
	if _, err := d.Place(ctx, f.editor, news.Placement{Place: "a/b", Stories: nil}); code(err) != news.ENOTFOUND {
		t.Errorf("a place with a slash: %v", err)
	}
	got := must(d.Place(ctx, f.editor, news.Placement{Place: "home", Stories: []int64{b.ID, a.ID}}))(t)
	if len(got) != 2 || got[0].ID != b.ID {
		t.Fatalf("placed: %+v", got)
	}
	must(d.Place(ctx, f.director, news.Placement{Place: "本地", Stories: []int64{a.ID}}))(t)
	shown := d.Live.(*fakeLive).placed
	relA := must(d.Store.StoryPath(ctx, a.ID))(t)
	relB := must(d.Store.StoryPath(ctx, b.ID))(t)
	if strings.Join(shown["home"], ",") != relB+","+relA || strings.Join(shown["本地"], ",") != relA {
		t.Fatalf("shown to readers: %v", shown)
	}
	ev := must(d.Audit(ctx, f.admin, news.AuditFilter{Action: "place"}))(t)
	if len(ev) != 2 || ev[1].User != f.editor.Name || !strings.Contains(ev[1].Detail, "首页") || ev[1].StoryID != b.ID {
		t.Fatalf("audit of the placement: %+v", ev)
	}
	if list := must(d.Placement(ctx, f.chief, "home"))(t); len(list) != 2 || list[1].ID != a.ID {
		t.Fatalf("GET placement: %+v", list)
	}

	// Moved to another section: off the old section's page, not home.
	must(d.Place(ctx, f.editor, news.Placement{Place: "要闻", Stories: []int64{b.ID}}))(t)
	cur := must(d.Get(ctx, f.chief, b.ID))(t)
	cur.Section = "教育"
	must(d.UpdateNoted(ctx, f.chief, cur, cur.Version, &news.Correction{Kind: news.CorrectionNote, Note: "调整栏目"}))(t)
	if list := must(d.Placement(ctx, f.chief, "要闻"))(t); len(list) != 0 {
		t.Fatalf("要闻 after the story moved to 教育: %+v", list)
	}
	if list := must(d.Placement(ctx, f.chief, "home"))(t); len(list) != 2 {
		t.Fatalf("home after the move: %+v", list)
	}
	if shown := d.Live.(*fakeLive).placed; len(shown["要闻"]) != 0 || len(shown["home"]) != 2 {
		t.Fatalf("shown after the move: %v", shown)
	}

	// Withdrawn: off every place, and readers are shown so.
	must(d.Withdraw(ctx, f.chief, a.ID, "测试撤稿"))(t)
	if list := must(d.Placement(ctx, f.chief, "home"))(t); len(list) != 1 || list[0].ID != b.ID {
		t.Fatalf("home after the withdrawal: %+v", list)
	}
	if list := must(d.Placement(ctx, f.chief, "本地"))(t); len(list) != 0 {
		t.Fatalf("本地 after the withdrawal: %+v", list)
	}
	shown = d.Live.(*fakeLive).placed
	if strings.Join(shown["home"], ",") != relB || len(shown["本地"]) != 0 {
		t.Fatalf("shown after the withdrawal: %v", shown)
	}
}
