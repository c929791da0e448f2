//go:build withdeploy

package site

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bucketFiles lists a file:// bucket's objects with their modification
// times (gocloud's fileblob keeps attributes in .attrs files beside them).
func bucketFiles(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	files := map[string]time.Time{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".attrs") {
			info, _ := d.Info()
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)] = info.ModTime()
		}
		return nil
	})
	return files
}

func TestDeployUploadsOnlyChanges(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	bucket := t.TempDir()
	url := "file://" + bucket
	if _, err := Deploy(ctx, a.Root, a.Current(), url); err != nil {
		t.Fatal(err)
	}
	first := bucketFiles(t, bucket)
	if _, ok := first["stories/2023/06/s3/index.html"]; !ok {
		t.Fatalf("story page not in the bucket: %v", first)
	}
	time.Sleep(20 * time.Millisecond)
	// One new story and one withdrawal: only the pages they change go up.
	rel := writeStory(t, a.Root, "stories", "2023-06-30", "new", "新发稿件")
	if _, err := a.Publish(ctx, []string{rel}, nil); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(a.Root, "content/stories/2023/05/s0.md"))
	if _, err := a.Publish(ctx, nil, []string{"stories/2023/05/s0.md"}); err != nil {
		t.Fatal(err)
	}
	if _, err := Deploy(ctx, a.Root, a.Current(), url); err != nil {
		t.Fatal(err)
	}
	second := bucketFiles(t, bucket)
	if _, ok := second["stories/2023/06/new/index.html"]; !ok {
		t.Fatal("new story not deployed")
	}
	if _, ok := second["stories/2023/05/s0/index.html"]; ok {
		t.Fatal("withdrawn story still in the bucket")
	}
	if !second["index.html"].After(first["index.html"]) {
		t.Fatal("home page, which lists the new story, was not uploaded again")
	}
	unchanged := "stories/2023/05/s1/index.html"
	if !second[unchanged].Equal(first[unchanged]) {
		t.Fatalf("%s did not change but was uploaded again", unchanged)
	}
}
