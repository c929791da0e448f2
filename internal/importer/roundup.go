package importer

import (
	"regexp"
	"strings"
)

// roundupScore is the weighted word overlap (matcher.scoreSet) a story's
// headline must have with an untitled report next to it for the two to be
// one round-up.
const roundupScore = 6

// roundupShare is the part of the headline's overlap with its own story
// that an untitled report next to it must have, on a page too small for
// roundupScore (few stories make every shared word common).
const roundupShare = 0.6

// markHeadBefore records the drafts that a headline block stands right
// before (between them and the draft before them), before any are joined.
func (p *parser) markHeadBefore() {
	p.headBefore = map[*draft]bool{}
	for _, b := range p.blocks {
		if b.next == b.prev+1 && b.prev >= 0 && b.next < len(p.items) {
			p.headBefore[p.items[b.next]] = true
		}
	}
}

// joinRoundups puts together the parts of a round-up: several wire
// reports, each with its own dateline, printed under one headline that
// names them all (马耳他总统会见钱其琛 / 钱其琛同韦拉副总理会谈). A
// dateline starts a new item, so each report came out as an item of its
// own and only one took the headline. An untitled item that starts with a
// dateline, stands next to a titled one with no headline between them and
// shares enough words with that headline is a part of it; an untitled
// brief next to a story shares no words with its headline.
func (p *parser) joinRoundups() {
	if len(p.items) < 2 {
		return
	}
	m := newMatcher(p.items)
	out := make([]*draft, 0, len(p.items))
	for _, b := range p.items {
		if k := len(out) - 1; k >= 0 && p.roundupPart(m, out[k], b) {
			continue
		}
		out = append(out, b)
	}
	p.items = out
}

// roundupPart joins b to a (the item before it) when they are parts of
// one round-up, and reports whether it did.
func (p *parser) roundupPart(m *matcher, a, b *draft) bool {
	if p.headBefore[b] || a.photo || b.photo || a.sig != nil || b.sig != nil {
		return false
	}
	titled, other := a, b
	if a.title == "" {
		titled, other = b, a
	}
	if titled.title == "" || other.title != "" || other.source == "" || len(other.texts) == 0 {
		return false
	}
	hb := bigrams(titled.kicker + titled.title + titled.subtitle)
	so, st := m.scoreDraft(hb, other), m.scoreDraft(hb, titled)
	if so < roundupScore && (so < roundupShare*st || so < minScore) {
		return false
	}
	p.mergeDrafts(a, b, titled)
	return true
}

// mergeDrafts makes a (the earlier) hold a and b in page order, with the
// headline of titled. The later part's dateline and bracketed byline stay
// in the text where they were printed; its people join the authors.
func (p *parser) mergeDrafts(a, b, titled *draft) {
	inline := func(d *draft) []string {
		if d.source == "" || len(d.texts) == 0 {
			return d.texts
		}
		first := d.source
		if len(d.bylines) > 0 {
			first += "（" + strings.Join(d.bylines, "、") + "）"
		}
		return append([]string{first + d.texts[0]}, d.texts[1:]...)
	}
	// the first part keeps its dateline and byline as the item's
	texts := append(append([]string{}, a.texts...), inline(b)...)
	a.authors = append(a.authors, b.authors...)
	a.texts = texts
	a.paras = append(a.paras, b.paras...)
	a.trailers = append(a.trailers, b.trailers...)
	a.kicker, a.title, a.subtitle = titled.kicker, titled.title, titled.subtitle
	a.vertical, a.headScore = titled.vertical, titled.headScore
	a.bg = bigrams(strings.Join(a.texts, ""))
}

// numRe matches the number that starts a numbered part: １、 2. 3．
var numRe = regexp.MustCompile(`^([0-9０-９]{1,2})[、．.]`)

// partNumber returns the number that starts s (１、…), or 0.
func partNumber(s string) int {
	m := numRe.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	n := 0
	for _, r := range m[1] {
		if r >= '０' {
			r = r - '０' + '0'
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// joinNumbered puts together the numbered parts of one item that the
// signature ending each part cut apart: a 图片新闻 collection (１、caption
// （新华社记者 X 摄） ２、caption （Y 摄）) or numbered letters, each part
// signed. A part numbered n+1 that follows part n with no headline between
// them goes on the same item; each part's signature stays in the text
// where it was printed, the last one signs the item.
func (p *parser) joinNumbered() {
	out := make([]*draft, 0, len(p.items))
	last := 0 // the number of the last part of the item before
	for _, d := range p.items {
		n := 0
		if len(d.texts) > 0 {
			n = partNumber(d.texts[0])
		}
		if k := len(out) - 1; k >= 0 && n > 0 && n == last+1 && !p.headBefore[d] && d.source == "" && (out[k].title == "" || d.title == "") {
			p.appendPart(out[k], d)
			last = n
			continue
		}
		out = append(out, d)
		last = n
		if n > 0 {
			// the last numbered paragraph of d
			for _, t := range d.texts {
				if k := partNumber(t); k == last+1 {
					last = k
				}
			}
		}
	}
	p.items = out
}

// appendPart appends the numbered part b to a: a's signature (its
// trailers and photo credit) goes into its text, b's signs the whole.
func (p *parser) appendPart(a, b *draft) {
	var sig []string
	for _, t := range a.trailers {
		sig = append(sig, t.lines[0].text)
	}
	if a.credit != "" {
		sig = append(sig, a.credit)
	}
	if len(a.texts) > 0 && len(sig) > 0 {
		a.texts[len(a.texts)-1] += strings.Join(sig, "")
	}
	a.texts = append(a.texts, b.texts...)
	a.paras = append(a.paras, b.paras...)
	a.trailers, a.credit, a.photo = b.trailers, b.credit, b.photo
	a.authors = append(a.authors, b.authors...)
	if a.title == "" {
		a.kicker, a.title, a.subtitle, a.vertical, a.headScore = b.kicker, b.title, b.subtitle, b.vertical, b.headScore
	}
	a.bg = bigrams(strings.Join(a.texts, ""))
}
