package main

import (
	"context"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"newsroom/internal/content"
	"newsroom/internal/epaper"
)

// demoPage is how the demo paper's page 1 of 2023-06-08 is laid out: each
// story's file and its box on the printed page (percent), the 头条 first.
var demoPage = []struct {
	file       string
	x, y, w, h float64
}{
	{"stories/2023/06/yijianshi-yicibang.md", 3, 9, 94, 27},
	{"stories/2023/06/wenhua-qiangguo-gaofeng-luntan.md", 3, 37, 46, 30},
	{"stories/2023/06/gaokao-shouri.md", 51, 37, 46, 14},
	{"stories/2023/06/zhangguangyong-xunshi-gaokao.md", 51, 52, 46, 15},
	{"stories/2023/06/zhongyang-fangzai-jianzai.md", 3, 68, 46, 29},
	{"stories/2023/06/fangshan-yifeng-yisu.md", 51, 68, 46, 11},
	{"stories/2023/06/zhiye-jiankang-chuanbo-zuopin.md", 51, 80, 46, 8},
	{"notices/2023/06/yingshang-huanjing-jiandu-zhuanxian.md", 51, 89, 46, 8},
}

// TestWriteDemoEPaperPage makes the demo paper's printed page 1 of
// 2023-06-08 from the demo's own stories: it lays them out as a page,
// prints it with Chromium, and keeps the PDF, the screen image and the
// areas found in it under epaper/ (committed), as an editor's upload
// would. It runs only when asked: NEWSROOM_WRITE_DEMO_EPAPER=1.
func TestWriteDemoEPaperPage(t *testing.T) {
	if os.Getenv("NEWSROOM_WRITE_DEMO_EPAPER") == "" {
		t.Skip("set NEWSROOM_WRITE_DEMO_EPAPER=1 to write the demo's e-paper page")
	}
	chromium := findChromium()
	if chromium == "" {
		t.Fatal("Chromium is needed")
	}
	root := filepath.Join("..", "..")
	dir := content.Dir{Root: filepath.Join(root, "content")}
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><style>
@page { size: 297mm 420mm; margin: 0 }
html, body { margin: 0; width: 297mm; height: 420mm; position: relative; font-family: "Noto Serif CJK SC", serif; color: #111 }
.mast { position: absolute; left: 3%; top: 1.5%; width: 94%; height: 6.5%; border-bottom: 1.2mm solid #b00; display: flex; justify-content: space-between; align-items: end }
.mast b { font-size: 17mm; color: #b00; letter-spacing: 2mm }
.mast span { font-size: 4mm; padding-bottom: 1mm }
.s { position: absolute; overflow: hidden; box-sizing: border-box; padding: 1mm; border-top: .3mm solid #999 }
.k, .sub { font-size: 4.2mm; margin: 0 0 1mm }
h1 { font-size: 7.5mm; margin: 0 0 1.5mm; line-height: 1.2 }
.lead h1 { font-size: 11mm }
.by { font-size: 3.4mm; margin: 0 0 1mm }
.cols { columns: 2; column-gap: 4mm }
.lead .cols { columns: 4 }
p { font-size: 3.4mm; line-height: 1.55; margin: 0; text-indent: 2em; text-align: justify }
.photo { height: 22mm; background: #ddd; margin-bottom: 1mm }
</style><body><div class="mast"><b>吕梁日报</b><span>2023年6月8日 星期四　第01版　要闻　（演示版）</span></div>`)
	var stories []epaper.Story
	for i, p := range demoPage {
		it, err := dir.Read(p.file)
		if err != nil {
			t.Fatal(err)
		}
		s := it.Story
		class := "s"
		if i == 0 {
			class += " lead"
		}
		fmt.Fprintf(&b, `<div class="%s" style="left:%g%%;top:%g%%;width:%g%%;height:%g%%">`, class, p.x, p.y, p.w, p.h)
		if s.Kicker != "" {
			fmt.Fprintf(&b, `<p class="k">%s</p>`, html.EscapeString(s.Kicker))
		}
		fmt.Fprintf(&b, "<h1>%s</h1>", html.EscapeString(s.Title))
		if s.Subtitle != "" {
			fmt.Fprintf(&b, `<p class="sub">——%s</p>`, html.EscapeString(s.Subtitle))
		}
		if len(s.Photos) > 0 {
			b.WriteString(`<div class="photo"></div>`)
		}
		fmt.Fprintf(&b, `<p class="by">%s%s</p><div class="cols">`, html.EscapeString(s.Source), html.EscapeString(strings.Join(s.Authors, " ")))
		text := s.Body
		if len(s.Photos) > 0 {
			text = s.Photos[0].Caption + "\n\n" + text
		}
		for _, para := range strings.Split(text, "\n\n") {
			fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(para))
		}
		b.WriteString("</div></div>")
		body := s.Body
		if len(s.Photos) > 0 {
			body = s.Photos[0].Caption + "\n\n" + body
		}
		stories = append(stories, epaper.Story{Ref: epaper.Ref{File: p.file}, Kicker: s.Kicker, Title: s.Title, Subtitle: s.Subtitle, Body: body})
	}
	b.WriteString("</body></html>")
	tmp := t.TempDir()
	in, out := filepath.Join(tmp, "page.html"), filepath.Join(tmp, "page.pdf")
	os.WriteFile(in, []byte(b.String()), 0o600)
	if msg, err := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+in).CombinedOutput(); err != nil {
		t.Fatalf("print: %v\n%s", err, msg)
	}
	pdf, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	img, w, h, err := epaper.Screen(ctx, pdf, epaper.KindPDF)
	if err != nil {
		t.Fatal(err)
	}
	areas, err := epaper.FindAreas(ctx, pdf, stories)
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != len(demoPage) {
		t.Fatalf("found %d areas of %d stories: %+v", len(areas), len(demoPage), areas)
	}
	rec := epaper.Dir(filepath.Join(root, "epaper"))
	if err := rec.WriteFile(rec.PDFFile("2023-06-08", 1), pdf); err != nil {
		t.Fatal(err)
	}
	if err := rec.WriteFile(rec.ImageFile("2023-06-08", 1), img); err != nil {
		t.Fatal(err)
	}
	page := epaper.Page{Date: "2023-06-08", Number: 1, Name: "要闻", Image: true, Width: w, Height: h, PDF: true,
		Areas: areas, Order: []epaper.Ref{{File: demoPage[0].file}}}
	if err := rec.Write(page); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d areas, image %dx%d (%d bytes), PDF %d bytes", len(areas), w, h, len(img), len(pdf))
}
