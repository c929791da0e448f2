package importer

import "strings"

// roundupScore is the weighted word overlap (matcher.scoreSet) a story's
// headline must have with an untitled report next to it for the two to be
// one round-up.
const roundupScore = 6

// roundupShare is the part of the headline's overlap with its own story
// that an untitled report next to it must have, on a page too small for
// roundupScore (few stories make every shared word common).
const roundupShare = 0.6

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
	between := map[int]bool{} // a headline block stands between items i-1 and i
	for _, b := range p.blocks {
		if b.next == b.prev+1 {
			between[b.next] = true
		}
	}
	m := newMatcher(p.items)
	idx := make([]int, len(p.items)) // original index of each draft
	for i := range idx {
		idx[i] = i
	}
	for i := 1; i < len(p.items); i++ {
		a, b := p.items[i-1], p.items[i]
		if between[idx[i]] || a.photo || b.photo || a.sig != nil || b.sig != nil {
			continue
		}
		titled, other := a, b
		if a.title == "" {
			titled, other = b, a
		}
		if titled.title == "" || other.title != "" || other.source == "" || len(other.texts) == 0 {
			continue
		}
		hb := bigrams(titled.kicker + titled.title + titled.subtitle)
		so, st := m.scoreSet(hb, idxOf(p.items, other)), m.scoreSet(hb, idxOf(p.items, titled))
		if so < roundupScore && (so < roundupShare*st || so < minScore) {
			continue
		}
		p.mergeDrafts(a, b, titled)
		p.items = append(p.items[:i], p.items[i+1:]...)
		idx = append(idx[:i], idx[i+1:]...)
		m = newMatcher(p.items)
		i--
	}
}

func idxOf(ds []*draft, d *draft) int {
	for i, x := range ds {
		if x == d {
			return i
		}
	}
	return -1
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
