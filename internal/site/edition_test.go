package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsroom/internal/epaper"
)

// A story published into an e-paper edition is on that edition's page,
// and the calendar lists the edition, as soon as the publish returns:
// a new edition date's page exists then (no 404 while the calendar names
// it), and an older edition's page shows a story added to it. After the
// rollover, when the editions are no longer hot, their months own their
// pages again, and nothing went missing.
func TestPublishUpdatesItsEditionAtOnce(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	write(t, filepath.Join(a.Root, "layouts/edition/taxonomy.html"),
		`CAL{{ range site.Params.archive.calendar }}{{ range .days }}<{{ . }}>{{ end }}{{ end }}`)
	// An e-paper page: its stories (from the edition's term page), its
	// neighbours, its image and the editors' order, as staged.
	write(t, filepath.Join(a.Root, "layouts/edition/page.html"), `PAGE {{ .Params.epaper.date }}/{{ .Params.epaper.page }}`+
		` prev={{ .Params.epaper.prev_edition }} next={{ .Params.epaper.next_edition }} image={{ .Params.epaper.image }}`+
		` order={{ range .Params.epaper.order }}<{{ .file }}>{{ end }}`+
		`{{ $n := int .Params.epaper.page }}{{ with site.GetPage (printf "/edition/%s" .Params.epaper.date) }}`+
		`{{ range .Pages }}{{ if eq (int (.Params.page | default 0)) $n }}[{{ .Title }}]{{ end }}{{ end }}{{ end }}`)
	write(t, filepath.Join(a.Root, "content/stories/2023/05/p2.md"), "---\ntitle: 二版稿件\ndate: 2023-05-11T09:00:00+08:00\nparams:\n  edition: \"2023-05-11\"\n  page: 2\n---\n正文。\n")
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "edition/2023-05-11/index.html", "[稿件1]")
	mustLive(t, a, "edition/2023-05-11/02/index.html", "PAGE 2023-05-11/2 prev=2023-05-10 next=2023-05-12")
	mustLive(t, a, "edition/2023-05-11/02/index.html", "[二版稿件]")
	if page, _ := liveFile(t, a, "edition/2023-05-11/02/index.html"); strings.Contains(page, "[稿件1]") {
		t.Fatalf("page 2 lists a story of another page:\n%s", page)
	}
	// The month's sitemap lists the page after its edition.
	mustLive(t, a, "sitemaps/2023-05.xml", "<loc>/edition/2023-05-11/</loc><lastmod>2023-05-11T09:00:00+08:00</lastmod></url>\n  <url><loc>/edition/2023-05-11/02/</loc>")

	// A new edition date.
	rel := writeStory(t, a.Root, "stories", "2023-06-10", "fresh", "新一期头条")
	if _, err := a.Publish(ctx, []string{rel}, nil); err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "edition/2023-06-10/index.html", "[新一期头条]")
	mustLive(t, a, "edition/index.html", "&lt;2023-06-10>")

	// A story published into a page of an edition is on that page when
	// the publish returns; the edition before the new one links it as
	// 下一期 at once.
	onPage := "stories/2023/06/onpage.md"
	write(t, filepath.Join(a.Root, "content", onPage), "---\ntitle: 三版新稿\ndate: 2023-06-10T09:00:00+08:00\nparams:\n  edition: \"2023-06-10\"\n  page: 3\n---\n正文。\n")
	if _, err := a.Publish(ctx, []string{onPage}, nil); err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "edition/2023-06-10/03/index.html", "[三版新稿]")
	mustLive(t, a, "edition/2023-06-10/03/index.html", "prev=2023-06-09 next= ")

	// The page's record changes (an uploaded image, the editors' order):
	// the page shows it when PublishEditions returns.
	rec := epaper.Dir(filepath.Join(a.Root, "epaper"))
	if err := rec.WriteFile(rec.ImageFile("2023-06-10", 3), []byte("JPEG")); err != nil {
		t.Fatal(err)
	}
	if err := rec.Write(epaper.Page{Date: "2023-06-10", Number: 3, Image: true, Width: 10, Height: 14,
		Order: []epaper.Ref{{File: onPage}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.PublishEditions(ctx, "2023-06-10"); err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "edition/2023-06-10/03/index.html", "image=/edition/2023-06-10/03/page.jpg order=&lt;"+onPage+">")
	if img, err := os.ReadFile(filepath.Join(a.PublicLink(), "edition/2023-06-10/03/page.jpg")); err != nil || string(img) != "JPEG" {
		t.Fatalf("page image in the live tree: %q, %v", img, err)
	}

	// A story added to an edition of May, not among the newest.
	late := "stories/2023/05/late.md"
	write(t, filepath.Join(a.Root, "content", late), "---\ntitle: 补发稿件\ndate: 2023-05-11T09:00:00+08:00\nparams:\n  edition: \"2023-05-11\"\n---\n正文。\n")
	if _, err := a.Publish(ctx, []string{late}, nil); err != nil {
		t.Fatal(err)
	}
	page, _ := liveFile(t, a, "edition/2023-05-11/index.html")
	if !strings.Contains(page, "[补发稿件]") || !strings.Contains(page, "[稿件1]") {
		t.Fatalf("edition of 2023-05-11 after a story was added to it:\n%s", page)
	}
	mustLive(t, a, "edition/index.html", "&lt;2023-05-11>")

	// The story moves to another edition: it leaves the first one's page.
	write(t, filepath.Join(a.Root, "content", late), "---\ntitle: 补发稿件\ndate: 2023-05-11T09:00:00+08:00\nparams:\n  edition: \"2023-05-12\"\n---\n正文。\n")
	if _, err := a.Publish(ctx, []string{late}, nil); err != nil {
		t.Fatal(err)
	}
	page, _ = liveFile(t, a, "edition/2023-05-11/index.html")
	if strings.Contains(page, "[补发稿件]") || !strings.Contains(page, "[稿件1]") {
		t.Fatalf("edition of 2023-05-11 after its story moved to 2023-05-12:\n%s", page)
	}
	mustLive(t, a, "edition/2023-05-12/index.html", "[补发稿件]")

	// Rollover: the editions go back to their months, still whole.
	if err := a.Rollover(ctx); err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "edition/2023-05-12/index.html", "[补发稿件]")
	mustLive(t, a, "edition/2023-05-11/index.html", "[稿件1]")
	mustLive(t, a, "edition/2023-06-10/index.html", "[新一期头条]")
	mustLive(t, a, "edition/2023-06-10/03/index.html", "[三版新稿]")
	mustLive(t, a, "edition/2023-05-11/02/index.html", "[二版稿件]")
	if img, err := os.ReadFile(filepath.Join(a.PublicLink(), "edition/2023-06-10/03/page.jpg")); err != nil || string(img) != "JPEG" {
		t.Fatalf("page image after the rollover: %q, %v", img, err)
	}
	if _, ok := a.parts["2023-05"].Outputs["edition/2023-05-12/index.html"]; !ok {
		t.Fatal("the month does not own its edition's page after the rollover")
	}
	mustLive(t, a, "edition/index.html", "&lt;2023-05-12>")
}

// The first story of a new month: no page links the month's list before
// it exists, and it exists when the publish returns.
func TestFirstStoryOfAMonthLinksItsListWithItsPage(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	rel := writeStory(t, a.Root, "stories", "2023-07-01", "july", "七月第一篇")
	if _, err := a.Publish(ctx, []string{rel}, nil); err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "stories/2023/07/july/index.html", "七月第一篇")
	mustLive(t, a, "index.html", "&lt;2023-07:1>")
	mustLive(t, a, "stories/2023/07/index.html", "[七月第一篇]")
}

// An e-paper page's PDF is in the built tree beside the page
// (/edition/2023-05-11/02/page.pdf), so that a static deploy of the tree
// has it: after a full build, replaced by a publish of the edition, kept
// by the rollover, and gone when the page's PDF is.
func TestPagePDFIsInTheTree(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	write(t, filepath.Join(a.Root, "layouts/edition/page.html"), `PAGE {{ .Params.epaper.date }}/{{ .Params.epaper.page }} pdf={{ .Params.epaper.pdf }}`)
	write(t, filepath.Join(a.Root, "content/stories/2023/05/p2.md"), "---\ntitle: 二版稿件\ndate: 2023-05-11T09:00:00+08:00\nparams:\n  edition: \"2023-05-11\"\n  page: 2\n---\n正文。\n")
	rec := epaper.Dir(filepath.Join(a.Root, "epaper"))
	setPDF := func(data string) {
		t.Helper()
		if data == "" {
			os.Remove(rec.PDFFile("2023-05-11", 2))
		} else if err := rec.WriteFile(rec.PDFFile("2023-05-11", 2), []byte(data)); err != nil {
			t.Fatal(err)
		}
		if err := rec.Write(epaper.Page{Date: "2023-05-11", Number: 2, Name: "要闻", PDF: data != ""}); err != nil {
			t.Fatal(err)
		}
	}
	pdf := func() string {
		t.Helper()
		data, _ := liveFile(t, a, "edition/2023-05-11/02/page.pdf")
		return data
	}
	setPDF("%PDF-1.4 第一次上传的版面")
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "edition/2023-05-11/02/index.html", "pdf=/edition/2023-05-11/02/page.pdf")
	if got := pdf(); got != "%PDF-1.4 第一次上传的版面" {
		t.Fatalf("page.pdf after a full build: %q", got)
	}

	setPDF("%PDF-1.4 重新上传的版面，长一些")
	if _, err := a.PublishEditions(ctx, "2023-05-11"); err != nil {
		t.Fatal(err)
	}
	if got := pdf(); got != "%PDF-1.4 重新上传的版面，长一些" {
		t.Fatalf("page.pdf after a new upload: %q", got)
	}
	if err := a.Rollover(ctx); err != nil {
		t.Fatal(err)
	}
	if got := pdf(); got != "%PDF-1.4 重新上传的版面，长一些" {
		t.Fatalf("page.pdf after the rollover: %q", got)
	}
	if _, ok := a.parts["2023-05"].Outputs["edition/2023-05-11/02/page.pdf"]; !ok {
		t.Fatal("the month does not own its page's PDF after the rollover")
	}
	// A second full build into a new tree has it too.
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := pdf(); got != "%PDF-1.4 重新上传的版面，长一些" {
		t.Fatalf("page.pdf after a second full build: %q", got)
	}

	setPDF("")
	if _, err := a.PublishEditions(ctx, "2023-05-11"); err != nil {
		t.Fatal(err)
	}
	if _, ok := liveFile(t, a, "edition/2023-05-11/02/page.pdf"); ok {
		t.Fatal("page.pdf outlived the page's PDF")
	}
	if page, _ := liveFile(t, a, "edition/2023-05-11/02/index.html"); strings.Contains(page, "page.pdf") {
		t.Fatalf("the page links a PDF it no longer has:\n%s", page)
	}
	if err := a.Rollover(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := liveFile(t, a, "edition/2023-05-11/02/page.pdf"); ok {
		t.Fatal("page.pdf came back at the rollover")
	}
}

// A full build links each edition to the one before and after it
// (上一期/下一期) across months from the first build on, though it renders
// the months apart (one batch at a time here, newest first, so a month
// renders before the month before it is known): the edition dates are
// known before any month renders.
func TestFullBuildLinksEditionsAcrossMonths(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	a.BatchFiles, a.Workers = 1, 1
	write(t, filepath.Join(a.Root, "layouts/edition/page.html"), `PAGE {{ .Params.epaper.date }} prev={{ .Params.epaper.prev_edition }} next={{ .Params.epaper.next_edition }}.`)
	for _, d := range []string{"2023-05-12", "2023-06-07"} {
		write(t, filepath.Join(a.Root, "content/stories", d[:4], d[5:7], "p1-"+d+".md"),
			"---\ntitle: 一版稿件\ndate: "+d+"T09:00:00+08:00\nparams:\n  edition: \""+d+"\"\n  page: 1\n---\n正文。\n")
	}
	for i := range 2 {
		if _, err := a.BuildAll(ctx, nil); err != nil {
			t.Fatal(err)
		}
		mustLive(t, a, "edition/2023-06-07/01/index.html", "prev=2023-05-12 next=2023-06-08.")
		mustLive(t, a, "edition/2023-05-12/01/index.html", "prev=2023-05-11 next=2023-06-07.")
		if i == 0 {
			// The second build reads the dates from the first one's state.
			a.Now = func() time.Time { return time.Date(2023, 7, 1, 12, 0, 0, 0, time.UTC) }
		}
	}
}
