package importer

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// pdfRun is a line of text set at a position (points from the bottom left)
// in a font size.
type pdfRun struct {
	x, y, size float64
	text       string
}

// cjkPDF writes a one-page PDF of Chinese text: a Type0 font with
// Identity-H encoding whose codes are the characters' Unicode values, a
// ToUnicode map for the text extraction, and no embedded glyphs (nothing
// needs to draw it). Every character is one em wide.
func cjkPDF(runs []pdfRun) []byte {
	used := map[rune]bool{}
	var c strings.Builder
	for _, r := range runs {
		fmt.Fprintf(&c, "BT /F1 %g Tf %g %g Td <", r.size, r.x, r.y)
		for _, ch := range r.text {
			fmt.Fprintf(&c, "%04X", ch)
			used[ch] = true
		}
		c.WriteString("> Tj ET\n")
	}
	var rs []int
	for r := range used {
		rs = append(rs, int(r))
	}
	sort.Ints(rs)
	var cm strings.Builder
	cm.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(rs); i += 100 {
		j := min(i+100, len(rs))
		fmt.Fprintf(&cm, "%d beginbfchar\n", j-i)
		for _, r := range rs[i:j] {
			fmt.Fprintf(&cm, "<%04X> <%04X>\n", r, r)
		}
		cm.WriteString("endbfchar\n")
	}
	cm.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", c.Len(), c.String()),
		"<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 /CIDToGIDMap /Identity >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", cm.Len(), cm.String()),
		"<< /Type /FontDescriptor /FontName /TestSong /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

// column sets a story in a column from the top at y: its headline lines
// (each with its size) and its paragraphs broken at w characters in 10 pt,
// the first line of each indented by two characters. It returns the runs
// and the y below them.
func column(x, y float64, w int, heads []pdfRun, paras []string) ([]pdfRun, float64) {
	var out []pdfRun
	for _, h := range heads {
		y -= h.size * 1.4
		out = append(out, pdfRun{x: x, y: y, size: h.size, text: h.text})
	}
	y -= 6
	for _, p := range paras {
		rs := []rune(p)
		first := true
		for len(rs) > 0 {
			n, dx := w, 0.0
			if first {
				n, dx = w-2, 20
			}
			n = min(n, len(rs))
			for n < len(rs) && strings.ContainsRune("，。、；：！？”）", rs[n]) {
				n++
			}
			y -= 13
			out = append(out, pdfRun{x: x + dx, y: y, size: 10, text: string(rs[:n])})
			rs = rs[n:]
			first = false
		}
	}
	return out, y - 10
}

// A headline set larger than its body is known as a headline from the PDF's
// font sizes, where the text alone cannot tell: a subhead in the body's
// size is a paragraph of its story (not a headline splitting it), a
// headline with a comma is still a headline, and 引题 / 主题 / 副题 are told
// apart by their sizes.
func TestExtractPDFTextHeadlinesBySize(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	var runs []pdfRun
	r, y := column(60, 760, 15, []pdfRun{{size: 20, text: "江城大桥今天通车"}}, []string{
		"本报讯（记者 王明）今天上午，江城大桥正式通车，全长一千二百米，双向六车道，从江南到江北只要五分钟。",
		"大桥从前年春天开工，建设者们冒着酷暑严寒，在江上奋战了七百多个日夜，比计划提前三个月完工。",
		"桥上风光",
		"站在桥上向东望去，江面开阔，货船往来，两岸的新楼一座连着一座，不少市民专程赶来拍照留念。",
		"交通部门提醒，通车初期车流较大，请司机朋友注意安全，服从交警指挥。",
	})
	runs = append(runs, r...)
	r, _ = column(60, y, 15, []pdfRun{{size: 20, text: "夜市重开，市民称便"}}, []string{
		"本报讯 停业整修两个月的城南夜市昨晚重新开放，一百多个摊位整齐排列，吃的用的应有尽有。",
		"摊主李大姐说，新的摊位有水有电，收拾起来方便多了，生意也比以前好。",
	})
	runs = append(runs, r...)
	r, _ = column(330, 760, 15, []pdfRun{
		{size: 13, text: "市政府召开专题会议强调"},
		{size: 20, text: "冬季供暖要让群众满意"},
		{size: 13, text: "——今年新增供暖面积三百万平方米"},
	}, []string{
		"本报讯 市政府昨天召开冬季供暖专题会议，要求各供热单位提前做好准备，确保居民家中温度达标。",
		"会议指出，今年全市新增供暖面积三百万平方米，老旧管网改造已经全部完成。",
		"热线电话",
		"居民家中温度不达标的，可以拨打供暖热线反映，供热单位要在二十四小时内上门处理。",
	})
	runs = append(runs, r...)
	path := filepath.Join(t.TempDir(), "page.pdf")
	if err := os.WriteFile(path, cjkPDF(runs), 0o644); err != nil {
		t.Fatal(err)
	}
	pt, err := ExtractPDFText(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(pt.Text, "\n"); len(pt.Sizes) != n {
		t.Fatalf("%d sizes for %d lines", len(pt.Sizes), n)
	}
	items, rep, err := Parse(pt.Text, Options{Sizes: pt.Sizes})
	if err != nil {
		t.Fatal(err)
	}
	type want struct{ kicker, title, subtitle, in, notIn string }
	wants := []want{
		{"", "江城大桥今天通车", "", "桥上风光", ""},
		{"", "夜市重开，市民称便", "", "摊主李大姐说", "桥上风光"},
		{"市政府召开专题会议强调", "冬季供暖要让群众满意", "——今年新增供暖面积三百万平方米", "热线电话", ""},
	}
	if len(items) != len(wants) {
		for _, it := range items {
			t.Logf("[%s|%s|%s] %s", it.Kicker, it.Title, it.Subtitle, snippet(it.Body, 40))
		}
		t.Fatalf("%d items, want %d (uncertain: %q)", len(items), len(wants), rep.Uncertain)
	}
	for i, w := range wants {
		it := items[i]
		if it.Kicker != w.kicker || it.Title != w.title || it.Subtitle != w.subtitle {
			t.Errorf("item %d: headline [%s|%s|%s], want [%s|%s|%s]", i, it.Kicker, it.Title, it.Subtitle, w.kicker, w.title, w.subtitle)
		}
		if !strings.Contains(it.Body, w.in) || w.notIn != "" && strings.Contains(it.Body, w.notIn) {
			t.Errorf("item %d 「%s」: body %q should hold %q (and not %q)", i, it.Title, it.Body, w.in, w.notIn)
		}
	}
	// without the sizes, the same text is read as before (the text stream)
	if text, err := ExtractPDF(context.Background(), path); err != nil || text != pt.Text {
		t.Errorf("ExtractPDF and ExtractPDFText give different text (%v)", err)
	}
}
