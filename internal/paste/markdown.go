package paste

import (
	"strconv"
	"strings"
	"unicode"
)

// render writes blocks as Markdown: blocks separated by a blank line, the
// items of one list by a line break.
func render(blocks []block) string {
	var b strings.Builder
	n := 0 // number of the item in an ordered list
	for i, bl := range blocks {
		prefix := ""
		if bl.quote {
			prefix = "> "
		}
		sameList := i > 0 && bl.kind == blocks[i-1].kind && bl.quote == blocks[i-1].quote &&
			(bl.kind == blockBullet || bl.kind == blockOrdered)
		if i > 0 {
			switch {
			case sameList:
				b.WriteString("\n")
			case bl.quote && blocks[i-1].quote:
				b.WriteString("\n>\n")
			default:
				b.WriteString("\n\n")
			}
		}
		if !sameList {
			n = 0
		}
		b.WriteString(prefix)
		switch bl.kind {
		case blockHeading:
			b.WriteString(strings.Repeat("#", bl.level) + " ")
		case blockBullet:
			b.WriteString("- ")
		case blockOrdered:
			n++
			b.WriteString(strconv.Itoa(n) + ". ")
		}
		b.WriteString(inline(bl.text))
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

// inline writes a paragraph's text with its marks. Marks that CommonMark
// would not recognise (a bold run starting with “ right after a Chinese
// character) give up the punctuation at their edge, so the Markdown says
// what the reporter saw.
func inline(p []cell) string {
	p = fixFlanking(p)
	var b strings.Builder
	var open format // marks open now
	closeTo := func(f format) {
		if open.em && (!f.em || open.bold != f.bold || open.href != f.href) {
			b.WriteString("*")
			open.em = false
		}
		if open.bold && (!f.bold || open.href != f.href) {
			b.WriteString("**")
			open.bold = false
		}
		if open.href != "" && open.href != f.href {
			b.WriteString("](" + escapeURL(open.href) + ")")
			open.href = ""
		}
	}
	for i, c := range p {
		closeTo(c.f)
		if c.f.href != "" && open.href == "" {
			b.WriteString("[")
			open.href = c.f.href
		}
		if c.f.bold && !open.bold {
			b.WriteString("**")
			open.bold = true
		}
		if c.f.em && !open.em {
			b.WriteString("*")
			open.em = true
		}
		b.WriteString(escape(p, i, i == 0))
	}
	closeTo(format{})
	return b.String()
}

// fixFlanking moves punctuation at the edge of a bold or emphasised run out
// of it when CommonMark's flanking rules would otherwise leave the ** as
// text (a run opening with punctuation after a letter, or closing with
// punctuation before one).
func fixFlanking(p []cell) []cell {
	marked := func(f format) bool { return f.bold || f.em }
	for changed := true; changed; {
		changed = false
		for i := range p {
			if !marked(p[i].f) {
				continue
			}
			startsRun := i == 0 || p[i-1].f.bold != p[i].f.bold || p[i-1].f.em != p[i].f.em
			endsRun := i == len(p)-1 || p[i+1].f.bold != p[i].f.bold || p[i+1].f.em != p[i].f.em
			if startsRun && (unicode.IsSpace(p[i].r) || isPunct(p[i].r) && i > 0 && !isPunct(p[i-1].r) && !unicode.IsSpace(p[i-1].r)) {
				p[i].f.bold, p[i].f.em = false, false
				changed = true
				continue
			}
			if endsRun && (unicode.IsSpace(p[i].r) || isPunct(p[i].r) && i < len(p)-1 && !isPunct(p[i+1].r) && !unicode.IsSpace(p[i+1].r)) {
				p[i].f.bold, p[i].f.em = false, false
				changed = true
			}
		}
	}
	return p
}

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// escape writes the i-th character so that Markdown reads it as text.
func escape(p []cell, i int, atStart bool) string {
	r := p[i].r
	switch r {
	case '\\', '`', '*', '_', '[', ']', '<', '>', '~', '|':
		return `\` + string(r)
	case '{': // Hugo reads "{{<" and "{{%" as shortcodes
		if i > 0 && p[i-1].r == '{' {
			return `\{`
		}
	case '&':
		return "&amp;"
	case '#', '-', '+', '=':
		if atStart {
			return `\` + string(r)
		}
	case '.', ')':
		// "1. " at the start of a paragraph would start a list.
		if allDigitsBefore(p, i) {
			return `\` + string(r)
		}
	}
	return string(r)
}

func allDigitsBefore(p []cell, i int) bool {
	if i == 0 || i > 9 {
		return false
	}
	for _, c := range p[:i] {
		if c.r < '0' || c.r > '9' {
			return false
		}
	}
	return true
}

func escapeURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(u)
}
