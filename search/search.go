package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Query is a search request.
type Query struct {
	Q                     string    // user query text (see ParseQuery)
	Kind, Section, Issuer string    // optional filters (exact)
	From, To              time.Time // optional range of calendar days, inclusive: the dates of From and To against the documents' own dates
	Sort                  string    // "" or "relevance" (newest first when there is no text to score) | "newest"
	Page                  int       // 1-based; 0 means 1
	PageSize              int       // 0 means 10; max 50
}

// Results is one page of hits.
type Results struct {
	Total          uint64 // matching documents
	Page, PageSize int
	Hits           []Hit
	Took           time.Duration
	// Facets counts all matching documents (not only this page) by
	// "year", "section" and "kind": value → documents. The filters of the
	// query apply, so a facet of a filtered search narrows further.
	Facets map[string]map[string]int
	// Note says, in the reader's language, how the query was changed
	// before it was run: traditional characters searched as simplified
	// (呂梁 → 吕梁), Latin letters searched as the pinyin of names
	// (lvliang → 吕梁). Empty when the query was searched as typed.
	Note string
}

// facetFields are the fields Results.Facets counts, with how many values
// each reports at most (the most frequent).
var facetFields = []struct {
	name, field string
	size        int
}{
	{"year", yearField, 50},
	{"section", "section", 30},
	{"kind", "kind", 10},
}

// yearField holds a document's year (in its own location) for the year
// facet.
const yearField = "year"

// Hit is one matching document.
type Hit struct {
	ID, URL, Title string
	// Snippet is about 120 characters of the body around the best passage,
	// HTML-escaped, with the matched words in <mark>…</mark>.
	Snippet string
	// TitleHTML is the title HTML-escaped with its matches marked.
	TitleHTML     string
	Date          time.Time
	Section, Kind string
	Score         float64
}

// unit is one thing a document must contain: a word or adjacent words in
// the word fields, or alternatively (for words the dictionary does not
// know) the same characters as a phrase of bigrams.
type unit struct {
	words   []string
	bigrams []string // one per position; "" for a pair the index leaves out
	chain   string   // the Chinese characters the bigrams cover, if only those
	// tied marks a lone unknown character tied to its neighbour (198个村
	// → 个村): only the bigrams match it, never the character as a word
	// anywhere in the text. words still has it, for highlighting.
	tied bool
	// name is the unit's characters as one word when they may be a
	// person name the analyzer joins in a text but not in the query
	// (（王璐）: the byline is one word 王璐, the query 王 / 璐).
	name string
}

// units analyses one clause. Unquoted text needs each of its words, in any
// order; a quoted clause needs them adjacent. Dictionary words are looked up
// only in the word fields, which is what keeps 市长 from matching
// 南京市长江大桥 (segmented 南京市/长江大桥). Runs of characters the
// dictionary does not know (冯成定 → 冯/成/定) become a phrase of bigrams
// as an alternative, exact as a substring and immune to how the document
// happened to be segmented.
func (ix *Index) units(c Clause) []unit {
	all := ix.an.Words(c.Text)
	var toks []Token
	compound := map[int]Token{} // position -> number+measure word
	for _, t := range all {
		if t.Sub {
			if t.Term[0] >= '0' && t.Term[0] <= '9' {
				compound[t.Position] = t
			}
			continue
		}
		toks = append(toks, t)
	}
	if len(toks) == 0 {
		return nil
	}
	weak := func(t Token) bool { return !t.Known }
	if c.Phrase && len(toks) > 1 {
		u := unit{}
		anyWeak := false
		for _, t := range toks {
			u.words = append(u.words, t.Term)
			anyWeak = anyWeak || weak(t)
		}
		if anyWeak {
			u.bigrams, u.chain = ix.an.queryBigrams(c.Text)
			u.bigrams = withEdges(u.bigrams, true)
		}
		return []unit{u}
	}
	adjacent := func(i int) bool { // toks[i] directly follows toks[i-1]
		return i > 0 && toks[i].Start == toks[i-1].End
	}
	var out []unit
	for i := 0; i < len(toks); {
		t := toks[i]
		if cp, ok := compound[t.Position]; ok && t.Number {
			out = append(out, unit{words: []string{cp.Term}})
			i++
			// the measure word is part of the compound
			if i < len(toks) && adjacent(i) && utf8.RuneCountInString(toks[i].Term) == 1 && strings.HasSuffix(cp.Term, toks[i].Term) {
				i++
			}
			continue
		}
		if !weak(t) {
			out = append(out, unit{words: []string{t.Term}})
			i++
			continue
		}
		j := i + 1
		for j < len(toks) && weak(toks[j]) && adjacent(j) {
			j++
		}
		u := unit{}
		var run strings.Builder
		for _, w := range toks[i:j] {
			u.words = append(u.words, w.Term)
			run.WriteString(w.Term)
		}
		rs := []rune(run.String())
		if len(rs) == 1 && functionChars[rs[0]] && len(toks) > 1 {
			// 我市的营商环境: a lone function word would demand 的营 in
			// the text; it carries no meaning, so drop it.
			i = j
			continue
		}
		tied := false
		if len(rs) == 1 {
			// A lone unknown character: tie it to a neighbouring character
			// so 198个村 needs 个村, not any 村.
			// Only to a Chinese neighbour: the bigram field pairs no
			// character with a Latin word or a number (更正后load1).
			next := func() rune { return []rune(toks[j].Term)[0] }
			prev := func() rune { p := []rune(toks[i-1].Term); return p[len(p)-1] }
			switch {
			case j < len(toks) && adjacent(j) && isHan(next()):
				rs = append(rs, next())
				tied = true
			case i > 0 && adjacent(i) && isHan(prev()):
				rs = append([]rune{prev()}, rs...)
				tied = true
			}
		}
		u.tied = tied
		u.chain = string(rs)
		if !tied && j-i > 1 && len(rs) <= 4 && ix.an.names.surname[rs[0]] {
			u.name = string(rs)
		}
		if len(rs) == 1 {
			u.bigrams = []string{string(rs)}
		} else {
			for k := 0; k+1 < len(rs); k++ {
				u.bigrams = append(u.bigrams, string(rs[k:k+2]))
			}
			if !tied {
				// An unknown word lines up with the text's words: 王章
				// not inside the name 王章平. A joined name needs only its
				// start: a text may have cut its end into the next word
				// (尤秀平时常 → 尤/秀/平时/常).
				u.bigrams = withEdges(u.bigrams, !(j-i == 1 && toks[i].Name))
			}
		}
		out = append(out, u)
		i = j
	}
	return out
}

// functionChars are single-character function words. In an unquoted
// query they are dropped when they stand alone between other words,
// because any other lone character is tied to its neighbour.
var functionChars = map[rune]bool{
	'的': true, '了': true, '和': true, '与': true, '及': true, '在': true, '是': true,
	'对': true, '把': true, '被': true, '从': true, '向': true, '为': true, '等': true,
	'也': true, '都': true, '而': true, '之': true, '其': true, '或': true, '就': true,
	'将': true, '于': true, '以': true, '并': true, '着': true, '过': true, '吗': true, '呢': true,
}

// unitQuery matches a unit in any text field.
func unitQuery(u unit) query.Query {
	var qs []query.Query
	words := gapFunctionWords(u.words)
	for _, f := range textFields {
		if !u.tied {
			qs = append(qs, fieldQuery(f.name, words, f.boost))
		}
		if u.name != "" {
			qs = append(qs, fieldQuery(f.name, []string{u.name}, f.boost))
		}
		if bs := trimGaps(u.bigrams); len(bs) > 0 {
			qs = append(qs, fieldQuery(f.name+bigramSuffix, bs, f.boost*bigramBoost))
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// gapFunctionWords turns the one-character function words inside a phrase
// (的, 了, 在 …) into gaps that any word fills. They are the longest
// postings with the most positions per document, and decoding those
// positions was most of a phrase query's time; the words around them keep
// their exact distance, so "党的十八大以来" still needs one word between
// 党 and 十八 (in practice always 的). Words at either end stay: there a
// gap would match nothing.
func gapFunctionWords(words []string) []string {
	if len(words) < 3 {
		return words
	}
	var out []string
	for i, w := range words {
		if i > 0 && i < len(words)-1 && utf8.RuneCountInString(w) == 1 && functionChars[[]rune(w)[0]] {
			if out == nil {
				out = slices.Clone(words)
			}
			out[i] = ""
		}
	}
	if out == nil {
		return words
	}
	return out
}

// trimGaps drops the gaps ("") at both ends of a phrase.
func trimGaps(terms []string) []string {
	for len(terms) > 0 && terms[0] == "" {
		terms = terms[1:]
	}
	for len(terms) > 0 && terms[len(terms)-1] == "" {
		terms = terms[:len(terms)-1]
	}
	return terms
}

// buildQuery turns a request into a Bleve query. It never produces prefix,
// wildcard, regexp or fuzzy queries: every leaf is a term or a phrase.
// It also returns the units of the clauses that must match, for
// highlighting, and whether any text must match (else every score is the
// same).
func (ix *Index) buildQuery(q Query) (bq query.Query, marks []unit, pyKeys []string, scored bool, err error) {
	pq, err := ParseQuery(q.Q)
	if err != nil {
		return nil, nil, nil, false, err
	}
	var must, mustNot []query.Query
	nUnits := 0
	for _, c := range pq.Clauses {
		us := ix.units(c)
		nUnits += len(us)
		if nUnits > maxUnits {
			return nil, nil, nil, false, fmt.Errorf("%w: too many words", ErrBadQuery)
		}
		if len(us) == 0 {
			continue // punctuation only
		}
		var cq query.Query
		if len(us) == 1 {
			cq = unitQuery(us[0])
		} else {
			parts := make([]query.Query, len(us))
			for k, u := range us {
				parts[k] = unitQuery(u)
			}
			cq = query.NewConjunctionQuery(parts)
		}
		if name := ix.an.nameQuery(c.Text); name != "" && (len(us) > 1 || len(us[0].words) > 1) {
			// 邢海洋 is 邢/海洋 to the query's analysis but one name in
			// a byline (（邢海洋朱迪）)
			nu := unit{words: []string{name}}
			cq = query.NewDisjunctionQuery([]query.Query{cq, unitQuery(nu)})
			if !c.Exclude {
				marks = append(marks, nu)
			}
		}
		if key, ok := pinyinQuery(c.Text); ok && !c.Phrase {
			// typed in pinyin (lvliang, ll): its names and places too
			py := query.NewTermQuery(key)
			py.SetField(pinyinField)
			py.SetBoost(pinyinBoost)
			cq = query.NewDisjunctionQuery([]query.Query{cq, py})
			if !c.Exclude {
				pyKeys = append(pyKeys, key)
			}
		}
		if c.Exclude {
			mustNot = append(mustNot, cq)
		} else {
			must = append(must, cq)
			marks = append(marks, us...)
		}
	}
	if strings.TrimSpace(q.Q) != "" && len(must) == 0 && len(mustNot) == 0 && pq.CodeKind == CodeNone {
		return nil, nil, nil, false, fmt.Errorf("%w: nothing searchable in %q", ErrBadQuery, q.Q)
	}
	var text query.Query
	switch len(must) {
	case 0:
		text = nil
	case 1:
		text = must[0]
	default:
		text = query.NewConjunctionQuery(must)
	}
	if pq.CodeKind != CodeNone {
		field := "docnum_key"
		if pq.CodeKind == CodeCreditCode {
			field = "credit_key"
		}
		exact := query.NewTermQuery(pq.Code)
		exact.SetField(field)
		exact.SetBoost(codeBoost)
		if text == nil {
			text = exact
		} else {
			text = query.NewDisjunctionQuery([]query.Query{exact, text})
		}
	}

	var filters []query.Query
	if text != nil {
		filters = append(filters, text)
	}
	for field, v := range map[string]string{"kind": q.Kind, "section": q.Section, "issuer": q.Issuer} {
		if v != "" {
			t := query.NewTermQuery(v)
			t.SetField(field)
			t.SetBoost(0.001) // filters must not change the ranking
			filters = append(filters, t)
		}
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		if !q.From.IsZero() && !q.To.IsZero() && civil(q.To).Before(civil(q.From)) {
			return nil, nil, nil, false, fmt.Errorf("%w: date range ends before it starts", ErrBadQuery)
		}
		filters = append(filters, dayRangeQuery(q.From, q.To))
	}
	if len(filters) == 0 {
		filters = append(filters, query.NewMatchAllQuery())
	}
	return query.NewBooleanQuery(filters, nil, mustNot), marks, pyKeys, text != nil, nil
}

// storedFields are the fields Search reads back for hits and snippets.
var storedFields = []string{"title", bodyStored, "url", "kind", "section", "date_s"}

// Search runs a query. Errors from bad input wrap ErrBadQuery.
func (ix *Index) Search(ctx context.Context, q Query) (*Results, error) {
	start := time.Now()
	page, size := q.Page, q.PageSize
	if page == 0 {
		page = 1
	}
	if size == 0 {
		size = 10
	}
	if page < 0 || size < 0 {
		return nil, fmt.Errorf("%w: negative page or page size", ErrBadQuery)
	}
	size = min(size, MaxPageSize)
	if page*size > maxWindow {
		return nil, fmt.Errorf("%w: page %d is too deep", ErrBadQuery, page)
	}
	if q.Sort != "" && q.Sort != "relevance" && q.Sort != "newest" {
		return nil, fmt.Errorf("%w: unknown sort %q", ErrBadQuery, q.Sort)
	}
	bq, marks, pyKeys, scored, err := ix.buildQuery(q)
	if err != nil {
		return nil, err
	}
	// Ties keep the index order. Relevance with text sorts on the score
	// alone: any other sort key is loaded for every matching document,
	// which was a third of the cost of a common word at 100k documents.
	// Without text every score is the same, and relevance means newest.
	dateDesc := &bsearch.SortField{Field: dateSortField, Desc: true, Type: bsearch.SortFieldAsString, Missing: bsearch.SortFieldMissingLast}
	score := &bsearch.SortScore{Desc: true}
	var order bsearch.SortOrder
	switch {
	case q.Sort == "newest":
		order = bsearch.SortOrder{dateDesc, score}
	case scored:
		order = bsearch.SortOrder{score}
	default:
		order = bsearch.SortOrder{dateDesc}
	}
	req := bleve.NewSearchRequestOptions(bq, size, (page-1)*size, false)
	req.SortByCustom(order)
	req.Fields = storedFields
	for _, f := range facetFields {
		req.AddFacet(f.name, bleve.NewFacetRequest(f.field, f.size))
	}

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, errClosed
	}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	out := &Results{Total: res.Total, Page: page, PageSize: size, Hits: make([]Hit, len(res.Hits)), Facets: map[string]map[string]int{}}
	for _, f := range facetFields {
		counts := map[string]int{}
		if fr := res.Facets[f.name]; fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				counts[t.Term] = t.Count
			}
		}
		out.Facets[f.name] = counts
	}
	// Each hit's snippet reads and segments its body: a few hundred
	// microseconds that the hits of a page spend in parallel.
	var wg sync.WaitGroup
	pyNames := make([][]string, len(res.Hits))
	for i, h := range res.Hits {
		wg.Go(func() { out.Hits[i], pyNames[i] = ix.hit(h, marks, pyKeys) })
	}
	wg.Wait()
	out.Note = queryNote(q.Q, pyKeys, pyNames)
	out.Took = time.Since(start)
	return out, nil
}

// queryNote says how the query was changed: folded to simplified
// characters, or matched as the pinyin of the names on this page.
func queryNote(q string, pyKeys []string, pyNames [][]string) string {
	var notes []string
	if s := simplified(q); s != q {
		notes = append(notes, "已按简体“"+strings.TrimSpace(s)+"”搜索")
	}
	if len(pyKeys) > 0 {
		var names []string
		for _, ns := range pyNames {
			for _, n := range ns {
				if !slices.Contains(names, n) && len(names) < 5 {
					names = append(names, n)
				}
			}
		}
		if len(names) > 0 {
			notes = append(notes, "拼音“"+strings.Join(pyKeys, " ")+"”也按人名、地名查找：“"+strings.Join(names, "”“")+"”")
		}
	}
	return strings.Join(notes, "；")
}

// simplified returns s with its traditional characters in their simplified
// form and nothing else changed.
func simplified(s string) string {
	ts := tsTable()
	han := tsHan()
	return strings.Map(func(r rune) rune {
		if r >= 0x4E00 && r <= 0x9FFF {
			if t := han[r-0x4E00]; t != 0 {
				return t
			}
			return r
		}
		if t, ok := ts[r]; ok {
			return t
		}
		return r
	}, s)
}

// hit builds a Hit; it also returns the names its pinyin marks stand for.
func (ix *Index) hit(h *bsearch.DocumentMatch, marks []unit, pyKeys []string) (Hit, []string) {
	str := func(k string) string {
		s, _ := h.Fields[k].(string)
		return s
	}
	hit := Hit{ID: h.ID, URL: cmp.Or(str("url"), h.ID), Title: str("title"), Kind: str("kind"), Section: str("section"), Score: h.Score}
	if t, err := time.Parse(time.RFC3339Nano, str("date_s")); err == nil {
		hit.Date = t
	}
	var body string
	if ix.bodyOf != nil {
		body, _ = ix.bodyOf(h.ID)
	} else {
		body = inflate(str(bodyStored))
	}
	var names []string
	if len(pyKeys) > 0 {
		py := ix.an.pinyinMarks(pyKeys, hit.Title, body)
		marks = append(slices.Clip(marks), py...)
		for _, u := range py {
			names = append(names, strings.Join(u.words, ""))
		}
	}
	hit.TitleHTML = Highlight(hit.Title, ix.an.matchSpans(hit.Title, marks))
	hit.Snippet = Snippet(body, ix.an.matchSpans(body, marks), ix.snippet)
	return hit, names
}
