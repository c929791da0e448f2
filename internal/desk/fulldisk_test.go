package desk

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// refusedCommit is the real store whose transactions are refused at the
// end, after everything in them succeeded, as SQLite refuses a commit on
// a full disk (SQLITE_FULL): the transaction is rolled back.
type refusedCommit struct {
	news.Store
	refuse bool
}

var errDiskFull = errors.New("database or disk is full")

func (s *refusedCommit) WithTx(ctx context.Context, fn func(news.Tx) error) error {
	return s.Store.WithTx(ctx, func(tx news.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if s.refuse {
			return errDiskFull
		}
		return nil
	})
}

// TestRefusedCommitPutsTheFileBack: when the database refuses a publish's
// or a correction's commit after the content file was written, the file
// is put back as it was (gone for a first publish, the old text for a
// correction), so files and database still agree, and the error is the
// store's.
func TestRefusedCommitPutsTheFileBack(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	store := &refusedCommit{Store: f.desk.Store}
	f.desk.Store = store
	d := f.desk
	s := &news.Story{Title: "满盘测试", Body: "原来的正文。", Section: "本地"}
	if err := d.Create(ctx, f.reporter, s); err != nil {
		t.Fatal(err)
	}
	must(d.Submit(ctx, f.reporter, s.ID))(t)
	for _, u := range []*news.User{f.editor, f.director, f.chief} {
		must(d.Approve(ctx, u, s.ID))(t)
	}
	files := func() []string {
		var out []string
		filepath.WalkDir(filepath.Join(f.dir, "content"), func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				out = append(out, p)
			}
			return nil
		})
		return out
	}
	store.refuse = true
	if _, err := d.Publish(ctx, f.chief, s.ID); !errors.Is(err, errDiskFull) {
		t.Fatalf("publish with the commit refused answered %v", err)
	}
	if got := files(); len(got) != 0 {
		t.Fatalf("content files left by a publish the database refused: %v", got)
	}
	if cur := must(d.Get(ctx, f.chief, s.ID))(t); cur.State == news.StatePublished {
		t.Fatal("the database says published")
	}

	store.refuse = false
	pub := must(d.Publish(ctx, f.chief, s.ID))(t)
	before := f.file(t, pub)
	pub.Body = "更正后的正文。"
	store.refuse = true
	if _, err := d.UpdateNoted(ctx, f.chief, pub, pub.Version, &news.Correction{Kind: news.CorrectionFix, Note: "正文有误，已更正。"}); !errors.Is(err, errDiskFull) {
		t.Fatalf("correction with the commit refused answered %v", err)
	}
	if after := f.file(t, pub); after != before || strings.Contains(after, "更正后") {
		t.Fatalf("a correction the database refused changed the file:\n%s", after)
	}
}
