package importer

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

type elemKind int

const (
	ePara    elemKind = iota // a body paragraph (lead: starts a story)
	eHead                    // a group of consecutive headline lines
	eVert                    // a vertical headline
	eBanner                  // a doubled banner (dropped)
	eCredit                  // a photo credit line
	eTrailer                 // a bracketed byline/source ending a story
	eSig                     // a notice signature: issuer lines + date
	eByline                  // a byline alone on a line
)

type elem struct {
	kind  elemKind
	lines []*line
	lead  bool
	date  string // eSig: the date line
}

// parser holds the state of one Parse call.
type parser struct {
	opts      Options
	report    Report
	lines     []*line
	useIndent bool
	elems     []*elem

	items  []*draft
	blocks []*hblock
	colW   float64 // columnWidth, once computed (-1: unknown)
	headW  float64 // headWidth, once computed (-1: none)
	// lineHeadW is headWidth as told by the lines, before the blocks
	lineHeadW float64
	side      int // headSide: -1 headlines after their stories, +1 before, 0 unknown
	// headBefore: the drafts a headline block stands right before
	headBefore map[*draft]bool
	// bodySize is the font size of the page's body text when the lines
	// have sizes (a PDF), 0 otherwise
	bodySize float64
}

// headScale is how much larger than the body text a line must be set to
// be a headline line: headlines (引题 and 副题 included) are set at least
// a size up from the body, subheads in the body's size (often bold).
const headScale = 1.15

// bigLine reports whether l is set larger than the page's body text.
func (p *parser) bigLine(l *line) bool {
	return p.bodySize > 0 && l.size >= p.bodySize*headScale
}

// bodyLine reports whether l is known to be set in the body's size (or
// smaller): text, never a headline.
func (p *parser) bodyLine(l *line) bool {
	return p.bodySize > 0 && l.size > 0 && l.size < p.bodySize*headScale
}

// measureBodySize sets bodySize: the most common font size (to a tenth of
// a point) of the lines with sentence punctuation, counted by characters.
func (p *parser) measureBodySize() {
	count := map[float64]int{}
	for _, l := range p.lines {
		if l.size > 0 && (l.kind == lText || l.kind == lLead) && hasSentencePunct(l.text) {
			count[math.Round(l.size*10)/10] += utf8.RuneCountInString(l.text)
		}
	}
	if best, n := mostCommon(count); n >= 20 {
		p.bodySize = best
	}
}

// photoTitleRe matches the end of a photo's headline: …（图片）, …（附图片）,
// …（图）.
var photoTitleRe = regexp.MustCompile(`[（(](?:附)?图(?:片)?(?:[0-9０-９一二三四五六七八九十]张)?[）)]$`)

// enumRe matches the number or bullet that starts a subhead or a list
// item inside a story (一、 ３． （二） ●), which no headline starts with.
var enumRe = regexp.MustCompile(`^\s*(?:[一二三四五六七八九十]{1,3}、|[0-9０-９]{1,2}[、．.]|[（(][一二三四五六七八九十0-9０-９]{1,3}[）)]|[●■◆▲★□◇○·•])`)

// isHeadCand reports whether l could be a headline line: text without
// sentence punctuation, not ending like an unfinished clause, not too long.
func isHeadCand(l *line) bool {
	if l.kind != lText || hasSentencePunct(l.text) {
		return false
	}
	if strings.HasSuffix(l.text, "：") || strings.HasSuffix(l.text, ":") || strings.HasSuffix(l.text, "、") {
		return false
	}
	if t := strings.TrimSpace(l.text); (strings.HasPrefix(t, "（") || strings.HasPrefix(t, "(")) && (strings.HasSuffix(t, "）") || strings.HasSuffix(t, ")")) {
		// a note in brackets (a byline, a source, a picture note) ends
		// or opens a text; no headline is printed in brackets
		return false
	}
	if enumRe.MatchString(l.text) {
		// numbered or bulleted: a subhead or list item inside a story
		return false
	}
	n := utf8.RuneCountInString(compact(l.text))
	h := utf8.RuneCountInString(hanOnly(l.text))
	// the last line of a broken headline may be as short as "０天"
	return n <= 40 && (h >= 2 || h == 1 && n >= 2)
}

// segment turns the classified lines into paragraphs, headline groups and
// the other page elements, in page order.
func (p *parser) segment() []*elem {
	p.measureBodySize()
	for _, l := range p.lines {
		if p.bigLine(l) && (l.kind == lByline || l.kind == lDate || l.kind == lBanner) {
			// set as a headline: 高考 is no one's name
			l.kind = lText
		}
	}
	// a short name under a headline line that fills the column is the
	// rest of that headline (春节期间香港将举行盛大烟 / 花汇演), not a byline
	for i := 1; i < len(p.lines); i++ {
		l, prev := p.lines[i], p.lines[i-1]
		if l.kind == lByline && !bylineLineRe.MatchString(compact(l.text)) && isHeadCand(prev) &&
			p.fullHead(hline{text: prev.text, width: prev.width}, hline{text: l.text, width: l.width}) {
			l.kind = lText
		}
	}
	ind := 0
	for _, l := range p.lines {
		if l.indent {
			ind++
		}
	}
	p.useIndent = ind > 0 && ind*10 < len(p.lines)*4

	n := len(p.lines)
	for i := 0; i < n; {
		l := p.lines[i]
		if l.kind == lText && p.bigLine(l) {
			// the font says it: a headline, punctuation or not
			j := i + 1
			for j < n && j-i < maxHeadRun && p.lines[j].kind == lText && p.bigLine(p.lines[j]) {
				j++
			}
			p.emit(&elem{kind: eHead, lines: p.lines[i:j]})
			i = j
			continue
		}
		if l.kind == lText && p.bodyLine(l) {
			// set in the body's size: text (a subhead is a paragraph)
			i = p.para(i, false)
			continue
		}
		switch l.kind {
		case lVert:
			p.emit(&elem{kind: eVert, lines: []*line{l}})
			i++
		case lBanner:
			p.emit(&elem{kind: eBanner, lines: []*line{l}})
			i++
		case lCredit:
			p.emit(&elem{kind: eCredit, lines: []*line{l}})
			i++
		case lTrailer:
			p.emit(&elem{kind: eTrailer, lines: []*line{l}})
			i++
		case lByline:
			p.emit(&elem{kind: eByline, lines: []*line{l}})
			i++
		case lDate:
			// issuer lines just before the date were taken for a headline group
			if k := len(p.elems) - 1; k >= 0 && p.elems[k].kind == eHead && len(p.elems[k].lines) <= 4 {
				p.elems[k].kind = eSig
				p.elems[k].date = l.text
			} else {
				p.emit(&elem{kind: eSig, date: l.text})
			}
			i++
		case lLead:
			i = p.para(i, true)
		default:
			if photoTitleRe.MatchString(l.text) && isHeadCand(l) {
				p.emit(&elem{kind: eHead, lines: []*line{l}})
				i++
			} else if subtitleRe.MatchString(l.text) && len(p.elems) > 0 && p.elems[len(p.elems)-1].kind == ePara {
				// a ——line after body text is a subhead of the text; a
				// subtitle follows its title
				i = p.para(i, false)
			} else if isHeadCand(l) {
				i = p.headOrPara(i)
			} else if p.commaHead(i) {
				p.emit(&elem{kind: eHead, lines: []*line{l}})
				i++
			} else {
				i = p.para(i, false)
			}
		}
	}
	return p.elems
}

// commaHead reports whether line i is a headline with a comma, ！ or ？
// inside (清华，有这样一个学术沙龙): a short line of its own that ends no
// sentence, between the end of a text and the start of a story (its
// dateline or byline) or the end of the page.
func (p *parser) commaHead(i int) bool {
	l := p.lines[i]
	if l.kind != lText || !strings.ContainsAny(l.text, "，,！？!?") || strings.ContainsAny(l.text, "。；;：:") || endsSentence(l.text) ||
		strings.HasSuffix(l.text, "，") || strings.HasSuffix(l.text, "、") || utf8.RuneCountInString(l.text) > 30 {
		return false
	}
	if w := p.columnWidth(); w < 6 || l.width >= w-2.5 {
		return false
	}
	if i > 0 {
		prev := p.lines[i-1]
		if !(prev.kind == lText && endsSentence(prev.text) || prev.kind == lTrailer || prev.kind == lCredit) {
			return false
		}
	}
	if i+1 < len(p.lines) {
		nx := p.lines[i+1]
		return nx.kind == lLead || nx.kind == lByline
	}
	return true
}

// subtitleLine reports whether l is a ——subtitle, which may contain
// commas (——查了三户都不合格，旧米充新米) but ends no sentence.
func subtitleLine(l *line) bool {
	return l.kind == lText && subtitleRe.MatchString(l.text) && !strings.ContainsAny(l.text, "。；;") &&
		utf8.RuneCountInString(l.text) <= 40
}

// headRest reports whether l is the last character of a headline broken
// at the column width (南京长江大桥铁路桥大修竣 / 工): one ideograph after a
// headline-like line that fills the column.
func (p *parser) headRest(prev, l *line) bool {
	return l.kind == lText && isSingleHan(l.text) && isHeadCand(prev) &&
		p.fullHead(hline{text: prev.text, width: prev.width}, hline{text: l.text, width: l.width})
}

// widerThanColumn reports whether l is wider than the page's body column:
// only a headline (set across columns) is.
func (p *parser) widerThanColumn(l *line) bool {
	w := p.columnWidth()
	return w >= 6 && l.width > w+1.5 && !hasSentencePunct(l.text)
}

// maxHeadRun is the most lines one run of headline-like lines may have.
const maxHeadRun = 12

func (p *parser) emit(e *elem) { p.elems = append(p.elems, e) }

// headOrPara decides, at a paragraph start, whether the run of headline-like
// lines starting at i are headlines or the first lines of a paragraph.
func (p *parser) headOrPara(i int) int {
	n := len(p.lines)
	j := i
	// a run longer than maxHeadRun is not one headline group: the bound
	// keeps a long run of punctuation-free lines linear
	inSub := false // the run is in a ——subtitle, which may have commas
	for j+1 < n && j+1-i < maxHeadRun {
		l, prev := p.lines[j+1], p.lines[j]
		switch {
		case isHeadCand(l) || p.headRest(prev, l):
			inSub = inSub && !isHeadCand(l) || subtitleRe.MatchString(l.text)
		case subtitleLine(l):
			inSub = true
		case inSub && l.kind == lText && !endsSentence(prev.text) && !strings.ContainsAny(l.text, "。；;") &&
			p.fullHead(hline{text: prev.text, width: prev.width}, hline{text: l.text, width: l.width}):
			// the rest of a ——subtitle broken at the column width
		default:
			inSub = false
		}
		if !inSub && !isHeadCand(l) && !p.headRest(prev, l) {
			break
		}
		j++
	}
	nx := j + 1
	if nx >= n || p.lines[nx].kind != lText {
		if nx < n && (p.lines[nx].kind == lCredit || p.lines[nx].kind == lTrailer) {
			// a caption or last paragraph without punctuation
			return p.para(i, false)
		}
		p.emit(&elem{kind: eHead, lines: p.lines[i:nx]})
		return nx
	}
	if p.useIndent && p.lines[nx].indent {
		p.emit(&elem{kind: eHead, lines: p.lines[i:nx]})
		return nx
	}
	w := p.colWidthFrom(nx, i)
	if p.continues(i, j, w) {
		return p.para(i, false)
	}
	for k := i + 1; k <= j; k++ {
		if p.fullHead(hline{text: p.lines[k-1].text, width: p.lines[k-1].width}, hline{text: p.lines[k].text, width: p.lines[k].width}) &&
			!(p.lines[k-1].width > w+1.5 && p.continues(k, j, w)) {
			// the headline line before fills the column: it goes on here
			// (unless it is wider than the column and the lines from here
			// are the text's, column wide)
			continue
		}
		if p.continues(k, j, w) {
			p.emitHeadBeforeText(p.lines[i:k])
			return p.para(k, false)
		}
	}
	p.emitHeadBeforeText(p.lines[i:nx])
	return nx
}

// emitHeadBeforeText emits headline lines that body text follows. Their
// last line, when it is only people's names (李彦生陈爱国, 朱景有 吕冠强),
// is the byline printed over the text, not a line of the headline.
func (p *parser) emitHeadBeforeText(ls []*line) {
	if k := len(ls) - 1; k >= 1 && (namesLine(compact(ls[k].text)) || roleAndName(compact(ls[k].text)) || p.penName(ls[k-1], ls[k])) {
		p.emit(&elem{kind: eHead, lines: ls[:k]})
		ls[k].kind = lByline
		p.emit(&elem{kind: eByline, lines: ls[k:]})
		return
	}
	p.emit(&elem{kind: eHead, lines: ls})
}

// penName reports whether l, the last of a run of headline lines, is a
// name of two or three ideographs (a writer's pen name, 果永毅) printed
// over the text: a headline does not end in such a short line unless the
// line before it filled the column (a headline broken there).
func (p *parser) penName(prev, l *line) bool {
	c := compact(l.text)
	n := utf8.RuneCountInString(c)
	return n >= 2 && n <= 3 && hanOnly(c) == c && !p.fullHead(hline{text: prev.text, width: prev.width}, hline{text: l.text, width: l.width})
}

// roleNameRe matches a person's post and name, as printed over an article
// by an official or an expert: 农业部部长刘江, 国务院发展研究中心研究员陈锡文.
var roleNameRe = regexp.MustCompile(`^\p{Han}{0,16}(?:部长|司长|局长|所长|院长|校长|厂长|县长|市长|省长|主任|主席|书记|研究员|教授|记者|评论员|经理|董事长|总裁|秘书长|会长|理事长|馆长|台长|社长|总编辑|顾问|处长|检察长|主编|大使|参赞)(\p{Han}{2,3})$`)

// roleAndName reports whether c is a post followed by a person's name.
func roleAndName(c string) bool {
	m := roleNameRe.FindStringSubmatch(c)
	return m != nil && isSurname(m[1])
}

// namesLine reports whether c (no spaces) is two or three people's names
// run together: it splits into names of two or three ideographs that each
// start with a family name.
func namesLine(c string) bool {
	rs := []rune(c)
	if len(rs) < 4 || len(rs) > 9 || hanOnly(c) != c {
		return false
	}
	var split func(rs []rune, n int) bool
	split = func(rs []rune, n int) bool {
		if len(rs) == 0 {
			return n >= 2
		}
		for _, k := range []int{3, 2} {
			if len(rs) >= k && isSurname(string(rs[:1])) && split(rs[k:], n+1) {
				return true
			}
		}
		return false
	}
	return split(rs, 0)
}

// continues reports whether lines k..j look like the opening lines of a
// paragraph set in a column of width w that goes on past j: each is about
// full width (the first may be shorter by the lost indent).
func (p *parser) continues(k, j int, w float64) bool {
	if w <= 0 {
		return false
	}
	for m := k; m <= j; m++ {
		l := p.lines[m]
		if l.justified {
			continue
		}
		if subtitleRe.MatchString(l.text) {
			return false // a headline-like "——…" line is a subtitle, not body text
		}
		lo := w - 2.5
		if m == k {
			lo = w - 3.5
		}
		if l.width > w+2 || l.width < lo {
			return false
		}
	}
	return true
}

// para consumes one paragraph starting at s and returns the next index.
func (p *parser) para(s int, lead bool) int {
	n := len(p.lines)
	ls := []*line{p.lines[s]}
	k := s
	for k+1 < n {
		nx := p.lines[k+1]
		if nx.kind != lText || p.useIndent && nx.indent {
			break
		}
		cur := p.lines[k]
		if p.bigLine(nx) {
			break // a headline set larger than the text
		}
		if photoTitleRe.MatchString(cur.text) || photoTitleRe.MatchString(nx.text) && isHeadCand(nx) || isHeadCand(nx) && p.widerThanColumn(nx) {
			// a photo's headline (…（图片）) or a line wider than the
			// column is never body text
			break
		}
		if w := p.colWidthAround(k); w >= 6 && !cur.justified && cur.width < w-2.5 && k > s && !p.lines[k-1].justified && p.lines[k-1].width >= w-1 {
			// a short line after a full one ends a paragraph
			break
		}
		if k == s && !lead && !cur.justified && p.shortFirst(cur, k) {
			// a paragraph of one short line (——编者, a note in brackets):
			// what follows is not its continuation
			break
		}
		if endsSentence(cur.text) && p.headBeforeLead(k+1) {
			break
		}
		if endsSentence(cur.text) {
			// a paragraph ends at a sentence end unless both this line and
			// the next fill the column (the next would be indented otherwise)
			w := p.colWidthAround(k)
			full := func(l *line) bool { return l.justified || w > 0 && l.width >= w-1 }
			if !full(cur) || !full(nx) {
				break
			}
			// a headline-like next line must also be exactly column wide
			// and be continued itself
			if isHeadCand(nx) && (nx.width > w+1.5 || k+2 >= n || p.lines[k+2].kind != lText) {
				break
			}
			// two lines without any punctuation after a sentence end are
			// a headline broken over lines, not the text going on
			if isHeadCand(nx) && k+2 < n && (isHeadCand(p.lines[k+2]) || p.headRest(nx, p.lines[k+2])) {
				break
			}
		}
		ls = append(ls, nx)
		k++
	}
	p.emit(&elem{kind: ePara, lines: ls, lead: lead})
	return k + 1
}

// shortFirst reports whether cur, the first line (k) of a paragraph, is
// shorter than the column by more than an indent.
func (p *parser) shortFirst(cur *line, k int) bool {
	w := p.colWidthAround(k)
	return w >= 6 && cur.width < w-3.5
}

// headBeforeLead reports whether the lines from i are a short run of
// headline-like lines followed by the dateline or byline of a story (or
// the page end): a headline, never the rest of a paragraph.
func (p *parser) headBeforeLead(i int) bool {
	r := i
	for r < len(p.lines) && r-i < maxGroupLines+2 && (isHeadCand(p.lines[r]) || r > i && p.headRest(p.lines[r-1], p.lines[r])) {
		r++
	}
	if r == i {
		return false
	}
	return r >= len(p.lines) || p.lines[r].kind == lLead || p.lines[r].kind == lByline
}

// interior reports whether line m can be used to measure the column
// width: a line inside a paragraph, neither its first nor its last line,
// and with the punctuation of body text (to keep headlines out).
func (p *parser) interior(m int) bool {
	l := p.lines[m]
	if m > 0 && endsSentence(p.lines[m-1].text) {
		return false
	}
	return (l.kind == lText || l.kind == lLead) && !l.justified && !endsSentence(l.text) &&
		(hasSentencePunct(l.text) || strings.ContainsAny(l.text, "、：“”《》"))
}

func median(ws []float64) float64 {
	if len(ws) == 0 {
		return 0
	}
	sort.Float64s(ws)
	m := len(ws) / 2
	if len(ws)%2 == 1 {
		return ws[m]
	}
	return (ws[m-1] + ws[m]) / 2
}

// colWidthFrom estimates the column width of the text starting at nx
// (falling back to the text before `before` when too little follows).
func (p *parser) colWidthFrom(nx, before int) float64 {
	var ws []float64
	for m := nx; m < len(p.lines) && m < nx+12; m++ {
		l := p.lines[m]
		if l.kind != lText || m > nx && isHeadCand(l) && endsSentence(p.lines[m-1].text) {
			break
		}
		// any line inside a paragraph except its (maybe indented) first one
		if m > nx && !endsSentence(p.lines[m-1].text) && !l.justified && !endsSentence(l.text) {
			ws = append(ws, l.width)
		}
	}
	if len(ws) < 2 {
		for m := before - 1; m >= 0 && m >= before-8; m-- {
			l := p.lines[m]
			if l.kind != lText && l.kind != lLead {
				break
			}
			if p.interior(m) {
				ws = append(ws, l.width)
			}
			if l.kind == lLead {
				break
			}
		}
	}
	return median(ws)
}

// colWidthAround estimates the column width around line k, staying within
// the current story region.
func (p *parser) colWidthAround(k int) float64 {
	var ws []float64
	for m := k; m >= 0 && m >= k-8; m-- {
		l := p.lines[m]
		if l.kind != lText && l.kind != lLead {
			break
		}
		if p.interior(m) {
			ws = append(ws, l.width)
		}
		if l.kind == lLead {
			break
		}
	}
	for m := k + 1; m < len(p.lines) && m <= k+8; m++ {
		l := p.lines[m]
		if l.kind != lText {
			break
		}
		if p.interior(m) {
			ws = append(ws, l.width)
		}
	}
	return median(ws)
}
