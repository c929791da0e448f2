package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// themeRoot writes a site folder with the newsroom's own hugo.toml and
// theme and the home and stories list pages, and returns it.
func themeRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "themes"), os.DirFS(filepath.Join("..", "..", "themes"))); err != nil {
		t.Fatal(err)
	}
	conf, err := os.ReadFile(filepath.Join("..", "..", "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "hugo.toml"), string(conf))
	write(t, filepath.Join(root, "content/_index.md"), "---\ntitle: 首页\n---\n")
	write(t, filepath.Join(root, "content/stories/_index.md"), "---\ntitle: 新闻\n---\n")
	return root
}

// TestRelatedStories builds stories with the newsroom's own hugo.toml and
// theme: a story's 相关报道 lists the stories sharing a tag, those that
// also share an author first, and never a story that shares only its
// column (a column is a sixth of the paper, not a topic).
func TestRelatedStories(t *testing.T) {
	root := themeRoot(t)
	story := func(slug, title, date, column, tag, author string) {
		fm := "---\ntitle: " + title + "\ndate: " + date + "T08:00:00+08:00\ncolumns: [" + column + "]\nauthors: [" + author + "]\n"
		if tag != "" {
			fm += "tags: [" + tag + "]\n"
		}
		write(t, filepath.Join(root, "content/stories/2023/06", slug+".md"), fm+"---\n"+title+"的正文。\n")
	}
	story("a", "岚县新建学校开学", "2023-06-05", "本地", "岚县", "张三")
	story("same-author", "岚县学校扩建", "2023-06-01", "教育", "岚县", "张三")
	story("same-column", "岚县道路通车", "2023-06-02", "本地", "岚县", "李四")
	story("column-only", "离石区菜市场开业", "2023-06-04", "本地", "", "张三")
	out := filepath.Join(t.TempDir(), "public")
	if _, err := buildHugo(context.Background(), root, out, nil, nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, "stories/2023/06/a/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	i := strings.Index(page, "相关报道")
	if i < 0 {
		t.Fatalf("no 相关报道 on the story page:\n%s", page)
	}
	related := page[i:]
	author, column := strings.Index(related, "岚县学校扩建"), strings.Index(related, "岚县道路通车")
	if author < 0 || column < 0 {
		t.Fatalf("related stories miss a story sharing the tag:\n%s", related)
	}
	if author > column {
		t.Errorf("a story sharing tag and author must come before one sharing tag and column:\n%s", related)
	}
	if strings.Contains(related, "离石区菜市场开业") {
		t.Errorf("a story sharing only the column is listed as related:\n%s", related)
	}
}

// TestThemeHead builds a corrected story with the newsroom's theme and a
// public address: the page's machine-read URLs are absolute, its share
// image and the publisher's logo are the theme's defaults, a correction
// moves every modified date, and nothing invalid is in <head>.
func TestThemeHead(t *testing.T) {
	root := themeRoot(t)
	write(t, filepath.Join(root, "content/stories/2023/06/a.md"), "---\ntitle: 岚县新建学校开学\ndate: 2023-06-05T08:00:00+08:00\ncolumns: [本地]\n"+
		"params:\n  corrections:\n    - at: 2023-06-06T10:20:00+08:00\n      kind: 更正\n      note: 改正一处错字。\n---\n正文。\n")
	out := filepath.Join(t.TempDir(), "public")
	if _, err := buildHugo(context.Background(), root, out, map[string]any{"baseURL": "https://news.example.cn/"}, nil); err != nil {
		t.Fatal(err)
	}
	read := func(rel string) string {
		data, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	page := read("stories/2023/06/a/index.html")
	for _, want := range []string{
		`<link rel="canonical" href="https://news.example.cn/stories/2023/06/a/">`,
		`<meta property="og:url" content="https://news.example.cn/stories/2023/06/a/">`,
		`<meta property="og:image" content="https://news.example.cn/images/share.png">`,
		`<meta property="og:image:alt" content="`,
		`<meta property="article:modified_time" content="2023-06-06T10:20:00&#43;08:00">`,
		`"dateModified":"2023-06-06T10:20:00+08:00"`,
		`"upDate":"2023-06-06T10:20:00"`,
		`"image":["https://news.example.cn/images/share.png"]`,
		`"logo":{"@type":"ImageObject","height":60,"url":"https://news.example.cn/images/logo.png","width":600}`,
		`<html lang="zh-CN" itemscope itemtype="https://schema.org/WebPage">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("story page lacks %s", want)
		}
	}
	for _, bad := range []string{"http-equiv", "epaper"} {
		if strings.Contains(page, bad) {
			t.Errorf("story page has %q", bad)
		}
	}
	for _, img := range []string{"images/share.png", "images/logo.png"} {
		if _, err := os.Stat(filepath.Join(out, img)); err != nil {
			t.Errorf("%s not published: %v", img, err)
		}
	}
	if p := read("404.html"); strings.Contains(p, `rel="canonical"`) || strings.Contains(p, "og:url") {
		t.Error("the 404 page names an address of its own (canonical or og:url)")
	}
	robots := read("robots.txt")
	if !strings.Contains(robots, "Sitemap: https://news.example.cn/sitemap.xml") {
		t.Errorf("robots.txt:\n%s", robots)
	}
	feed := read("index.xml")
	for _, want := range []string{"<link>https://news.example.cn/stories/2023/06/a/</link>", `<guid isPermaLink="true">https://news.example.cn/stories/2023/06/a/</guid>`, `<atom:link href="https://news.example.cn/index.xml"`} {
		if !strings.Contains(feed, want) {
			t.Errorf("index.xml lacks %s", want)
		}
	}
}
