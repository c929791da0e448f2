package site

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPhotoSizesOfEveryPartReachTheTree: the sizes Hugo makes of a
// story's photo are in the tree whichever part renders the story (a
// month's, not only the hot part's), and a publish does not copy the
// media library's pictures again.
func TestPhotoSizesOfEveryPartReachTheTree(t *testing.T) {
	ctx := context.Background()
	a := termsArchive(t, 2)
	img := image.NewRGBA(image.Rect(0, 0, 1300, 900))
	for y := range 900 {
		for x := range 1300 {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var pic bytes.Buffer
	jpeg.Encode(&pic, img, nil)
	write(t, filepath.Join(a.Root, "static/media/2023/06/photo.jpg"), pic.String())
	pic.Reset()
	img.SetRGBA(0, 0, color.RGBA{1, 2, 3, 255})
	jpeg.Encode(&pic, img, nil)
	write(t, filepath.Join(a.Root, "static/media/2023/06/old.jpg"), pic.String())
	for n := range 4 {
		src := "/media/2023/06/photo.jpg"
		if n == 0 {
			src = "/media/2023/06/old.jpg" // only the oldest story, a month's, shows it
		}
		rel := fmt.Sprintf("stories/2023/06/p%d.md", n)
		write(t, filepath.Join(a.Root, "content", rel), fmt.Sprintf("---\ntitle: \"图片稿%d\"\ndate: 2023-06-0%dT08:00:00+08:00\nparams:\n  photos:\n  - src: \"%s\"\n    caption: \"图为现场。\"\n    credit: \"记者 张三 摄\"\n---\n正文。\n", n, n+1, src))
	}
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if a.hot["stories/2023/06/p0"] {
		t.Fatal("the oldest story is hot; the test proves nothing")
	}
	page, ok := liveFile(t, a, "stories/2023/06/p0/index.html")
	if !ok {
		t.Fatal("month story page missing")
	}
	srcs := regexp.MustCompile(`/media/[^" ,]+\.jpg`).FindAllString(page, -1)
	sized := 0
	for _, src := range srcs {
		if _, ok := liveFile(t, a, strings.TrimPrefix(src, "/")); !ok {
			t.Errorf("the month story's page shows %s, which is not in the tree", src)
		}
		if strings.Contains(src, "_hu") {
			sized++
		}
	}
	if sized == 0 {
		t.Fatalf("no sizes of the photo on the page: %v", srcs)
	}
	// The hot part's render does not copy the library's pictures that the
	// tree has: their cost would grow with the library.
	out, err := a.renderBatch(ctx, a.Current(), hotPart, true, nil, nil, nil, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range out.fs.names() {
		if strings.HasSuffix(name, "old.jpg") {
			t.Errorf("the hot part's render copied %s, which the tree has", name)
		}
	}
	rel := termStory(t, a, 9, "要闻", "新标签", "新记者")
	if _, err := a.Publish(ctx, []string{rel}, nil); err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "media/2023/06/old.jpg", "")
}
