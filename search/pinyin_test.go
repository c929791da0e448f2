package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPinyinWordsPlaces(t *testing.T) {
	a := testAnalyzer(t)
	got := a.pinyinWords("吕梁市离石区召开会议")
	want := []string{"吕梁市", "吕梁", "离石区", "离石"}
	if !slices.Equal(got, want) {
		t.Fatalf("pinyinWords = %q, want %q", got, want)
	}
	for _, w := range []string{"召开", "会议"} {
		if slices.Contains(got, w) {
			t.Errorf("pinyinWords returned ordinary word %q", w)
		}
	}
}

func TestPinyinWordsOrdinaryWords(t *testing.T) {
	a := testAnalyzer(t)
	// Dictionary words, but not proper nouns; single characters never.
	for _, text := range []string{"会议", "召开会议", "今天天气很好", "市", "2023年 hello"} {
		if got := a.pinyinWords(text); len(got) != 0 {
			t.Errorf("pinyinWords(%q) = %q, want none", text, got)
		}
	}
}

func TestPinyinWordsUserDictAndTraditional(t *testing.T) {
	a := testAnalyzer(t)
	// 冯成定 and 张广勇 are nr in testdata/userdict.txt; 呂梁市 is
	// traditional script and folds to 吕梁市; repeated words come once.
	got := a.pinyinWords("冯成定在呂梁市会见张广勇", "吕梁市冯成定")
	want := []string{"冯成定", "吕梁市", "吕梁", "张广勇"}
	if !slices.Equal(got, want) {
		t.Fatalf("pinyinWords = %q, want %q", got, want)
	}
}

func TestPinyinWordsBound(t *testing.T) {
	a := testAnalyzer(t)
	// Distinct place names from the dictionary, each alone between
	// commas so that it is segmented as itself.
	var names []string
	for _, tok := range a.seg.Dict.Tokens {
		w := tok.Text()
		if tok.Pos() == "ns" && tok.Freq() >= 100 && utf8.RuneCountInString(w) == 2 && len(a.pinyinWords(w)) == 1 {
			names = append(names, w)
			if len(names) == 3*maxPinyinWords {
				break
			}
		}
	}
	if len(names) <= maxPinyinWords {
		t.Fatalf("only %d place names found for the test", len(names))
	}
	got := a.pinyinWords(strings.Join(names, "，"))
	if len(got) != maxPinyinWords {
		t.Fatalf("pinyinWords returned %d words, want the bound %d", len(got), maxPinyinWords)
	}
	if !slices.Equal(got, names[:maxPinyinWords]) {
		t.Errorf("pinyinWords is not the first %d words in order:\n got %q\nwant %q", maxPinyinWords, got, names[:maxPinyinWords])
	}
	// The bound holds across texts too.
	if got := a.pinyinWords(names...); len(got) != maxPinyinWords {
		t.Errorf("pinyinWords over %d texts returned %d words", len(names), len(got))
	}
}

func TestPinyinKeys(t *testing.T) {
	a := testAnalyzer(t)
	for _, c := range []struct {
		word string
		want []string
	}{
		{"吕梁", []string{"lvliang", "ll"}},
		{"吕梁市", []string{"lvliangshi", "lls"}},
		{"离石区", []string{"lishiqu", "lsq"}},
		{"冯成定", []string{"fengchengding", "fcd"}},
		{"张广勇", []string{"zhangguangyong", "zgy"}},
		{"中阳县", []string{"zhongyangxian", "zyx"}},
		{"女", []string{"nv", "n"}},
		{"阿", []string{"a"}}, // full pinyin and initials coincide
		{"", nil},
		{"吕梁A", nil},
		{"吕 梁", nil},
		{"abc", nil},
	} {
		if got := pinyinKeys(c.word); !slices.Equal(got, c.want) {
			t.Errorf("pinyinKeys(%q) = %q, want %q", c.word, got, c.want)
		}
		// the analyzer's memo gives the same keys, on first use and after
		for range 2 {
			if got := a.pinyinKeys(c.word); !slices.Equal(got, c.want) {
				t.Errorf("Analyzer.pinyinKeys(%q) = %q, want %q", c.word, got, c.want)
			}
		}
	}
}

// TestSyllableMemo checks the memo against go-pinyin over characters of
// the whole range it keeps and outside it (extension B, Latin, kana).
func TestSyllableMemo(t *testing.T) {
	m := new(syllableMemo)
	var rs []rune
	for r := rune(memoLo - 3); r < memoHi+3; r += 7 {
		rs = append(rs, r)
	}
	rs = append(rs, 0x20000, 0x2A6D6, 'a', 'の', '〇')
	for _, r := range rs {
		want := syllable(r)
		for range 2 {
			if got := m.of(r); got != want {
				t.Fatalf("memo of %U = %q, want %q", r, got, want)
			}
		}
	}
}

func TestPinyinKeysOfTraditionalText(t *testing.T) {
	a := testAnalyzer(t)
	var keys []string
	for _, w := range a.pinyinWords("呂梁市") {
		keys = append(keys, pinyinKeys(w)...)
	}
	want := []string{"lvliangshi", "lls", "lvliang", "ll"}
	if !slices.Equal(keys, want) {
		t.Fatalf("keys of 呂梁市 = %q, want %q", keys, want)
	}
}

func TestPinyinQuery(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"LvLiang", "lvliang", true},
		{"lü liang", "lvliang", true},
		{"LÜ LIANG", "lvliang", true},
		{"lu:liang", "lvliang", true},
		{"lu\u0308liang", "lvliang", true},
		{"xi'an", "xian", true},
		{"xi’an", "xian", true},
		{"li-shi-qu", "lishiqu", true},
		{" ll ", "ll", true},
		{"lsq", "lsq", true},
		{"ｌｖｌｉａｎｇ", "lvliang", true}, // full-width letters fold
		{strings.Repeat("a", 40), strings.Repeat("a", 40), true},
		{strings.Repeat("a", 41), "", false},
		{"a", "", false},
		{"a '-", "", false},
		{"", "", false},
		{"2023", "", false},
		{"lvliang2023", "", false},
		{"吕梁", "", false},
		{"lv梁", "", false},
		{"lv.liang", "", false},
		{"lv:liang", "", false},
		{"café", "", false},
		{"lv+liang", "", false},
	} {
		got, ok := pinyinQuery(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("pinyinQuery(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestPinyinRoundTrip checks that a pinyin query meets the keys of the
// word it spells, however the reader types ü.
func TestPinyinRoundTrip(t *testing.T) {
	a := testAnalyzer(t)
	words := a.pinyinWords("吕梁市离石区")
	var keys []string
	for _, w := range words {
		keys = append(keys, pinyinKeys(w)...)
	}
	for _, q := range []string{"Lü Liang", "lu:liang shi", "LLS", "li shi qu", "lsq"} {
		k, ok := pinyinQuery(q)
		if !ok || !slices.Contains(keys, k) {
			t.Errorf("query %q (key %q, %v) does not meet keys %q", q, k, ok, keys)
		}
	}
}

// TestPinyinSearchMarksTheName searches in pinyin and requires the Chinese
// name it stands for marked in the hit, and an English word still found as
// text (a clause in Latin letters is a word as well as pinyin).
func TestPinyinSearchMarksTheName(t *testing.T) {
	ix := openTestIndex(t, []Document{
		{ID: "/a/", Kind: "story", Title: "离石区高考首日", Body: "6月7日，离石区考点秩序井然。"},
		{ID: "/b/", Kind: "story", Title: "CEO访谈", Body: "企业CEO谈营商环境。"},
	})
	res := search(t, ix, Query{Q: "lishiqu"})
	if got := ids(res); !slices.Equal(got, []string{"/a/"}) {
		t.Fatalf("lishiqu: %v", got)
	}
	if h := res.Hits[0]; !strings.Contains(h.TitleHTML, "<mark>离石区</mark>") || !strings.Contains(h.Snippet, "<mark>离石区</mark>") {
		t.Fatalf("marks: %q / %q", h.TitleHTML, h.Snippet)
	}
	if got := ids(search(t, ix, Query{Q: "ceo"})); !slices.Equal(got, []string{"/b/"}) {
		t.Fatalf("ceo: %v", got)
	}
	if got := ids(search(t, ix, Query{Q: "-lishiqu 高考"})); len(got) != 0 {
		t.Fatalf("-lishiqu 高考: %v", got)
	}
}
