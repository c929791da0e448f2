package search

import (
	"fmt"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
)

// dayField holds a document's calendar day three times, as a year, a month
// and a day term (Y2023, M202306, D20230607), so that a range of days is a
// handful of terms: a calendar year is one term, a month one, and any
// range at most about 80 plus one per whole year. Bleve's date range query
// instead enumerates a dozen prefix-coded terms per precision level and
// checks each against the dictionary, which was a fifth of a filtered
// search's time at 100,000 documents.
const dayField = "day"

// Open ends of a range are clamped to these years: the archive holds
// nothing outside them, and a term that no document has costs one
// dictionary lookup.
const (
	firstYear = 1900
	lastYear  = 2199
)

// dayTerms returns the terms of the calendar day of t, in t's location.
func dayTerms(t time.Time) []string {
	y, m, d := t.Date()
	return []string{yearTerm(y), monthTerm(y, m), dayTerm(y, m, d)}
}

func yearTerm(y int) string                     { return fmt.Sprintf("Y%04d", y) }
func monthTerm(y int, m time.Month) string      { return fmt.Sprintf("M%04d%02d", y, m) }
func dayTerm(y int, m time.Month, d int) string { return fmt.Sprintf("D%04d%02d%02d", y, m, d) }

// civil is a calendar date; arithmetic on it runs in UTC, where every day
// has 24 hours.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dayRangeTerms covers the calendar days from..to (inclusive) with the
// fewest year, month and day terms. A zero end is open.
func dayRangeTerms(from, to time.Time) []string {
	cur := time.Date(firstYear, 1, 1, 0, 0, 0, 0, time.UTC)
	if !from.IsZero() {
		cur = civil(from)
	}
	end := time.Date(lastYear, 12, 31, 0, 0, 0, 0, time.UTC)
	if !to.IsZero() {
		end = civil(to)
	}
	if cur.Year() < firstYear {
		cur = time.Date(firstYear, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if end.Year() > lastYear {
		end = time.Date(lastYear, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	var out []string
	for !cur.After(end) {
		y, m, d := cur.Date()
		switch {
		case m == 1 && d == 1 && !cur.AddDate(1, 0, -1).After(end):
			out = append(out, yearTerm(y))
			cur = cur.AddDate(1, 0, 0)
		case d == 1 && !cur.AddDate(0, 1, -1).After(end):
			out = append(out, monthTerm(y, m))
			cur = cur.AddDate(0, 1, 0)
		default:
			out = append(out, dayTerm(y, m, d))
			cur = cur.AddDate(0, 0, 1)
		}
	}
	return out
}

// dayRangeQuery matches documents dated on the days from..to. It carries a
// negligible boost: a filter must not change the ranking.
func dayRangeQuery(from, to time.Time) query.Query {
	terms := dayRangeTerms(from, to)
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		tq := query.NewTermQuery(t)
		tq.SetField(dayField)
		tq.SetBoost(0.001)
		qs[i] = tq
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}
