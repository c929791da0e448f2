package search

import (
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery matches documents whose field holds terms at consecutive
// positions; an empty term is a gap that any term (or none) fills, which is
// how a query steps over a bigram the pruned field leaves out.
//
// Bleve has a phrase query, but it builds a map of every matching term's
// locations for each candidate document and merges them into the hit, and
// that allocation (with the garbage collection it caused) was most of a
// phrase query's time at 100,000 documents. This one walks the postings
// directly and compares positions in place; it scores exactly as Bleve's
// phrase query does (the sum of its terms' tf-idf scores), so rankings do
// not change.
type phraseQuery struct {
	field string
	terms []string
	boost float64
}

// Searcher implements query.Query.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	total, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &phraseSearcher{score: opts.Score != "none"}
	for off, t := range q.terms {
		if t == "" {
			continue
		}
		tr, err := r.TermFieldReader(ctx, []byte(t), q.field, true, true, true)
		if err != nil {
			s.Close()
			return nil, err
		}
		n := tr.Count()
		if n == 0 {
			// A term the field never holds: no document can match, and
			// the other terms' postings need not be opened. Most of a
			// phrase's fields (kicker, tags, issuers …) end here.
			tr.Close()
			s.Close()
			return searcher.NewMatchNoneSearcher(r)
		}
		s.terms = append(s.terms, phraseTerm{
			reader: tr,
			offset: uint64(off),
			idf:    1 + math.Log(float64(total)/float64(n+1)),
			count:  n,
			boost:  q.boost,
			tfd:    &index.TermFieldDoc{},
		})
	}
	// The rarest term leads: the others only jump to its documents.
	slices.SortFunc(s.terms, func(a, b phraseTerm) int { return int(a.count) - int(b.count) })
	return s, nil
}

type phraseTerm struct {
	reader index.TermFieldReader
	offset uint64 // position in the phrase
	idf    float64
	count  uint64 // documents with the term
	boost  float64
	weight float64 // boost × idf × query norm
	tfd    *index.TermFieldDoc
	cur    *index.TermFieldDoc // nil before the first read or after the end
}

// phraseSearcher is a leapfrog conjunction of its terms' postings followed
// by a check of their positions.
type phraseSearcher struct {
	terms   []phraseTerm
	score   bool
	started bool
	done    bool
}

// Weight is the sum of the terms' squared weights, as for Bleve's
// conjunction of term searchers.
func (s *phraseSearcher) Weight() float64 {
	var w float64
	for _, t := range s.terms {
		x := t.boost * t.idf
		w += x * x
	}
	return w
}

// SetQueryNorm implements search.Searcher.
func (s *phraseSearcher) SetQueryNorm(norm float64) {
	for i := range s.terms {
		t := &s.terms[i]
		t.weight = t.boost * t.idf * norm
	}
}

// Count implements search.Searcher: an upper bound, the rarest term's count.
func (s *phraseSearcher) Count() uint64 {
	if len(s.terms) == 0 {
		return 0
	}
	return s.terms[0].count
}

// Min implements search.Searcher.
func (s *phraseSearcher) Min() int { return 0 }

// Size implements search.Searcher.
func (s *phraseSearcher) Size() int {
	n := 64
	for _, t := range s.terms {
		n += 64 + t.reader.Size()
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher: one match is out at a
// time.
func (s *phraseSearcher) DocumentMatchPoolSize() int { return 1 }

// Close implements search.Searcher.
func (s *phraseSearcher) Close() error {
	var first error
	for _, t := range s.terms {
		if err := t.reader.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Next implements search.Searcher.
func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if s.done || len(s.terms) == 0 {
		return nil, nil
	}
	lead := &s.terms[0]
	var err error
	lead.cur, err = lead.reader.Next(lead.tfd.Reset())
	if err != nil {
		return nil, err
	}
	s.started = true
	return s.match(ctx)
}

// Advance implements search.Searcher.
func (s *phraseSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if s.done || len(s.terms) == 0 {
		return nil, nil
	}
	lead := &s.terms[0]
	if s.started && lead.cur != nil && lead.cur.ID.Compare(id) >= 0 {
		// already at or past id: the first match from here is the answer
		return s.match(ctx)
	}
	var err error
	lead.cur, err = lead.reader.Advance(id, lead.tfd.Reset())
	if err != nil {
		return nil, err
	}
	s.started = true
	return s.match(ctx)
}

// match moves from the lead term's current document to the first document
// at or after it where all terms occur in sequence.
func (s *phraseSearcher) match(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	lead := &s.terms[0]
	for lead.cur != nil {
		id := lead.cur.ID
		all := true
		for i := 1; i < len(s.terms); i++ {
			t := &s.terms[i]
			if t.cur == nil || t.cur.ID.Compare(id) < 0 {
				var err error
				t.cur, err = t.reader.Advance(id, t.tfd.Reset())
				if err != nil {
					return nil, err
				}
			}
			if t.cur == nil {
				s.done = true
				return nil, nil
			}
			if c := t.cur.ID.Compare(id); c > 0 {
				// this term is absent from the lead's document: jump the lead
				var err error
				lead.cur, err = lead.reader.Advance(t.cur.ID, lead.tfd.Reset())
				if err != nil {
					return nil, err
				}
				all = false
				break
			}
		}
		if all {
			if s.inSequence() {
				return s.hit(ctx), nil
			}
			var err error
			lead.cur, err = lead.reader.Next(lead.tfd.Reset())
			if err != nil {
				return nil, err
			}
		}
	}
	s.done = true
	return nil, nil
}

// inSequence reports whether the current document has the phrase: every
// term at its offset from an occurrence of the lead term. Each term occurs
// a few times per document, so a nested scan is cheapest.
func (s *phraseSearcher) inSequence() bool {
	lead := &s.terms[0]
next:
	for _, v := range lead.cur.Vectors {
		if v.Pos < lead.offset {
			continue
		}
		start := v.Pos - lead.offset
		for i := 1; i < len(s.terms); i++ {
			t := &s.terms[i]
			want := start + t.offset
			found := false
			for _, w := range t.cur.Vectors {
				if w.Pos == want && slices.Equal(w.ArrayPositions, v.ArrayPositions) {
					found = true
					break
				}
			}
			if !found {
				continue next
			}
		}
		return true
	}
	return false
}

// hit scores the current document as Bleve scores a phrase: the sum over
// the terms of sqrt(term frequency) × norm × idf × query weight.
func (s *phraseSearcher) hit(ctx *bsearch.SearchContext) *bsearch.DocumentMatch {
	dm := ctx.DocumentMatchPool.Get()
	lead := s.terms[0].cur
	dm.IndexInternalID = index.NewIndexInternalIDFrom(dm.IndexInternalID, lead.ID)
	if s.score {
		var score float64
		for _, t := range s.terms {
			score += math.Sqrt(float64(t.cur.Freq)) * t.cur.Norm * t.idf * t.weight
		}
		dm.Score = score
	}
	return dm
}
