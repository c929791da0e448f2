package site

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
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

// TestPublishDoesNotWaitForPhotoSizes: a story published while the sizes of
// its photo, just uploaded, are being made (MakeSizes) goes live showing
// the picture itself, with its width and height, and its render makes no
// size (Hugo's image cache has none of it afterwards); once the sizes are
// made, the hot part is rendered again and the page and the lists show
// them, as a page published after the upload's MakeSizes shows them.
func TestPublishDoesNotWaitForPhotoSizes(t *testing.T) {
	ctx := context.Background()
	a := termsArchive(t, 5)
	termStory(t, a, 1, "本地", "标签", "记者")
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 1300, 900))
	for y := range 900 {
		for x := range 1300 {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y / 3), 40, 255})
		}
	}
	var pic bytes.Buffer
	jpeg.Encode(&pic, img, nil)
	src := "/media/2023/06/new.jpg"
	write(t, filepath.Join(a.Root, "static", src), pic.String())
	rel := "stories/2023/06/photo.md"
	write(t, filepath.Join(a.Root, "content", rel), "---\ntitle: \"图片稿\"\ndate: 2023-06-29T08:00:00+08:00\ncolumns: [\"本地\"]\nparams:\n  photos:\n  - src: \""+src+
		"\"\n    caption: \"图为现场。\"\n    credit: \"记者 张三 摄\"\n---\n正文。\n\n![文中图](/media/2023/06/new.jpg \"文中图说\")\n")
	sizesMade := func() []string {
		made, _ := filepath.Glob(filepath.Join(a.Root, "resources", "_gen", "images", "media", "2023", "06", "new_hu*"))
		return made
	}

	// The upload's MakeSizes is at work (its sizes are not made yet).
	a.withLock(func() { a.sizes.making = map[string]int{src: 1} })
	if _, err := a.Publish(ctx, []string{rel}, nil); err != nil {
		t.Fatal(err)
	}
	page, _ := liveFile(t, a, "stories/2023/06/photo/index.html")
	if !strings.Contains(page, `<img src="`+src+`" width="1300" height="900" alt="图为现场。"`) ||
		!strings.Contains(page, `<img class="text-photo" src="`+src+`" width="1300" height="900"`) || strings.Contains(page, "new_hu") {
		t.Fatalf("published while its sizes are made, the page does not show the picture itself:\n%s", page)
	}
	mustLive(t, a, "index.html", `<img class="is-pending" src="`+src+`" width="240" height="160"`)
	mustLive(t, a, strings.TrimPrefix(src, "/"), "")
	if made := sizesMade(); len(made) > 0 {
		t.Fatalf("the publish made sizes of a picture whose sizes were being made: %v", made)
	}

	// The sizes are made: the hot part renders again, with them.
	a.withLock(func() { a.sizes.making = nil })
	if err := a.MakeSizes(ctx, src); err != nil {
		t.Fatal(err)
	}
	if made := sizesMade(); len(made) < 8 {
		t.Fatalf("MakeSizes made %d sizes (JPEG and WebP of three widths, two crops): %v", len(made), made)
	}
	page, _ = liveFile(t, a, "stories/2023/06/photo/index.html")
	set := regexp.MustCompile(`/media/2023/06/new_hu[^" ,]+`).FindAllString(page, -1)
	if len(set) < 6 || !strings.Contains(page, `<source type="image/webp" srcset="`) || !strings.Contains(page, `width="1300" height="900"`) {
		t.Fatalf("after MakeSizes, the page does not show the sizes:\n%s", page)
	}
	for _, s := range set {
		mustLive(t, a, strings.TrimPrefix(s, "/"), "")
	}
	home, _ := liveFile(t, a, "index.html")
	if strings.Contains(home, "is-pending") || !regexp.MustCompile(`<img src="/media/2023/06/new_hu[^"]+" srcset="[^"]+ 1x, [^"]+ 2x" width="240" height="160"`).MatchString(home) {
		t.Fatalf("after MakeSizes, the home page's list does not show the photo's crop")
	}
	a.withLock(func() {
		if len(a.sizes.making) != 0 || len(a.sizes.shown) != 0 {
			t.Errorf("MakeSizes left state: %+v", a.sizes)
		}
	})

	// A picture whose sizes MakeSizes made before any page showed it: the
	// publish of a photo story (a gallery, and a card on the home page)
	// makes none, they are all in the cache.
	second := "/media/2023/06/second.jpg"
	pic.Reset()
	img.SetRGBA(0, 0, color.RGBA{1, 2, 3, 255})
	jpeg.Encode(&pic, img, nil)
	write(t, filepath.Join(a.Root, "static", second), pic.String())
	if err := a.MakeSizes(ctx, second); err != nil {
		t.Fatal(err)
	}
	secondSizes := func() int {
		made, _ := filepath.Glob(filepath.Join(a.Root, "resources", "_gen", "images", "media", "2023", "06", "second_hu*"))
		return len(made)
	}
	before := secondSizes()
	gallery := "stories/2023/06/gallery.md"
	write(t, filepath.Join(a.Root, "content", gallery), "---\ntitle: \"图集\"\ndate: 2023-06-29T09:00:00+08:00\ncolumns: [\"本地\"]\nparams:\n  kind: photo\n  photos:\n  - src: \""+second+
		"\"\n    caption: \"图一。\"\n  - src: \""+src+"\"\n    caption: \"图二。\"\n---\n![文中图](/media/2023/06/second.jpg)\n")
	if _, err := a.Publish(ctx, []string{gallery}, nil); err != nil {
		t.Fatal(err)
	}
	if after := secondSizes(); after != before {
		t.Errorf("a publish after MakeSizes made %d more sizes (of %d): the upload's pass misses some the theme shows", after-before, before)
	}
	mustLive(t, a, "stories/2023/06/gallery/index.html", "/media/2023/06/second_hu")
	mustLive(t, a, "index.html", `<a class="photo-card" href="/stories/2023/06/gallery/"><span class="photo-frame"><img src="/media/2023/06/second_hu`)
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
