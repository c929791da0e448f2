package content

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"newsroom/internal/news"
)

func sample() news.Story {
	return news.Story{
		ID: 7, Kind: news.KindStory, Kicker: "引题", Title: "高考首日：考生走出考场", Subtitle: "副题",
		Authors: []string{"记者 刘子璇", "通讯员 王明"}, Source: "本报讯", Section: "要闻",
		Tags: []string{"高考"}, Edition: "2023-06-08", Page: 1, PageName: "要闻",
		Body:   "第一段，含 *星号* 与 <b>标签</b>。\n\n# 不是标题\n\n1. 不是列表\n\n- 也不是",
		Photos: []news.Photo{{Src: "/images/x.svg", Caption: "图为考点", Credit: "记者 刘亮亮 摄", Placeholder: true}},
	}
}

func TestMarshalParseRoundTrip(t *testing.T) {
	s := sample()
	pub := time.Date(2023, 6, 8, 6, 30, 0, 0, news.Shanghai)
	data, err := Marshal(s, pub)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "date: 2023-06-08T06:30:00+08:00") {
		t.Errorf("date must be written with +08:00:\n%s", data)
	}
	rel := RelPath(s.Kind, pub, "20230608-abcdef")
	if rel != "stories/2023/06/20230608-abcdef.md" {
		t.Fatalf("RelPath = %s", rel)
	}
	it, err := Parse(rel, data)
	if err != nil {
		t.Fatal(err)
	}
	got := it.Story
	if got.URL != "/stories/2023/06/20230608-abcdef/" {
		t.Errorf("URL = %s", got.URL)
	}
	if got.Body != s.Body {
		t.Errorf("body changed:\n got %q\nwant %q", got.Body, s.Body)
	}
	for _, f := range []struct{ got, want any }{
		{got.Title, s.Title}, {got.Kicker, s.Kicker}, {got.Subtitle, s.Subtitle}, {got.Authors, s.Authors},
		{got.Section, s.Section}, {got.Tags, s.Tags}, {got.Photos, s.Photos}, {got.Edition, s.Edition}, {got.Page, s.Page},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("got %v, want %v", f.got, f.want)
		}
	}
	if !reflect.DeepEqual(it.Front.Authors, []string{"刘子璇", "王明"}) {
		t.Errorf("authors taxonomy = %v", it.Front.Authors)
	}
	// The Markdown must not turn text into headings or lists.
	body := string(data[strings.LastIndex(string(data), "\n---\n"):])
	for _, bad := range []string{"\n# ", "\n1. ", "\n- ", "<b>"} {
		if strings.Contains(body, bad) {
			t.Errorf("unescaped %q in file:\n%s", bad, data)
		}
	}
}

func TestDirWriteWalk(t *testing.T) {
	d := Dir{Root: t.TempDir()}
	pub := time.Date(2023, 6, 8, 6, 30, 0, 0, news.Shanghai)
	data, _ := Marshal(sample(), pub)
	if err := d.Write("stories/2023/06/a.md", data); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(d.Root, "stories/2023/06/broken.md"), []byte("no front matter"), 0o644)
	if err := d.Write("../escape.md", data); err == nil {
		t.Error("a path outside content/ must be refused")
	}
	var seen, broken []string
	err := d.Walk(func(it Item) error { seen = append(seen, it.Path); return nil },
		func(rel string, err error) { broken = append(broken, rel) })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(seen, []string{"stories/2023/06/a.md"}) || !reflect.DeepEqual(broken, []string{"stories/2023/06/broken.md"}) {
		t.Errorf("walk saw %v, broken %v", seen, broken)
	}
	entries, _ := os.ReadDir(filepath.Join(d.Root, "stories/2023/06"))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	if err := d.Remove("stories/2023/06/a.md"); err != nil {
		t.Fatal(err)
	}
	if err := d.Remove("stories/2023/06/a.md"); err != nil {
		t.Errorf("removing a missing file: %v", err)
	}
}
