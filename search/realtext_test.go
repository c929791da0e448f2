package search

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// The real-text judged set: 人民日报, January 1998, with the corpus's
// hand-checked segmentation (../shared/corpora/pd199801, see its README).
// The corpus is for internal testing only, so nothing of it is in the
// repository: the queries and their judgements are derived from it at test
// time, deterministically.
//
// A query is a gold word, person name or bracketed compound of the corpus.
// Every occurrence of its characters in an article (title or body) is
// classed by the gold segmentation of that article:
//   - aligned: it starts and ends on word boundaries, and does not cut a
//     person name (王文 is not aligned in 王文辉, whose gold words are 王 and
//     文辉): the query is there as a word, a name, a compound or a run of
//     whole words;
//   - straddling: it crosses a word boundary without being aligned (美国 in
//     拉美/国家, 王文 in 王/文辉);
//   - inside: it lies within one word (北京 in 北京市 where that is one gold
//     word).
//
// An article is relevant when it has an aligned occurrence, non-relevant
// when every occurrence straddles, and not judged otherwise. A case is
// right when the search finds every relevant article and no non-relevant
// one. Every query has at least one relevant and one non-relevant article:
// the set is made of the hard cases.

// pdArticle is one line of articles.jsonl.
type pdArticle struct {
	ID        string `json:"id"`
	Date      string `json:"date"`
	Page      int    `json:"page"`
	Title     string `json:"title"`
	Body      string `json:"body"`
	Words     []string
	POS       []string
	Compounds []pdCompound
	TWords    []string     `json:"title_words"`
	TPOS      []string     `json:"title_pos"`
	TComp     []pdCompound `json:"title_compounds"`
}

type pdCompound struct {
	Text       string
	Tag        string
	Start, End int
	Kind       string
}

// pdDir is where the shared corpus is, or "" (the test then skips).
func pdDir() string {
	if d := os.Getenv("NEWSROOM_PD199801"); d != "" {
		return d
	}
	d := filepath.Join("..", "..", "shared", "corpora", "pd199801")
	if _, err := os.Stat(filepath.Join(d, "articles.jsonl")); err != nil {
		return ""
	}
	return d
}

var pdLoad = sync.OnceValues(func() ([]pdArticle, error) {
	f, err := os.Open(filepath.Join(pdDir(), "articles.jsonl"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []pdArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<26)
	for sc.Scan() {
		var a pdArticle
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, sc.Err()
})

// pdArticles returns the corpus, or skips the test when it is absent.
func pdArticles(t testing.TB) []pdArticle {
	t.Helper()
	if pdDir() == "" {
		t.Skip("real-text corpus ../shared/corpora/pd199801 is absent (internal testing only); set NEWSROOM_PD199801 to run")
	}
	as, err := pdLoad()
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// pdDocuments maps the articles onto Documents: one a story, its page as
// the section.
func pdDocuments(as []pdArticle) []Document {
	shanghai := time.FixedZone("CST", 8*3600)
	docs := make([]Document, len(as))
	for i, a := range as {
		d, _ := time.ParseInLocation("2006-01-02", a.Date, shanghai)
		docs[i] = Document{
			ID: "/pd/" + a.ID + "/", Kind: "story", Title: a.Title, Body: a.Body,
			Section: fmt.Sprintf("第%d版", a.Page), Date: d.Add(6 * time.Hour),
		}
	}
	return docs
}

// goldText is one segmented text (a title or a body without its paragraph
// breaks) with its boundaries: bound[i] for rune offset i is 2 for a word
// boundary that is no inside of a name, 1 for one inside a name, 0 for none.
type goldText struct {
	runes []rune
	bound []uint8
}

func newGoldText(words []string, comps []pdCompound) goldText {
	var g goldText
	starts := make([]int, len(words)+1)
	for i, w := range words {
		starts[i] = len(g.runes)
		g.runes = append(g.runes, []rune(w)...)
	}
	starts[len(words)] = len(g.runes)
	g.bound = make([]uint8, len(g.runes)+1)
	for _, s := range starts {
		g.bound[s] = 2
	}
	for _, c := range comps {
		if c.Kind == "name" {
			for k := c.Start + 1; k < c.End; k++ {
				g.bound[starts[k]] = 1
			}
		}
	}
	return g
}

// occurrence classes
const (
	occInside = iota
	occAligned
	occStraddle
)

// classify counts the classes of the occurrence of q at rune i of g, if
// there is one.
func (g goldText) classify(q []rune, i int, seen *[3]int) {
	n := len(q)
	if i+n <= len(g.runes) && slices.Equal(g.runes[i:i+n], q) {
		switch {
		case g.bound[i] == 2 && g.bound[i+n] == 2:
			seen[occAligned]++
		case slices.ContainsFunc(g.bound[i+1:i+n], func(b uint8) bool { return b > 0 }):
			seen[occStraddle]++
		default:
			seen[occInside]++
		}
	}
}

// judgedCase is one query of the real-text set.
type judgedCase struct {
	class       string
	q           string
	relevant    map[string]bool
	nonRelevant map[string]bool
}

// realJudgedSet derives the judged queries from the gold segmentation.
func realJudgedSet(as []pdArticle) []judgedCase { return realJudgedSample(as, "", 1) }

// realJudgedSample is realJudgedSet with the hash that orders the
// candidates salted and the quotas multiplied by scale: another sample of
// the same kind, as the hidden set of issue 20 is (some queries are in
// both: the corpus has only so many compounds and names that qualify).
func realJudgedSample(as []pdArticle, salt string, scale int) []judgedCase {
	texts := make([][]goldText, len(as))
	// where each character pair occurs: article, text, rune offset
	type at struct{ article, text, i int32 }
	pairs := map[[2]rune][]at{}
	for i, a := range as {
		texts[i] = []goldText{newGoldText(a.Words, a.Compounds)}
		if a.Title != "" {
			texts[i] = append(texts[i], newGoldText(a.TWords, a.TComp))
		}
		for k, g := range texts[i] {
			for o := 0; o+1 < len(g.runes); o++ {
				p := [2]rune{g.runes[o], g.runes[o+1]}
				pairs[p] = append(pairs[p], at{int32(i), int32(k), int32(o)})
			}
		}
	}
	// candidates by class
	type cand struct{ class, text string }
	cands := map[cand]bool{}
	names := map[string]bool{}
	add := func(class, w string) {
		n := utf8.RuneCountInString(w)
		if n < 2 || n > 8 {
			return
		}
		for _, r := range w {
			if !isHan(r) {
				return
			}
		}
		cands[cand{class, w}] = true
	}
	for _, a := range as {
		for _, c := range a.Compounds {
			if c.Kind == "name" {
				names[c.Text] = true
				add("name", c.Text)
			} else {
				add("compound", c.Text)
			}
		}
		for i, w := range a.Words {
			switch a.POS[i] {
			case "ns":
				add("place", w)
			case "nt", "nz":
				add("organisation", w)
			case "nr":
				// given names alone and foreign names are not sampled
			case "n", "v", "vn", "a", "d", "ad", "an", "j", "l", "i", "t", "s", "f":
				add("word", w)
			}
		}
	}
	// A short name inside longer ones is its own class: 王文 in 王文辉.
	for c := range cands {
		if c.class != "name" {
			continue
		}
		for n := range names {
			if n != c.text && strings.HasPrefix(n, c.text) {
				delete(cands, c)
				cands[cand{"short name", c.text}] = true
				break
			}
		}
	}
	// Judge the candidates, deterministically ordered by a hash of their
	// text so the sample is spread over the alphabet and the month.
	hash := func(s string) uint64 {
		h := fnv.New64a()
		h.Write([]byte(salt + s))
		return h.Sum64()
	}
	list := make([]cand, 0, len(cands))
	for c := range cands {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b cand) int {
		return cmp.Or(cmp.Compare(hash(a.text), hash(b.text)), cmp.Compare(a.class, b.class))
	})
	quota := map[string]int{"short name": 40, "name": 35, "place": 45, "organisation": 25, "compound": 25, "word": 80}
	for c := range quota {
		quota[c] *= scale
	}
	taken := map[string]bool{}
	var out []judgedCase
	for _, c := range list {
		if quota[c.class] == 0 || taken[c.text] {
			continue
		}
		q := []rune(c.text)
		jc := judgedCase{class: c.class, q: c.text, relevant: map[string]bool{}, nonRelevant: map[string]bool{}}
		seen := map[int32]*[3]int{}
		for _, p := range pairs[[2]rune{q[0], q[1]}] {
			s := seen[p.article]
			if s == nil {
				s = new([3]int)
				seen[p.article] = s
			}
			texts[p.article][p.text].classify(q, int(p.i), s)
		}
		for i, s := range seen {
			id := "/pd/" + as[i].ID + "/"
			switch {
			case s[occAligned] > 0:
				jc.relevant[id] = true
			case s[occStraddle] > 0 && s[occInside] == 0:
				jc.nonRelevant[id] = true
			}
		}
		if len(jc.relevant) == 0 || len(jc.nonRelevant) == 0 || len(jc.relevant) > 400 {
			continue
		}
		quota[c.class]--
		taken[c.text] = true
		out = append(out, jc)
	}
	return out
}

// judgedScore is how a system did on the judged set.
type judgedScore struct {
	cases, right           int
	found, relevant, wrong int
	byClass                map[string][2]int // right, cases
	failures               []string
}

func (s judgedScore) precision() float64 {
	if s.found+s.wrong == 0 {
		return 1
	}
	return float64(s.found) / float64(s.found+s.wrong)
}

func (s judgedScore) recall() float64 { return float64(s.found) / float64(s.relevant) }

func (s judgedScore) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d / %d cases right (%.1f %%), precision %.3f (%d false hits), recall %.3f (%d/%d)",
		s.right, s.cases, 100*float64(s.right)/float64(s.cases), s.precision(), s.wrong, s.recall(), s.found, s.relevant)
	classes := make([]string, 0, len(s.byClass))
	for c := range s.byClass {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	for _, c := range classes {
		fmt.Fprintf(&b, "; %s %d/%d", c, s.byClass[c][0], s.byClass[c][1])
	}
	return b.String()
}

// scoreJudged runs the set through a system that returns every hit's ID.
func scoreJudged(t *testing.T, set []judgedCase, search func(q string) map[string]bool) judgedScore {
	s := judgedScore{byClass: map[string][2]int{}}
	for _, jc := range set {
		got := search(jc.q)
		var missed, wrong []string
		for id := range jc.relevant {
			if got[id] {
				s.found++
			} else {
				missed = append(missed, id)
			}
		}
		for id := range jc.nonRelevant {
			if got[id] {
				wrong = append(wrong, id)
			}
		}
		s.relevant += len(jc.relevant)
		s.wrong += len(wrong)
		s.cases++
		bc := s.byClass[jc.class]
		bc[1]++
		if len(missed) == 0 && len(wrong) == 0 {
			s.right++
			bc[0]++
		} else {
			slices.Sort(missed)
			slices.Sort(wrong)
			s.failures = append(s.failures, fmt.Sprintf("%s %s: missed %d %v, false %d %v", jc.class, jc.q, len(missed), head(missed, 3), len(wrong), head(wrong, 3)))
		}
		s.byClass[jc.class] = bc
	}
	return s
}

func head(s []string, n int) []string { return s[:min(n, len(s))] }

// ourIDs returns the IDs of every hit of q, as all pages of /api/search
// would, without building the hits' snippets (the query is Search's own).
func ourIDs(t *testing.T, ix *Index, q string) map[string]bool {
	bq, _, _, _, err := ix.buildQuery(Query{Q: q})
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	req := bleve.NewSearchRequestOptions(bq, maxWindow, 0, false)
	ix.mu.RLock()
	res, err := ix.idx.SearchInContext(context.Background(), req)
	ix.mu.RUnlock()
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	if res.Total > maxWindow {
		t.Fatalf("%q: %d hits, more than a search pages through", q, res.Total)
	}
	got := map[string]bool{}
	for _, h := range res.Hits {
		got[h.ID] = true
	}
	return got
}

// TestRealTextJudged measures this package and Bleve's cjk analyzer on the
// real-text judged set in the same run (with SEARCH_REALTEXT=1). It fails when this package falls
// below what it reached when the set was made, and, with
// SEARCH_REALTEXT_GOAL=1, when it is below the goal of issue 20: 95 % of
// the cases right, precision and recall 0.99.
func TestRealTextJudged(t *testing.T) {
	as := pdArticles(t)
	if os.Getenv("SEARCH_REALTEXT") == "" {
		// about two minutes of CPU: too much for every run of the suite
		// on a shared machine
		t.Skip("real-text judged set: set SEARCH_REALTEXT=1 to run it (about two minutes of CPU)")
	}
	set := realJudgedSet(as)
	if len(set) < 200 {
		t.Fatalf("real-text judged set has %d queries, want at least 200", len(set))
	}
	docs := pdDocuments(as)

	cjkIdx := buildCJK(t, t.TempDir(), docs)
	defer cjkIdx.Close()
	cjkScore := scoreJudged(t, set, func(q string) map[string]bool {
		var qs []query.Query
		for _, f := range []string{"Title", "Body"} {
			p := query.NewMatchPhraseQuery(q)
			p.SetField(f)
			qs = append(qs, p)
		}
		req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(qs), len(docs), 0, false)
		res, err := cjkIdx.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range res.Hits {
			got[h.ID] = true
		}
		return got
	})
	t.Logf("Bleve cjk: %s", cjkScore)

	ix := openTestIndex(t, docs)
	ours := scoreJudged(t, set, func(q string) map[string]bool { return ourIDs(t, ix, q) })
	t.Logf("newsroom: %s", ours)
	for _, f := range ours.failures {
		t.Logf("  fails: %s", f)
	}
	// Two other samples of the same kind, twice as large, are what the
	// figures above may be tuned to without knowing it: reported, not
	// asserted.
	for _, salt := range []string{"v1", "v2"} {
		other := scoreJudged(t, realJudgedSample(as, salt, 2), func(q string) map[string]bool { return ourIDs(t, ix, q) })
		t.Logf("newsroom, sample %s: %s", salt, other)
	}
	goal := float64(ours.right) >= 0.95*float64(ours.cases) && ours.precision() >= 0.99 && ours.recall() >= 0.99
	switch {
	case float64(ours.right) < 0.87*float64(ours.cases) || ours.precision() < 0.989 || ours.recall() < 0.99:
		// what this package reached (218/250, 0.9895, 0.995): a change
		// must not fall below it
		t.Errorf("worse than before (87 %% right, precision 0.989, recall 0.99): %s", ours)
	case !goal && os.Getenv("SEARCH_REALTEXT_GOAL") != "":
		t.Errorf("below the goal of issue 20 (95 %% right, precision and recall 0.99): %s", ours)
	case !goal:
		t.Logf("not yet at the goal of issue 20 (95 %% right, precision and recall 0.99); SEARCH_REALTEXT_GOAL=1 makes that a failure")
	}
}
