package site

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFullDiskLeavesTheLiveSiteWhole publishes while every write into the
// live tree fails as on a full disk (ENOSPC), after the first n of them:
// the publish answers a plain error naming the file and the cause, no
// temporary file is left, every page the tree holds is whole, no page
// links a story page that is not there, and once there is room again the
// next publish brings the whole tree up to date.
func TestFullDiskLeavesTheLiveSiteWhole(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{0, 1, 2, 3} {
		a := archiveSite(t)
		if _, err := a.BuildAll(ctx, nil); err != nil {
			t.Fatal(err)
		}
		before := treeFiles(t, a.Current())
		writes := 0
		a.writeLive = func(path string, data []byte) error {
			if writes++; writes > n {
				// What writeAtomic does when the disk is full: the
				// temporary file cannot be written, and is removed.
				return &fs.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
			}
			return writeAtomic(path, data)
		}
		rel := writeStory(t, a.Root, "stories", "2023-06-30", "full", "满盘时发的稿")
		_, err := a.Publish(ctx, []string{rel}, nil)
		if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left on device") {
			t.Fatalf("after %d writes: publish on a full disk answered %v", n, err)
		}
		after := treeFiles(t, a.Current())
		for name, body := range after {
			if strings.Contains(name, ".tmp") {
				t.Errorf("after %d writes: temporary file %s left in the tree", n, name)
			}
			if old, ok := before[name]; (!ok || old != body) && name != "stories/2023/06/full/index.html" {
				// A new or changed page may name the new story only if its
				// page is there.
				if strings.Contains(body, "满盘时发的稿") {
					if _, ok := after["stories/2023/06/full/index.html"]; !ok {
						t.Errorf("after %d writes: %s links the new story, whose page is not there", n, name)
					}
				}
			}
		}
		for name := range before {
			if _, ok := after[name]; !ok {
				t.Errorf("after %d writes: %s is gone", n, name)
			}
		}
		// Room again: the next publish (of anything, or nothing) writes
		// what the failed one could not.
		a.writeLive = nil
		if _, err := a.Publish(ctx, nil, nil); err != nil {
			t.Fatal(err)
		}
		mustLive(t, a, "stories/2023/06/full/index.html", "满盘时发的稿")
		mustLive(t, a, "index.html", "[满盘时发的稿]")
		for rel, sum := range a.parts[hotPart].Outputs {
			data, err := os.ReadFile(filepath.Join(a.Current(), filepath.FromSlash(rel)))
			if err != nil || hashBytes(data) != sum {
				t.Errorf("after %d writes: %s does not hold what the hot part's state says (%v)", n, rel, err)
			}
		}
	}
}
