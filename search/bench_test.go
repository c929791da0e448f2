package search

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// benchDocs returns the synthetic benchmark corpus: SEARCH_BENCH_DOCS
// documents (default 2000) recombined deterministically from the sentences
// of the fixture corpus, so both engines index exactly the same text.
func benchDocs(b testing.TB) []Document {
	b.Helper()
	n := 2000
	if v := os.Getenv("SEARCH_BENCH_DOCS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("SEARCH_BENCH_DOCS=%q", v)
		}
	}
	return synthDocs(b, n)
}

// benchSentences are the sentences of the fixture corpus that synthDocs
// recombines.
func benchSentences(b testing.TB) []string {
	var sentences []string
	for _, d := range loadCorpus(b) {
		for _, s := range strings.FieldsFunc(d.Body, func(r rune) bool { return strings.ContainsRune("。！？\n", r) }) {
			if s = strings.TrimSpace(s); len([]rune(s)) >= 6 {
				sentences = append(sentences, s+"。")
			}
		}
	}
	return sentences
}

// synthDocs returns n synthetic documents, deterministically.
func synthDocs(b testing.TB, n int) []Document {
	sentences := benchSentences(b)
	kinds := []string{"story", "story", "story", "photo", "notice"}
	sections := []string{"要闻", "综合", "县区", "经济", "体育"}
	shanghai := time.FixedZone("CST", 8*3600)
	seed := uint64(20230607)
	next := func(k int) int { // deterministic LCG
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(k))
	}
	docs := make([]Document, n)
	for i := range docs {
		var body strings.Builder
		m := 6 + next(13)
		for j := 0; j < m; j++ {
			if j > 0 && j%3 == 0 {
				body.WriteString("\n\n")
			}
			body.WriteString(sentences[next(len(sentences))])
		}
		title := []rune(sentences[next(len(sentences))])
		if len(title) > 24 {
			title = title[:24]
		}
		docs[i] = Document{
			ID:      fmt.Sprintf("/bench/%06d/", i),
			Kind:    kinds[i%len(kinds)],
			Section: sections[next(len(sections))],
			Title:   string(title),
			Body:    body.String(),
			Authors: []string{"张娟娟", "刘子璇", "冯凯治", "高茜"}[i%4 : i%4+1],
			Source:  "本报讯",
			Date:    time.Date(2020, 1, 1, 0, 0, 0, 0, shanghai).AddDate(0, 0, i%1500),
		}
	}
	return docs
}

func textBytes(docs []Document) int {
	n := 0
	for _, d := range docs {
		n += len(d.Title) + len(d.Body) + len(d.Source) + len(strings.Join(d.Authors, ""))
	}
	return n
}

func dirSize(b testing.TB, dir string) int64 {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}

// cjkDoc is the baseline: the same text in Bleve's stock cjk analyzer.
type cjkDoc struct {
	Title, Body, Source, Authors string
	Kind, Section                string
	Date                         time.Time
}

func cjkMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = cjk.AnalyzerName
	dm := bleve.NewDocumentMapping()
	for _, f := range []string{"Title", "Body", "Source", "Authors"} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = cjk.AnalyzerName
		fm.Store = f == "Title" || f == "Body"
		dm.AddFieldMappingsAt(f, fm)
	}
	for _, f := range []string{"Kind", "Section"} {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = keyword.Name
		dm.AddFieldMappingsAt(f, fm)
	}
	dm.AddFieldMappingsAt("Date", bleve.NewDateTimeFieldMapping())
	m.DefaultMapping = dm
	return m
}

func buildCJK(b testing.TB, dir string, docs []Document) bleve.Index {
	b.Helper()
	idx, err := bleve.New(dir, cjkMapping())
	if err != nil {
		b.Fatal(err)
	}
	for start := 0; start < len(docs); start += batchSize {
		batch := idx.NewBatch()
		for _, d := range docs[start:min(start+batchSize, len(docs))] {
			if err := batch.Index(d.ID, cjkDoc{d.Title, d.Body, d.Source, strings.Join(d.Authors, "\n"), d.Kind, d.Section, d.Date}); err != nil {
				b.Fatal(err)
			}
		}
		if err := idx.Batch(batch); err != nil {
			b.Fatal(err)
		}
	}
	return idx
}

// BenchmarkIndex measures indexing throughput and index size for this
// package (gse word + bigram fields) and for Bleve's cjk analyzer.
func BenchmarkIndex(b *testing.B) {
	docs := benchDocs(b)
	mb := float64(textBytes(docs)) / (1 << 20)
	a := testAnalyzer(b)
	b.Run("gse", func(b *testing.B) {
		var size int64
		for i := 0; i < b.N; i++ {
			dir := b.TempDir()
			ix, err := Open(dir, Options{Analyzer: a})
			if err != nil {
				b.Fatal(err)
			}
			if err := ix.Put(docs...); err != nil {
				b.Fatal(err)
			}
			if err := ix.Close(); err != nil {
				b.Fatal(err)
			}
			size = dirSize(b, dir)
		}
		b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
		b.ReportMetric(float64(size)/(1<<20)/mb, "MBindex/MBtext")
	})
	b.Run("cjk", func(b *testing.B) {
		var size int64
		for i := 0; i < b.N; i++ {
			dir := b.TempDir()
			idx := buildCJK(b, dir, docs)
			if err := idx.Close(); err != nil {
				b.Fatal(err)
			}
			size = dirSize(b, dir)
		}
		b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
		b.ReportMetric(float64(size)/(1<<20)/mb, "MBindex/MBtext")
	})
}

// BenchmarkQuery measures query latency (including snippets for ours and
// stored-field loading for the baseline) for a word, a phrase and a
// filtered query.
func BenchmarkQuery(b *testing.B) {
	docs := benchDocs(b)
	ix, err := Open(b.TempDir(), Options{Analyzer: testAnalyzer(b)})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Put(docs...); err != nil {
		b.Fatal(err)
	}
	base := buildCJK(b, b.TempDir(), docs)
	defer base.Close()
	shanghai := time.FixedZone("CST", 8*3600)
	from, to := time.Date(2021, 1, 1, 0, 0, 0, 0, shanghai), time.Date(2022, 12, 31, 0, 0, 0, 0, shanghai)
	ours := map[string]Query{
		"word":     {Q: "营商环境"},
		"phrase":   {Q: `"一件事一次办"`},
		"name":     {Q: "冯成定"},
		"filtered": {Q: "离石区", Kind: "story", Section: "要闻", From: from, To: to},
	}
	match := func(s string) query.Query {
		q := query.NewMatchQuery(s)
		q.SetField("Body")
		q.SetOperator(query.MatchQueryOperatorAnd)
		return q
	}
	term := func(field, v string) query.Query {
		q := query.NewTermQuery(v)
		q.SetField(field)
		return q
	}
	phrase := query.NewMatchPhraseQuery("一件事一次办")
	phrase.SetField("Body")
	dr := query.NewDateRangeQuery(from, to.AddDate(0, 0, 1))
	dr.SetField("Date")
	theirs := map[string]query.Query{
		"word":     match("营商环境"),
		"phrase":   phrase,
		"name":     match("冯成定"),
		"filtered": query.NewConjunctionQuery([]query.Query{match("离石区"), term("Kind", "story"), term("Section", "要闻"), dr}),
	}
	for _, name := range []string{"word", "phrase", "name", "filtered"} {
		b.Run("gse/"+name, func(b *testing.B) {
			var total uint64
			for i := 0; i < b.N; i++ {
				res, err := ix.Search(context.Background(), ours[name])
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
		b.Run("cjk/"+name, func(b *testing.B) {
			var total uint64
			for i := 0; i < b.N; i++ {
				req := bleve.NewSearchRequestOptions(theirs[name], 10, 0, false)
				req.Fields = []string{"Title", "Body"}
				req.Highlight = bleve.NewHighlight()
				res, err := base.SearchInContext(context.Background(), req)
				if err != nil {
					b.Fatal(err)
				}
				total = res.Total
			}
			b.ReportMetric(float64(total), "hits")
		})
	}
}
