package search

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestPhraseQueryMatchesBleve runs the phrase queries of the benchmark
// (quoted runs cut anywhere in a sentence, so they exercise word phrases,
// bigram phrases and gaps) through our phraseQuery and through Bleve's own
// phrase query on the same index, and requires the same documents with the
// same scores, in a conjunction with a filter as Search uses them.
func TestPhraseQueryMatchesBleve(t *testing.T) {
	ix := openTestIndex(t, synthDocs(t, 600))
	a := testAnalyzer(t)
	qs := scaleQueries(t, a, 60)["phrase"]
	compared, nonEmpty := 0, 0
	for _, q := range qs {
		pq, err := ParseQuery(q.Q)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range ix.units(pq.Clauses[0]) {
			for _, f := range []struct {
				field string
				terms []string
			}{{"body", u.words}, {"body" + bigramSuffix, trimGaps(u.bigrams)}} {
				if len(f.terms) < 2 {
					continue
				}
				ours := &phraseQuery{field: f.field, terms: f.terms, boost: 1.5}
				theirs := query.NewPhraseQuery(f.terms, f.field)
				theirs.SetBoost(1.5)
				kind := query.NewTermQuery("story")
				kind.SetField("kind")
				got := runQuery(t, ix, query.NewConjunctionQuery([]query.Query{ours, kind}))
				want := runQuery(t, ix, query.NewConjunctionQuery([]query.Query{theirs, kind}))
				if len(got) != len(want) {
					t.Fatalf("%s %q: %d hits, Bleve %d", f.field, f.terms, len(got), len(want))
				}
				for id, s := range want {
					g, ok := got[id]
					if !ok {
						t.Fatalf("%s %q: %s not found", f.field, f.terms, id)
					}
					if math.IsNaN(g) || math.Abs(g-s) > 1e-9*math.Max(1, s) {
						t.Fatalf("%s %q: %s scored %v, Bleve %v", f.field, f.terms, id, g, s)
					}
				}
				compared++
				if len(want) > 0 {
					nonEmpty++
				}
			}
		}
	}
	if compared < 40 || nonEmpty < 20 {
		t.Fatalf("only %d phrases compared, %d with hits", compared, nonEmpty)
	}
}

// runQuery returns every hit of q with its score.
func runQuery(t *testing.T, ix *Index, q query.Query) map[string]float64 {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	res, err := ix.idx.SearchInContext(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	if uint64(len(out)) != res.Total {
		t.Fatalf("total %d, hits %d", res.Total, len(out))
	}
	return out
}

// TestBigramMatchesAreRanked searches for a name the dictionary does not
// know, which only the bigram fields find, and requires finite scores that
// rank the story naming it three times above the one naming it once, and a
// title match above both.
func TestBigramMatchesAreRanked(t *testing.T) {
	const name = "韩秀娥"
	ix := openTestIndex(t, []Document{
		{ID: "/once/", Kind: "story", Title: "春耕备耕忙", Body: "村民" + name + "说，今年的种子已经备好了。合作社的农机也检修完毕。"},
		{ID: "/thrice/", Kind: "story", Title: "种粮大户的一天", Body: name + "早上五点起床。" + name + "先去地里看墒情。中午，" + name + "又去合作社。"},
		{ID: "/title/", Kind: "story", Title: name + "：把论文写在大地上", Body: "她是县里有名的种粮能手，今年又添了两台播种机。"},
		{ID: "/none/", Kind: "story", Title: "春耕", Body: "韩村的秀才说今年雨水多。"},
	})
	pq, _ := ParseQuery(name)
	us := ix.units(pq.Clauses[0])
	if len(us) != 1 || us[0].chain != name {
		t.Fatalf("premise: %s should be one unit of bigrams, got %+v", name, us)
	}
	res := search(t, ix, Query{Q: name})
	if got := ids(res); !slices.Equal(got, []string{"/title/", "/thrice/", "/once/"}) {
		t.Fatalf("hits %v", got)
	}
	for _, h := range res.Hits {
		if math.IsNaN(h.Score) || math.IsInf(h.Score, 0) || h.Score <= 0 {
			t.Fatalf("%s scored %v", h.ID, h.Score)
		}
	}
}

// TestFunctionWordGaps: a phrase's inner one-character function words
// become gaps (any one word), its first and last words never do, and the
// phrase still needs the words around a gap at their exact distance.
func TestFunctionWordGaps(t *testing.T) {
	if got := gapFunctionWords([]string{"党", "的", "十八", "大", "以来"}); !slices.Equal(got, []string{"党", "", "十八", "大", "以来"}) {
		t.Errorf("inner 的: %q", got)
	}
	if got := gapFunctionWords([]string{"的", "发展", "和"}); !slices.Equal(got, []string{"的", "发展", "和"}) {
		t.Errorf("ends: %q", got)
	}
	ix := openTestIndex(t, []Document{
		{ID: "/a/", Kind: "story", Title: "回顾", Body: "党的十八大以来，吕梁市脱贫攻坚取得决定性成就。"},
		{ID: "/b/", Kind: "story", Title: "回顾", Body: "党员十八大以来的变化。"},
		{ID: "/c/", Kind: "story", Title: "回顾", Body: "党的工作。十八大以来，全市发展迅速。"},
	})
	if got := ids(search(t, ix, Query{Q: `"党的十八大以来"`})); !slices.Equal(got, []string{"/a/"}) {
		t.Fatalf("phrase with 的: %v", got)
	}
}
