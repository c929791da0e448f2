package desk

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
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
