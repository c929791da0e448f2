package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
