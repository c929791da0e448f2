package site

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// A full build whose renders fail on several workers at once reports the
// failure and leaves the live tree alone (go test -race: the workers and
// the loop that hands them batches share the first error).
func TestFullBuildFailingOnTwoWorkers(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	for i := range 6 {
		writeStory(t, a.Root, "stories", fmt.Sprintf("2022-%02d-03", i+1), fmt.Sprintf("b%d", i), fmt.Sprintf("旧稿%d", i))
	}
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	live := a.Current()
	write(t, filepath.Join(a.Root, "layouts/single.html"), `{{ .Title `)
	b := &Archive{Root: a.Root, Data: a.Data, HotMin: 2, BatchFiles: 1, Workers: 2, Now: a.Now}
	if _, err := b.BuildAll(ctx, nil); err == nil {
		t.Fatal("broken template built")
	}
	if b.Current() != live {
		t.Fatal("failed full build replaced the live tree")
	}
	mustLive(t, b, "stories/2023/05/s0/index.html", "稿件0")
}
