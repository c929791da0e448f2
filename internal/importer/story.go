package importer

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// draft is an item under construction.
type draft struct {
	paras  []*elem
	lead   bool
	closed bool
	photo  bool

	source  string
	bylines []string
	authors []string

	credit   string
	sig      *elem
	trailers []*elem

	texts []string // cleaned paragraph texts (after lead removal)
	bg    map[string]bool

	kicker, title, subtitle string
	vertical                bool
	headScore               float64
}

// assemble groups the page elements into drafts (stories, photos, notices)
// and collects the headline blocks for attachHeadlines.
func (p *parser) assemble() {
	var cur *draft
	newDraft := func() *draft {
		d := &draft{}
		p.items = append(p.items, d)
		return d
	}
	closeCur := func() {
		if cur != nil {
			cur.closed = true
		}
	}
	for k, e := range p.elems {
		switch e.kind {
		case ePara:
			switch {
			case e.lead && cur != nil && !cur.closed && !cur.hasSentences():
				// a lead after a byline or a subtitle-like line of the
				// same story: 本报记者 X / 本报北京１月６日讯 …
				cur.lead = true
			case e.lead:
				closeCur()
				cur = newDraft()
				cur.lead = true
			case cur == nil || cur.closed:
				cur = newDraft()
			}
			cur.paras = append(cur.paras, e)
		case eByline:
			text := e.lines[0].text
			if cur != nil && !cur.closed && cur.hasSentences() && (k+1 >= len(p.elems) || p.elems[k+1].kind != ePara) {
				// at the end of a story: 本报记者 X
				p.addByline(cur, text)
				closeCur()
				continue
			}
			closeCur()
			cur = newDraft()
			p.addByline(cur, text)
		case eHead, eVert:
			b := &hblock{vertical: e.kind == eVert, prev: len(p.items) - 1, next: len(p.items)}
			for _, l := range e.lines {
				b.lines = append(b.lines, hline{text: cleanHeadline(l.text), width: l.width, size: l.size})
			}
			p.blocks = append(p.blocks, b)
			closeCur()
		case eBanner:
			p.report.Dropped = append(p.report.Dropped, fmt.Sprintf("doubled banner %q (printed as %q)", e.lines[0].banner, e.lines[0].text))
			closeCur()
		case eTrailer:
			if cur == nil {
				p.uncertain("bracketed line 「%s」 at the top of the page belongs to no story", e.lines[0].text)
				continue
			}
			cur.trailers = append(cur.trailers, e)
			closeCur()
		case eSig:
			if cur == nil {
				p.uncertain("signature 「%s」 belongs to no notice", sigText(e))
				continue
			}
			if cur.sig != nil {
				p.uncertain("second signature 「%s」 ignored for 「%s」", sigText(e), snippet(p.firstText(cur), 16))
				continue
			}
			cur.sig = e
			closeCur()
		case eCredit:
			cur = p.photo(cur, e, newDraft)
			closeCur()
		}
	}
}

// hasSentences reports whether d has body text: a paragraph ending a
// sentence (not only short lines such as a subtitle or a byline).
func (d *draft) hasSentences() bool {
	for _, pe := range d.paras {
		if endsSentence(pe.lines[len(pe.lines)-1].text) {
			return true
		}
	}
	return false
}

// addByline records a byline printed alone on a line.
func (p *parser) addByline(d *draft, text string) {
	if bl, names, ok := parseNames(text, false); ok {
		d.bylines = append(d.bylines, bl...)
		d.authors = append(d.authors, names...)
		return
	}
	d.bylines = append(d.bylines, cleanBody(text))
	c := compact(text)
	if m := bylineLineRe.FindStringSubmatch(c); m != nil && m[1] != "" {
		if names := strings.Split(m[1], "、"); len(names) > 1 || utf8.RuneCountInString(m[1]) <= 3 {
			d.authors = append(d.authors, names...)
			return
		}
		p.uncertain("byline 「%s」: names could not be separated", c)
	}
}

func sigText(e *elem) string {
	var parts []string
	for _, l := range e.lines {
		parts = append(parts, l.text)
	}
	return strings.Join(append(parts, e.date), " ")
}

var captionMarkRe = regexp.MustCompile(`^(图为|图片为|上图|下图|左图|右图|图中|图\s*[一二三四1-4])`)

// photo turns the caption text before a credit line into a photo item: the
// whole current draft when it is short and has no story lead, otherwise the
// trailing paragraphs from the one starting with 图为.
func (p *parser) photo(cur *draft, e *elem, newDraft func() *draft) *draft {
	credit := e.lines[0].text
	if cur == nil || cur.closed || len(cur.paras) == 0 {
		d := newDraft()
		d.photo = true
		d.credit = credit
		p.uncertain("photo credit 「%s」 has no caption text", credit)
		return d
	}
	total := 0
	for _, pe := range cur.paras {
		for _, l := range pe.lines {
			total += utf8.RuneCountInString(l.text)
		}
	}
	if !cur.lead && total <= 400 {
		cur.photo = true
		cur.credit = credit
		return cur
	}
	idx := len(cur.paras) - 1
	for k := len(cur.paras) - 1; k >= 0; k-- {
		if captionMarkRe.MatchString(compact(cur.paras[k].lines[0].text)) {
			idx = k
			break
		}
	}
	if idx == 0 && !cur.lead {
		cur.photo = true
		cur.credit = credit
		return cur
	}
	if idx == 0 {
		idx = len(cur.paras) - 1
	}
	d := newDraft()
	d.photo = true
	d.credit = credit
	d.paras = cur.paras[idx:]
	cur.paras = cur.paras[:idx]
	cur.closed = true
	return d
}

func (p *parser) uncertain(format string, args ...any) {
	p.report.Uncertain = append(p.report.Uncertain, fmt.Sprintf(format, args...))
}

func (p *parser) firstText(d *draft) string {
	if len(d.texts) > 0 {
		return d.texts[0]
	}
	if len(d.paras) > 0 {
		var parts []string
		for _, l := range d.paras[0].lines {
			parts = append(parts, l.text)
		}
		return cleanBody(joinLines(parts))
	}
	return d.credit
}

// prepareTexts cleans the paragraphs of every draft, takes the lead
// (source and byline) off the first paragraph, and computes the word
// bigrams used to match headlines.
func (p *parser) prepareTexts() {
	for _, d := range p.items {
		d.texts = nil
		for i, pe := range d.paras {
			var parts []string
			for _, l := range pe.lines {
				parts = append(parts, l.text)
			}
			raw := joinLines(parts)
			if pe.lead && d.source == "" && !leadTaken(d.paras[:i]) {
				raw = p.takeLead(d, raw)
			}
			raw = p.stripJumps(raw)
			t := cleanBody(raw)
			if t != "" {
				d.texts = append(d.texts, t)
			}
		}
		d.bg = bigrams(strings.Join(d.texts, ""))
	}
}

func leadTaken(ps []*elem) bool {
	for _, pe := range ps {
		if pe.lead {
			return true
		}
	}
	return false
}

// takeLead removes the source (本报讯 / 新华社…电) and the bracketed byline
// that follows it from the start of a story and records them.
func (p *parser) takeLead(d *draft, raw string) string {
	c, pos := compactMap(raw)
	loc := findLead(c)
	if loc == nil {
		return raw
	}
	d.source = c[loc[0]:loc[1]]
	rest := strings.TrimLeft(raw[pos[loc[1]]:], " ")
	if strings.HasPrefix(rest, "（") || strings.HasPrefix(rest, "(") {
		end := strings.IndexAny(rest, "）)")
		if end > 0 {
			open := "（"
			if rest[0] == '(' {
				open = "("
			}
			inside := rest[len(open):end]
			closeLen := len("）")
			if rest[end] == ')' {
				closeLen = 1
			}
			if bl, names, ok := parseNames(inside, true); ok {
				d.bylines = append(d.bylines, bl...)
				d.authors = append(d.authors, names...)
				rest = rest[end+closeLen:]
			} else if roleRe.MatchString(compact(inside)) {
				d.bylines = append(d.bylines, cleanBody(inside))
				p.uncertain("byline 「%s」: names could not be separated", cleanBody(inside))
				rest = rest[end+closeLen:]
			}
		}
	}
	return strings.TrimLeft(rest, " ，,：:")
}

// compactMap removes whitespace from s and returns, for every byte offset
// of the result (and its end), the corresponding offset in s.
func compactMap(s string) (string, []int) {
	var b strings.Builder
	var pos []int
	for i, r := range s {
		if r == ' ' || r == '\u3000' {
			continue
		}
		for k := 0; k < utf8.RuneLen(r); k++ {
			pos = append(pos, i+k)
		}
		b.WriteRune(r)
	}
	pos = append(pos, len(s))
	return b.String(), pos
}

// stripJumps removes "（下转第2版）"-style continuation notes and reports them.
func (p *parser) stripJumps(raw string) string {
	c := compact(raw)
	if m := jumpRe.FindString(c); m != "" {
		p.uncertain("story continues on another page: %s", m)
		return jumpRe.ReplaceAllString(raw, "")
	}
	return raw
}
