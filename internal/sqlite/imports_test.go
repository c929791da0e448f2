package sqlite

import (
	"context"
	"testing"

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
