package importer

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// twoColumnPDF writes a one-page PDF with two columns of ASCII lines side
// by side, like a newspaper page set in columns.
func twoColumnPDF(left, right []string) []byte {
	var c strings.Builder
	for i, col := range [][]string{left, right} {
		fmt.Fprintf(&c, "BT /F1 11 Tf %d 720 Td 14 TL\n", 72+i*250)
		for _, l := range col {
			fmt.Fprintf(&c, "(%s) Tj T*\n", l)
		}
		c.WriteString("ET\n")
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", c.Len(), c.String()),
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

// A page set in columns must come out one column after the other, never
// with the lines of two columns side by side (what pdftotext -layout does).
func TestExtractPDFReadsColumnsInOrder(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	left := []string{"alpha one left column", "alpha two left column", "alpha three left column", "alpha four left column"}
	right := []string{"omega one right column", "omega two right column", "omega three right column", "omega four right column"}
	path := filepath.Join(t.TempDir(), "columns.pdf")
	if err := os.WriteFile(path, twoColumnPDF(left, right), 0o644); err != nil {
		t.Fatal(err)
	}
	text, err := ExtractPDF(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			got = append(got, l)
		}
	}
	want := append(append([]string{}, left...), right...)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("columns not read in order:\n got %q\nwant %q", got, want)
	}
}
