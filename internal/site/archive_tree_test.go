package site

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestFullBuildRecyclesTheTreeBeforeTheLiveOne(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	a.recycle = -1 // no reader to wait for
	for i := 0; i < 2; i++ {
		if _, err := a.BuildAll(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	builds := filepath.Join(a.Data, "builds")
	spare := a.spareTree(builds)
	if spare == "" || spare == a.Current() {
		t.Fatalf("no spare tree besides the live one %s", a.Current())
	}
	// The spare tree holds a story withdrawn since, a stray file, and a
	// file where the next build wants a folder.
	os.Remove(filepath.Join(a.Root, "content/stories/2023/05/s0.md"))
	writeStory(t, a.Root, "stories", "2023-06-20", "s9", "新稿件九")
	write(t, filepath.Join(spare, "junk/old.html"), "stray")
	write(t, filepath.Join(spare, "stories/2023/06/s9"), "in the way")
	kept, err := os.Stat(filepath.Join(spare, "stories/2023/06/s3/index.html"))
	if err != nil {
		t.Fatal(err)
	}

	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	now, err := os.Stat(filepath.Join(a.Current(), "stories/2023/06/s3/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(kept, now) {
		t.Fatal("the build did not overwrite the spare tree's files in place")
	}
	mustLive(t, a, "stories/2023/06/s9/index.html", "新稿件九")
	mustLive(t, a, "stories/2023/06/s3/index.html", "稿件3")
	mustLive(t, a, "sitemap.xml", "<loc>/sitemaps/2023-05.xml</loc>")
	for _, rel := range []string{"stories/2023/05/s0/index.html", "stories/2023/05/s0", "junk/old.html", "junk"} {
		if _, err := os.Lstat(filepath.Join(a.Current(), rel)); err == nil {
			t.Errorf("%s left in the recycled tree", rel)
		}
	}
	if entries, _ := os.ReadDir(builds); len(entries) != 2 {
		t.Fatalf("builds holds %d trees, want the live one and the one before", len(entries))
	}

	// A tree that went out of service a moment ago is left to its
	// readers: the next build starts a new one.
	a.recycle = 0
	if got := a.spareTree(builds); got != "" {
		t.Fatalf("recycled %s right after it left service", got)
	}
}

func TestWithdrawalDuringFullBuildStaysWithdrawn(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	const rel = "stories/2023/05/s1.md"
	withdrawn := false
	_, err := a.BuildAll(ctx, func(done, total, pages int) {
		// Both months are in the new tree, the hot part not yet.
		if done == total-1 && !withdrawn {
			withdrawn = true
			os.Remove(filepath.Join(a.Root, "content", rel))
			if _, err := a.Publish(ctx, nil, []string{rel}); err != nil {
				t.Error(err)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !withdrawn {
		t.Fatal("progress never reported the months done")
	}
	if _, ok := liveFile(t, a, "stories/2023/05/s1/index.html"); ok {
		t.Fatal("a story withdrawn during a full build came back with the new tree")
	}
	if !a.dirty["2023-05"] {
		t.Fatalf("the month of the withdrawn story must still be re-rendered: dirty %v", a.dirty)
	}
	if _, ok := a.parts["2023-05"].Outputs["stories/2023/05/s1/index.html"]; ok {
		t.Fatal("the month's state still lists the withdrawn page")
	}
}

// treeFiles maps every file below dir to its content.
func treeFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameTrees reports every file that differs between two trees (treeFiles)
// or is in only one of them.
func sameTrees(t *testing.T, want, got map[string]string, wantName, gotName string) {
	t.Helper()
	for rel, w := range want {
		if g, ok := got[rel]; !ok {
			t.Errorf("%s: only in the %s tree", rel, wantName)
		} else if g != w {
			t.Errorf("%s differs:\n%s: %q\n%s: %q", rel, wantName, w, gotName, g)
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			t.Errorf("%s: only in the %s tree", rel, gotName)
		}
	}
}

func TestRecycledTreeMatchesAFreshOne(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	a.recycle = -1
	for i := 0; i < 2; i++ {
		if _, err := a.BuildAll(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	// The content changes before the rebuild: a month emptied, a story
	// added, another edited.
	for _, s := range []string{"s0", "s1", "s2"} {
		os.Remove(filepath.Join(a.Root, "content/stories/2023/05", s+".md"))
	}
	writeStory(t, a.Root, "stories", "2023-04-02", "s7", "四月稿件")
	writeStory(t, a.Root, "stories", "2023-06-08", "s4", "稿件4（改）")
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	fresh := &Archive{Root: a.Root, Data: filepath.Join(t.TempDir(), "fresh"), HotMin: a.HotMin, NewsAge: a.NewsAge, Now: a.Now}
	if _, err := fresh.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	got := treeFiles(t, a.Current())
	sameTrees(t, treeFiles(t, fresh.Current()), got, "fresh", "recycled")
	if _, ok := got["stories/2023/04/s7/index.html"]; !ok {
		t.Fatal("the new story is missing from both trees")
	}
}
