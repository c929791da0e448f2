package importer

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// ErrNoPdftotext is returned (wrapped) by ExtractPDF when the pdftotext
// program (package poppler-utils) is not installed.
var ErrNoPdftotext = errors.New("importer: pdftotext not found on PATH; install poppler-utils (e.g. apt-get install poppler-utils)")

// PageText is the text of a page with what its layout tells: the font size
// of every line, when known (Options.Sizes).
type PageText struct {
	Text  string    // lines in reading order, a blank line between blocks
	Sizes []float64 // font size in points of each line of Text (split at "\n"); 0 for blank lines
}

// ExtractPDF returns the text of the PDF at path (ExtractPDFText without
// the font sizes).
func ExtractPDF(ctx context.Context, path string) (string, error) {
	pt, err := ExtractPDFText(ctx, path)
	return pt.Text, err
}

// ExtractPDFText returns the text of the PDF at path with the font size of
// every line, from `pdftotext -bbox-layout` (poppler-utils): the words of
// each line with their boxes, in reading order. A line's size is the
// height of its box, which is its font size. It fails with an error
// wrapping ErrNoPdftotext when pdftotext is not on PATH.
//
// The reading order is pdftotext's default (not -layout, which keeps the
// physical layout: the columns of a newspaper page come out side by side
// on the same lines and their stories interleave): one column after the
// other, lines broken at the column width, which is the input Parse is
// built for.
func ExtractPDFText(ctx context.Context, path string) (PageText, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return PageText{}, fmt.Errorf("%w (%v)", ErrNoPdftotext, err)
	}
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-bbox-layout", "-enc", "UTF-8", path, "-")
	cmd.Stdout = &out
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return PageText{}, fmt.Errorf("importer: pdftotext %s: %w", path, ctx.Err())
		}
		return PageText{}, fmt.Errorf("importer: pdftotext %s: %v: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	pt, err := readBBoxLayout(out.Bytes())
	if err != nil {
		return PageText{}, fmt.Errorf("importer: pdftotext %s: %w", path, err)
	}
	return pt, nil
}

// bboxDoc is the part of pdftotext's -bbox-layout XHTML that is read.
type bboxDoc struct {
	Pages []struct {
		Flows []struct {
			Blocks []struct {
				Lines []struct {
					YMin  float64  `xml:"yMin,attr"`
					YMax  float64  `xml:"yMax,attr"`
					Words []string `xml:"word"`
				} `xml:"line"`
			} `xml:"block"`
		} `xml:"flow"`
	} `xml:"body>doc>page"`
}

// readBBoxLayout turns pdftotext's -bbox-layout output into text (the
// words of a line joined by a space, as pdftotext prints them; a blank
// line after every block) and line sizes.
func readBBoxLayout(b []byte) (PageText, error) {
	var doc bboxDoc
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	if err := d.Decode(&doc); err != nil {
		return PageText{}, fmt.Errorf("reading its -bbox-layout output: %w", err)
	}
	var pt PageText
	var sb strings.Builder
	for _, pg := range doc.Pages {
		for _, f := range pg.Flows {
			for _, bl := range f.Blocks {
				for _, l := range bl.Lines {
					sb.WriteString(strings.Join(l.Words, " "))
					sb.WriteByte('\n')
					pt.Sizes = append(pt.Sizes, max(0, l.YMax-l.YMin))
				}
				sb.WriteByte('\n')
				pt.Sizes = append(pt.Sizes, 0)
			}
		}
	}
	pt.Text = sb.String()
	return pt, nil
}
