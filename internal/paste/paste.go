// Package paste turns what a reporter pastes — the HTML that WPS, Word or a
// web page puts on the clipboard, or plain text — into the story body's
// Markdown (docs/content-format.md): paragraphs, 小标题 (## headings), bold,
// 着重号 (*emphasis*), lists, quotes and links, and nothing else. Styles,
// fonts, colours, spans and empty paragraphs go; full-width-space indents
// and single line breaks start new paragraphs, as they do on paper.
//
// Images cannot come through the clipboard as files: Word and WPS put
// file:/// links to a temporary folder there. They are dropped from the text
// and listed in Result.LocalImages so the reporter can be told to upload them.
package paste

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Result is a cleaned paste.
type Result struct {
	Markdown string `json:"markdown"`
	// LocalImages are the images the paste referred to but did not carry
	// (file:///, or any address a browser cannot fetch), in order.
	LocalImages []string `json:"local_images,omitempty"`
	// RemoteImages are images on the web (http, https); they are not copied
	// into the story either, the reporter uploads what may be used.
	RemoteImages []string `json:"remote_images,omitempty"`
}

// MaxInput is the most HTML HTML reads; a clipboard holding more is cut
// there (a long Word document's HTML is a few hundred kilobytes).
const MaxInput = 8 << 20

// HTML cleans clipboard HTML.
func HTML(src string) Result {
	if len(src) > MaxInput {
		src = src[:MaxInput]
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil { // only a failing reader makes html.Parse fail
		return Result{Markdown: Text(src)}
	}
	c := &converter{seen: map[string]bool{}}
	c.walk(doc, format{})
	c.flush()
	return Result{Markdown: render(c.blocks), LocalImages: c.local, RemoteImages: c.remote}
}

// Text cleans plain text: every non-empty line is a paragraph, and so is
// every part of a line after a full-width-space indent.
func Text(src string) string {
	var c converter
	for _, r := range src {
		if r == '\r' {
			continue
		}
		c.cur = append(c.cur, cell{r: r})
	}
	c.kind = blockPara
	c.flush()
	return render(c.blocks)
}

type blockKind int

const (
	blockPara blockKind = iota
	blockHeading
	blockBullet
	blockOrdered
)

// format is how a run of text is marked.
type format struct {
	bold, em bool
	href     string
}

// softSpace stands for a line break of the HTML source: Word wraps its
// HTML mid-sentence, so between Chinese characters it is no space at all.
const softSpace = '\ue000'

// cell is one character of a paragraph with its format; r == '\n' is a
// line break.
type cell struct {
	r rune
	f format
}

type block struct {
	kind  blockKind
	level int // heading level (2 or 3)
	quote bool
	text  []cell
}

type converter struct {
	blocks []block
	cur    []cell
	kind   blockKind
	level  int
	quote  int    // depth of <blockquote>
	list   []bool // enclosing <ul>/<ol>: true when ordered
	marker string // the list marker Word wrote as text (mso-list:Ignore)
	local  []string
	remote []string
	seen   map[string]bool
}

// skipped elements: their content is never text of the story.
var skipped = map[atom.Atom]bool{
	atom.Head: true, atom.Style: true, atom.Script: true, atom.Title: true, atom.Meta: true,
	atom.Link: true, atom.Template: true, atom.Noscript: true, atom.Object: true, atom.Iframe: true,
	atom.Svg: true, atom.Math: true, atom.Button: true, atom.Input: true, atom.Select: true,
	atom.Textarea: true, atom.Embed: true, atom.Video: true, atom.Audio: true, atom.Canvas: true,
}

// blocks end the paragraph before them and after them.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Li: true, atom.Blockquote: true, atom.Table: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Pre: true, atom.Hr: true, atom.Ul: true,
	atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Figure: true,
	atom.Figcaption: true, atom.Caption: true, atom.Center: true, atom.Address: true,
	atom.Main: true, atom.Aside: true, atom.Nav: true,
}

func (c *converter) walk(n *html.Node, f format) {
	switch n.Type {
	case html.TextNode:
		for _, r := range n.Data {
			switch r {
			case '\r', '\n', '\t', '\f':
				r = softSpace
			case '\u00a0':
				r = ' '
			case 0, '\ufeff', '\u200b':
				continue
			}
			c.cur = append(c.cur, cell{r: r, f: f})
		}
		return
	case html.DocumentNode:
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.walk(ch, f)
		}
		return
	case html.ElementNode:
	default: // comments (Word's <!--[if …]>), doctypes
		return
	}
	if skipped[n.DataAtom] || strings.HasPrefix(n.Data, "xml") {
		return
	}
	style := styleOf(n)
	switch {
	case n.DataAtom == atom.Img || n.Data == "v:imagedata":
		c.image(attr(n, "src"))
		return
	case n.DataAtom == atom.Br:
		c.cur = append(c.cur, cell{r: '\n'})
		return
	case strings.Contains(style["mso-list"], "ignore"):
		// Word's list marker ("1." or "·" in a Symbol font), written as text.
		c.marker = strings.TrimSpace(strings.Map(func(r rune) rune {
			if r == '\u00a0' {
				return ' '
			}
			return r
		}, textOf(n)))
		return
	case n.Data == "o:p" || strings.HasPrefix(n.Data, "v:") || strings.HasPrefix(n.Data, "w:"):
		if n.Data != "o:p" {
			return // VML shapes and Word's XML islands
		}
	}

	switch n.DataAtom {
	case atom.B, atom.Strong:
		f.bold = true
	case atom.Em:
		f.em = true
	case atom.A:
		if h := linkTarget(attr(n, "href")); h != "" {
			f.href = h
		}
	}
	if w, ok := style["font-weight"]; ok {
		f.bold = w == "bold" || w == "bolder" || w >= "600" && w <= "900" && len(w) == 3
	}
	for _, k := range []string{"text-emphasis", "-webkit-text-emphasis", "text-emphasis-style", "-webkit-text-emphasis-style"} {
		if v, ok := style[k]; ok && v != "none" && v != "" {
			f.em = true
		}
	}

	if !blockTags[n.DataAtom] {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c.walk(ch, f)
		}
		return
	}

	c.flush()
	switch n.DataAtom {
	case atom.Blockquote:
		c.quote++
		defer func() { c.quote-- }()
	case atom.Ul, atom.Ol:
		c.list = append(c.list, n.DataAtom == atom.Ol)
		defer func() { c.list = c.list[:len(c.list)-1] }()
	}
	kind, level := blockPara, 0
	switch n.DataAtom {
	case atom.H1, atom.H2:
		kind, level = blockHeading, 2
	case atom.H3, atom.H4, atom.H5, atom.H6:
		kind, level = blockHeading, 3
	case atom.Li:
		kind = blockBullet
		if len(c.list) > 0 && c.list[len(c.list)-1] {
			kind = blockOrdered
		}
	case atom.P:
		if _, ok := style["mso-list"]; ok {
			kind = blockBullet // Word's list paragraph; the marker decides
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.kind, c.level = kind, level
		c.walk(ch, f)
	}
	c.kind, c.level = kind, level
	c.flush()
	c.kind, c.level = blockPara, 0
}

var orderedMarker = regexp.MustCompile(`^[0-9]+[.)．、]?$`)

// flush ends the current block: it is split into paragraphs at line breaks
// and full-width-space indents, trimmed, and kept when anything is left.
func (c *converter) flush() {
	cells := c.cur
	c.cur = nil
	kind := c.kind
	if kind == blockBullet && c.marker != "" {
		if orderedMarker.MatchString(c.marker) {
			kind = blockOrdered
		} else if !isBullet(c.marker) {
			// A Chinese or lettered marker (一、 (1) a.) is part of the text,
			// as the paper prints it.
			kind = blockPara
			m := []cell{}
			for _, r := range c.marker {
				m = append(m, cell{r: r})
			}
			cells = append(m, cells...)
		}
	}
	c.marker = ""
	var parts [][]cell
	if kind == blockHeading {
		parts = [][]cell{cells}
	} else {
		parts = splitParagraphs(cells)
	}
	for _, p := range parts {
		p = normalize(p)
		if len(p) == 0 {
			continue
		}
		b := block{kind: kind, level: c.level, quote: c.quote > 0, text: p}
		if b.kind == blockPara && !b.quote && looksLikeSubhead(p) {
			b.kind, b.level = blockHeading, 2
			for i := range b.text {
				b.text[i].f.bold = false
			}
		}
		if b.kind == blockHeading {
			for i := range b.text {
				b.text[i].f.bold, b.text[i].f.em = false, false
			}
		}
		c.blocks = append(c.blocks, b)
	}
}

func isBullet(m string) bool {
	for _, r := range m {
		if strings.ContainsRune("·•●○◆◇■□▪▫–-*§Øüv\uf0b7\uf0a7\uf0d8\uf076", r) {
			continue
		}
		return false
	}
	return m != ""
}

// looksLikeSubhead tells a 小标题 typed as a bold line from a bold sentence:
// all of it bold, short, not ending like a sentence.
func looksLikeSubhead(p []cell) bool {
	if len(p) > 30 {
		return false
	}
	for _, c := range p {
		if !c.f.bold && !unicode.IsSpace(c.r) || c.f.href != "" {
			return false
		}
	}
	return !strings.ContainsRune("。！？；，、：.!?;,:", p[len(p)-1].r)
}

// splitParagraphs splits at line breaks and at an indent of two or more
// full-width spaces after the end of a sentence (WPS and Word users indent
// each paragraph by typing "　　").
func splitParagraphs(cells []cell) [][]cell {
	var parts [][]cell
	start := 0
	for i := 0; i < len(cells); i++ {
		if cells[i].r == '\n' {
			parts = append(parts, cells[start:i])
			start = i + 1
			continue
		}
		if cells[i].r != '\u3000' {
			continue
		}
		j := i
		for j < len(cells) && isSpace(cells[j].r) && cells[j].r != '\n' {
			j++
		}
		n := 0
		for _, c := range cells[i:j] {
			if c.r == '\u3000' {
				n++
			}
		}
		if n >= 2 && j < len(cells) && endsSentence(cells[start:i]) {
			parts = append(parts, cells[start:i])
			start = j
		}
		i = j - 1
	}
	return append(parts, cells[start:])
}

// endsSentence: the text so far is empty or ends with a sentence's last
// mark (closing quotes and brackets after it included).
func endsSentence(cells []cell) bool {
	for i := len(cells) - 1; i >= 0; i-- {
		r := cells[i].r
		switch {
		case isSpace(r):
			continue
		case strings.ContainsRune("”’」』）)》】", r):
			continue
		default:
			return strings.ContainsRune("。！？!?…：:；;", r)
		}
	}
	return true
}

// normalize trims a paragraph and settles its spaces: none between Chinese
// characters (Word wraps its HTML source mid-sentence), one between Latin
// words.
func normalize(p []cell) []cell {
	out := make([]cell, 0, len(p))
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !isSpace(c.r) {
			out = append(out, c)
			continue
		}
		j := i
		ideo, hard := false, false
		for j < len(p) && isSpace(p[j].r) {
			ideo = ideo || p[j].r == '\u3000'
			hard = hard || p[j].r != softSpace
			j++
		}
		if len(out) > 0 && j < len(p) {
			prev, next := out[len(out)-1].r, p[j].r
			switch {
			case ideo:
				out = append(out, cell{r: '\u3000', f: c.f})
			case hard || !isWide(prev) && !isWide(next):
				out = append(out, cell{r: ' ', f: c.f})
			}
		}
		i = j - 1
	}
	return out
}

func isSpace(r rune) bool {
	return r == softSpace || r == ' ' || r == '\n' || r == '\u3000' || unicode.IsSpace(r)
}

// isWide: a character of Chinese text, next to which a space is not typed.
func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—' || r == '·'
}

// image records an image the paste referred to.
func (c *converter) image(src string) {
	src = strings.TrimSpace(src)
	if src == "" || c.seen[src] {
		return
	}
	c.seen[src] = true
	l := strings.ToLower(src)
	switch {
	case strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://"):
		c.remote = append(c.remote, src)
	case strings.HasPrefix(l, "data:"):
		c.local = append(c.local, "data:")
	default:
		c.local = append(c.local, src)
	}
}

func linkTarget(h string) string {
	u, err := url.Parse(strings.TrimSpace(h))
	if err != nil || u.Host == "" && u.Scheme != "mailto" {
		return ""
	}
	switch u.Scheme {
	case "http", "https", "mailto":
	default:
		return ""
	}
	s := strings.NewReplacer("(", "%28", ")", "%29").Replace(u.String())
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~:/?#@!$&'*+,;=%", r)) {
			return "" // what a link in a story never needs; kept as text
		}
	}
	return s
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// styleOf reads an element's inline style (lower-cased) into a map.
func styleOf(n *html.Node) map[string]string {
	s := attr(n, "style")
	if s == "" {
		return nil
	}
	m := map[string]string{}
	for _, decl := range strings.Split(strings.ToLower(s), ";") {
		k, v, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		v = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "!important"))
		m[k] = strings.TrimSpace(v)
	}
	return m
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && styleOf(ch)["font"] != "" && strings.Trim(textOf(ch), " \u00a0") == "" {
				continue // the spacing span after the marker
			}
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}
