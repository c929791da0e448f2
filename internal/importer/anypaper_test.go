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
