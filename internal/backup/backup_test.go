package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeArchive writes a tar.gz with the given files (name → content).
func writeArchive(t *testing.T, files [][2]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.tar.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for _, nf := range files {
		tw.WriteHeader(&tar.Header{Name: nf[0], Mode: 0o644, Size: int64(len(nf[1])), Typeflag: tar.TypeReg})
		tw.Write([]byte(nf[1]))
	}
	tw.Close()
	zw.Close()
	f.Close()
	return path
}

func TestRestoreRefusesPathsOutsideTheSiteAndLeavesNothing(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "site")
	for _, bad := range []string{"../escape.txt", "/etc/x", "content/../../escape.txt"} {
		a := writeArchive(t, [][2]string{{"hugo.toml", "x"}, {".newsroom/newsroom.db", "x"}, {bad, "boom"}})
		_, err := Restore(context.Background(), a, root)
		if err == nil || !strings.Contains(err.Error(), "refusing the path") {
			t.Errorf("%s: err %v, want refused", bad, err)
		}
	}
	if ents, _ := os.ReadDir(parent); len(ents) != 0 {
		t.Errorf("a refused restore left %v", ents)
	}
}

func TestRestoreRefusesAnArchiveThatIsNoBackup(t *testing.T) {
	root := filepath.Join(t.TempDir(), "site")
	a := writeArchive(t, [][2]string{{"notes.txt", "x"}})
	if _, err := Restore(context.Background(), a, root); err == nil || !strings.Contains(err.Error(), "not a newsroom backup") {
		t.Fatalf("err %v", err)
	}
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("site folder made anyway: %v", err)
	}
}

// tree lists the files under dir with their contents.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

// TestStagerResyncCatchesEveryChangeAndSkipsQuietFolders stages a content
// tree, changes it as publishes do (new file, file replaced by rename,
// file removed, new folder), stages again, and checks the copy is the
// source; a folder untouched for a while is not listed again.
func TestStagerResyncCatchesEveryChangeAndSkipsQuietFolders(t *testing.T) {
	src, dst := filepath.Join(t.TempDir(), "content"), filepath.Join(t.TempDir(), "content")
	write := func(rel, s string) {
		p := filepath.Join(src, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		tmp := p + ".new"
		os.WriteFile(tmp, []byte(s), 0o644)
		os.Rename(tmp, p)
	}
	write("stories/2023/05/a.md", "a")
	write("stories/2023/06/b.md", "b")
	write("stories/2023/06/c.md", "c")
	write("notices/2023/06/n.md", "n")
	old := time.Now().Add(-time.Hour)
	filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if d.IsDir() {
			os.Chtimes(p, old, old)
		}
		return nil
	})
	g := &stager{seen: map[string]dirState{}}
	if err := g.sync(src, dst); err != nil {
		t.Fatal(err)
	}
	// A file only in the copy of a quiet folder shows it is not relisted.
	os.WriteFile(filepath.Join(dst, "stories", "2023", "05", "marker"), nil, 0o644)

	write("stories/2023/06/b.md", "b, corrected")
	write("stories/2023/06/d.md", "d")
	os.Remove(filepath.Join(src, "stories", "2023", "06", "c.md"))
	write("stories/2023/07/e.md", "e")
	os.WriteFile(filepath.Join(src, "stories", "2023", "06", ".tmp-x"), []byte("half"), 0o644)
	if err := g.resync(src, dst); err != nil {
		t.Fatal(err)
	}
	got, want := tree(t, dst), tree(t, src)
	delete(want, filepath.Join("stories", "2023", "06", ".tmp-x"))
	want[filepath.Join("stories", "2023", "05", "marker")] = ""
	if len(got) != len(want) {
		t.Fatalf("staged %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: staged %q, want %q", k, got[k], v)
		}
	}
}
