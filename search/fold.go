package search

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// tsCharactersTxt is OpenCC's TSCharacters.txt (Apache License 2.0,
// https://github.com/BYVoid/OpenCC), one "traditional<TAB>simplified [alt…]"
// entry per line. It is copied here rather than imported through
// github.com/longbridgeapp/opencc because that package registers a global
// "-dir" command-line flag at init, which would collide with the flags of
// whatever binary links this package.
//
//go:embed ts_characters.txt
var tsCharactersTxt string

// tsTable returns the traditional→simplified character table. It is built
// once on first use and never modified afterwards (an immutable table, not
// mutable state), so it is safe to share between indexes and goroutines.
var tsTable = sync.OnceValue(func() map[rune]rune {
	m := make(map[rune]rune, 4200)
	for _, line := range strings.Split(tsCharactersTxt, "\n") {
		from, to, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if !ok {
			continue
		}
		f, fn := utf8.DecodeRuneInString(from)
		if fn != len(from) || f == utf8.RuneError {
			continue // only 1:1 character mappings keep offsets simple
		}
		// The first alternative is OpenCC's preferred simplified form.
		to, _, _ = strings.Cut(to, " ")
		t, tn := utf8.DecodeRuneInString(to)
		if tn != len(to) || t == utf8.RuneError || t == f {
			continue
		}
		m[f] = t
	}
	return m
})

// folded is text after search folding (NFKC width folding, traditional→
// simplified, lower case), with a map from every folded rune back to the
// byte span of the original rune it came from. Tokens are cut from the
// folded runes but report offsets in the original text, so highlights land
// on the characters the reader actually sees (繁體 or ＦＵＬＬ-width alike).
type folded struct {
	runes []rune
	start []int // start[i]: byte offset in the original of the rune that produced runes[i]
	end   []int // end[i]: end byte offset of that original rune
}

// tsHan is tsTable for the common CJK ideographs (U+4E00–U+9FFF) as an
// array, 0 where a character has no simplified form: folding looks up
// every character of every document, and an array is much faster than a
// map.
var tsHan = sync.OnceValue(func() *[0x9FFF - 0x4E00 + 1]rune {
	var t [0x9FFF - 0x4E00 + 1]rune
	for f, s := range tsTable() {
		if f >= 0x4E00 && f <= 0x9FFF {
			t[f-0x4E00] = s
		}
	}
	return &t
})

// fold normalises s for indexing and querying. It works rune by rune, so
// every output rune can be traced back to exactly one input rune; NFKC
// expansions (e.g. ㍻ → 平成) give several output runes the same span.
func fold(s string) folded {
	f := folded{
		runes: make([]rune, 0, len(s)/2),
		start: make([]int, 0, len(s)/2),
		end:   make([]int, 0, len(s)/2),
	}
	ts := tsTable()
	han := tsHan()
	symbols := symbolTable()
	for i, r := range s {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
		}
		push := func(x rune) {
			f.runes = append(f.runes, x)
			f.start = append(f.start, i)
			f.end = append(f.end, i+size)
		}
		switch {
		case r < utf8.RuneSelf:
			push(unicode.ToLower(r))
		case r >= 0x4E00 && r <= 0x9FFF:
			// Common CJK ideographs are NFKC-stable; only T→S applies.
			if t := han[r-0x4E00]; t != 0 {
				r = t
			}
			push(r)
		default:
			xs, ok := symbols.of(r)
			if !ok {
				xs = foldRune(r, ts)
			}
			for _, x := range xs {
				push(x)
			}
		}
	}
	return f
}

// foldRune is what fold makes of a character that is neither ASCII nor a
// common CJK ideograph.
func foldRune(r rune, ts map[rune]rune) []rune {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if norm.NFKC.IsNormal(buf[:n]) {
		if t, ok := ts[r]; ok {
			r = t
		}
		return []rune{unicode.ToLower(r)}
	}
	var out []rune
	for _, x := range norm.NFKC.String(string(r)) {
		if t, ok := ts[x]; ok {
			x = t
		}
		out = append(out, unicode.ToLower(x))
	}
	return out
}

// symbolRanges are where the punctuation and symbols of Chinese text lie:
// general punctuation (“”…—), CJK symbols and punctuation (、。《》), and
// full-width forms (，：１Ａ). They are a tenth of a news text, and
// normalising each through NFKC was a third of the cost of folding it.
var symbolRanges = [...][2]rune{{0x2000, 0x3100}, {0xFF00, 0xFFF0}}

// symbolMemo holds foldRune of every character of symbolRanges, in the
// order of the ranges.
type symbolMemo [][]rune

// of returns the folded runes of r if r is in symbolRanges.
func (m symbolMemo) of(r rune) ([]rune, bool) {
	k := 0
	for _, rg := range symbolRanges {
		if r >= rg[0] && r < rg[1] {
			return m[k+int(r-rg[0])], true
		}
		k += int(rg[1] - rg[0])
	}
	return nil, false
}

// symbolTable builds the symbolMemo once, on first use; it is never
// modified afterwards.
var symbolTable = sync.OnceValue(func() symbolMemo {
	ts := tsTable()
	var m symbolMemo
	for _, rg := range symbolRanges {
		for r := rg[0]; r < rg[1]; r++ {
			m = append(m, foldRune(r, ts))
		}
	}
	return m
})

// Fold returns the search-folded form of s: full-width and compatibility
// characters in their NFKC form, traditional Chinese characters in their
// simplified form and letters in lower case. It is what the analyzer sees,
// exported so callers can normalise keys the same way.
func Fold(s string) string {
	return string(fold(s).runes)
}

// isHan reports whether r is a Chinese character (ideograph).
func isHan(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return r > 0x2E80 && unicode.Is(unicode.Han, r)
}

// isWordRune reports whether r belongs to a non-Chinese word (letters of
// other scripts, digits); such runs are indexed whole.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z'
	}
	return !isHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// joinHan drops white space (at most two characters, no line break) between
// two Chinese characters. Chinese is written without spaces; those found in
// archive text are PDF justification artefacts (发 展 工 程) that would
// otherwise split every word into single characters. The offsets of the
// remaining runes are untouched, so a word across the gap still highlights
// the original span, gap included.
func (f folded) joinHan() folded {
	isGap := func(r rune) bool { return r == ' ' || r == '\u3000' }
	// Most texts have no such gap: they are returned as they are, not
	// copied (copying a long body rune by rune was a third of the cost
	// of its snippet).
	first := -1
	for i := 1; i < len(f.runes); i++ {
		if isGap(f.runes[i]) && isHan(f.runes[i-1]) {
			first = i
			break
		}
	}
	if first < 0 {
		return f
	}
	n := len(f.runes)
	out := folded{runes: make([]rune, 0, n), start: make([]int, 0, n), end: make([]int, 0, n)}
	for i := 0; i < len(f.runes); i++ {
		if isGap(f.runes[i]) && i > 0 && isHan(f.runes[i-1]) {
			j := i
			for j < len(f.runes) && j-i < 2 && isGap(f.runes[j]) {
				j++
			}
			if j < len(f.runes) && isHan(f.runes[j]) {
				i = j - 1
				continue
			}
		}
		out.runes = append(out.runes, f.runes[i])
		out.start = append(out.start, f.start[i])
		out.end = append(out.end, f.end[i])
	}
	return out
}
