package desk

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/notice"
)

// TestAdoptFiles: a hand-placed content file becomes a story of the desk
// once (a second run adopts nothing), keeping its path, URL and state; the
// files of the desk's own stories are never adopted; only admins adopt.
func TestAdoptFiles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := f.desk
	// A story published through the desk has its own file.
	s := &news.Story{Title: "桌面发布的稿件", Body: "正文。", Section: "本地"}
	if err := d.Create(ctx, f.reporter, s); err != nil {
		t.Fatal(err)
	}
	must(d.Submit(ctx, f.reporter, s.ID))(t)
	for _, u := range []*news.User{f.editor, f.director, f.chief} {
		must(d.Approve(ctx, u, s.ID))(t)
	}
	must(d.Publish(ctx, f.chief, s.ID))(t)
	// A hand-placed file, and one withdrawn by hand.
	at := time.Date(2023, 6, 8, 6, 0, 0, 0, news.Shanghai)
	for rel, st := range map[string]news.Story{
		"stories/2023/06/hand-placed.md": {Kind: news.KindStory, Title: "手工放入的稿件", Body: "第一段。\n\n第二段。", Section: "要闻"},
		"stories/2023/06/hand-gone.md": {Kind: news.KindStory, Title: "手工撤下的稿件", Body: "正文。", Section: "要闻",
			Withdrawn: &news.Withdrawal{At: at, Reason: "有误"}},
	} {
		data, err := content.Marshal(st, at)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(f.dir, "content", "stories/2023/06"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(f.dir, "content", rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.AdoptFiles(ctx, f.chief); code(err) != news.EFORBIDDEN {
		t.Fatalf("chief adopting: %v, want forbidden", err)
	}
	rep, err := d.AdoptFiles(ctx, f.admin)
	if err != nil || rep.Count != 2 || rep.Known != 1 || len(rep.Failed) != 0 {
		t.Fatalf("adopt: %+v %v", rep, err)
	}
	if rep, err := d.AdoptFiles(ctx, f.admin); err != nil || rep.Count != 0 || rep.Known != 3 {
		t.Fatalf("adopt again: %+v %v", rep, err)
	}
	list := must(d.List(ctx, f.admin, news.StoryFilter{Owner: ArchiveUser}))(t)
	if len(list) != 2 {
		t.Fatalf("adopted stories: %d", len(list))
	}
	for _, a := range list {
		switch a.Title {
		case "手工放入的稿件":
			if a.URL != "/stories/2023/06/hand-placed/" || a.State != news.StatePublished || a.Body != "第一段。\n\n第二段。" ||
				a.PublishedAt == nil || !a.PublishedAt.Equal(at) {
				t.Errorf("adopted story: %+v", a)
			}
		case "手工撤下的稿件":
			if a.State != news.StateWithdrawn || a.Withdrawn == nil || a.URL != "/stories/2023/06/hand-gone/" {
				t.Errorf("adopted withdrawn story: %s %+v", a.State, a.Withdrawn)
			}
		default:
			t.Errorf("adopted %q", a.Title)
		}
		if ev := must(d.Events(ctx, f.admin, a.ID))(t); len(ev) != 1 || ev[0].Action != string(news.ActAdopt) || ev[0].User != f.admin.Name {
			t.Errorf("history of an adopted story: %+v", ev)
		}
	}
}

// TestAdoptedNoticesAreVerifiable: a notice published and sealed by one
// desk, whose files are taken into another (a new database over the same
// content, as after moving a site), is in the new desk's verification
// archive (/verify/ by number and fingerprint) like a notice it published
// itself; a sealed file changed by hand is adopted but not vouched for.
func TestAdoptedNoticesAreVerifiable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := &news.Story{Kind: news.KindNotice, Title: "关于某项目的公示", Body: "现予公示。",
		Notice: &news.NoticeInfo{Issuers: []string{"吕梁市示例局"}, IssuedOn: "2023-06-01",
			NoticeFields: news.NoticeFields{Kind: "gov", PeriodStart: "2023-06-07", PeriodEnd: "2023-06-20"}}}
	if err := f.desk.Create(ctx, f.reporter, n); err != nil {
		t.Fatal(err)
	}
	must(f.desk.Submit(ctx, f.reporter, n.ID))(t)
	for _, u := range []*news.User{f.editor, f.director, f.chief} {
		must(f.desk.Approve(ctx, u, n.ID))(t)
	}
	pub := must(f.desk.Publish(ctx, f.chief, n.ID))(t)
	number, fp := pub.Notice.Number, pub.Notice.Fingerprint
	if number == "" || fp == "" {
		t.Fatalf("published notice not sealed: %+v", pub.Notice)
	}
	path := must(f.db.StoryPath(ctx, n.ID))(t)
	// A second sealed notice, whose file is then changed by hand.
	m := &news.Story{Kind: news.KindNotice, Title: "关于另一项目的公示", Body: "另行公示。",
		Notice: &news.NoticeInfo{Issuers: []string{"吕梁市示例局"}, IssuedOn: "2023-06-01",
			NoticeFields: news.NoticeFields{Kind: "gov", PeriodStart: "2023-06-07", PeriodEnd: "2023-06-20"}}}
	if err := f.desk.Create(ctx, f.reporter, m); err != nil {
		t.Fatal(err)
	}
	must(f.desk.Submit(ctx, f.reporter, m.ID))(t)
	for _, u := range []*news.User{f.editor, f.director, f.chief} {
		must(f.desk.Approve(ctx, u, m.ID))(t)
	}
	changedNumber := must(f.desk.Publish(ctx, f.chief, m.ID))(t).Notice.Number
	changed := filepath.Join(f.dir, "content", filepath.FromSlash(must(f.db.StoryPath(ctx, m.ID))(t)))
	data := must(os.ReadFile(changed))(t)
	if err := os.WriteFile(changed, []byte(strings.Replace(string(data), "另行公示。", "事后改过的公示。", 1)), 0o644); err != nil {
		t.Fatal(err)
	}

	// A new database over the same content.
	f.dbPath = filepath.Join(t.TempDir(), "moved.db")
	f.open(t)
	admin := &news.User{Name: "admin-2", Role: news.RoleAdmin}
	if err := f.db.CreateUser(ctx, admin, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.NoticeByNumber(ctx, number); news.ErrorCode(err) != news.ENOTFOUND {
		t.Fatalf("the new database knows the notice before adoption: %v", err)
	}
	rep := must(f.desk.AdoptFiles(ctx, admin))(t)
	if rep.Count != 2 || rep.Verifiable != 1 || len(rep.Unverified) != 1 {
		t.Fatalf("adopt: %+v", rep)
	}
	rec, err := f.db.NoticeByNumber(ctx, number)
	if err != nil || rec.Fingerprint != fp || rec.URL != content.URLOf(path) || rec.Title != "关于某项目的公示" {
		t.Fatalf("the adopted notice's record: %+v %v", rec, err)
	}
	if recs, err := f.db.NoticesByFingerprint(ctx, fp); err != nil || len(recs) != 1 || recs[0].Number != number {
		t.Fatalf("by fingerprint: %+v %v", recs, err)
	}
	for rel, why := range rep.Unverified {
		if !strings.Contains(rel, filepath.Base(strings.TrimSuffix(changed, ".md"))) || !strings.Contains(why, "fingerprint") {
			t.Errorf("unverified %s: %s", rel, why)
		}
	}
	// The desk numbers its next notice after the adopted ones, the one it
	// cannot vouch for included: no number is printed twice.
	if seq := must(nextSeq(ctx, f, 2023))(t); notice.Number(2023, seq) <= changedNumber {
		t.Errorf("next notice number %s would reuse the adopted %s", notice.Number(2023, seq), changedNumber)
	}
	if _, err := f.db.NoticeByNumber(ctx, changedNumber); news.ErrorCode(err) != news.ENOTFOUND {
		t.Errorf("the changed notice %s is vouched for: %v", changedNumber, err)
	}
}

// nextSeq is the next free notice sequence number of year.
func nextSeq(ctx context.Context, f *fixture, year int) (int, error) {
	var seq int
	err := f.db.WithTx(ctx, func(tx news.Tx) (err error) {
		seq, err = tx.NextNoticeSeq(ctx, year)
		return err
	})
	return seq, err
}
