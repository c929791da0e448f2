package search

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	cases := map[string]string{
		"呂梁市離石區":    "吕梁市离石区",
		"２０２３年ＧＤＰ":  "2023年gdp",
		"傘頭秧歌":      "伞头秧歌",
		"ABC　def":   "abc def", // ideographic space → space
		"吕政发（２０２３）": "吕政发(2023)",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	// every folded rune maps back to the original rune it came from
	in := "離Ａ石"
	f := fold(in)
	if len(f.runes) != 3 {
		t.Fatalf("runes %q", string(f.runes))
	}
	for i, want := range []string{"離", "Ａ", "石"} {
		if got := in[f.start[i]:f.end[i]]; got != want {
			t.Errorf("rune %d maps to %q, want %q", i, got, want)
		}
	}
}

// terms lists the terms of toks, primary or sub.
func terms(toks []Token, sub bool) []string {
	var out []string
	for _, tk := range toks {
		if tk.Sub == sub {
			out = append(out, tk.Term)
		}
	}
	return out
}

func TestWordsSegmentation(t *testing.T) {
	a := testAnalyzer(t)
	cases := []struct {
		in      string
		primary []string
		absent  []string // must not be a token at all
	}{
		{"南京市长江大桥", []string{"南京市", "长江大桥"}, []string{"市长"}},
		{"城市场所", []string{"城市", "场所"}, []string{"市场"}},
		{"体育用品店的乒乓球拍卖完了", nil, []string{"拍卖"}},
		{"吕梁市离石区", []string{"吕梁市", "离石区"}, nil},
		{"柳林县孝义市", []string{"柳林县", "孝义市"}, nil},
		{"村民冯成定说", []string{"村民", "冯成定", "说"}, nil}, // user dictionary
		{"民 心 工 程　建设", []string{"民心工程", "建设"}, nil}, // PDF justification spaces
	}
	for _, c := range cases {
		toks := a.Words(c.in)
		if c.primary != nil {
			if got := terms(toks, false); !reflect.DeepEqual(got, c.primary) {
				t.Errorf("Words(%q) primary = %q, want %q", c.in, got, c.primary)
			}
		}
		for _, x := range c.absent {
			for _, tk := range toks {
				if tk.Term == x {
					t.Errorf("Words(%q) has %q: %+v", c.in, x, toks)
				}
			}
		}
	}
}

func TestWordsPositionsAndOffsets(t *testing.T) {
	a := testAnalyzer(t)
	in := "呂梁市離石區２０２３年"
	toks := a.Words(in)
	byTerm := map[string]Token{}
	for _, tk := range toks {
		byTerm[tk.Term] = tk
	}
	want := []struct {
		term, orig string
		pos        int
		sub        bool
	}{
		{"吕梁市", "呂梁市", 1, false},
		{"吕梁", "呂梁", 1, true}, // sub-word shares its parent's position
		{"离石区", "離石區", 2, false},
		{"离石", "離石", 2, true},
		{"2023", "２０２３", 3, false},
		{"2023年", "２０２３年", 3, true}, // number + measure word
		{"年", "年", 4, false},
	}
	for _, w := range want {
		tk, ok := byTerm[w.term]
		if !ok {
			t.Errorf("no token %q in %+v", w.term, toks)
			continue
		}
		if got := in[tk.Start:tk.End]; got != w.orig {
			t.Errorf("%q covers %q, want %q", w.term, got, w.orig)
		}
		if tk.Position != w.pos || tk.Sub != w.sub {
			t.Errorf("%q: position %d sub %v, want %d %v", w.term, tk.Position, tk.Sub, w.pos, w.sub)
		}
	}
}

func TestWordsAcrossJustificationSpaces(t *testing.T) {
	a := testAnalyzer(t)
	in := "发 展 工 程 ，也是"
	toks := a.Words(in)
	if toks[0].Term != "发展" || in[toks[0].Start:toks[0].End] != "发 展" {
		t.Errorf("first token %q covers %q", toks[0].Term, in[toks[0].Start:toks[0].End])
	}
	if got := terms(a.Bigrams("民 心"), false); len(got) != 1 || got[0] != "民心" {
		t.Errorf("bigrams across a space: %q", got)
	}
	// a line break is a real boundary
	if got := terms(a.Bigrams("民\n心"), false); len(got) != 2 {
		t.Errorf("bigrams across a line break: %q", got)
	}
}

func TestWordsNumbers(t *testing.T) {
	a := testAnalyzer(t)
	for in, want := range map[string]string{
		"等198个“一件事”":  "198个",
		"共有１９８个村":     "198个",
		"等 198 个村":    "198个", // PDF extraction artefact
		"诉求8.6万件":     "8.6万",
		"1198个行政村":    "1198个",
		"GDP增长5.1%左右": "",
	} {
		var got []string
		for _, tk := range a.Words(in) {
			if tk.Sub && isDigit(rune(tk.Term[0])) {
				got = append(got, tk.Term)
			}
		}
		if want == "" {
			if len(got) != 0 {
				t.Errorf("Words(%q) compounds %q, want none", in, got)
			}
			continue
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("Words(%q) compounds %q, want [%s]", in, got, want)
		}
	}
	// ASCII is lower-cased and kept whole
	if got := terms(a.Words("ＧＤＰ和PM2.5"), false); !reflect.DeepEqual(got, []string{"gdp", "和", "pm2.5"}) {
		t.Errorf("latin words: %q", got)
	}
}

func TestBigrams(t *testing.T) {
	a := testAnalyzer(t)
	in := "尤秀平說，a村"
	toks := a.Bigrams(in)
	want := []string{"尤秀", "秀平", "平说", "a", "村"}
	if got := terms(toks, false); !reflect.DeepEqual(got, want) {
		t.Fatalf("Bigrams = %q, want %q", got, want)
	}
	for i, tk := range toks {
		if tk.Position != i+1 {
			t.Errorf("%q at position %d, want %d", tk.Term, tk.Position, i+1)
		}
	}
	if got := in[toks[2].Start:toks[2].End]; got != "平說" {
		t.Errorf("bigram 平说 covers %q", got)
	}
}

func TestUserDictionary(t *testing.T) {
	a := testAnalyzer(t)
	for w, want := range map[string]bool{"冯成定": true, "离柳焦煤": true, "吕梁市": true, "离石区": true, "交口县": true, "尤秀平": false} {
		if got := a.IsWord(w); got != want {
			t.Errorf("IsWord(%q) = %v, want %v", w, got, want)
		}
	}
	words, err := parseUserDict("# comment\n张广勇 nr\n离柳焦煤 500 nz\n\n馮成定\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []dictWord{{"张广勇", userFreq, "nr"}, {"离柳焦煤", 500, "nz"}, {"冯成定", userFreq, ""}}
	if !reflect.DeepEqual(words, want) {
		t.Errorf("parseUserDict = %+v, want %+v", words, want)
	}
	if _, err := parseUserDict("坏词 -3"); err == nil {
		t.Error("negative frequency accepted")
	}
}

func TestNewAnalyzerUserDictErrors(t *testing.T) {
	// A directory is not a readable dictionary: the error must surface
	// (before the slow dictionary load).
	if _, err := NewAnalyzer(t.TempDir()); err == nil {
		t.Error("NewAnalyzer(dir) succeeded")
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("词 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewAnalyzer(bad); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad dictionary: %v", err)
	}
}

// BenchmarkAnalyze measures the analysis of one field value as indexing
// does it (folding, segmentation with names and sub-words, both fields'
// token streams), over the fixture corpus's bodies and, where the shared
// corpus is present, the first 500 of its real articles.
func BenchmarkAnalyze(b *testing.B) {
	a := testAnalyzer(b)
	run := func(b *testing.B, texts []string) {
		n := 0
		for _, s := range texts {
			n += len(s)
		}
		b.SetBytes(int64(n))
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range texts {
				fa := &fieldAnalysis{an: a, text: s}
				fa.run()
			}
		}
	}
	b.Run("fixture", func(b *testing.B) {
		var texts []string
		for _, d := range loadCorpus(b) {
			texts = append(texts, d.Title, d.Body)
		}
		run(b, texts)
	})
	b.Run("realtext", func(b *testing.B) {
		as := pdArticles(b)
		var texts []string
		for _, x := range as[:min(500, len(as))] {
			texts = append(texts, x.Title, x.Body)
		}
		run(b, texts)
	})
}

// TestFoldSymbols checks fold's table of punctuation and symbols against
// the NFKC route it replaces, for every character of the table and its
// neighbours, each traced back to its own bytes.
func TestFoldSymbols(t *testing.T) {
	ts := tsTable()
	for _, rg := range symbolRanges {
		for r := rg[0] - 2; r < rg[1]+2; r++ {
			if r >= 0xD800 && r < 0xE000 || r >= 0x4E00 && r <= 0x9FFF {
				continue // surrogates are not text; common ideographs take another route
			}
			s := "a" + string(r)
			f := fold(s)
			want := append([]rune{'a'}, foldRune(r, ts)...)
			if !slices.Equal(f.runes, want) {
				t.Fatalf("fold(%U) = %q, want %q", r, string(f.runes[1:]), string(want[1:]))
			}
			for i := 1; i < len(f.runes); i++ {
				if f.start[i] != 1 || f.end[i] != len(s) {
					t.Fatalf("fold(%U): rune %d spans %d–%d, want 1–%d", r, i, f.start[i], f.end[i], len(s))
				}
			}
		}
	}
	if got := Fold("“Ｎｅｗｓ”，１９９８年。"); got != "“news”,1998年。" {
		t.Errorf("Fold = %q", got)
	}
}
