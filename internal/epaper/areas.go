package epaper

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"unicode"
)

// Story is what FindAreas needs of a story of the page: who it is and the
// text it was printed with.
type Story struct {
	Ref
	Kicker, Title, Subtitle string
	Body                    string
}

// textLine is one line of the PDF's text with its box in points.
type textLine struct {
	text                   string // letters and digits only, folded
	xMin, yMin, xMax, yMax float64
}

// pageText is the text of the PDF's first page, line by line.
type pageText struct {
	width, height float64
	lines         []textLine
}

// FindAreas finds where each story is printed on the PDF's first page, from
// the positions of its text (pdftotext -bbox-layout): every line of the page
// goes to the story whose headline and text hold most of its character
// pairs, if that is most of the line's pairs and clearly more than any other
// story holds; a story's area is the box around its lines. Stories with no
// line found get no area. Areas are in percent of the page.
func FindAreas(ctx context.Context, pdf []byte, stories []Story) ([]Area, error) {
	pt, err := readPageText(ctx, pdf)
	if err != nil {
		return nil, err
	}
	return matchAreas(pt, stories), nil
}

func matchAreas(pt pageText, stories []Story) []Area {
	if pt.width <= 0 || pt.height <= 0 {
		return []Area{}
	}
	grams := make([]map[string]bool, len(stories))
	for i, s := range stories {
		grams[i] = bigrams(fold(s.Kicker + "\n" + s.Title + "\n" + s.Subtitle + "\n" + s.Body))
	}
	type box struct{ x0, y0, x1, y1 float64 }
	boxes := make([]*box, len(stories))
	for _, ln := range pt.lines {
		lg := bigramList(ln.text)
		if len(lg) < 2 {
			continue // too short to tell whose it is
		}
		best, second, who := 0, 0, -1
		for i := range stories {
			n := 0
			for _, g := range lg {
				if grams[i][g] {
					n++
				}
			}
			switch {
			case n > best:
				best, second, who = n, best, i
			case n > second:
				second = n
			}
		}
		// Most of the line is the story's, and clearly more of it than of
		// any other story (a shared phrase, a name in two stories).
		if who < 0 || best*10 < len(lg)*6 || best-second < max(2, len(lg)/4) {
			continue
		}
		b := boxes[who]
		if b == nil {
			boxes[who] = &box{ln.xMin, ln.yMin, ln.xMax, ln.yMax}
			continue
		}
		b.x0, b.y0 = math.Min(b.x0, ln.xMin), math.Min(b.y0, ln.yMin)
		b.x1, b.y1 = math.Max(b.x1, ln.xMax), math.Max(b.y1, ln.yMax)
	}
	areas := []Area{}
	pad := 0.4 // percent: the box of the glyphs, plus a little air
	for i, b := range boxes {
		if b == nil {
			continue
		}
		x := math.Max(0, b.x0/pt.width*100-pad)
		y := math.Max(0, b.y0/pt.height*100-pad)
		w := math.Min(100-x, (b.x1-b.x0)/pt.width*100+2*pad)
		h := math.Min(100-y, (b.y1-b.y0)/pt.height*100+2*pad)
		areas = append(areas, Area{Ref: stories[i].Ref, X: round2(x), Y: round2(y), W: round2(w), H: round2(h)})
	}
	return areas
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// fold keeps the letters and digits of s, full-width forms made ASCII and
// Latin letters lower case, so that text typed and text extracted compare.
func fold(s string) string {
	var b []rune
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = append(b, unicode.ToLower(r))
		}
	}
	return string(b)
}

func bigramList(s string) []string {
	r := []rune(s)
	var out []string
	for i := 0; i+1 < len(r); i++ {
		out = append(out, string(r[i:i+2]))
	}
	return out
}

func bigrams(s string) map[string]bool {
	m := map[string]bool{}
	for _, g := range bigramList(s) {
		m[g] = true
	}
	return m
}

// readPageText runs pdftotext -bbox-layout on the PDF's first page.
func readPageText(ctx context.Context, pdf []byte) (pageText, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return pageText{}, ErrNoPoppler
	}
	dir, err := os.MkdirTemp("", "epaper-")
	if err != nil {
		return pageText{}, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return pageText{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, renderTimeout)
	defer cancel()
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-f", "1", "-l", "1", "-bbox-layout", "-enc", "UTF-8", in, "-")
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return pageText{}, fmt.Errorf("epaper: pdftotext: %v: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	return parseBBox(out.Bytes())
}

// parseBBox reads pdftotext's -bbox-layout XHTML: the first <page> with
// its size, and its <line>s with their <word>s.
func parseBBox(data []byte) (pageText, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	var pt pageText
	var cur *textLine
	var inWord bool
	pages := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break // io.EOF, or the end of what can be read
		}
		switch t := tok.(type) {
		case xml.StartElement:
			at := func(name string) float64 {
				for _, a := range t.Attr {
					if a.Name.Local == name {
						v, _ := strconv.ParseFloat(a.Value, 64)
						return v
					}
				}
				return 0
			}
			switch t.Name.Local {
			case "page":
				pages++
				if pages > 1 {
					return pt, nil
				}
				pt.width, pt.height = at("width"), at("height")
			case "line":
				cur = &textLine{xMin: at("xMin"), yMin: at("yMin"), xMax: at("xMax"), yMax: at("yMax")}
			case "word":
				inWord = true
			}
		case xml.CharData:
			if inWord && cur != nil {
				cur.text += fold(string(t))
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "word":
				inWord = false
			case "line":
				if cur != nil && cur.text != "" {
					// The box pdftotext gives is the font's, which for CJK
					// fonts reaches far above the glyphs (Noto CJK: two and
					// a half times the size). Chinese is set one character
					// per em, so the size is the line's width over its
					// characters, and the glyphs stand about one em above
					// the bottom of the box.
					if n := len([]rune(cur.text)); n > 0 {
						em := (cur.xMax - cur.xMin) / float64(n)
						cur.yMin = math.Max(cur.yMin, cur.yMax-1.2*em)
					}
					pt.lines = append(pt.lines, *cur)
				}
				cur = nil
			}
		}
	}
	if pages == 0 {
		return pt, fmt.Errorf("epaper: pdftotext gave no page")
	}
	return pt, nil
}
