package desk

import (
	"context"
	"strings"
	"testing"

	"newsroom/internal/content"
	"newsroom/internal/news"
)

// TestEditorAtPublish checks the 责任编辑: by default who signed 一审,
// unless set explicitly; kept in the database and written to the file.
func TestEditorAtPublish(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	d := f.desk
	publish := func(s *news.Story) *news.Story {
		t.Helper()
		if err := d.Create(ctx, f.reporter, s); err != nil {
			t.Fatal(err)
		}
		must(d.Submit(ctx, f.reporter, s.ID))(t)
		must(d.Approve(ctx, f.editor, s.ID))(t)
		must(d.Approve(ctx, f.director, s.ID))(t)
		must(d.Approve(ctx, f.chief, s.ID))(t)
		return must(d.Publish(ctx, f.chief, s.ID))(t)
	}
	p := publish(&news.Story{Title: "默认责任编辑", Body: "正文。", Section: "本地"})
	if p.Editor != f.editor.Name {
		t.Fatalf("editor after publish: %q, want %q (who signed 一审)", p.Editor, f.editor.Name)
	}
	if got := must(d.Get(ctx, f.chief, p.ID))(t); got.Editor != f.editor.Name {
		t.Fatalf("editor as stored: %q", got.Editor)
	}
	file := f.file(t, p)
	rel := must(d.Store.StoryPath(ctx, p.ID))(t)
	if it, err := content.Parse(rel, []byte(file)); err != nil || it.Story.Editor != f.editor.Name {
		t.Fatalf("editor read back from the file: %v %q\n%s", err, it.Story.Editor, file)
	}
	if !strings.Contains(file, "editor: \""+f.editor.Name+"\"") {
		t.Fatalf("the content file lacks the editor:\n%s", file)
	}
	q := publish(&news.Story{Title: "指定责任编辑", Body: "正文。", Section: "本地", Editor: " 王主任 "})
	if q.Editor != "王主任" || !strings.Contains(f.file(t, q), "editor: \"王主任\"") {
		t.Fatalf("explicit editor: %q\n%s", q.Editor, f.file(t, q))
	}
	bad := &news.Story{Title: "坏的责任编辑", Editor: "李\x1b编辑"}
	if err := d.Create(ctx, f.reporter, bad); code(err) != news.EINVALID || news.ErrorFields(err)["editor"] == "" {
		t.Fatalf("control character in the editor: %v", err)
	}
}
