package search

import (
	"math"
	"unicode/utf8"
	"unsafe"

	"github.com/go-ego/gse"
)

// cut segments a run of Chinese characters as gse's CutDAGNoHMM does (the
// same dictionary DAG and the same maximum-probability route, ties and
// quirks included; TestCutMatchesGse checks it), but for one thing: a
// single-character function word (不, 和, 并, 某 …) weighs as the word it
// is, not with the frequency 2 that gse gives every single character (see
// functionWeight). It returns the length in runes of each word. gse builds the DAG with a
// dictionary lookup from the root for every prefix at every position, in
// maps, allocating a string per lookup; here each position walks the trie
// once (Dictionary.LookupTokens) into reused slices, which makes indexing
// about twice as fast.
func (a *Analyzer) cut(run []rune, c *cutter) []int { return a.cutRoute(run, c, true, a.fnFreq) }

// cutParts is cut without the word that spans the whole run: how a
// dictionary word divides into smaller ones.
func (a *Analyzer) cutParts(run []rune, c *cutter) []int { return a.cutRoute(run, c, false, a.fnFreq) }

// cutGse is gse's own route, single characters all at frequency 2.
func (a *Analyzer) cutGse(run []rune, c *cutter) []int { return a.cutRoute(run, c, true, nil) }

func (a *Analyzer) cutRoute(run []rune, c *cutter, whole bool, fn map[rune]float64) []int {
	n := len(run)
	c.reset(run)
	maxLen := a.seg.Dict.MaxTokenLen()
	if len(c.toks) < maxLen {
		c.toks = make([]*gse.Token, maxLen)
	}
	logT := math.Log(a.seg.Dict.TotalFreq())
	// best route from each position to the end, computed backwards
	c.score[n], c.next[n] = 0, n
	for k := n - 1; k >= 0; k-- {
		words := c.texts[k:min(n, k+maxLen)]
		found := a.seg.Dict.LookupTokens(words, c.toks)
		best, bestEnd, any := math.Inf(-1), -1, false
		for _, t := range c.toks[:found] {
			f := t.Freq()
			if f <= 0 {
				continue
			}
			end := c.runeEnd(k, a.tokenBytes(t))
			if end < 0 || !whole && k == 0 && end == n {
				continue
			}
			any = true
			if end == k+1 && fn != nil {
				if g, ok := fn[run[k]]; ok {
					f = g
				}
			}
			s := math.Log(f) - logT + c.score[end]
			// gse keeps the later (longer) word on a tie
			if bestEnd < 0 || s > best || s == best {
				best, bestEnd = s, end
			}
		}
		if !any {
			// no word starts here: the character alone, scored as gse
			// does (a prefix of longer words has frequency 0: log 0)
			f, _, ok := a.seg.Dict.Find(c.texts[k])
			if !ok {
				f = 1
			}
			best, bestEnd = math.Log(f)-logT+c.score[k+1], k+1
		}
		c.score[k], c.next[k] = best, bestEnd
	}
	out := c.lens[:0]
	for k := 0; k < n; k = c.next[k] {
		out = append(out, c.next[k]-k)
	}
	c.lens = out
	return out
}

// tokenBytes returns the length in bytes of a dictionary word. Token.Text
// builds a new string on every call, which was a tenth of the cost of
// indexing, so the lengths are precomputed by index in Dictionary.Tokens
// (never appended to after NewAnalyzer).
func (a *Analyzer) tokenBytes(t *gse.Token) int {
	toks := a.seg.Dict.Tokens
	if len(toks) > 0 && len(a.tokLen) == len(toks) {
		i := (uintptr(unsafe.Pointer(t)) - uintptr(unsafe.Pointer(&toks[0]))) / unsafe.Sizeof(toks[0])
		if i < uintptr(len(toks)) && &toks[i] == t {
			return int(a.tokLen[i])
		}
	}
	return len(t.Text())
}

// tokenLengths computes what tokenBytes looks up.
func tokenLengths(toks []gse.Token) []uint16 {
	out := make([]uint16, len(toks))
	for i := range toks {
		out[i] = uint16(min(len(toks[i].Text()), math.MaxUint16))
	}
	return out
}

// cutter holds the buffers of cut, reused across runs of one text.
type cutter struct {
	buf   []byte
	texts []gse.Text // the UTF-8 bytes of each rune
	offs  []int      // byte offset of each rune in buf, and len(buf)
	score []float64
	next  []int
	toks  []*gse.Token
	lens  []int
	names []bool
}

func (c *cutter) reset(run []rune) {
	c.buf, c.texts, c.offs = c.buf[:0], c.texts[:0], c.offs[:0]
	for _, r := range run {
		c.offs = append(c.offs, len(c.buf))
		c.buf = utf8.AppendRune(c.buf, r)
	}
	c.offs = append(c.offs, len(c.buf))
	for i := range run {
		c.texts = append(c.texts, gse.Text(c.buf[c.offs[i]:c.offs[i+1]]))
	}
	if cap(c.score) < len(run)+1 {
		c.score = make([]float64, len(run)+1)
		c.next = make([]int, len(run)+1)
	}
	c.score, c.next = c.score[:len(run)+1], c.next[:len(run)+1]
}

// runeEnd returns the rune index where a word of nbytes bytes starting at
// rune k ends, or -1 if that is not a rune boundary.
func (c *cutter) runeEnd(k, nbytes int) int {
	want := c.offs[k] + nbytes
	for e := k + 1; e < len(c.offs); e++ {
		switch {
		case c.offs[e] == want:
			return e
		case c.offs[e] > want:
			return -1
		}
	}
	return -1
}
