package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestDayRangeTerms checks the decomposition on the cases that matter: a
// calendar year is one term, a month one, a day one, and ranges across
// leap days, month and year ends use the fewest terms that cover exactly
// the days asked.
func TestDayRangeTerms(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, shanghaiZone) }
	for _, c := range []struct {
		from, to time.Time
		want     []string
	}{
		{day(2021, 1, 1), day(2021, 12, 31), []string{"Y2021"}},
		{day(2024, 2, 1), day(2024, 2, 29), []string{"M202402"}},
		{day(2023, 6, 8), day(2023, 6, 8), []string{"D20230608"}},
		{day(2024, 2, 28), day(2024, 3, 1), []string{"D20240228", "D20240229", "D20240301"}},
		{day(2022, 11, 30), day(2024, 1, 31), []string{"D20221130", "M202212", "Y2023", "M202401"}},
	} {
		if got := dayRangeTerms(c.from, c.to); !slices.Equal(got, c.want) {
			t.Errorf("%s..%s: %v, want %v", c.from.Format(time.DateOnly), c.to.Format(time.DateOnly), got, c.want)
		}
	}
	if n := len(dayRangeTerms(time.Time{}, day(2023, 6, 8))); n > (2023-firstYear)+11+31 {
		t.Errorf("open start: %d terms", n)
	}
}

var shanghaiZone = time.FixedZone("CST", 8*3600)

// TestDateFilterMatchesBruteForce indexes documents on random days over
// four years and compares random day ranges (open ends included) with a
// plain comparison of the documents' dates.
func TestDateFilterMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, shanghaiZone)
	var docs []Document
	for i := range 300 {
		// any time of day, including just before and after midnight
		at := start.Add(time.Duration(rng.Int64N(int64(4 * 366 * 24 * time.Hour))))
		docs = append(docs, Document{ID: fmt.Sprintf("/d/%03d/", i), Kind: "story", Title: "高考", Body: "考点", Date: at})
	}
	ix := openTestIndex(t, docs)
	for range 60 {
		var from, to time.Time
		if rng.IntN(6) > 0 {
			from = start.AddDate(0, 0, rng.IntN(4*366))
		}
		if rng.IntN(6) > 0 {
			to = start.AddDate(0, 0, rng.IntN(4*366))
		}
		if !from.IsZero() && !to.IsZero() && to.Before(from) {
			from, to = to, from
		}
		var want []string
		for _, d := range docs {
			c := civil(d.Date)
			if (from.IsZero() || !c.Before(civil(from))) && (to.IsZero() || !c.After(civil(to))) {
				want = append(want, d.ID)
			}
		}
		res := search(t, ix, Query{Q: "高考", From: from, To: to, PageSize: 50})
		if res.Total != uint64(len(want)) {
			t.Fatalf("%v..%v: %d hits, want %d", from, to, res.Total, len(want))
		}
		for _, h := range res.Hits {
			if !slices.Contains(want, h.ID) {
				t.Fatalf("%v..%v: %s (dated %v) is outside", from, to, h.ID, h.Date)
			}
		}
	}
}
