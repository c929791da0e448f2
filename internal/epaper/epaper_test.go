package epaper

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// chromium finds the browser the tests print PDFs with; without it the
// tests skip (and fail under CI, which installs it).
func chromium(t *testing.T) string {
	t.Helper()
	if c := os.Getenv("CHROMIUM"); c != "" {
		return c
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is needed to print the test page")
	}
	t.Skip("no Chromium to print the test page")
	return ""
}

// printPDF prints an HTML page to PDF with headless Chromium, as the
// 登报证明 are printed (internal/web).
func printPDF(t *testing.T, html string) []byte {
	t.Helper()
	bin := chromium(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "page.html"), filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(in, []byte(html), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+in)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("print to PDF: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// testStory is a story of the test page with where it is printed, in
// percent of the page.
type testStory struct {
	Story
	x, y, w, h float64
}

// testPage lays stories out as a printed page: each in its own box, its
// headline set large over its text in columns.
func testPage(stories []testStory) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><style>
@page { size: 297mm 420mm; margin: 0 }
html, body { margin: 0; width: 297mm; height: 420mm; position: relative; font-family: "Noto Serif CJK SC", serif }
.s { position: absolute; overflow: hidden; box-sizing: border-box; padding: 1mm }
h1 { font-size: 9mm; margin: 0 0 2mm; line-height: 1.2 }
h2 { font-size: 5mm; margin: 0 0 2mm; font-weight: normal }
p { font-size: 3.6mm; line-height: 1.5; margin: 0; text-indent: 2em; text-align: justify }
.cols { columns: 2; column-gap: 4mm }
</style><body>`)
	for _, s := range stories {
		fmt.Fprintf(&b, `<div class="s" style="left:%g%%;top:%g%%;width:%g%%;height:%g%%">`, s.x, s.y, s.w, s.h)
		if s.Kicker != "" {
			fmt.Fprintf(&b, "<h2>%s</h2>", s.Kicker)
		}
		fmt.Fprintf(&b, "<h1>%s</h1>", s.Title)
		if s.Subtitle != "" {
			fmt.Fprintf(&b, "<h2>——%s</h2>", s.Subtitle)
		}
		b.WriteString(`<div class="cols">`)
		for _, p := range strings.Split(s.Body, "\n\n") {
			fmt.Fprintf(&b, "<p>%s</p>", p)
		}
		b.WriteString("</div></div>")
	}
	b.WriteString("</body></html>")
	return b.String()
}

// The stories of the test page: text written for this test.
var pageStories = []testStory{
	{Story{Ref: Ref{Story: 11, File: "stories/2023/06/a.md"}, Kicker: "多措并举优化服务", Title: "市政务大厅推出周末延时办理",
		Body: "本报讯　为方便上班族办事，市政务服务大厅自本月起在每周六上午开设延时窗口，社保、医保、不动产登记等四十余项业务均可办理。\n\n据介绍，延时窗口开放首周共接待群众三百余人次，办结率达到百分之九十八。工作人员表示，下一步将根据群众需求增加可办事项，并通过线上预约减少排队时间。\n\n不少前来办事的市民说，周末办事不用再请假，省时又省心。"},
		2, 2, 96, 30},
	{Story{Ref: Ref{Story: 12, File: "stories/2023/06/b.md"}, Title: "汾河岸边新添三处口袋公园",
		Body: "本报讯　近日，汾河沿岸三处口袋公园建成开放，园内设置健身步道、儿童游乐区和休憩座椅，周边居民步行五分钟即可到达。\n\n园林部门负责人介绍，三处公园利用闲置边角地块改造而成，种植乡土树种二十余种，兼顾雨水收集与生态涵养。"},
		2, 34, 46, 30},
	{Story{Ref: Ref{Story: 13, File: "stories/2023/06/c.md"}, Title: "乡村少年足球联赛鸣哨开赛", Subtitle: "二十四支队伍参赛",
		Body: "本报讯　首届乡村少年足球联赛日前在县体育场开幕，来自各乡镇的二十四支少年球队将在两个月内进行一百余场比赛。\n\n赛事组委会表示，联赛旨在让更多农村孩子接触足球、爱上运动，比赛期间还将邀请专业教练为基层体育教师开展培训。"},
		52, 34, 46, 30},
	{Story{Ref: Ref{Story: 14, File: "stories/2023/06/d.md"}, Title: "老旧小区加装电梯进展顺利",
		Body: "本报讯　今年以来，我市老旧小区加装电梯工作稳步推进，已有六十八部电梯完成安装并投入使用，另有四十部正在施工。\n\n住建部门通过简化审批流程、提供财政补贴等方式，调动居民积极性。家住五楼的王大爷说，装了电梯，下楼遛弯方便多了。"},
		2, 66, 96, 32},
}

func pageStoriesOnly() []Story {
	var out []Story
	for _, s := range pageStories {
		out = append(out, s.Story)
	}
	return out
}

// A PDF of a printed page: its screen image is made, and each story's
// area is found where it was printed, from the PDF's text alone.
func TestPDFPageGetsImageAndAreas(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	pdf := printPDF(t, testPage(pageStories))
	ctx := context.Background()
	k, err := Sniff(pdf)
	if err != nil || k != KindPDF {
		t.Fatalf("sniff: %v %v", k, err)
	}
	img, w, h, err := Screen(ctx, pdf, k)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(img)); err != nil || cfg.Width != w || cfg.Height != h || w != screenWidth {
		t.Fatalf("screen image %dx%d (%v), said %dx%d", cfg.Width, cfg.Height, err, w, h)
	}
	if r := float64(h) / float64(w); r < 1.38 || r > 1.45 {
		t.Errorf("screen image %dx%d is not the page's shape (297×420)", w, h)
	}
	areas, err := FindAreas(ctx, pdf, pageStoriesOnly())
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != len(pageStories) {
		t.Fatalf("found %d areas, want %d: %+v", len(areas), len(pageStories), areas)
	}
	for _, a := range areas {
		var want testStory
		for _, s := range pageStories {
			if s.Ref == a.Ref {
				want = s
			}
		}
		if !a.Valid() {
			t.Errorf("story %d: invalid area %+v", a.Story, a)
		}
		// Inside the story's box, and covering most of its text.
		if a.X < want.x-1 || a.Y < want.y-1 || a.X+a.W > want.x+want.w+1 || a.Y+a.H > want.y+want.h+1 {
			t.Errorf("story %d: area %+v is outside its box %+v", a.Story, a, want)
		}
		if a.W < want.w*0.8 || a.Y > want.y+2 {
			t.Errorf("story %d: area %+v covers too little of its box %+v", a.Story, a, want)
		}
	}
	// A story not on the page gets no area; an image has no text to tell.
	other := Story{Ref: Ref{Story: 99}, Title: "与本版无关的稿件", Body: "这一篇稿件的文字没有印在这个版面上。"}
	areas, err = FindAreas(ctx, pdf, append(pageStoriesOnly(), other))
	if err != nil || len(areas) != len(pageStories) {
		t.Errorf("with a story from elsewhere: %d areas, %v", len(areas), err)
	}
}

// Uploads are judged by their content, with Chinese errors.
func TestSniffAndBadUploads(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty": nil, "text": []byte("这不是图片"), "gif": []byte("GIF89a......"), "exe": []byte("MZ\x90\x00"),
	} {
		if _, err := Sniff(data); err == nil || !strings.ContainsAny(err.Error(), "文件图片") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, _, err := Screen(context.Background(), []byte("%PDF-1.4 broken"), KindPDF); err == nil || !strings.Contains(err.Error(), "PDF 无法读取") {
		if _, lerr := exec.LookPath("pdftoppm"); lerr == nil {
			t.Errorf("broken PDF: %v", err)
		}
	}
	if _, _, _, err := Screen(context.Background(), []byte("\xff\xd8\xff\xe0 broken"), KindJPEG); err == nil || !strings.Contains(err.Error(), "图片已损坏") {
		t.Errorf("broken JPEG: %v", err)
	}
}

// A page's record is written whole and read back; a page without one is
// empty, and a bad date or number names no page.
func TestPageRecord(t *testing.T) {
	d := Dir(t.TempDir())
	p, err := d.Read("2023-06-08", 1)
	if err != nil || p.Image || len(p.Areas) != 0 || p.Areas == nil {
		t.Fatalf("empty page: %+v %v", p, err)
	}
	p.Name, p.Image, p.Width, p.Height = "要闻", true, 1400, 1980
	p.Areas = []Area{{Ref: Ref{Story: 3, File: "stories/2023/06/x.md"}, X: 1, Y: 2, W: 50, H: 30}}
	p.Order = []Ref{{Story: 3, File: "stories/2023/06/x.md"}}
	if err := d.Write(p); err != nil {
		t.Fatal(err)
	}
	got, err := d.Read("2023-06-08", 1)
	if err != nil || got.Name != "要闻" || len(got.Areas) != 1 || got.Areas[0].File != "stories/2023/06/x.md" || got.Order[0].Story != 3 {
		t.Fatalf("read back %+v %v", got, err)
	}
	if got.Label() != "第01版：要闻" || URL("2023-06-08", 1) != "/edition/2023-06-08/01/" {
		t.Errorf("label %q", got.Label())
	}
	for _, bad := range []struct {
		date string
		n    int
	}{{"2023-6-8", 1}, {"2023-02-30", 1}, {"2023-06-08", 0}, {"2023-06-08", 1000}} {
		if _, err := d.Read(bad.date, bad.n); err != ErrBadPage {
			t.Errorf("%v: %v", bad, err)
		}
	}
	if (Area{X: 60, Y: 0, W: 50, H: 10}).Valid() || (Area{X: 0, Y: 0, W: 0, H: 10}).Valid() || !(Area{X: 50, Y: 50, W: 50, H: 50}).Valid() {
		t.Error("area validity")
	}
}
