package search

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseQuery(t *testing.T) {
	cases := []struct {
		in   string
		want []Clause
	}{
		{`营商环境 -投诉`, []Clause{{Text: "营商环境"}, {Text: "投诉", Exclude: true}}},
		{`"一件事 一次办" 吕梁`, []Clause{{Text: "一件事 一次办", Phrase: true}, {Text: "吕梁"}}},
		{`“文化强国”`, []Clause{{Text: "文化强国", Phrase: true}}},
		{`-"生态环境"`, []Clause{{Text: "生态环境", Phrase: true, Exclude: true}}},
		{`"营商环境`, []Clause{{Text: "营商环境", Phrase: true}}}, // unterminated: lenient
		{`COVID-19 - 疫情`, []Clause{{Text: "COVID-19"}, {Text: "-"}, {Text: "疫情"}}},
		{`营商环境"一件事"`, []Clause{{Text: "营商环境"}, {Text: "一件事", Phrase: true}}},
		{"　吕梁　离石　", []Clause{{Text: "吕梁"}, {Text: "离石"}}}, // ideographic spaces
		{`""`, nil},
	}
	for _, c := range cases {
		pq, err := ParseQuery(c.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(pq.Clauses, c.want) {
			t.Errorf("ParseQuery(%q) = %+v, want %+v", c.in, pq.Clauses, c.want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	for name, in := range map[string]string{
		"too long":     strings.Repeat("吕", MaxQueryRunes+1),
		"too many":     strings.TrimSpace(strings.Repeat("a ", MaxQueryTerms+1)),
		"invalid utf8": "吕梁\xff",
	} {
		if _, err := ParseQuery(in); !errors.Is(err, ErrBadQuery) {
			t.Errorf("%s: err = %v, want ErrBadQuery", name, err)
		}
	}
	if _, err := ParseQuery(strings.Repeat("吕", MaxQueryRunes)); err != nil {
		t.Errorf("query of exactly %d characters: %v", MaxQueryRunes, err)
	}
}

func TestRecogniseCode(t *testing.T) {
	cases := []struct {
		in   string
		code string
		kind CodeKind
	}{
		{"吕政发〔2023〕12号", "吕政发〔2023〕12号", CodeDocNumber},
		{"吕政发[2023]12号", "吕政发〔2023〕12号", CodeDocNumber},
		{"吕政发（２０２３）１２号", "吕政发〔2023〕12号", CodeDocNumber},
		{"呂政發【2023】12號", "吕政发〔2023〕12号", CodeDocNumber},
		{" 吕政发 〔2023〕 12号 ", "吕政发〔2023〕12号", CodeDocNumber},
		{"91141100ma0l1b2c3d", "91141100MA0L1B2C3D", CodeCreditCode},
		{"９１１４１１００ＭＡ０Ｌ１Ｂ２Ｃ３Ｄ", "91141100MA0L1B2C3D", CodeCreditCode},
		{"91141100MA0L1B2C3", "", CodeNone},  // 17 characters
		{"91141100MA0L1B2COD", "", CodeNone}, // O is not allowed
		{"吕政发12号", "", CodeNone},
		{"营商环境", "", CodeNone},
	}
	for _, c := range cases {
		pq, err := ParseQuery(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if pq.Code != c.code || pq.CodeKind != c.kind {
			t.Errorf("ParseQuery(%q) code = %q %q, want %q %q", c.in, pq.Code, pq.CodeKind, c.code, c.kind)
		}
	}
}

func TestUnits(t *testing.T) {
	ix := &Index{an: testAnalyzer(t)}
	cases := []struct {
		clause Clause
		want   []unit
	}{
		// dictionary word: word fields only, never the bigram fallback
		{Clause{Text: "市长"}, []unit{{words: []string{"市长"}}}},
		// several words: each required (ANDed by the caller)
		{Clause{Text: "营商环境"}, []unit{{words: []string{"营商"}}, {words: []string{"环境"}}}},
		// unknown name: word phrase or bigram phrase
		// a person name the dictionary does not know is one word, with
		// its bigrams as the alternative, beginning on a word boundary
		{Clause{Text: "尤秀平"}, []unit{{words: []string{"尤秀平"}, bigrams: []string{"|尤秀", "秀平"}, chain: "尤秀平"}}},
		// number + measure word, and a lone character tied to its neighbour
		{Clause{Text: "198个村"}, []unit{{words: []string{"198个"}}, {words: []string{"村"}, bigrams: []string{"个村"}, chain: "个村", tied: true}}},
		// quoted: one phrase
		{Clause{Text: "吕梁市 离石区", Phrase: true}, []unit{{words: []string{"吕梁市", "离石区"}}}},
		{Clause{Text: "＊？"}, nil},
		// a lone function word is dropped, not tied to its neighbour
		{Clause{Text: "我市的营商"}, []unit{{words: []string{"我市"}}, {words: []string{"营商"}}}},
		{Clause{Text: "的"}, []unit{{words: []string{"的"}, bigrams: []string{"的"}, chain: "的"}}},
		// quoted with an unknown word: the bigram phrase skips (with "")
		// the pairs inside the dictionary words, which the index leaves out
		{Clause{Text: "尤秀平市长", Phrase: true}, []unit{{words: []string{"尤秀平", "市长"}, bigrams: []string{"|尤秀", "秀平", "平市", ""}, chain: "尤秀平市长"}}},
	}
	if !pruneBigrams {
		cases[len(cases)-1].want[0].bigrams[3] = "市长"
	}
	for _, c := range cases {
		if got := ix.units(c.clause); !reflect.DeepEqual(got, c.want) {
			t.Errorf("units(%+v) = %+v, want %+v", c.clause, got, c.want)
		}
	}
}
