package desk

import (
	"context"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// TestSectionMoveCannotDodgeTheChain replays the attack of issue 22: with
// a one-level 快讯, an editor moves a story under review from 要闻 to
// 快讯, approves and publishes it alone, then moves it back to 要闻 with a
// 说明. The review restarts at the first move, and the move back is
// refused: the story never is live in 要闻 with only 一审.
func TestSectionMoveCannotDodgeTheChain(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	d := f.desk
	if err := d.SetWorkflow(ctx, f.admin, news.WorkflowConfig{Default: news.DefaultChain,
		Sections: map[string]news.Chain{"快讯": {news.RoleEditor}, "简讯": {news.RoleEditor}}}); err != nil {
		t.Fatal(err)
	}
	s := &news.Story{Title: "栏目测试", Body: "正文。", Section: "要闻"}
	if err := d.Create(ctx, f.reporter, s); err != nil {
		t.Fatal(err)
	}
	must(d.Submit(ctx, f.reporter, s.ID))(t)
	s = must(d.Approve(ctx, f.editor, s.ID))(t) // 一审 of 要闻
	if s.State != news.StateInReview || len(s.Signoffs) != 1 {
		t.Fatalf("after 一审: %s with %d sign-offs", s.State, len(s.Signoffs))
	}

	// The move to 快讯 restarts the review under 快讯's chain.
	s.Section = "快讯"
	s = must(d.Update(ctx, f.editor, s, s.Version))(t)
	if s.State != news.StateSubmitted || len(s.Signoffs) != 0 || len(s.Chain) != 1 {
		t.Fatalf("moved to 快讯 during review: %s, %d sign-offs, chain %v; want the review restarted", s.State, len(s.Signoffs), s.Chain)
	}
	s = must(d.Approve(ctx, f.editor, s.ID))(t)
	if s.State != news.StateApproved {
		t.Fatalf("快讯 after its one level: %s", s.State)
	}
	s = must(d.Publish(ctx, f.editor, s.ID))(t) // the editor signs 快讯's last level
	if s.State != news.StatePublished {
		t.Fatalf("publish: %s", s.State)
	}

	// The correction that would move it back to 要闻 is refused, whoever
	// makes it, and nothing changes.
	for _, u := range []*news.User{f.editor, f.chief, f.admin} {
		back := *s
		back.Section = "要闻"
		_, err := d.UpdateNoted(ctx, u, &back, s.Version, &news.Correction{Kind: news.CorrectionNote, Note: "栏目调整。"})
		if code(err) != news.EINVALID || news.ErrorFields(err)["section"] == "" {
			t.Fatalf("%s moved a 快讯 story live into 要闻: %v", u.Role, err)
		}
	}
	if cur := must(d.Get(ctx, f.admin, s.ID))(t); cur.Section != "快讯" || cur.State != news.StatePublished || cur.Version != s.Version {
		t.Fatalf("a refused move changed the story: %s %s v%d", cur.Section, cur.State, cur.Version)
	}
	if body := f.file(t, s); !strings.Contains(body, "快讯") || strings.Contains(body, "要闻") {
		t.Fatalf("a refused move changed the file:\n%s", body)
	}

	// A section whose chain it passed is allowed, as a correction.
	s.Section = "简讯"
	moved := must(d.UpdateNoted(ctx, f.editor, s, s.Version, &news.Correction{Kind: news.CorrectionNote, Note: "栏目调整。"}))(t)
	if moved.Section != "简讯" || moved.State != news.StateCorrected {
		t.Fatalf("move to a section of the same chain: %s %s", moved.Section, moved.State)
	}

	// A story that passed the full 三审 may move anywhere.
	full := &news.Story{Title: "三审稿件", Body: "正文。", Section: "要闻"}
	if err := d.Create(ctx, f.reporter, full); err != nil {
		t.Fatal(err)
	}
	must(d.Submit(ctx, f.reporter, full.ID))(t)
	for _, u := range []*news.User{f.editor, f.director, f.chief} {
		must(d.Approve(ctx, u, full.ID))(t)
	}
	full = must(d.Publish(ctx, f.chief, full.ID))(t)
	full.Section = "快讯"
	if _, err := d.UpdateNoted(ctx, f.chief, full, full.Version, &news.Correction{Kind: news.CorrectionNote, Note: "改入快讯。"}); err != nil {
		t.Fatalf("a 三审 story to 快讯: %v", err)
	}
}

// TestSectionMoveRestartsOnlyWhenTheChainChanges: an approved story moved
// to a section of the same chain keeps its sign-offs; moved to a section
// of a stricter chain it is reviewed again from 一审, and a scheduled one
// loses its schedule.
func TestSectionMoveRestartsOnlyWhenTheChainChanges(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	d := f.desk
	if err := d.SetWorkflow(ctx, f.admin, news.WorkflowConfig{Default: news.DefaultChain,
		Sections: map[string]news.Chain{"快讯": {news.RoleEditor}}}); err != nil {
		t.Fatal(err)
	}
	s := &news.Story{Title: "栏目测试", Body: "正文。", Section: "本地"}
	if err := d.Create(ctx, f.reporter, s); err != nil {
		t.Fatal(err)
	}
	must(d.Submit(ctx, f.reporter, s.ID))(t)
	for _, u := range []*news.User{f.editor, f.director, f.chief} {
		s = must(d.Approve(ctx, u, s.ID))(t)
	}
	s.Section = "要闻" // the default chain too
	s = must(d.Update(ctx, f.chief, s, s.Version))(t)
	if s.State != news.StateApproved || len(s.Signoffs) != 3 {
		t.Fatalf("same chain: %s with %d sign-offs", s.State, len(s.Signoffs))
	}

	q := &news.Story{Title: "快讯稿", Body: "正文。", Section: "快讯"}
	if err := d.Create(ctx, f.reporter, q); err != nil {
		t.Fatal(err)
	}
	must(d.Submit(ctx, f.reporter, q.ID))(t)
	must(d.Approve(ctx, f.editor, q.ID))(t)
	q = must(d.Schedule(ctx, f.editor, q.ID, f.clock.Now().Add(3600e9)))(t)
	q.Section = "要闻"
	q = must(d.Update(ctx, f.editor, q, q.Version))(t)
	if q.State != news.StateSubmitted || len(q.Signoffs) != 0 || q.ScheduledAt != nil || len(q.Chain) != 3 {
		t.Fatalf("to a stricter chain: %s, %d sign-offs, scheduled %v, chain %v", q.State, len(q.Signoffs), q.ScheduledAt, q.Chain)
	}
	if _, err := d.Publish(ctx, f.editor, q.ID); err == nil {
		t.Fatal("published in 要闻 without its review")
	}
	log := must(d.Audit(ctx, f.admin, news.AuditFilter{StoryID: q.ID, Action: string(news.ActRestart)}))(t)
	if len(log) != 1 || !strings.Contains(log[0].Detail, "快讯") {
		t.Fatalf("restart not in the audit log: %+v", log)
	}
}
