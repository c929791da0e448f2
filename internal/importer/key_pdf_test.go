package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyStable(t *testing.T) {
	items, _ := parseSample(t)
	again, _ := parseSample(t)
	seen := map[string]bool{}
	for i, it := range items {
		k := Key(it)
		if len(k) != 64 {
			t.Fatalf("key %q is not a hex sha256", k)
		}
		if k != Key(again[i]) {
			t.Errorf("importing the same page twice gives different keys for %q", it.Title)
		}
		if seen[k] {
			t.Errorf("two items of the page share key %s", k)
		}
		seen[k] = true
	}

	base := Item{Kind: KindStory, Date: "2023-06-08", Page: 1, Title: "方山县：多彩活动进乡村 移风易俗倡新风", Body: "“移风易俗要常动——旗帜鲜明，文明新风要弘扬——身体力行，宣传活动到基层——受人欢迎……”脍炙人口的伞头秧歌表演赢得了现场观众的阵阵掌声。"}
	// same story, different spacing/punctuation of the extraction → same key
	same := base
	same.Title = "方山县:多彩活动进乡村移风易俗倡新风"
	same.Body = "“移风易俗要常动—— 旗帜鲜明， 文明新风要弘扬 —— 身体力行，宣传活动到基层——受人欢迎……”脍炙人口的伞头秧歌表演赢得了现场观众" + strings.Repeat("后文不同", 30)
	same.Authors = []string{"肖继旺"}
	if Key(base) != Key(same) {
		t.Error("key depends on spacing, punctuation or text after the first 50 characters")
	}
	for name, mod := range map[string]func(*Item){
		"date":  func(it *Item) { it.Date = "2023-06-09" },
		"page":  func(it *Item) { it.Page = 2 },
		"title": func(it *Item) { it.Title = "另一个标题" },
		"body":  func(it *Item) { it.Body = "完全不同的正文" },
		"kind":  func(it *Item) { it.Kind = KindPhoto },
	} {
		other := base
		mod(&other)
		if Key(other) == Key(base) {
			t.Errorf("changing the %s does not change the key", name)
		}
	}
}

func TestExtractPDFMissingTool(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // an empty directory: no pdftotext
	_, err := ExtractPDF(context.Background(), "page.pdf")
	if !errors.Is(err, ErrNoPdftotext) {
		t.Fatalf("err = %v, want ErrNoPdftotext", err)
	}
	if !strings.Contains(err.Error(), "poppler-utils") {
		t.Errorf("error does not say what to install: %v", err)
	}
}

// minimalPDF writes a one-page PDF showing the given ASCII lines.
func minimalPDF(lines ...string) []byte {
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&content, "(%s) Tj T*\n", l)
	}
	content.WriteString("ET\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
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

func TestExtractPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(path, minimalPDF("Lvliang Daily page 1", "Second line 2023"), 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := ExtractPDF(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Lvliang Daily page 1") || !strings.Contains(text, "Second line 2023") {
		t.Errorf("extracted text = %q", text)
	}
	if _, err := ExtractPDF(context.Background(), filepath.Join(dir, "missing.pdf")); err == nil {
		t.Error("no error for a missing file")
	}
}
