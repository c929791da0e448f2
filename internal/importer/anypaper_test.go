package importer

import (
	"reflect"
	"strings"
	"testing"
)

// Pages of another paper, in text written for these tests: datelines with
// full-width digits, bylines alone on a line, a lead after a byline, a
// bracketed byline of bare names at the end.

func TestFullWidthDateline(t *testing.T) {
	page := strings.Join([]string{
		"本报北京１月６日讯记者周明远报道：",
		"全国春运工作会议今天召开，会议要求",
		"各地铁路部门做好旅客运输组织工作。",
		"春运工作会议召开",
		"新华社上海十二月三十一日电上海港今年",
		"集装箱吞吐量突破三百万标准箱，创下历史",
		"新高，港区作业效率继续提升。",
		"上海港吞吐量创新高",
	}, "\n")
	items, _, err := Parse(page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2: %+v", len(items), items)
	}
	if items[0].Source != "本报北京１月６日讯" || items[0].Title != "春运工作会议召开" {
		t.Errorf("item 1: source %q title %q", items[0].Source, items[0].Title)
	}
	if items[1].Source != "新华社上海十二月三十一日电" || items[1].Title != "上海港吞吐量创新高" {
		t.Errorf("item 2: source %q title %q", items[1].Source, items[1].Title)
	}
}

func TestBylineAloneOnALine(t *testing.T) {
	page := strings.Join([]string{
		"乡村小学的新课堂",
		"本报记者林晓东",
		"清晨七点，乡村小学的新教室里已经",
		"响起了读书声。今年秋季开学以来，",
		"县里为这所学校配齐了多媒体设备。",
		"老师们说，孩子们学习的劲头更足了。",
	}, "\n")
	items, rep, err := Parse(page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("got %d items: %+v (uncertain %q)", len(items), items, rep.Uncertain)
	}
	it := items[0]
	if it.Title != "乡村小学的新课堂" || !reflect.DeepEqual(it.Authors, []string{"林晓东"}) || !reflect.DeepEqual(it.Bylines, []string{"本报记者 林晓东"}) {
		t.Errorf("title %q authors %q bylines %q", it.Title, it.Authors, it.Bylines)
	}
	if strings.Contains(it.Body, "林晓东") || !strings.HasPrefix(it.Body, "清晨七点") {
		t.Errorf("body %q", it.Body)
	}
}

func TestLeadAfterByline(t *testing.T) {
	// a byline line, then the dateline: one story, not two
	page := strings.Join([]string{
		"本报记者 郑秋实",
		"本报杭州３月２日讯 西湖边的茶园里，",
		"采茶工人开始了今年的第一轮采摘。",
		"据介绍，今年春茶预计增产一成。",
		"西湖春茶开采",
	}, "\n")
	items, _, err := Parse(page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 {
		t.Fatalf("got %d items: %+v", len(items), items)
	}
	it := items[0]
	if it.Source != "本报杭州３月２日讯" || it.Title != "西湖春茶开采" || !reflect.DeepEqual(it.Authors, []string{"郑秋实"}) {
		t.Errorf("source %q title %q authors %q", it.Source, it.Title, it.Authors)
	}
}

func TestBracketedWordsAreNoByline(t *testing.T) {
	// （传真照片） and （附图片） are notes, not people
	for _, s := range []string{"传真照片", "附图片", "未完待续"} {
		if _, _, ok := parseNames(s, false); ok {
			t.Errorf("%q read as names", s)
		}
	}
	for _, s := range []string{"荣光大", "肖继旺 王泽利 王乾宇", "欧阳明"} {
		if _, names, ok := parseNames(s, false); !ok || len(names) != len(strings.Fields(s)) {
			t.Errorf("%q: names %q ok %v", s, names, ok)
		}
	}
}

// parseN parses page and returns its items, failing unless there are n.
func parseN(t *testing.T, page string, n int) []Item {
	t.Helper()
	items, rep, err := Parse(page, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != n {
		for _, it := range items {
			t.Logf("[%s|%s|%s] by=%q %s", it.Kicker, it.Title, it.Subtitle, it.Bylines, snippet(it.Body, 30))
		}
		t.Fatalf("got %d items, want %d (uncertain %q)", len(items), n, rep.Uncertain)
	}
	return items
}

func TestHeadlineBrokenAtTheColumnWidth(t *testing.T) {
	// a column of 12: each headline is broken where its line was full,
	// with one character left over, or a second line that looks like a
	// name (a family name and two characters)
	var lines []string
	for _, st := range []struct{ body, title string }{
		{"本报讯新建的跨江大桥今天上午正式通车，两岸居民往来的时间从一小时缩短到十分钟，沿江的交通压力明显减轻。", "市里第一座跨江公路大桥建成通"},
		{"本报讯全市中小学今天开学，新学期各校共招收新生两万多人，新建的三所学校也同时投入使用。", "全市中小学开学新建三所学校启用"},
		{"本报讯市气象台今天发布消息，本周全市以晴好天气为主，气温逐步回升，适宜市民外出踏青赏花。", "本周全市以晴好天气为主气温回升"},
	} {
		lines = append(lines, breakRunes(st.body, 12, 12)...)
		lines = append(lines, breakRunes(st.title, 12, 12)...)
	}
	items := parseN(t, strings.Join(lines, "\n"), 3)
	for i, want := range []string{"市里第一座跨江公路大桥建成通", "全市中小学开学新建三所学校启用", "本周全市以晴好天气为主气温回升"} {
		if items[i].Title != want || items[i].Subtitle != "" || len(items[i].Bylines) != 0 {
			t.Errorf("item %d: [%s|%s] bylines %q, want title %q", i+1, items[i].Title, items[i].Subtitle, items[i].Bylines, want)
		}
	}
}

func TestNamesUnderAHeadlineAreTheByline(t *testing.T) {
	page := strings.Join([]string{
		"城南老街换新颜",
		"孙立新周海燕",
		"走进城南老街，青石板路修葺一新，",
		"两旁的老店铺重新开张，游人络绎不",
		"绝。街道负责人介绍，改造保留了老",
		"街的原貌。",
	}, "\n")
	it := parseN(t, page, 1)[0]
	if it.Title != "城南老街换新颜" || it.Subtitle != "" || len(it.Bylines) != 1 || it.Bylines[0] != "孙立新周海燕" {
		t.Errorf("title %q subtitle %q bylines %q", it.Title, it.Subtitle, it.Bylines)
	}
	if !strings.HasPrefix(it.Body, "走进城南老街") {
		t.Errorf("body %q", it.Body)
	}
}

func TestSubheadsInsideAStory(t *testing.T) {
	// a ——line and a numbered line after body text are subheads of the
	// text, not the headline of another story
	page := strings.Join([]string{
		"农村公路建设提速",
		"本报讯 今年全县新修农村公路一百二",
		"十公里，通村公路实现全覆盖。",
		"——建管并重",
		"公路修好以后，县里组建了养护队伍，",
		"每条路都有专人负责。",
		"二、资金来源",
		"建设资金由省里补助和县里配套解决。",
	}, "\n")
	it := parseN(t, page, 1)[0]
	if it.Title != "农村公路建设提速" || !strings.Contains(it.Body, "建管并重") || !strings.Contains(it.Body, "二、资金来源") {
		t.Errorf("title %q body %q", it.Title, it.Body)
	}
}

func TestPhotoHeadlineAndBrokenTrailer(t *testing.T) {
	page := strings.Join([]string{
		"本报讯 市图书馆新馆今天开放，藏书",
		"一百二十万册，每天开放十二小时。（孙",
		"明远）",
		"图书馆新馆开放",
		"冬日暖阳下，市民在广场上晒太阳、下",
		"棋，享受悠闲时光。",
		"冬日暖阳（图片）",
	}, "\n")
	items := parseN(t, page, 2)
	if items[0].Title != "图书馆新馆开放" || !reflect.DeepEqual(items[0].Authors, []string{"孙明远"}) || strings.Contains(items[0].Body, "孙") {
		t.Errorf("story: title %q authors %q body %q", items[0].Title, items[0].Authors, items[0].Body)
	}
	if items[1].Title != "冬日暖阳（图片）" || !strings.HasPrefix(items[1].Body+items[1].Caption, "冬日暖阳下") {
		t.Errorf("photo: title %q text %q", items[1].Title, items[1].Body+items[1].Caption)
	}
}

func TestReportedSpeechIsNoDateline(t *testing.T) {
	// 据外电报道， opens a sentence; 据新华社报道， and 据新华社电 are datelines
	if findLead("据外电报道，日本央行今天宣布") != nil {
		t.Error("据外电报道， read as a dateline")
	}
	for _, s := range []string{"据新华社报道，国家统计局今天发布", "据新华社北京１月５日电国务院", "据法新社报道日本央行"} {
		if findLead(s) == nil {
			t.Errorf("%q: no dateline", s)
		}
	}
}

func TestRoundupUnderOneHeadline(t *testing.T) {
	// two wire reports under one headline that names both are one story;
	// an untitled brief after it, which shares no words with the headline,
	// stays an item of its own
	page := strings.Join([]string{
		"江城港开通欧洲航线江城港货运量创新高",
		"新华社江城１月５日电（记者 周明）江城",
		"港今天开通第一条直达欧洲的集装箱航",
		"线，每周一班，货物二十天可到欧洲。",
		"新华社江城１月６日电（记者 周明）江城",
		"港去年货运量首次突破一亿吨，比上年增",
		"长百分之十二，创历史新高。",
		"本报讯 市民政局今天起为全市八十岁",
		"以上老人发放高龄补贴，每人每月一百",
		"元，直接打到老人的银行卡上。",
	}, "\n")
	items := parseN(t, page, 2)
	if items[0].Title != "江城港开通欧洲航线江城港货运量创新高" || !strings.Contains(items[0].Body, "货运量首次突破一亿吨") ||
		!strings.Contains(items[0].Body, "新华社江城１月６日电") || items[0].Source != "新华社江城１月５日电" {
		t.Errorf("round-up: title %q source %q body %q", items[0].Title, items[0].Source, items[0].Body)
	}
	if items[1].Title != "" || !strings.HasPrefix(items[1].Body, "市民政局") {
		t.Errorf("brief: title %q body %q", items[1].Title, items[1].Body)
	}
}

func TestHeadlineWithAComma(t *testing.T) {
	// a short line with a comma, alone between a text's end and the next
	// story's byline, is that story's headline (printed after it)
	page := strings.Join([]string{
		"周明",
		"城南的老茶馆开了三十年，老板还是当",
		"年那个爱说笑的小伙子，只是头发白了。",
		"每天早上六点，茶馆准时开门，老街坊",
		"们一边喝茶一边聊天，直到中午才散。",
		"老茶馆，新故事",
		"李红",
		"今年春天，城北新开了一家书店，店面",
		"不大，却总是坐满了看书的年轻人。书",
		"店老板说，他想给城北留一个安静的地",
		"方，让大家有个读书的去处。",
		"城北有了新书店",
	}, "\n")
	items := parseN(t, page, 2)
	if items[0].Title != "老茶馆，新故事" || strings.Contains(items[0].Body, "新故事") {
		t.Errorf("title %q body %q", items[0].Title, items[0].Body)
	}
}

func TestNotesSideBySide(t *testing.T) {
	// a credit and a source note on one line sign the photo before them;
	// the headline after them is the next story's, not the caption's rest
	page := strings.Join([]string{
		"雪后初晴（图片）",
		"昨天一场大雪过后，城东公园银装素裹，",
		"不少市民带着孩子来公园堆雪人。",
		"（记者 王晓明 摄）（新华社稿）",
		"市区道路全部恢复通行",
		"本报讯 记者从市交警支队获悉，截至今天",
		"上午，市区主要道路积雪已全部清除。",
	}, "\n")
	items := parseN(t, page, 2)
	if items[0].Kind != KindPhoto || items[0].Source != "新华社稿" || strings.Contains(items[0].Caption, "恢复通行") {
		t.Errorf("photo: kind %s source %q caption %q", items[0].Kind, items[0].Source, items[0].Caption)
	}
	if items[1].Title != "市区道路全部恢复通行" {
		t.Errorf("story: title %q", items[1].Title)
	}
	if findLead("新华社通讯员孙海新华社记者李清") != nil || findLead("本报通讯员王明") != nil {
		t.Error("a correspondent's byline read as a dateline")
	}
}

func TestNumberedPhotoCollection(t *testing.T) {
	// 图片新闻: numbered captions, each signed, under one headline are one
	// item; each caption's credit stays in the text where it was printed
	page := strings.Join([]string{
		"图片新闻",
		"１、城东公园的梅花开了，吸引不少市民",
		"前来赏花拍照。",
		"（本报记者王晓明摄）",
		"２、江边的候鸟越来越多，观鸟爱好者",
		"在这里一待就是一整天。",
		"（本报记者李红摄）",
		"市区道路全部恢复通行",
		"本报讯 记者从市交警支队获悉，截至今天",
		"上午，市区主要道路积雪已全部清除。",
	}, "\n")
	items := parseN(t, page, 2)
	it := items[0]
	text := it.Body + it.Caption
	if it.Title != "图片新闻" || !strings.Contains(text, "梅花") || !strings.Contains(text, "候鸟") || !strings.Contains(text, "王晓明") ||
		strings.Index(text, "王晓明") > strings.Index(text, "候鸟") {
		t.Errorf("collection: title %q text %q bylines %q", it.Title, text, it.Bylines)
	}
	if items[1].Title != "市区道路全部恢复通行" {
		t.Errorf("story: title %q", items[1].Title)
	}
}
