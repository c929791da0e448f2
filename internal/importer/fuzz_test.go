package importer

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics and keeps its invariants on
// arbitrary (mutated) page text.
func FuzzParse(f *testing.F) {
	b, _ := os.ReadFile("testdata/sample_page.txt")
	f.Add(string(b))
	f.Add("记者 刘亮亮 摄\n2023年5月8日\n（张三 李四）\n高\n考\n首\n日\n")
	f.Add("只有一个标题\n")
	f.Add("本报讯 （记者 张三\n通讯员 李四） 正文第一句。\n")
	f.Fuzz(func(t *testing.T, text string) {
		items, rep, err := Parse(text, Options{Date: "2023-06-08", Page: 2})
		if err != nil {
			return
		}
		if rep.Items != len(items) {
			t.Fatalf("Report.Items = %d, len(items) = %d", rep.Items, len(items))
		}
		for _, it := range items {
			if it.Kind != KindStory && it.Kind != KindPhoto && it.Kind != KindNotice {
				t.Fatalf("bad kind %q", it.Kind)
			}
			if !utf8.ValidString(it.Body) || strings.Contains(it.Body, "\n\n\n") {
				t.Fatalf("bad body %q", it.Body)
			}
			if (it.Kind == KindNotice) != (it.Notice != nil) {
				t.Fatalf("notice field mismatch for kind %q", it.Kind)
			}
		}
	})
}

func TestEdgePages(t *testing.T) {
	// a page of headlines only: nothing to attach them to, but nothing lost
	items, rep, err := Parse("我市召开经济工作会议\n全力推动高质量发展\n", Options{})
	if err != nil || len(items) != 0 || len(rep.Uncertain) == 0 || !strings.Contains(strings.Join(rep.Uncertain, ""), "我市召开经济工作会议") {
		t.Errorf("headline-only page: items=%v uncertain=%q err=%v", items, rep.Uncertain, err)
	}
	// body text without any headline becomes an untitled item, reported
	items, rep, err = Parse("今年以来，我市持续推动集成服务改革，凝聚共识，协同发力。\n", Options{})
	if err != nil || len(items) != 1 || items[0].Title != "" || len(rep.Uncertain) != 1 || !strings.Contains(rep.Uncertain[0], "no headline") {
		t.Errorf("untitled text: items=%v uncertain=%q err=%v", items, rep.Uncertain, err)
	}
	// a continuation note is removed from the body and reported
	items, rep, _ = Parse("本报讯 （记者 张三） 会议指出，要抓好落实。（下转第2版）\n", Options{})
	if len(items) != 1 || strings.Contains(items[0].Body, "下转") || !strings.Contains(strings.Join(rep.Uncertain, ""), "第2版") {
		t.Errorf("jump note: items=%+v uncertain=%q", items, rep.Uncertain)
	}
}

// FuzzDecode checks that Decode never panics, returns valid UTF-8 and
// names the encoding it used whenever it succeeds.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("本报讯 正文。\n"), "")
	f.Add([]byte{0xB1, 0xBE, 0xB1, 0xA8, 0xD1, 0xB6, 0x0A}, "") // 本报讯 in GBK
	f.Add([]byte{0xFF, 0xFE, 0x2C, 0x67, 0xA5, 0x62}, "")
	f.Add([]byte{0x81, 0x30, 0x81, 0x30}, "gb18030")
	f.Add([]byte("abc"), "big5")
	f.Fuzz(func(t *testing.T, b []byte, enc string) {
		text, used, err := Decode(b, enc)
		if err != nil {
			return
		}
		if used == "" || !utf8.ValidString(text) {
			t.Fatalf("Decode(%q, %q) = %q, %q", b, enc, text, used)
		}
	})
}
