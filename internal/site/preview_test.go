package site

import (
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPreviewPhotos renders a photo story (图片新闻) with two photos from the
// media library in the demo site's own theme: responsive sizes made by Hugo
// (srcset, WebP beside JPEG, width and height), the gallery, and og:image
// and JSON-LD image pointing to the lead photo.
func TestPreviewPhotos(t *testing.T) {
	if testing.Short() {
		t.Skip("renders photos with Hugo")
	}
	root := t.TempDir()
	repo := filepath.Join("..", "..")
	for _, dir := range []string{"themes", "content", "static"} {
		if err := os.CopyFS(filepath.Join(root, dir), os.DirFS(filepath.Join(repo, dir))); err != nil {
			t.Fatal(err)
		}
	}
	conf, err := os.ReadFile(filepath.Join(repo, "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "hugo.toml"), string(conf))
	img := image.NewRGBA(image.Rect(0, 0, 600, 360))
	for y := 0; y < 360; y++ {
		for x := 0; x < 600; x++ {
			img.Set(x, y, color.RGBA{uint8(x / 4), uint8(y / 3), 90, 255})
		}
	}
	for _, name := range []string{"lead.jpg", "second.jpg"} {
		p := filepath.Join(root, "static", "media", "2026", "12", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		jpeg.Encode(f, img, nil)
		f.Close()
	}
	story := `---
title: "预览测试：城市书房开门迎客"
date: 2026-12-07T10:00:00+08:00
columns: ["本地"]
tags: ["城市书房"]
authors: ["示例"]
params:
  id: 5
  kind: photo
  source: "本报讯"
  bylines: ["记者 示例"]
  photos:
    - src: "/media/2026/12/lead.jpg"
      media: 1
      caption: "图为城市书房内景。"
      credit: "记者 示例 摄"
      alt: "书架之间的阅览桌"
    - src: "/media/2026/12/second.jpg"
      media: 2
      caption: "读者在自助机上借书。"
      credit: "记者 示例 摄"
---
城市书房开门迎客。
`
	a := &Archive{Root: root, Data: filepath.Join(root, ".newsroom")}
	p, err := a.Preview(context.Background(), "stories/2026/12/preview-test.md", []byte(story))
	if err != nil {
		t.Fatal(err)
	}
	page := string(p.HTML)
	for _, want := range []string{
		"<h1", "预览测试：城市书房开门迎客", `class="gallery"`, "1/2", "记者 示例 摄", `alt="书架之间的阅览桌"`,
		`width="600" height="360"`, `type="image/webp"`, " 480w", " 600w",
		`og:image" content="/media/2026/12/lead.jpg"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	ld := regexp.MustCompile(`"image":\s*\[?"([^"]+)"`).FindStringSubmatch(page)
	if ld == nil || ld[1] != "/media/2026/12/lead.jpg" {
		t.Errorf("JSON-LD image %v, want the lead photo", ld)
	}
	webp := 0
	for url := range p.Files {
		if strings.HasSuffix(url, ".webp") {
			webp++
		}
	}
	if webp < 4 {
		t.Errorf("%d WebP sizes made, want at least 4 (two photos, two sizes each)", webp)
	}
	for _, m := range regexp.MustCompile(`srcset="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		for _, c := range strings.Split(m[1], ", ") {
			url := strings.Fields(c)[0]
			if _, ok := p.Files[url]; !ok && !strings.HasSuffix(url, "/lead.jpg") && !strings.HasSuffix(url, "/second.jpg") {
				t.Errorf("srcset names %s, which the preview did not make", url)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(root, "content", "stories", "2026")); err == nil {
		t.Error("the preview wrote into the content folder")
	}
}
