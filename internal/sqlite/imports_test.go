package sqlite

import (
	"context"
	"testing"
	"time"

	"newsroom/internal/news"
)

func TestImports(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	u := &news.User{Name: "importer", Role: news.RoleEditor}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := db.ImportedStory(ctx, "k1"); err != nil || ok {
		t.Fatalf("unknown key: ok=%v err=%v", ok, err)
	}
	s := &news.Story{Title: "高考首日", Body: "正文。"}
	if err := db.CreateStory(ctx, s, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordImport(ctx, "k1", s.ID, "page.txt"); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordImport(ctx, "k1", s.ID, "page.txt"); news.ErrorCode(err) != news.ECONFLICT {
		t.Fatalf("second record of the same key: %v, want conflict", err)
	}
	id, ok, err := db.ImportedStory(ctx, "k1")
	if err != nil || !ok || id != s.ID {
		t.Fatalf("ImportedStory = %d, %v, %v; want %d, true", id, ok, err, s.ID)
	}
	if n, err := db.CountImports(ctx); err != nil || n != 1 {
		t.Fatalf("CountImports = %d, %v", n, err)
	}
}

func TestImportJournalAndLiveBodies(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	if _, ok, err := db.ImportedFile(ctx, "f1"); err != nil || ok {
		t.Fatalf("unknown file: ok=%v err=%v", ok, err)
	}
	if err := db.RecordImportedFile(ctx, "f1", "2023-06-08/01.txt", 8); err != nil {
		t.Fatal(err)
	}
	// a second record (a page imported again) keeps the first
	if err := db.RecordImportedFile(ctx, "f1", "other.txt", 3); err != nil {
		t.Fatal(err)
	}
	if n, ok, err := db.ImportedFile(ctx, "f1"); err != nil || !ok || n != 8 {
		t.Fatalf("ImportedFile = %d, %v, %v; want 8, true", n, ok, err)
	}

	u := &news.User{Name: "importer", Role: news.RoleEditor}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	draft := &news.Story{Title: "草稿", Body: "草稿正文。"}
	live := &news.Story{Title: "已发", Body: "已发正文。"}
	for _, s := range []*news.Story{draft, live} {
		if err := db.CreateStory(ctx, s, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	err := db.WithTx(ctx, func(tx news.Tx) error {
		return tx.Apply(ctx, live, u.ID, news.Change{Action: news.ActPublish, To: news.StatePublished,
			Publish: &news.Publication{Slug: "s", Path: "p", At: time.Now()}})
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	if err := db.LiveBodies(ctx, func(id int64, body string) error { got[id] = body; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[live.ID] != "已发正文。" {
		t.Fatalf("LiveBodies = %v, want only the published story %d", got, live.ID)
	}
}
