package importer

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The 1998 corpus (../shared/corpora/pd199801, internal testing only) is
// read at test time and never copied into the repository: these tests lay
// its articles out as extracted e-paper pages, parse the pages and count
// the stories that come back with their right text and headline.

// corpusArticle is one line of articles.jsonl (the fields used here).
type corpusArticle struct {
	ID       string `json:"id"`
	Date     string `json:"date"`
	Page     int    `json:"page"`
	No       int    `json:"article_no"`
	Title    string `json:"title"`
	Body     string `json:"body"`
	HasTitle bool   `json:"has_title"`
}

// corpusDir finds the corpus: $NEWSROOM_CORPUS, or ../shared next to the
// repository (a worktree under /work/wt).
func corpusDir() string {
	if d := os.Getenv("NEWSROOM_CORPUS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared", "corpora", "pd199801")
}

func loadCorpus(tb testing.TB) [][]corpusArticle {
	tb.Helper()
	f, err := os.Open(filepath.Join(corpusDir(), "articles.jsonl"))
	if err != nil {
		tb.Skipf("the 1998 corpus is not here (%v): set NEWSROOM_CORPUS to its folder to run this test", err)
	}
	defer f.Close()
	byPage := map[string][]corpusArticle{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var a corpusArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			tb.Fatal(err)
		}
		k := fmt.Sprintf("%s/%02d", a.Date, a.Page)
		byPage[k] = append(byPage[k], a)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	var keys []string
	for k := range byPage {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pages [][]corpusArticle
	for _, k := range keys {
		p := byPage[k]
		sort.Slice(p, func(i, j int) bool { return p[i].No < p[j].No })
		pages = append(pages, p)
	}
	return pages
}

// corpusLayout says how a page is laid out as extracted text.
type corpusLayout struct {
	Name       string
	After      bool // headlines printed after their bodies (multi-column pdftotext)
	MinW, MaxW int  // column width in characters, chosen per page
	HeadW      int  // headline lines broken at this width (0: the column width)
	Blank      bool // a blank line between all lines
	Indent     bool // paragraph first lines are two characters shorter (lost indent)
}

var corpusLayouts = []corpusLayout{
	{Name: "after_12-16_blank", After: true, MinW: 12, MaxW: 16, Blank: true, Indent: true},
	{Name: "after_12-16_noblank", After: true, MinW: 12, MaxW: 16, Indent: true},
	{Name: "before_12-16_blank", MinW: 12, MaxW: 16, Blank: true, Indent: true},
	{Name: "before_12-16_noblank", MinW: 12, MaxW: 16},
	{Name: "after_20-26_wide-heads", After: true, MinW: 20, MaxW: 26, HeadW: 30, Blank: true},
	{Name: "before_8-11_noindent", MinW: 8, MaxW: 11, HeadW: 18},
}

// breakRunes breaks s into lines of at most w characters, keeping
// closing punctuation on the line before (as a typesetter does).
func breakRunes(s string, first, w int) []string {
	rs := []rune(s)
	var out []string
	for len(rs) > 0 {
		n := first
		first = w
		if n >= len(rs) {
			out = append(out, string(rs))
			break
		}
		for n < len(rs) && isClosing(rs[n]) {
			n++
		}
		out = append(out, string(rs[:n]))
		rs = rs[n:]
	}
	return out
}

// renderCorpusPage lays out the articles of one page in layout l.
func renderCorpusPage(arts []corpusArticle, l corpusLayout, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, 1998))
	w := l.MinW + rng.IntN(l.MaxW-l.MinW+1)
	hw := l.HeadW
	if hw == 0 {
		hw = w
	}
	var lines []string
	emit := func(s string) {
		lines = append(lines, s)
		if l.Blank {
			lines = append(lines, "")
		}
	}
	head := func(a corpusArticle) {
		if !a.HasTitle {
			return
		}
		// a subtitle after —— gets its own line, as printed
		t := a.Title
		var parts []string
		if i := strings.Index(t, "——"); i > 0 {
			parts = []string{t[:i], t[i:]}
		} else {
			parts = []string{t}
		}
		for _, p := range parts {
			for _, hl := range breakRunes(p, hw, hw) {
				emit(hl)
			}
		}
	}
	for _, a := range arts {
		if !l.After {
			head(a)
		}
		for _, para := range strings.Split(a.Body, "\n\n") {
			first := w
			if l.Indent {
				first = w - 2
			}
			for _, bl := range breakRunes(para, first, w) {
				emit(bl)
			}
		}
		if l.After {
			head(a)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// storyRight reports whether item it carries article a: the headline
// (kicker, title and subtitle together) and the text (source, bylines and
// body or caption) equal the article's, up to spacing and punctuation.
func storyRight(it Item, a corpusArticle) (headOK, textOK bool) {
	headOK = normKey(it.Kicker+it.Title+it.Subtitle) == normKey(a.Title)
	want := normKey(a.Body)
	text := it.Body
	if text == "" {
		text = it.Caption
	}
	got := normKey(text)
	// the source and bylines were taken out of the text: they were printed
	// before it (source, byline in brackets) or after it (trailer)
	src := normKey(it.Source)
	for k := 0; k <= len(it.Bylines); k++ {
		pre := strings.Join(mapKeys(it.Bylines[:k]), "")
		post := strings.Join(mapKeys(it.Bylines[k:]), "")
		if src+pre+got+post == want || pre+got+post+src == want {
			return headOK, true
		}
	}
	return headOK, false
}

func mapKeys(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = normKey(s)
	}
	return out
}

type corpusScore struct {
	stories, right, headOK, textOK, uncertain, items int
	bad                                              []string
	why                                              map[string]int
}

func scoreCorpusPage(arts []corpusArticle, text string, sc *corpusScore) {
	items, rep, err := Parse(text, Options{})
	if err != nil {
		sc.stories += len(arts)
		sc.bad = append(sc.bad, fmt.Sprintf("%s: %v", arts[0].ID, err))
		return
	}
	sc.items += len(items)
	sc.uncertain += len(rep.Uncertain)
	for _, a := range arts {
		sc.stories++
		var hOK, tOK bool
		for _, it := range items {
			h, t := storyRight(it, a)
			if t {
				hOK, tOK = h, t
				break
			}
			if h {
				hOK = true
			}
		}
		if hOK {
			sc.headOK++
		}
		if tOK {
			sc.textOK++
		}
		if !tOK {
			want := normKey(a.Body)
			why := "other"
			for _, it := range items {
				got := normKey(it.Body + it.Caption)
				switch {
				case len(got) > len(want) && strings.Contains(got, want[min(len(want), 30):]):
					why = "merged"
				case len(got) >= 12 && strings.Contains(want, got) && why == "other":
					why = "split"
				}
			}
			if sc.why == nil {
				sc.why = map[string]int{}
			}
			sc.why[why]++
		}
		if hOK && tOK {
			sc.right++
		} else {
			sc.bad = append(sc.bad, fmt.Sprintf("%s head=%v text=%v %q", a.ID, hOK, tOK, snippet(a.Title, 20)))
		}
	}
}

// TestCorpusPages lays out every page of the corpus in each layout and
// reports how many stories come back right. It fails below the floor set
// in corpusFloor; -v prints the figures (and CORPUS_BAD=1 the misses).
// NEWSROOM_CORPUS_FULL=1 takes every page (the figures in BENCHMARKS.md).
func TestCorpusPages(t *testing.T) {
	pages := loadCorpus(t)
	var total corpusScore
	for li, l := range corpusLayouts {
		var sc corpusScore
		for pi, arts := range pages {
			if pi%corpusStride() != 0 {
				continue
			}
			scoreCorpusPage(arts, renderCorpusPage(arts, l, uint64(pi*31+li)), &sc)
		}
		t.Logf("%-24s %4d/%4d right (%.1f %%)  headline %4d  text %4d  items %4d  uncertain %4d",
			l.Name, sc.right, sc.stories, 100*float64(sc.right)/float64(sc.stories), sc.headOK, sc.textOK, sc.items, sc.uncertain)
		t.Logf("   text misses: %v", sc.why)
		if os.Getenv("CORPUS_BAD") != "" {
			for _, b := range sc.bad {
				t.Log("  miss", b)
			}
		}
		total.stories += sc.stories
		total.right += sc.right
	}
	pct := 100 * float64(total.right) / float64(total.stories)
	t.Logf("all layouts: %d/%d right (%.1f %%)", total.right, total.stories, pct)
	if pct < corpusFloor {
		t.Errorf("%.1f %% of the corpus stories right, want at least %.0f %%", pct, corpusFloor)
	}
}

// corpusStride is 1 (every page) with NEWSROOM_CORPUS_FULL=1, as for the
// figures in BENCHMARKS.md; otherwise every fifth page, to keep go test short.
func corpusStride() int {
	if os.Getenv("NEWSROOM_CORPUS_FULL") != "" {
		return 1
	}
	return 5
}

// corpusFloor is the share of corpus stories (in %) that must come back
// right; it only goes up.
const corpusFloor = 58.0

// TestCorpusDebug prints the rendered page and the parsed items of one
// corpus page: CORPUS_PAGE=1998-01-05/02 CORPUS_LAYOUT=0 go test -run CorpusDebug -v
func TestCorpusDebug(t *testing.T) {
	want := os.Getenv("CORPUS_PAGE")
	if want == "" {
		t.Skip("set CORPUS_PAGE=YYYY-MM-DD/NN")
	}
	li := 0
	fmt.Sscan(os.Getenv("CORPUS_LAYOUT"), &li)
	for pi, arts := range loadCorpus(t) {
		if fmt.Sprintf("%s/%02d", arts[0].Date, arts[0].Page) != want {
			continue
		}
		text := renderCorpusPage(arts, corpusLayouts[li], uint64(pi*31+li))
		if os.Getenv("CORPUS_TEXT") != "" {
			t.Log("\n" + text)
		}
		if os.Getenv("CORPUS_ELEMS") != "" {
			p := &parser{}
			p.lines = prepareLines(text, nil, &p.report)
			for _, e := range p.segment() {
				var first string
				if len(e.lines) > 0 {
					first = e.lines[0].text
				}
				t.Logf("elem %d lead=%v lines=%d %s", e.kind, e.lead, len(e.lines), first)
			}
		}
		items, rep, _ := Parse(text, Options{})
		for _, it := range items {
			t.Logf("%s [%s|%s|%s] src=%q by=%q\n   %s", it.Kind, it.Kicker, it.Title, it.Subtitle, it.Source, it.Bylines, snippet(it.Body+it.Caption, 60))
		}
		for _, u := range rep.Uncertain {
			t.Log("uncertain:", u)
		}
		var sc corpusScore
		scoreCorpusPage(arts, text, &sc)
		for _, b := range sc.bad {
			t.Log("miss", b)
		}
	}
}
