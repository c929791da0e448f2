//go:build unix

package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// TestScale builds an index of SEARCH_SCALE_DOCS synthetic documents (e.g.
// 100000) with this package and, as the baseline, with Bleve's stock cjk
// analyzer, and reports indexing throughput, index size per MB of text and
// query latency (p50/p95 over SEARCH_SCALE_QUERIES queries of each kind,
// default 200; ours includes building titles and snippets from the bodies
// it reads back from one file per document, as in production, the
// baseline includes Bleve's highlighter). Queries run after both indexes
// are built, flushed to disk, and the corpus is dropped from memory. It is
// skipped unless the variable is set:
//
//	SEARCH_SCALE_DOCS=100000 go test -run TestScale -timeout 2h -v ./search/
//
// SEARCH_SCALE_ONLY=gse or =cjk runs one engine.
func TestScale(t *testing.T) {
	v := os.Getenv("SEARCH_SCALE_DOCS")
	if v == "" {
		t.Skip("set SEARCH_SCALE_DOCS (e.g. 100000) to run")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("SEARCH_SCALE_DOCS=%q", v)
	}
	nq := 200
	if v := os.Getenv("SEARCH_SCALE_QUERIES"); v != "" {
		if nq, err = strconv.Atoi(v); err != nil || nq <= 0 {
			t.Fatalf("SEARCH_SCALE_QUERIES=%q", v)
		}
	}
	only := os.Getenv("SEARCH_SCALE_ONLY")
	a := testAnalyzer(t)
	var docs []Document
	var qs map[string][]Query
	if os.Getenv("SEARCH_SCALE_REAL") != "" {
		// real news text: the articles of pd199801, repeated with
		// shifted dates
		as := pdArticles(t)
		docs = pdScaleDocs(as, n)
		// filtered queries over the years the archive spans
		qs = scaleQueriesFrom(a, pdSentences(as), nq, pdSections, 1998, max(1, n/len(as)*31/365))
	} else {
		docs = synthDocs(t, n)
		qs = scaleQueries(t, a, nq)
	}
	mb := float64(textBytes(docs)) / (1 << 20)
	t.Logf("%d docs, %.1f MB of text, GOMAXPROCS=%d, %d queries per kind", n, mb, runtime.GOMAXPROCS(0), nq)

	type row struct {
		engine              string
		docsPerSec, sizePer float64
		cpuPerKDoc          float64 // CPU seconds (user+sys, all threads) per 1000 documents indexed
		lat                 map[string][2]time.Duration
		hits                map[string]float64
	}
	var rows []row
	var queries []func()

	if only == "" || only == "gse" {
		// SEARCH_SCALE_DIR keeps our index there and reuses it when it
		// is complete (for profiling queries; indexing is then not timed).
		dir := os.Getenv("SEARCH_SCALE_DIR")
		if dir == "" {
			dir = t.TempDir()
		}
		// As in production (publish.BodyOf), snippets read each hit's
		// body from a file of its own; the index keeps no copy.
		bodyDir := t.TempDir()
		for _, d := range docs {
			path := filepath.Join(bodyDir, strings.Trim(d.ID, "/")+".txt")
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(d.Body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		opts := Options{Analyzer: a, BodyOf: func(id string) (string, bool) {
			b, err := os.ReadFile(filepath.Join(bodyDir, strings.Trim(id, "/")+".txt"))
			return string(b), err == nil
		}}
		ix, err := Open(dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		start, cpu0 := time.Now(), cpuTime()
		if c, _ := ix.Count(); ix.NeedsRebuild() || c != uint64(n) {
			if err := ix.Rebuild(context.Background(), docs, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		el, cpu := time.Since(start), cpuTime()-cpu0
		// a server start on the existing index: open it and answer a
		// first query
		t0 := time.Now()
		ix, err = Open(dir, opts)
		if err != nil || ix.NeedsRebuild() {
			t.Fatalf("reopen: %v (needs rebuild: %v)", err, err == nil && ix.NeedsRebuild())
		}
		if _, err := ix.Search(context.Background(), qs["word"][0]); err != nil {
			t.Fatal(err)
		}
		startUp := time.Since(t0)
		if os.Getenv("SEARCH_SCALE_REBUILD") != "" {
			t0, cpu0 := time.Now(), cpuTime()
			if err := ix.Rebuild(context.Background(), docs, nil); err != nil {
				t.Fatal(err)
			}
			el := time.Since(t0)
			t.Logf("rebuild over the existing index: %v (%.0f docs/s, %.2f CPU s / 1000 docs)", el.Round(time.Second), float64(n)/el.Seconds(), (cpuTime()-cpu0).Seconds()/float64(n)*1000)
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("server start on the existing index (open + first query): %v", startUp.Round(time.Millisecond))
		r := row{engine: "ours (gse words + bigrams)", docsPerSec: float64(n) / el.Seconds(), cpuPerKDoc: cpu.Seconds() / float64(n) * 1000,
			sizePer: float64(dirSize(t, dir)) / (1 << 20) / mb, lat: map[string][2]time.Duration{}, hits: map[string]float64{}}
		rows = append(rows, r)
		ri := len(rows) - 1
		queries = append(queries, func() {
			ix, err := Open(dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if ix.NeedsRebuild() {
				t.Fatal("reopened index needs a rebuild")
			}
			r := &rows[ri]
			for _, kind := range []string{"word", "phrase", "filtered"} {
				var lat []time.Duration
				var hits uint64
				for i, q := range qs[kind] {
					t0 := time.Now()
					res, err := ix.Search(context.Background(), q)
					d := time.Since(t0)
					if err != nil {
						t.Fatalf("%s %q: %v", kind, q.Q, err)
					}
					if i > 0 || len(qs[kind]) == 1 { // the first query warms up
						lat = append(lat, d)
					}
					hits += res.Total
				}
				r.lat[kind] = percentiles(lat)
				r.hits[kind] = float64(hits) / float64(len(qs[kind]))
			}
			t.Logf("%s: %.0f docs/s, %.2f MB index per MB text, %v", r.engine, r.docsPerSec, r.sizePer, r.lat)
		})
	}
	if only == "" || only == "cjk" {
		dir := t.TempDir()
		start, cpu0 := time.Now(), cpuTime()
		idx := buildCJK(t, dir, docs)
		if err := idx.Close(); err != nil {
			t.Fatal(err)
		}
		el := time.Since(start)
		r := row{engine: "baseline (Bleve cjk)", docsPerSec: float64(n) / el.Seconds(), cpuPerKDoc: (cpuTime() - cpu0).Seconds() / float64(n) * 1000,
			sizePer: float64(dirSize(t, dir)) / (1 << 20) / mb, lat: map[string][2]time.Duration{}, hits: map[string]float64{}}
		rows = append(rows, r)
		ri := len(rows) - 1
		queries = append(queries, func() {
			idx, err := bleve.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer idx.Close()
			r := &rows[ri]
			for _, kind := range []string{"word", "phrase", "filtered"} {
				var lat []time.Duration
				var hits uint64
				for i, q := range qs[kind] {
					req := bleve.NewSearchRequestOptions(cjkQuery(q), 10, 0, false)
					req.Fields = []string{"Title", "Body"}
					req.Highlight = bleve.NewHighlight()
					t0 := time.Now()
					res, err := idx.SearchInContext(context.Background(), req)
					d := time.Since(t0)
					if err != nil {
						t.Fatalf("%s %q: %v", kind, q.Q, err)
					}
					if i > 0 || len(qs[kind]) == 1 {
						lat = append(lat, d)
					}
					hits += res.Total
				}
				r.lat[kind] = percentiles(lat)
				r.hits[kind] = float64(hits) / float64(len(qs[kind]))
			}
			t.Logf("%s: %.0f docs/s, %.2f MB index per MB text, %v", r.engine, r.docsPerSec, r.sizePer, r.lat)
		})
	}

	// Queries run after both indexes are built and the corpus is dropped:
	// a server does not hold its archive's text in memory, and a heap of
	// it would make every query's garbage collection slower.
	// The indexes just written are flushed first, so the queries of one
	// engine do not compete with the write-back of the other's files.
	docs = nil
	runtime.GC()
	syscall.Sync()
	for _, q := range queries {
		q()
	}

	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/1e6) }
	var b strings.Builder
	fmt.Fprintf(&b, "| engine | docs/s | CPU s / 1000 docs | MB index / MB text | word p50 / p95 ms | phrase p50 / p95 ms | filtered p50 / p95 ms | mean hits word / phrase / filtered |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %.0f | %.2f | %.2f | %s / %s | %s / %s | %s / %s | %.0f / %.0f / %.0f |\n", r.engine, r.docsPerSec, r.cpuPerKDoc, r.sizePer,
			ms(r.lat["word"][0]), ms(r.lat["word"][1]), ms(r.lat["phrase"][0]), ms(r.lat["phrase"][1]),
			ms(r.lat["filtered"][0]), ms(r.lat["filtered"][1]), r.hits["word"], r.hits["phrase"], r.hits["filtered"])
	}
	t.Logf("%d docs, %.1f MB of text:\n%s", n, mb, b.String())
}

// cpuTime is the CPU time this process has used, all threads.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func percentiles(lat []time.Duration) [2]time.Duration {
	slices.Sort(lat)
	at := func(p float64) time.Duration {
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	return [2]time.Duration{at(0.50), at(0.95)}
}

// scaleQueries picks nq word, phrase and filtered queries from the
// benchmark sentences, deterministically: words are dictionary words of two
// to four characters, spread over frequent and rare ones; phrases are
// quoted runs of four to eight Chinese characters; filtered queries are
// words with a kind, a section and a one-year date range.
func scaleQueries(t testing.TB, a *Analyzer, nq int) map[string][]Query {
	return scaleQueriesFrom(a, benchSentences(t), nq, []string{"要闻", "综合", "县区", "经济", "体育"}, 2020, 4)
}

// pdSections are sections of the real-text archive (its pages).
var pdSections = []string{"第1版", "第2版", "第3版", "第4版", "第5版"}

// pdSentences are the sentences of the real articles.
func pdSentences(as []pdArticle) []string {
	var out []string
	for _, a := range as {
		for _, s := range strings.FieldsFunc(a.Body, func(r rune) bool { return strings.ContainsRune("。！？\n", r) }) {
			if s = strings.TrimSpace(s); utf8.RuneCountInString(s) >= 6 {
				out = append(out, s+"。")
			}
		}
	}
	return out
}

// pdScaleDocs repeats the real articles to n documents, each repetition
// a month (31 days) later than the one before, under new IDs.
func pdScaleDocs(as []pdArticle, n int) []Document {
	base := pdDocuments(as)
	docs := make([]Document, n)
	for i := range docs {
		rep := i / len(base)
		d := base[i%len(base)]
		d.ID = fmt.Sprintf("/pd/r%03d/%s", rep, strings.TrimPrefix(d.ID, "/pd/"))
		d.Date = d.Date.AddDate(0, 0, 31*rep)
		docs[i] = d
	}
	return docs
}

// scaleQueriesFrom picks the queries of scaleQueries from sentences; the
// filtered ones are each one of years calendar years from firstYear.
func scaleQueriesFrom(a *Analyzer, sentences []string, nq int, sections []string, firstYear, years int) map[string][]Query {
	count := map[string]int{}
	var order []string
	for _, s := range sentences {
		for _, tok := range a.Words(s) {
			n := utf8.RuneCountInString(tok.Term)
			if tok.Sub || !tok.Known || n < 2 || n > 4 || !isHan([]rune(tok.Term)[0]) {
				continue
			}
			if count[tok.Term] == 0 {
				order = append(order, tok.Term)
			}
			count[tok.Term]++
		}
	}
	slices.SortStableFunc(order, func(x, y string) int { return count[y] - count[x] })
	pick := func(i int) string { return order[(i*7919)%len(order)] }
	shanghai := time.FixedZone("CST", 8*3600)
	out := map[string][]Query{}
	for i := 0; i < nq; i++ {
		out["word"] = append(out["word"], Query{Q: pick(i)})
		from := time.Date(firstYear+i%years, 1, 1, 0, 0, 0, 0, shanghai)
		out["filtered"] = append(out["filtered"], Query{Q: pick(i + nq), Kind: "story", Section: sections[i%len(sections)], From: from, To: from.AddDate(1, 0, -1)})
	}
	for i := 0; len(out["phrase"]) < nq; i++ {
		rs := []rune(sentences[(i*104729)%len(sentences)])
		l := 4 + i%5
		at := (i * 31) % max(1, len(rs)-l)
		p := rs[at:min(at+l, len(rs))]
		ok := len(p) >= 4
		for _, r := range p {
			ok = ok && isHan(r)
		}
		if ok {
			out["phrase"] = append(out["phrase"], Query{Q: `"` + string(p) + `"`})
		}
	}
	return out
}

// cjkQuery is the baseline's version of q: a match (all terms) or match
// phrase query on the body, with the same filters.
func cjkQuery(q Query) query.Query {
	var text query.Query
	if s, ok := strings.CutPrefix(q.Q, `"`); ok {
		p := query.NewMatchPhraseQuery(strings.TrimSuffix(s, `"`))
		p.SetField("Body")
		text = p
	} else {
		m := query.NewMatchQuery(q.Q)
		m.SetField("Body")
		m.SetOperator(query.MatchQueryOperatorAnd)
		text = m
	}
	parts := []query.Query{text}
	term := func(field, v string) {
		if v != "" {
			tq := query.NewTermQuery(v)
			tq.SetField(field)
			parts = append(parts, tq)
		}
	}
	term("Kind", q.Kind)
	term("Section", q.Section)
	if !q.From.IsZero() {
		dr := query.NewDateRangeQuery(q.From, q.To.AddDate(0, 0, 1))
		dr.SetField("Date")
		parts = append(parts, dr)
	}
	if len(parts) == 1 {
		return text
	}
	return query.NewConjunctionQuery(parts)
}

// BenchmarkRebuildReal measures Index.Rebuild, in the production
// configuration (two shards, bodies kept outside the index), over
// SEARCH_BENCH_DOCS (default 10000) documents made of the real articles of
// ../shared/corpora/pd199801 as TestScale makes them; it skips where the
// corpus is absent. Besides docs/s it reports the CPU time of the process
// (all threads) per 1000 documents, which depends much less on what else
// runs on the machine, and the index size per MB of text:
//
//	go test -run '^$' -bench RebuildReal -benchtime 1x ./search/
func BenchmarkRebuildReal(b *testing.B) {
	n := 10000
	if v := os.Getenv("SEARCH_BENCH_DOCS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("SEARCH_BENCH_DOCS=%q", v)
		}
	}
	docs := pdScaleDocs(pdArticles(b), n)
	mb := float64(textBytes(docs)) / (1 << 20)
	opts := Options{Analyzer: testAnalyzer(b), BodyOf: func(string) (string, bool) { return "", false }}
	var cpu time.Duration
	var size int64
	b.ResetTimer()
	for range b.N {
		dir := b.TempDir()
		ix, err := Open(dir, opts)
		if err != nil {
			b.Fatal(err)
		}
		cpu0 := cpuTime()
		if err := ix.Rebuild(context.Background(), docs, nil); err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - cpu0
		size = dirSize(b, dir)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(cpu.Seconds()/float64(n*b.N)*1000, "CPUs/1000docs")
	b.ReportMetric(float64(size)/(1<<20)/mb, "MBindex/MBtext")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "MBmaxRSS") // Linux: KiB
	}
}

// BenchmarkAnalyzeReal measures the analysis of one real article as
// indexing does it (Bleve document built, every field analysed), without
// writing an index; it skips where the corpus is absent. CPUs/1000docs is
// the process's CPU time, which is steadier than ns/op on a shared machine:
//
//	go test -run '^$' -bench AnalyzeReal -cpu 1 ./search/
func BenchmarkAnalyzeReal(b *testing.B) {
	docs := pdDocuments(pdArticles(b))
	ix := &Index{an: testAnalyzer(b), bodyOf: func(string) (string, bool) { return "", false }}
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		bd, err := ix.buildDoc(docs[i%len(docs)])
		if err != nil {
			b.Fatal(err)
		}
		bd.VisitFields(func(f index.Field) { f.Analyze() })
	}
	b.StopTimer()
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N)*1000, "CPUs/1000docs")
}
