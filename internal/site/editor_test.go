package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
)

// TestEditorLine builds two stories with the newsroom's theme: the one
// with a 责任编辑 ends with 【责任编辑：X】 after its text, the other has no
// such line.
func TestEditorLine(t *testing.T) {
	root := themeRoot(t)
	at := time.Date(2023, 6, 8, 8, 0, 0, 0, news.Shanghai)
	for slug, s := range map[string]news.Story{
		"with":    {ID: 1, Kind: news.KindStory, Title: "有责任编辑的稿件", Body: "第一段正文。", Section: "本地", Editor: "李编辑"},
		"without": {ID: 2, Kind: news.KindStory, Title: "没有责任编辑的稿件", Body: "第一段正文。", Section: "本地"},
	} {
		data, err := content.Marshal(s, at)
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "content", content.RelPath(s.Kind, at, slug)), string(data))
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := buildHugo(context.Background(), root, out, nil, nil); err != nil {
		t.Fatal(err)
	}
	read := func(slug string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out, strings.TrimPrefix(content.URLOf(content.RelPath(news.KindStory, at, slug)), "/"), "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	page := read("with")
	body, line := strings.Index(page, "第一段正文。"), strings.Index(page, "【责任编辑：李编辑】")
	if body < 0 || line < 0 || line < body {
		t.Fatalf("the story does not end with 【责任编辑：李编辑】 after its text:\n%s", page)
	}
	if strings.Contains(read("without"), "【责任编辑") {
		t.Fatal("a story without an editor shows a 责任编辑 line")
	}
}
