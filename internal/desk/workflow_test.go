package desk

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/password"
	"newsroom/internal/sqlite"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fakeLive struct {
	mu      sync.Mutex
	changed []news.Story
	removed []string
	placed  map[string][]string // the last placement shown
}

func (l *fakeLive) Place(_ context.Context, placed map[string][]string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.placed = placed
	return nil
}

func (l *fakeLive) Update(_ context.Context, changed []news.Story, removed []string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.changed = append(l.changed, changed...)
	l.removed = append(l.removed, removed...)
	return nil
}

type fixture struct {
	desk                                     *Service
	clock                                    *testClock
	dir, dbPath                              string
	db                                       *sqlite.DB
	reporter, editor, director, chief, admin *news.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: &testClock{t: time.Date(2023, 6, 7, 20, 0, 0, 0, news.Shanghai)}, dir: t.TempDir()}
	f.dbPath = filepath.Join(f.dir, "newsroom.db")
	f.open(t)
	ctx := context.Background()
	for _, p := range []**news.User{&f.reporter, &f.editor, &f.director, &f.chief, &f.admin} {
		*p = &news.User{}
	}
	for u, r := range map[*news.User]news.Role{f.reporter: news.RoleReporter, f.editor: news.RoleEditor, f.director: news.RoleDirector, f.chief: news.RoleChief, f.admin: news.RoleAdmin} {
		u.Name, u.Role = string(r)+"-user", r
		if err := f.desk.Store.CreateUser(ctx, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) open(t *testing.T) {
	t.Helper()
	db, err := sqlite.Open(f.dbPath, f.clock)
	if err != nil {
		t.Fatal(err)
	}
	db.SetHashParams(password.Params{Time: 1, Memory: 1024, Threads: 1})
	t.Cleanup(func() { db.Close() })
	f.db = db
	f.desk = &Service{Store: db, Content: content.Dir{Root: filepath.Join(f.dir, "content")}, Live: &fakeLive{}, Clock: f.clock}
}

// must turns a (value, error) result into a check: must(f())(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func code(err error) string { return news.ErrorCode(err) }

func (f *fixture) file(t *testing.T, s *news.Story) string {
	t.Helper()
	rel, err := f.desk.Store.StoryPath(context.Background(), s.ID)
	if err != nil || rel == "" {
		t.Fatalf("no content path for story %d: %v", s.ID, err)
	}
	b, err := os.ReadFile(filepath.Join(f.dir, "content", rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWorkflowThreeLevels(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	d := f.desk
	s := &news.Story{Title: "三审测试", Body: "初稿正文。", Section: "本地"}
	if err := d.Create(ctx, f.reporter, s); err != nil {
		t.Fatal(err)
	}
	must(d.Submit(ctx, f.reporter, s.ID))(t)
	if _, err := d.Approve(ctx, f.director, s.ID); code(err) != news.ECONFLICT {
		t.Fatalf("二审 before 一审: %v", err)
	}
	if _, err := d.Approve(ctx, f.reporter, s.ID); code(err) != news.EFORBIDDEN {
		t.Fatalf("reporter approve: %v", err)
	}
	if _, err := d.Return(ctx, f.editor, s.ID, ""); code(err) != news.EINVALID {
		t.Fatalf("return without comment: %v", err)
	}
	r := must(d.Return(ctx, f.editor, s.ID, "导语太长，请压缩。"))(t)
	if r.State != news.StateReturned {
		t.Fatalf("returned: %s", r.State)
	}
	cur := must(d.Get(ctx, f.reporter, s.ID))(t)
	cur.Body = "修改后的正文。"
	must(d.Update(ctx, f.reporter, cur, cur.Version))(t)
	must(d.Submit(ctx, f.reporter, s.ID))(t)
	a := must(d.Approve(ctx, f.editor, s.ID))(t)
	if a.State != news.StateInReview || len(a.Signoffs) != 1 || a.Signoffs[0].Label != "一审" {
		t.Fatalf("after 一审: %s %+v", a.State, a.Signoffs)
	}
	if _, err := d.Publish(ctx, f.chief, s.ID); code(err) != news.ECONFLICT {
		t.Fatalf("publish before the chain is complete: %v", err)
	}
	if _, err := d.Approve(ctx, f.editor, s.ID); code(err) != news.ECONFLICT {
		t.Fatalf("editor signs 二审: %v", err)
	}
	must(d.Approve(ctx, f.director, s.ID))(t)
	a = must(d.Approve(ctx, f.chief, s.ID))(t)
	if a.State != news.StateApproved || len(a.Signoffs) != 3 || a.Signoffs[2].User != "chief-user" {
		t.Fatalf("after 三审: %s %+v", a.State, a.Signoffs)
	}
	if _, err := d.Publish(ctx, f.editor, s.ID); code(err) != news.EFORBIDDEN {
		t.Fatalf("editor publish: %v", err)
	}
	p := must(d.Publish(ctx, f.chief, s.ID))(t)
	if p.State != news.StatePublished || p.URL == "" {
		t.Fatalf("publish: %+v", p)
	}
	// A correction needs a note; it is dated and goes into the file.
	cur = must(d.Get(ctx, f.chief, s.ID))(t)
	cur.Body = "更正后的正文。"
	if _, err := d.Update(ctx, f.chief, cur, cur.Version); code(err) != news.EINVALID {
		t.Fatalf("correction without a note: %v", err)
	}
	cur = must(d.Get(ctx, f.editor, s.ID))(t)
	cur.Body = "更正后的正文。"
	if _, err := d.UpdateNoted(ctx, f.editor, cur, cur.Version, &news.Correction{Note: "x"}); code(err) != news.EFORBIDDEN {
		t.Fatalf("editor corrects a live story: %v", err)
	}
	c := must(d.UpdateNoted(ctx, f.chief, cur, cur.Version, &news.Correction{Kind: news.CorrectionFix, Note: "原稿中的日期有误，已更正。"}))(t)
	if c.State != news.StateCorrected || len(c.Corrections) != 1 {
		t.Fatalf("correction: %s %+v", c.State, c.Corrections)
	}
	if body := f.file(t, c); !strings.Contains(body, "corrections:") || !strings.Contains(body, "原稿中的日期有误") || !strings.Contains(body, "更正后的正文") {
		t.Fatalf("content file lacks the correction:\n%s", body)
	}
	// Restoring an old revision makes a new one.
	revs := must(d.Revisions(ctx, f.chief, s.ID))(t)
	if len(revs) < 3 {
		t.Fatalf("revisions: %+v", revs)
	}
	rs := must(d.Restore(ctx, f.chief, s.ID, 1, &news.Correction{Kind: news.CorrectionNote, Note: "恢复原稿。"}))(t)
	if rs.Body != "初稿正文。" || rs.Version != revs[0].Version+1 || len(rs.Corrections) != 2 {
		t.Fatalf("restore: v%d %q %d corrections", rs.Version, rs.Body, len(rs.Corrections))
	}
	// Withdrawal rewrites the file with the reason and without the text.
	w := must(d.Withdraw(ctx, f.chief, s.ID, "内容失实"))(t)
	body := f.file(t, w)
	if !strings.Contains(body, "withdrawn:") || !strings.Contains(body, "内容失实") || !strings.Contains(body, "list: never") || strings.Contains(body, "初稿正文") {
		t.Fatalf("withdrawn file:\n%s", body)
	}
	it, err := content.Parse("stories/x.md", []byte(body))
	if err != nil || it.Story.State != news.StateWithdrawn || it.Story.Withdrawn.Reason != "内容失实" {
		t.Fatalf("parse withdrawn: %v %+v", err, it.Story)
	}
	if _, err := d.Update(ctx, f.chief, w, w.Version); code(err) != news.ECONFLICT {
		t.Fatalf("edit withdrawn: %v", err)
	}
	log := must(d.Audit(ctx, f.admin, news.AuditFilter{StoryID: s.ID}))(t)
	var actions []string
	for i := len(log) - 1; i >= 0; i-- {
		actions = append(actions, log[i].Action)
	}
	want := "create submit return edit submit approve approve approve publish edit correct edit correct restore withdraw"
	if strings.Join(actions, " ") != want {
		t.Fatalf("audit log\n got %s\nwant %s", strings.Join(actions, " "), want)
	}
	if _, err := d.Audit(ctx, f.chief, news.AuditFilter{}); code(err) != news.EFORBIDDEN {
		t.Fatalf("audit by chief: %v", err)
	}
	if got := must(d.Audit(ctx, f.admin, news.AuditFilter{User: "director-user", Action: "approve"}))(t); len(got) != 1 || got[0].Detail != "二审" {
		t.Fatalf("audit filter: %+v", got)
	}
}

func TestScheduleEmbargoAndRestart(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	d := f.desk
	// One level is enough for this section.
	if err := d.SetWorkflow(ctx, f.chief, news.WorkflowConfig{Default: news.Chain{news.RoleEditor}}); code(err) != news.EFORBIDDEN {
		t.Fatalf("chief sets workflow: %v", err)
	}
	if err := d.SetWorkflow(ctx, f.admin, news.WorkflowConfig{Default: news.DefaultChain, Sections: map[string]news.Chain{"快讯": {news.RoleEditor}}}); err != nil {
		t.Fatal(err)
	}
	s := &news.Story{Title: "定时发布测试", Body: "正文。", Section: "快讯"}
	if err := d.Create(ctx, f.reporter, s); err != nil {
		t.Fatal(err)
	}
	must(d.Submit(ctx, f.reporter, s.ID))(t)
	a := must(d.Approve(ctx, f.editor, s.ID))(t)
	if a.State != news.StateApproved {
		t.Fatalf("one-level chain: %s", a.State)
	}
	at := f.clock.Now().Add(10 * time.Hour) // 2023-06-08 06:00
	if _, err := d.Schedule(ctx, f.editor, s.ID, f.clock.Now().Add(-time.Minute)); code(err) != news.EINVALID {
		t.Fatalf("schedule in the past: %v", err)
	}
	sc := must(d.Schedule(ctx, f.editor, s.ID, at))(t) // the editor signs this one-level chain
	if sc.State != news.StateScheduled || sc.ScheduledAt == nil || !sc.ScheduledAt.Equal(at) {
		t.Fatalf("schedule: %+v", sc)
	}
	if n := must(d.PublishDue(ctx))(t); n != 0 {
		t.Fatalf("published %d before the embargo", n)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "content", "stories")); !os.IsNotExist(err) {
		t.Fatalf("a content file exists before the embargo: %v", err)
	}
	// The server goes down, the time passes, it comes back.
	f.db.Close()
	f.clock.add(11 * time.Hour)
	f.open(t)
	if n := must(f.desk.PublishDue(ctx))(t); n != 1 {
		t.Fatalf("after restart: published %d", n)
	}
	p := must(f.desk.Get(ctx, f.admin, s.ID))(t)
	if p.State != news.StatePublished || p.PublishedAt == nil || !p.PublishedAt.Equal(at) || p.ScheduledAt != nil {
		t.Fatalf("published: %s at %v (scheduled %v)", p.State, p.PublishedAt, p.ScheduledAt)
	}
	if body := f.file(t, p); !strings.Contains(body, "2023-06-08T06:00:00+08:00") {
		t.Fatalf("file not dated at the embargo:\n%s", body)
	}
	if n := must(f.desk.PublishDue(ctx))(t); n != 0 {
		t.Fatalf("published twice: %d", n)
	}
}

func TestSchedulerGoroutine(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFixture(t)
	d := f.desk
	s := &news.Story{Title: "调度测试", Body: "正文。", Section: "本地"}
	if err := d.Create(ctx, f.reporter, s); err != nil {
		t.Fatal(err)
	}
	must(d.Submit(ctx, f.reporter, s.ID))(t)
	must(d.Approve(ctx, f.admin, s.ID))(t) // an admin may sign a level for its role (代签)
	must(d.Approve(ctx, f.director, s.ID))(t)
	must(d.Approve(ctx, f.chief, s.ID))(t)
	must(d.Schedule(ctx, f.chief, s.ID, f.clock.Now().Add(time.Hour)))(t)
	go d.RunScheduler(ctx, 10*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	if st := must(d.Get(ctx, f.admin, s.ID))(t).State; st != news.StateScheduled {
		t.Fatalf("published early: %s", st)
	}
	f.clock.add(time.Hour)
	deadline := time.Now().Add(5 * time.Second)
	for must(d.Get(ctx, f.admin, s.ID))(t).State != news.StatePublished {
		if time.Now().After(deadline) {
			t.Fatal("the scheduler did not publish the due story")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ev := must(d.Audit(ctx, f.admin, news.AuditFilter{StoryID: s.ID, Action: "approve"}))(t)
	if len(ev) != 3 || !strings.Contains(ev[2].Detail, "管理员代编辑签") || strings.Contains(ev[0].Detail, "代") {
		t.Fatalf("admin sign-offs not recorded as such: %+v", ev)
	}
}
