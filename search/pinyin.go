package search

import (
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/mozillazg/go-pinyin"
)

// maxPinyinWords bounds the proper nouns pinyinWords returns per call, so a
// very long body (a full-page list of names) cannot blow up the pinyin
// terms indexed for one document.
const maxPinyinWords = 64

// Bounds of a pinyin query key (pinyinQuery): one letter matches far too
// much to be a name's initials, and a real name's full pinyin is short.
const (
	minPinyinQuery = 2
	maxPinyinQuery = 40
)

// properNounPOS are the gse/jieba part-of-speech tag prefixes of proper
// nouns: nr person (nrt, nrfg ...), ns place, nt organisation, nz other
// proper name. Readers type these, and only these, in pinyin; ordinary
// words in pinyin would mostly add noise.
var properNounPOS = []string{"nr", "ns", "nt", "nz"}

// pinyinArgs renders each character in its first (most common) reading
// without tone marks (Style Normal, ü as v). A polyphonic character in a
// name may really be read otherwise (单 as shan); the first reading is a
// deliberate simplification, and it is what most input methods offer first.
var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	a.Heteronym = false
	a.Fallback = func(rune, pinyin.Args) []string { return nil }
	return a
}()

// pinyinWords returns the distinct proper nouns of texts, in order of first
// occurrence: the word-field tokens (primary and sub-words, e.g. 吕梁市 and
// 吕梁) of two or more Chinese characters whose dictionary part of speech
// is a person, place, organisation or other proper name. Terms are folded
// (simplified script). At most maxPinyinWords are returned.
func (a *Analyzer) pinyinWords(texts ...string) []string {
	var out []string
	seen := make(map[string]struct{})
	for _, text := range texts {
		for _, t := range a.Words(text) {
			if _, dup := seen[t.Term]; dup || !a.properNoun(t.Term) {
				continue
			}
			seen[t.Term] = struct{}{}
			out = append(out, t.Term)
			if len(out) == maxPinyinWords {
				return out
			}
		}
	}
	return out
}

// properNoun reports whether the folded term w is a dictionary proper noun
// of at least two Chinese characters (see properNounPOS).
func (a *Analyzer) properNoun(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for _, r := range w {
		if !isHan(r) {
			return false
		}
	}
	// Find also answers ok for a prefix of a word (freq 0, no POS), so
	// the frequency is checked too.
	freq, pos, ok := a.seg.Find(w)
	if !ok || freq <= 0 {
		return false
	}
	for _, p := range properNounPOS {
		if strings.HasPrefix(pos, p) {
			return true
		}
	}
	return false
}

// pinyinKeys returns the pinyin lookup keys of a Chinese word: its full
// pinyin without tones or separators (吕梁 → lvliang) and its initials
// (吕梁 → ll), lower case, ü written v, duplicates removed. Initials are
// the first letter of each syllable (zh, ch, sh count as z, c, s, as in
// pinyin input methods). It returns nil unless every character has a
// reading.
func pinyinKeys(word string) []string { return keysOf(word, syllable) }

// pinyinKeys is pinyinKeys with the syllables of the analyzer's memo.
func (a *Analyzer) pinyinKeys(word string) []string { return keysOf(word, a.syllables.of) }

func keysOf(word string, syllableOf func(rune) string) []string {
	if word == "" {
		return nil
	}
	var full, initials strings.Builder
	for _, r := range word {
		if !isHan(r) {
			return nil
		}
		s := syllableOf(r)
		if s == "" {
			return nil
		}
		full.WriteString(s)
		initials.WriteByte(s[0])
	}
	f, i := full.String(), initials.String()
	if f == i {
		return []string{f}
	}
	return []string{f, i}
}

// syllable is the pinyin of a character as pinyinKeys writes it (its
// first reading, lower case, without tones, ü as v), or "" when it has
// none.
func syllable(r rune) string {
	py := pinyin.SinglePinyin(r, pinyinArgs)
	if len(py) == 0 || py[0] == "" {
		return ""
	}
	return normalizeV(strings.ToLower(py[0]))
}

// The characters whose syllables a syllableMemo keeps: the CJK unified
// ideographs and extension A, nearly all of the text.
const (
	memoLo = 0x3400
	memoHi = 0xA000
)

// syllableMemo remembers syllable for each character once computed:
// go-pinyin renders a reading through regular expressions, which made the
// pinyin keys a tenth of the cost of analysing a document. Entries are
// filled on first use, from any goroutine (a race only computes the same
// value twice).
type syllableMemo struct {
	t [memoHi - memoLo]atomic.Pointer[string]
}

func (m *syllableMemo) of(r rune) string {
	if r < memoLo || r >= memoHi {
		return syllable(r)
	}
	p := &m.t[r-memoLo]
	if s := p.Load(); s != nil {
		return *s
	}
	s := syllable(r)
	p.Store(&s)
	return s
}

// normalizeV writes ü (and its ASCII spellings u: and the combining
// diaeresis form) as v, the form pinyin input methods and go-pinyin's
// Normal style use, so every spelling of 吕 meets as lv.
func normalizeV(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r >= utf8.RuneSelf || r == ':' }) < 0 {
		return s
	}
	return strings.NewReplacer("ü", "v", "u\u0308", "v", "u:", "v").Replace(s)
}

// pinyinQuery recognises a query clause typed in pinyin ("LvLiang",
// "lü liang", "xi'an", "ll") and returns its key in the form pinyinKeys
// produces: lower case, without spaces, apostrophes or hyphens, ü as v.
// It reports false for anything else (digits, Chinese characters, other
// symbols) and for keys outside 2–40 letters.
func pinyinQuery(s string) (string, bool) {
	s = normalizeV(Fold(s))
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			if b.Len() == maxPinyinQuery {
				return "", false
			}
			b.WriteRune(r)
		case unicode.IsSpace(r), r == '\'', r == '\u2018', r == '\u2019', r == '-':
			// separators between syllables or words
		default:
			return "", false
		}
	}
	if b.Len() < minPinyinQuery {
		return "", false
	}
	return b.String(), true
}

// pinyinField is the field of a document's pinyin keys: those of the
// proper nouns (pinyinWords) of its text fields.
const pinyinField = "py"

// pinyinBoost ranks a match by pinyin below the same word typed in
// Chinese: initials in particular (ll) stand for many names.
const pinyinBoost = 0.5

// pinyinAnalyzer turns the proper nouns of a document's analysed fields
// into the pinyin field's tokens. It reuses the fields' segmentation
// (fieldAnalysis runs once per field), so pinyin costs one dictionary
// lookup per distinct token, not a second segmentation.
type pinyinAnalyzer struct{ fields []*fieldAnalysis }

func (p pinyinAnalyzer) Analyze([]byte) analysis.TokenStream {
	seen := map[string]bool{}
	var ts analysis.TokenStream
	names := 0
	for _, fa := range p.fields {
		fa.once.Do(fa.run)
		for _, t := range fa.words {
			if seen[string(t.Term)] {
				continue
			}
			w := string(t.Term)
			seen[w] = true
			if !fa.an.properNoun(w) {
				continue
			}
			for _, k := range fa.an.pinyinKeys(w) {
				ts = append(ts, &analysis.Token{Term: []byte(k), Position: len(ts) + 1, Type: analysis.AlphaNumeric})
			}
			if names++; names == maxPinyinWords {
				return ts
			}
		}
	}
	return ts
}

// pinyinMarks returns, for highlighting, the proper nouns of the texts
// whose pinyin keys include one of keys.
func (a *Analyzer) pinyinMarks(keys []string, texts ...string) []unit {
	var out []unit
	for _, w := range a.pinyinWords(texts...) {
		for _, k := range a.pinyinKeys(w) {
			if slices.Contains(keys, k) {
				out = append(out, unit{words: []string{w}})
				break
			}
		}
	}
	return out
}
