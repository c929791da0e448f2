package importer

import (
	"math"
	"regexp"
	"sort"
	"strings"
)

// hline is one headline line.
type hline struct {
	text  string
	width float64
	size  float64 // font size, 0 unknown
}

// hblock is a run of headline lines found between two page elements; it
// may hold the headlines of several stories (e.g. all at the page end).
type hblock struct {
	lines      []hline
	vertical   bool
	prev, next int // index of the draft before / after the block (may be out of range)
}

// segment of a headline block attached (or not) to a draft.
type hseg struct {
	block    *hblock
	from, to int
	item     int // -1: none
	score    float64
}

func (s *hseg) text() string {
	var parts []string
	for _, l := range s.block.lines[s.from:s.to] {
		parts = append(parts, l.text)
	}
	return strings.Join(parts, " ")
}

const (
	maxGroupLines = 4    // kicker + title broken over two lines + subtitle
	mergeBonus    = 0.25 // prefer fewer, larger headline groups
	nearBonus     = 0.3  // a headline next to a story wins ties
	minScore      = 1.0  // below this, word overlap is no evidence
)

// matcher scores headline text against the drafts by shared word bigrams,
// weighting bigrams that occur in few drafts higher.
type matcher struct {
	items []*draft
	idf   map[string]float64
}

func newMatcher(items []*draft) *matcher {
	df := map[string]int{}
	for _, d := range items {
		for g := range d.bg {
			df[g]++
		}
	}
	m := &matcher{items: items, idf: map[string]float64{}}
	n := float64(len(items))
	for g, c := range df {
		m.idf[g] = math.Log(1 + n/float64(c))
	}
	return m
}

func (m *matcher) scoreSet(bg map[string]bool, item int) float64 {
	return m.scoreDraft(bg, m.items[item])
}

// scoreDraft is scoreSet for a draft (the word weights are the page's as
// they were when the matcher was made).
func (m *matcher) scoreDraft(bg map[string]bool, d *draft) float64 {
	var s float64
	for g := range bg {
		if d.bg[g] {
			s += m.idf[g]
		}
	}
	return s
}

// window is how many drafts on either side of a headline block may take
// its lines. A page has far fewer stories than this, and the bound keeps
// the matching linear in the length of the text (an archive dumped as one
// file would otherwise compare every headline with every story).
const window = 40

// candidates are the drafts a headline block may go to.
func (p *parser) candidates(b *hblock) (lo, hi int) {
	lo = max(0, b.prev-window+1)
	hi = min(len(p.items), b.next+window)
	return lo, hi
}

// attachHeadlines splits every headline block into groups and attaches
// each group to the draft whose text shares the most words with it.
func (p *parser) attachHeadlines() {
	p.prepareTexts()
	if len(p.blocks) == 0 {
		return
	}
	m := newMatcher(p.items)
	p.side = p.headSide(m)
	var segs []*hseg
	for _, b := range p.blocks {
		for _, s := range p.splitBlock(m, b) {
			if p.bodyAcross(s) {
				// a headline-like first paragraph of the story on the
				// other side of the page's headline side: its text
				d := p.items[s.item]
				var parts []string
				for _, l := range b.lines[s.from:s.to] {
					parts = append(parts, l.text)
				}
				d.texts = append([]string{cleanBody(joinLines(parts))}, d.texts...)
				continue
			}
			segs = append(segs, s)
		}
	}
	// resolve: every draft takes at most one headline group, best first
	sort.SliceStable(segs, func(i, j int) bool { return segs[i].score > segs[j].score })
	taken := map[int]bool{}
	var loose []*hseg
	for _, s := range segs {
		if s.item >= 0 && taken[s.item] {
			s.item, s.score = p.bestFree(m, s, taken)
		}
		if s.item < 0 {
			loose = append(loose, s)
			continue
		}
		taken[s.item] = true
		p.setHead(s)
	}
	for _, s := range p.byPosition(loose, taken) {
		if s.item < 0 {
			p.uncertain("headline 「%s」 could not be attached to a story", s.text())
			continue
		}
		taken[s.item] = true
		p.setHead(s)
	}
}

// bodyAcross reports whether segment s of a headline block belongs to the
// text of its story rather than being its headline: on a page that prints
// headlines after their stories, short lines at the end of a block given
// to the story after it are its first paragraph (the block's first lines
// are the headline of the story before). (The mirror rule for pages with
// headlines before their stories measured worse on the 1998 corpus.)
func (p *parser) bodyAcross(s *hseg) bool {
	b := s.block
	if b.vertical || s.item < 0 || s.to-s.from > 2 || b.prev < 0 || b.next >= len(p.items) {
		return false
	}
	return p.side < 0 && s.item == b.next && s.from > 0 && s.to == len(b.lines)
}

// byPosition gives the headline lines that share too few words with any
// story (run together per block) to the story next to them on the page's
// headline side, when that story has no headline yet.
func (p *parser) byPosition(loose []*hseg, taken map[int]bool) []*hseg {
	order := make(map[*hblock]int, len(p.blocks))
	for i, b := range p.blocks {
		order[b] = i
	}
	sort.Slice(loose, func(i, j int) bool {
		if bi, bj := order[loose[i].block], order[loose[j].block]; bi != bj {
			return bi < bj
		}
		return loose[i].from < loose[j].from
	})
	var out []*hseg
	for _, s := range loose {
		if k := len(out) - 1; k >= 0 && out[k].block == s.block && out[k].to == s.from {
			out[k].to = s.to
			continue
		}
		c := *s
		out = append(out, &c)
	}
	for _, s := range out {
		b := s.block
		cand := -1
		switch {
		case p.side < 0 && s.from == 0:
			cand = b.prev
		case p.side > 0 && s.to == len(b.lines):
			cand = b.next
		case p.side == 0 && b.prev < 0 && s.to == len(b.lines):
			// the page starts with it: the first story's
			cand = b.next
		}
		if cand >= 0 && cand < len(p.items) && !taken[cand] && s.to-s.from <= maxGroupLines+2 {
			s.item, s.score = cand, 0
		}
	}
	return out
}

// setHead gives the headline group s to its story.
func (p *parser) setHead(s *hseg) {
	d := p.items[s.item]
	d.kicker, d.title, d.subtitle = p.roles(s, d)
	d.vertical = s.block.vertical
	d.headScore = s.score
	if s.score < minScore+nearBonus {
		p.uncertain("headline 「%s」 attached to 「%s」 by position only (few shared words)", s.text(), snippet(p.firstText(d), 16))
	}
}

func (p *parser) near(b *hblock, item int) bool { return item == b.prev || item == b.next }

// segBigrams returns the bigrams of lines [from,to) of b.
func segBigrams(b *hblock, from, to int) map[string]bool {
	var parts []string
	for _, l := range b.lines[from:to] {
		parts = append(parts, l.text)
	}
	return bigrams(strings.Join(parts, ""))
}

// segScore scores lines [from,to) of b (bigrams bg) as the headline group of item.
func (p *parser) segScore(m *matcher, b *hblock, bg map[string]bool, item int) float64 {
	s := m.scoreSet(bg, item)
	if s < minScore {
		return 0
	}
	if p.near(b, item) {
		s += nearBonus
	}
	if p.side != 0 && (p.side < 0 && item == b.prev || p.side > 0 && item == b.next) {
		s += sideBonus
	}
	return s
}

// sideBonus favours, for a headline block between two stories, the story
// on the side where the page prints its headlines (p.side).
const sideBonus = 4

// headSide decides whether the page prints its headlines after their
// stories (-1) or before them (+1), or neither clearly (0): for every
// headline block between two stories, the neighbour sharing more words
// with it votes; one side needs two thirds of at least four votes.
func (p *parser) headSide(m *matcher) int {
	before, after := 0, 0
	for _, b := range p.blocks {
		if b.prev < 0 || b.next >= len(p.items) || b.vertical {
			continue
		}
		bg := segBigrams(b, 0, len(b.lines))
		sp, sn := m.scoreSet(bg, b.prev), m.scoreSet(bg, b.next)
		switch {
		case sp > sn+minScore:
			after++
		case sn > sp+minScore:
			before++
		}
	}
	switch n := before + after; {
	case n < 4:
		return 0
	case after*3 >= n*2:
		return -1
	case before*3 >= n*2:
		return 1
	}
	return 0
}

// bestFree finds the best draft not yet taken for a segment.
func (p *parser) bestFree(m *matcher, s *hseg, taken map[int]bool) (int, float64) {
	best, bestScore := -1, 0.0
	bg := segBigrams(s.block, s.from, s.to)
	lo, hi := p.candidates(s.block)
	for it := lo; it < hi; it++ {
		if taken[it] {
			continue
		}
		if sc := p.segScore(m, s.block, bg, it); sc > bestScore {
			best, bestScore = it, sc
		}
	}
	return best, bestScore
}

// splitBlock cuts a headline block into groups of 1–4 lines (up to 6 when
// the extra lines continue lines that fill the column) by dynamic
// programming: each group goes to one draft (consecutive groups to
// different drafts), maximising word overlap, with a small bonus for
// keeping lines together so that lines sharing no words join a neighbour.
// A group never ends after a line that fills the column (fullHead).
func (p *parser) splitBlock(m *matcher, b *hblock) []*hseg {
	n := len(b.lines)
	lo, hi := p.candidates(b)
	k := hi - lo + 1 // state s: draft lo+s-1; 0 = none
	const neg = -1e18
	dp := make([][]float64, n+1)
	from := make([][]int, n+1)
	prevItem := make([][]int, n+1)
	for i := range dp {
		dp[i] = make([]float64, k)
		from[i] = make([]int, k)
		prevItem[i] = make([]int, k)
		for s := range dp[i] {
			dp[i][s] = neg
		}
	}
	dp[0][0] = 0
	scores := map[[3]int]float64{}
	for i := 1; i <= n; i++ {
		for j := i - 1; j >= 0 && i-j <= maxGroupLines+2; j-- {
			if j > 0 && p.fullHead(b.lines[j-1], b.lines[j]) {
				// a line that fills the column goes on in the next one:
				// one headline broken at the column width
				continue
			}
			if i-j > maxGroupLines && !p.fullHead(b.lines[j], b.lines[j+1]) {
				continue
			}
			// the best and second best state at j, so that the state
			// before a group can differ from the group's in O(1)
			b1, b2 := -1, -1
			for ps := 0; ps < k; ps++ {
				if dp[j][ps] == neg {
					continue
				}
				switch {
				case b1 < 0 || dp[j][ps] > dp[j][b1]:
					b1, b2 = ps, b1
				case b2 < 0 || dp[j][ps] > dp[j][b2]:
					b2 = ps
				}
			}
			if b1 < 0 {
				continue
			}
			bg := segBigrams(b, j, i)
			for s := 0; s < k; s++ {
				var sc float64
				if s > 0 {
					sc = p.segScore(m, b, bg, lo+s-1)
					if sc == 0 {
						continue
					}
					sc += mergeBonus * float64(i-j-1)
				} else if i-j > 1 {
					continue
				}
				scores[[3]int{j, i, s}] = sc
				ps := b1
				if ps == s && s > 0 {
					ps = b2
				}
				if ps < 0 {
					continue
				}
				if v := dp[j][ps] + sc; v > dp[i][s]+1e-9 {
					dp[i][s], from[i][s], prevItem[i][s] = v, j, ps
				}
			}
		}
	}
	bestS := 0
	for s := 0; s < k; s++ {
		if dp[n][s] > dp[n][bestS] {
			bestS = s
		}
	}
	var segs []*hseg
	for i, s := n, bestS; i > 0; {
		j, ps := from[i][s], prevItem[i][s]
		item := -1
		if s > 0 {
			item = lo + s - 1
		}
		segs = append(segs, &hseg{block: b, from: j, to: i, item: item, score: scores[[3]int{j, i, s}]})
		i, s = j, ps
	}
	// reverse to page order
	for l, r := 0, len(segs)-1; l < r; l, r = l+1, r-1 {
		segs[l], segs[r] = segs[r], segs[l]
	}
	return segs
}

var (
	kickerEndRe   = regexp.MustCompile(`(强调|指出|表示|要求|提出|之际|——|：|:)$`)
	subtitleRe    = regexp.MustCompile(`^(——|－－|--)`)
	digitRe       = regexp.MustCompile(`[0-9０-９]`)
	noticeTitleRe = regexp.MustCompile(`(公告|通告|通知|公示|声明|启事|告知书|倡议书|通报)(\s*[（(][^）)]*[）)])?$`)
)

// roles turns the lines of a headline group into kicker / title / subtitle:
// lines broken from one long title are rejoined first; with two units the
// shorter one in front is the kicker, one behind the title is the subtitle
// (a leading dash or concrete figures mark a subtitle, a closing 强调/：
// marks a kicker).
func (p *parser) roles(s *hseg, d *draft) (kicker, title, subtitle string) {
	lines := s.block.lines[s.from:s.to]
	if s.block.vertical {
		return "", lines[0].text, ""
	}
	if k, t, st, ok := rolesBySize(lines); ok {
		return k, t, st
	}
	var units []hline
	for i, l := range lines {
		if k := len(units) - 1; k >= 0 && (brokenTitle(units[k], l, d) || p.fullHead(lines[i-1], l)) {
			units[k].text += strings.TrimSpace(l.text)
			units[k].width += l.width
			continue
		}
		units = append(units, l)
	}
	switch len(units) {
	case 1:
		return "", units[0].text, ""
	case 2:
		a, b := units[0], units[1]
		switch {
		case subtitleRe.MatchString(b.text):
			return "", a.text, b.text
		case kickerEndRe.MatchString(a.text):
			return a.text, b.text, ""
		case digitRe.MatchString(b.text) && !digitRe.MatchString(a.text):
			return "", a.text, b.text
		case a.width < b.width:
			return a.text, b.text, ""
		default:
			return "", a.text, b.text
		}
	case 3:
		return units[0].text, units[1].text, units[2].text
	}
	var rest []string
	for _, u := range units[2:] {
		rest = append(rest, u.text)
	}
	p.uncertain("headline group of %d lines for 「%s」: extra lines kept in the subtitle", len(units), snippet(units[1].text, 20))
	return units[0].text, units[1].text, strings.Join(rest, " ")
}

// rolesBySize gives the roles of headline lines whose font sizes are
// known: a run of lines in one size is one unit (a title broken over
// lines), the largest unit is the 主题, the units before it the 引题 and
// those after it the 副题.
func rolesBySize(lines []hline) (kicker, title, subtitle string, ok bool) {
	type unit struct {
		text string
		size float64
	}
	var units []unit
	for _, l := range lines {
		if l.size <= 0 {
			return "", "", "", false
		}
		if k := len(units) - 1; k >= 0 && math.Abs(units[k].size-l.size) < 0.5 && !subtitleRe.MatchString(l.text) {
			units[k].text = joinHeadParts(units[k].text, l.text)
			continue
		}
		units = append(units, unit{text: strings.TrimSpace(l.text), size: l.size})
	}
	m := 0
	for i, u := range units {
		if u.size > units[m].size+0.25 {
			m = i
		}
	}
	var ks, ss []string
	for _, u := range units[:m] {
		ks = append(ks, u.text)
	}
	for _, u := range units[m+1:] {
		ss = append(ss, u.text)
	}
	return strings.Join(ks, " "), units[m].text, strings.Join(ss, " "), true
}

// joinHeadParts joins two lines of one headline broken where the line
// was full: without a gap, except between two Latin words.
func joinHeadParts(a, b string) string {
	return joinLines([]string{a, b})
}

// fullHead reports whether headline line a fills the column (or the
// headline width, when wider) and b continues it: a headline broken where
// the line was full, as extraction gives it.
func (p *parser) fullHead(a, b hline) bool {
	if subtitleRe.MatchString(b.text) || kickerEndRe.MatchString(a.text) {
		return false
	}
	fills := func(w float64) bool { return w >= 6 && a.width >= w-0.5 && a.width <= w+1 }
	if hw := p.headWidth(); hw > p.columnWidth()+1 {
		// a page that sets its headlines wider than the column breaks
		// them at that width, not at the column's
		return fills(hw)
	}
	return fills(p.columnWidth())
}

// headWidth is the width at which the page breaks its headlines when they
// are set wider than the column: the most common width of headline lines
// wider than the column that another headline line follows (-1: none).
func (p *parser) headWidth() float64 {
	if p.headW != 0 {
		return p.headW
	}
	cw := p.columnWidth()
	count := map[float64]int{}
	if len(p.blocks) == 0 {
		// before the headline blocks are collected: lines wider than
		// the column that another line without punctuation follows
		if p.lineHeadW != 0 {
			return p.lineHeadW
		}
		p.lineHeadW = -1
		for i := 0; i+1 < len(p.lines); i++ {
			a, b := p.lines[i], p.lines[i+1]
			if w := math.Round(a.width*2) / 2; cw > 0 && w > cw+1 && isHeadCand(a) && !hasSentencePunct(b.text) {
				count[w]++
			}
		}
		if best, n := mostCommon(count); n >= 3 {
			p.lineHeadW = best
		}
		return p.lineHeadW
	}
	for _, b := range p.blocks {
		for i := 0; i+1 < len(b.lines); i++ {
			if w := math.Round(b.lines[i].width*2) / 2; cw > 0 && w > cw+1 {
				count[w]++
			}
		}
	}
	best, n := -1.0, 0
	for w, c := range count {
		if c > n || c == n && w < best {
			best, n = w, c
		}
	}
	if n < 3 {
		best = -1
	}
	p.headW = best
	return best
}

// columnWidth is the most common width of the page's body lines (lines
// with sentence punctuation), in em.
func (p *parser) columnWidth() float64 {
	if p.colW != 0 {
		return p.colW
	}
	count := map[float64]int{}
	for _, l := range p.lines {
		if l.kind == lText && hasSentencePunct(l.text) && !endsSentence(l.text) {
			count[math.Round(l.width*2)/2]++
		}
	}
	best, n := -1.0, 0
	for w, c := range count {
		if c > n || c == n && w < best {
			best, n = w, c
		}
	}
	if n < 3 {
		best = -1
	}
	p.colW = best
	return best
}

// mostCommon returns the key with the highest count (the smaller on a tie).
func mostCommon(count map[float64]int) (float64, int) {
	best, n := -1.0, 0
	for w, c := range count {
		if c > n || c == n && w < best {
			best, n = w, c
		}
	}
	return best, n
}

// brokenTitle reports whether b continues the headline line a (one title
// broken over two lines): the four characters across the break occur in
// the story, or the lines are of equal width and the two across the break do.
func brokenTitle(a, b hline, d *draft) bool {
	if subtitleRe.MatchString(b.text) || kickerEndRe.MatchString(a.text) {
		return false
	}
	ra, rb := []rune(hanOnly(a.text)), []rune(hanOnly(b.text))
	if len(ra) < 2 || len(rb) < 2 {
		return false
	}
	body := hanOnly(strings.Join(d.texts, ""))
	across4 := string(ra[len(ra)-2:]) + string(rb[:2])
	across2 := string(ra[len(ra)-1:]) + string(rb[:1])
	dw := math.Abs(a.width - b.width)
	switch {
	case strings.Contains(body, across4):
		return true
	case dw <= 1.5 && strings.Contains(body, across2):
		return true
	case dw <= 0.5 && a.width >= 8:
		return true
	}
	return false
}
