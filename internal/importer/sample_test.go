package importer

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func parseSample(t *testing.T) ([]Item, Report) {
	t.Helper()
	b, err := os.ReadFile("testdata/sample_page.txt")
	if err != nil {
		t.Fatal(err)
	}
	items, rep, err := Parse(string(b), Options{Date: "2023-06-08", Page: 1, PageName: "要闻"})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return items, rep
}

// findItem returns the item whose body contains needle.
func findItem(t *testing.T, items []Item, needle string) Item {
	t.Helper()
	var found []Item
	for _, it := range items {
		if strings.Contains(it.Body, needle) || strings.Contains(it.Caption, needle) {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want exactly one item containing %q, got %d", needle, len(found))
	}
	return found[0]
}

type wantItem struct {
	needle                  string // a phrase of the body that identifies the item
	kind                    string
	kicker, title, subtitle string
	authors, bylines        []string
	source                  string
	vertical                bool
	credit                  string
}

func checkItem(t *testing.T, it Item, w wantItem) {
	t.Helper()
	if it.Kind != w.kind {
		t.Errorf("%s: kind = %q, want %q", w.needle, it.Kind, w.kind)
	}
	if it.Kicker != w.kicker || it.Title != w.title || it.Subtitle != w.subtitle {
		t.Errorf("%s: headline = [%q | %q | %q], want [%q | %q | %q]", w.needle, it.Kicker, it.Title, it.Subtitle, w.kicker, w.title, w.subtitle)
	}
	if w.authors == nil {
		w.authors = []string{}
	}
	if w.bylines == nil {
		w.bylines = []string{}
	}
	if !reflect.DeepEqual(it.Authors, w.authors) {
		t.Errorf("%s: authors = %q, want %q", w.needle, it.Authors, w.authors)
	}
	if !reflect.DeepEqual(it.Bylines, w.bylines) {
		t.Errorf("%s: bylines = %q, want %q", w.needle, it.Bylines, w.bylines)
	}
	if it.Source != w.source {
		t.Errorf("%s: source = %q, want %q", w.needle, it.Source, w.source)
	}
	if it.Vertical != w.vertical {
		t.Errorf("%s: vertical = %v, want %v", w.needle, it.Vertical, w.vertical)
	}
	if it.Credit != w.credit {
		t.Errorf("%s: credit = %q, want %q", w.needle, it.Credit, w.credit)
	}
}

var cjkSpaceRe = regexp.MustCompile(`[\p{Han}，。、；：！？“”（）《》] +[\p{Han}，。、；：！？“”（）《》]`)

// checkBody asserts the cleaning rules every body must satisfy.
func checkBody(t *testing.T, it Item) {
	t.Helper()
	for _, s := range []string{it.Body, it.Caption} {
		if m := cjkSpaceRe.FindString(s); m != "" {
			t.Errorf("%q: space between CJK characters: %q", it.Title, m)
		}
		for _, para := range strings.Split(s, "\n\n") {
			if strings.Contains(para, "\n") {
				t.Errorf("%q: line break inside paragraph %q", it.Title, snippet(para, 30))
			}
			if strings.TrimSpace(para) != para || para == "" && s != "" {
				t.Errorf("%q: untrimmed or empty paragraph %q", it.Title, para)
			}
		}
	}
}

func TestSamplePage(t *testing.T) {
	items, rep := parseSample(t)
	wants := []wantItem{
		{needle: "一件事一次办", kind: KindStory,
			title: "“一件事一次办”集成改革全省领跑", subtitle: "我市198个“套餐”打造集成服务改革“吕梁样板”",
			authors: []string{"张娟娟"}, bylines: []string{"记者 张娟娟"}, source: "本报讯"},
		{needle: "投诉举报监督专线", kind: KindNotice,
			title: "吕梁市纪委监委关于开设营商环境投诉举报监督专线的公告"},
		{needle: "首届文化强国建设高峰论坛", kind: KindStory,
			kicker: "习近平致信祝贺首届文化强国建设高峰论坛开幕强调",
			title:  "更好担负起新的文化使命 为强国建设民族复兴注入强大精神力量",
			source: "新华社深圳6月7日电"},
		{needle: "高考第一天", kind: KindStory, title: "张广勇在市区巡视检查高考工作", vertical: true,
			authors: []string{"刘子璇"}, bylines: []string{"记者 刘子璇"}, source: "本报讯"},
		{needle: "考生走出考场", kind: KindPhoto, title: "高考首日", vertical: true,
			authors: []string{"刘亮亮"}, bylines: []string{"记者 刘亮亮 摄"}, credit: "记者 刘亮亮 摄"},
		{needle: "职业健康传播作品", kind: KindStory, title: "我市在国家、省职业健康传播作品征集活动中获得优异成绩",
			authors: []string{"冯凯治"}, bylines: []string{"记者 冯凯治"}, source: "本报讯"},
		{needle: "伞头秧歌", kind: KindStory, title: "方山县：多彩活动进乡村 移风易俗倡新风",
			authors: []string{"肖继旺", "王泽利", "王乾宇"}, bylines: []string{"肖继旺 王泽利 王乾宇"}, source: "本报讯"},
		{needle: "中阳县", kind: KindStory, kicker: "“严”字当头“防”字为先“宣”字为要",
			title:   "中阳县筑牢防灾减灾防线 护航高质量发展行稳致远",
			authors: []string{"高茜"}, bylines: []string{"记者 高茜"}, source: "本报讯"},
	}
	if len(items) != len(wants) {
		for _, it := range items {
			t.Logf("item %s %q: %s", it.Kind, it.Title, snippet(it.Body, 30))
		}
		t.Fatalf("got %d items, want %d", len(items), len(wants))
	}
	for _, w := range wants {
		it := findItem(t, items, w.needle)
		checkItem(t, it, w)
		checkBody(t, it)
		if it.Date != "2023-06-08" || it.Page != 1 || it.PageName != "要闻" {
			t.Errorf("%s: options not copied: %q %d %q", w.needle, it.Date, it.Page, it.PageName)
		}
		if strings.Contains(it.Body, it.Title) && it.Title != "" && len([]rune(it.Title)) > 8 {
			t.Errorf("%s: headline %q leaked into the body", w.needle, it.Title)
		}
	}

	// story 1: numbers stay with their units, artefacts are gone
	s1 := findItem(t, items, "一件事一次办")
	for _, want := range []string{"198个“一件事”", "6省20市172县", "发展工程、民心工程，也是一项系统工程", "将办理时限从51天压缩至15天。"} {
		if !strings.Contains(s1.Body, want) {
			t.Errorf("story 1 body lacks %q", want)
		}
	}
	if !strings.HasPrefix(s1.Body, "政务服务，是评价营商环境") {
		t.Errorf("story 1 body should start after the byline: %q", snippet(s1.Body, 20))
	}
	if strings.Contains(s1.Body, "倡导移风易俗倡导移风易俗") {
		t.Error("doubled banner leaked into a body")
	}
	if n := len(strings.Split(s1.Body, "\n\n")); n != 5 {
		t.Errorf("story 1 has %d paragraphs, want 5", n)
	}

	// the notice
	n := findItem(t, items, "投诉举报监督专线")
	if n.Notice == nil {
		t.Fatal("notice has no Notice")
	}
	wantNotice := &Notice{
		Issuers:  []string{"中共吕梁市纪律检查委员会", "吕梁市监察委员会"},
		IssuedOn: "2023-05-08",
		Phones:   []string{"0358-8253111", "0358-8223111", "12345"},
		Emails:   []string{"llstszx@163.com"},
	}
	if !reflect.DeepEqual(n.Notice, wantNotice) {
		t.Errorf("notice = %+v, want %+v", n.Notice, wantNotice)
	}
	for _, want := range []string{"0358-8253111和0358-8223111", "llstszx@163.com。", "每天24小时全天候受理。"} {
		if !strings.Contains(n.Body, want) {
			t.Errorf("notice body lacks %q: %s", want, n.Body)
		}
	}
	if strings.Contains(n.Body, "监察委员会") || strings.Contains(n.Body, "2023年5月8日") {
		t.Error("notice signature leaked into the body")
	}

	// the photo
	ph := findItem(t, items, "考生走出考场")
	if !strings.HasPrefix(ph.Caption, "6月7日，2023年全国高考拉开帷幕。") || !strings.HasSuffix(ph.Caption, "图为离石区朝阳小学考点，考生走出考场。") {
		t.Errorf("photo caption = %q", ph.Caption)
	}
	if ph.Body != "" {
		t.Errorf("photo caption is also its body: %q", ph.Body)
	}

	// the Xinhua story
	x := findItem(t, items, "首届文化强国建设高峰论坛")
	if !strings.HasPrefix(x.Body, "首届文化强国建设高峰论坛7日下午在深圳开幕。") {
		t.Errorf("xinhua body = %q", snippet(x.Body, 30))
	}

	// trailing byline is not left in the body
	fs := findItem(t, items, "伞头秧歌")
	if strings.Contains(fs.Body, "肖继旺") || !strings.HasSuffix(fs.Body, "开花结果。") {
		t.Errorf("方山 body end = %q", fs.Body[len(fs.Body)-30:])
	}

	if !reflect.DeepEqual(rep.Dropped, []string{`doubled banner "倡导移风易俗 弘扬文明新风" (printed as "倡导移风易俗倡导移风易俗 弘扬文明新风弘扬文明新风")`}) {
		t.Errorf("Dropped = %q", rep.Dropped)
	}
	if rep.Items != len(items) {
		t.Errorf("Report.Items = %d, want %d", rep.Items, len(items))
	}
	if len(rep.Uncertain) != 0 {
		t.Errorf("sample page should be fully recognised, uncertain: %q", rep.Uncertain)
	}
}

// TestSampleNothingLost checks that every ideograph of the page ends up in
// an item or the report (headlines, bodies, bylines, signatures, banner).
func TestSampleNothingLost(t *testing.T) {
	b, _ := os.ReadFile("testdata/sample_page.txt")
	items, rep := parseSample(t)
	var got strings.Builder
	for _, it := range items {
		got.WriteString(it.Kicker + it.Title + it.Subtitle + it.Source + strings.Join(it.Bylines, "") + it.Body + it.Caption + it.Credit)
		if it.Notice != nil {
			got.WriteString(strings.Join(it.Notice.Issuers, "") + "年月日") // IssuedOn is ISO
		}
	}
	got.WriteString(strings.Join(rep.Dropped, "") + strings.Join(rep.Uncertain, ""))
	have := map[rune]int{}
	for _, r := range hanOnly(got.String()) {
		have[r]++
	}
	want := map[rune]int{}
	for _, r := range hanOnly(string(b)) {
		want[r]++
	}
	for r, n := range want {
		if have[r] < n {
			t.Errorf("character %q occurs %d times on the page but %d times in the result", r, n, have[r])
		}
	}
}

func TestParseRejectsUnusableInput(t *testing.T) {
	for name, in := range map[string]string{
		"empty":   "  \n\n ",
		"binary":  "\x00\x01\x02PDF\xff\xfe",
		"english": "This page is in English only.\nNothing to see here.",
	} {
		if _, _, err := Parse(in, Options{}); err == nil {
			t.Errorf("%s: Parse accepted unusable input", name)
		}
	}
}
