package search

import (
	"strings"
	"unicode/utf8"
)

// matchSpans returns the byte spans of text that the query units match,
// found the way the index finds them, so Search needs no term locations
// from Bleve (the index stores none, which keeps it small and queries
// fast). A word unit matches where the text's own segmentation has the
// word (or, for several words, those words at consecutive positions):
// 市长 is not marked inside 南京市长江大桥. A bigram unit matches its
// characters as a substring. Only the stretches of text around candidate
// occurrences are segmented, so this costs little even for long bodies.
func (a *Analyzer) matchSpans(text string, units []unit) []Span {
	if text == "" || len(units) == 0 {
		return nil
	}
	f := fold(text).joinHan()
	buf := make([]byte, 0, len(f.runes)*3)
	runeAt := make([]int32, 0, len(f.runes)*3+1) // byte offset in fs -> rune index
	for i, r := range f.runes {
		at := len(buf)
		buf = utf8.AppendRune(buf, r) // an invalid rune as U+FFFD, 3 bytes
		for range len(buf) - at {
			runeAt = append(runeAt, int32(i))
		}
	}
	runeAt = append(runeAt, int32(len(f.runes)))
	fs := string(buf)
	m := matcher{a: a, f: f, fs: fs, runeAt: runeAt, regions: map[int]*region{}}
	var out []Span
	for _, u := range units {
		if len(u.words) > 0 {
			out = m.words(u.words, out)
		}
		if u.name != "" {
			out = m.words([]string{u.name}, out)
		}
		if u.chain != "" {
			out = m.bigrams(u, out)
		}
	}
	return out
}

type matcher struct {
	a       *Analyzer
	f       folded
	fs      string  // folded runes as a string
	runeAt  []int32 // byte offset in fs -> rune index
	regions map[int]*region
}

// region is a stretch of text between separators (punctuation, line
// breaks), with its word tokens; segmentation never crosses separators,
// so a region's tokens are the same as in the whole text.
type region struct {
	from, to int     // runes
	toks     []Token // positions relative to the region
	inWord   []bool  // see Analyzer.words
}

func isSeparator(r rune) bool {
	return !isHan(r) && !isWordRune(r) && r != ' ' && r != '\u3000' && r != '.'
}

func (m *matcher) region(at int) *region {
	from := at
	for from > 0 && !isSeparator(m.f.runes[from-1]) {
		from--
	}
	if rg, ok := m.regions[from]; ok {
		return rg
	}
	to := at
	for to < len(m.f.runes) && !isSeparator(m.f.runes[to]) {
		to++
	}
	// the separators around the region go with it: brackets make a
	// byline's names (see Analyzer.nameList)
	key := from
	from, to = max(0, from-1), min(len(m.f.runes), to+1)
	sub := folded{runes: m.f.runes[from:to], start: m.f.start[from:to], end: m.f.end[from:to]}
	rg := &region{from: from, to: to, inWord: make([]bool, to-from)}
	rg.toks = m.a.words(sub, rg.inWord, nil, true)
	m.regions[key] = rg
	return rg
}

// occurrences calls fn with the rune index of every occurrence of w.
func (m *matcher) occurrences(w string, fn func(at int)) {
	if w == "" {
		return
	}
	for off := 0; off < len(m.fs); {
		i := strings.Index(m.fs[off:], w)
		if i < 0 {
			return
		}
		fn(int(m.runeAt[off+i]))
		off += i + len(w)
	}
}

// words marks where the word tokens of the text spell words at consecutive
// positions (sub-words count at their parent's position, as in the index).
func (m *matcher) words(words []string, out []Span) []Span {
	seen := map[int]bool{}
	m.occurrences(words[0], func(at int) {
		rg := m.region(at)
		if seen[rg.from] {
			return
		}
		seen[rg.from] = true
		for i, t := range rg.toks {
			if t.Term != words[0] {
				continue
			}
			start, end, pos := t.Start, t.End, t.Position
			ok := true
			for _, w := range words[1:] {
				pos++
				found := false
				for _, u := range rg.toks[i+1:] {
					if u.Position > pos {
						break
					}
					if u.Position == pos && u.Term == w {
						end, found = max(end, u.End), true
						break
					}
				}
				if !found {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, Span{start, end})
			}
		}
	})
	return out
}

// bigrams marks where the text holds the characters of a bigram unit as
// the bigram field does: a lone character standing alone between
// non-Chinese characters, or a chain of characters whose every required
// pair is indexed (not inside the text's dictionary words).
func (m *matcher) bigrams(u unit, out []Span) []Span {
	chain := []rune(u.chain)
	n := len(chain)
	if n == 1 && len(u.bigrams) == 1 || n > 1 && len(u.bigrams) == n-1 {
		// aligned: one lone character, or one term per pair
	} else {
		return out
	}
	m.occurrences(u.chain, func(at int) {
		if n == 1 {
			if at > 0 && isHan(m.f.runes[at-1]) || at+1 < len(m.f.runes) && isHan(m.f.runes[at+1]) {
				return
			}
		} else {
			rg := m.region(at)
			for k, b := range u.bigrams {
				i := at - rg.from + k
				if b != "" && rg.inWord[i] && rg.inWord[i+1] {
					return
				}
			}
		}
		out = append(out, Span{m.f.start[at], m.f.end[at+n-1]})
	})
	return out
}
