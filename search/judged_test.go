package search

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// judgedQuery is one entry of testdata/judged.json: a query and what it
// must and must not find in the fixture corpus.
type judgedQuery struct {
	Name    string   `json:"name"`
	Q       string   `json:"q"`
	Kind    string   `json:"kind"`
	Section string   `json:"section"`
	Issuer  string   `json:"issuer"`
	From    string   `json:"from"`
	To      string   `json:"to"`
	Sort    string   `json:"sort"`
	Must    []string `json:"must"`
	MustNot []string `json:"must_not"`
	First   string   `json:"first"`
	Bad     bool     `json:"bad"` // must fail with ErrBadQuery
	Marks   []struct {
		ID      string   `json:"id"`
		Snippet []string `json:"snippet"` // substrings the snippet must contain
		Title   []string `json:"title"`   // substrings TitleHTML must contain
		Not     []string `json:"not"`     // substrings neither may contain
	} `json:"marks"`
}

func TestJudgedQueries(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "judged.json"))
	if err != nil {
		t.Fatal(err)
	}
	var judged []judgedQuery
	if err := json.Unmarshal(data, &judged); err != nil {
		t.Fatal(err)
	}
	if len(judged) < 40 {
		t.Fatalf("judged set has %d queries, want at least 40", len(judged))
	}
	docs := loadCorpus(t)
	ix := openTestIndex(t, docs)
	known := map[string]bool{}
	for _, d := range docs {
		known[d.ID] = true
	}
	shanghai := time.FixedZone("CST", 8*3600)
	day := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation("2006-01-02", s, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	var relevant, found, wrong int
	for _, j := range judged {
		q := Query{Q: j.Q, Kind: j.Kind, Section: j.Section, Issuer: j.Issuer, From: day(j.From), To: day(j.To), Sort: j.Sort, PageSize: MaxPageSize}
		res, err := ix.Search(context.Background(), q)
		if j.Bad {
			if !errors.Is(err, ErrBadQuery) {
				t.Errorf("%s: %q: want ErrBadQuery, got %v", j.Name, j.Q, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %q: %v", j.Name, j.Q, err)
			continue
		}
		got := map[string]Hit{}
		var ids []string
		for _, h := range res.Hits {
			got[h.ID] = h
			ids = append(ids, h.ID)
		}
		for _, id := range append(append([]string{}, j.Must...), j.MustNot...) {
			if !known[id] {
				t.Fatalf("%s: judged id %s is not in the corpus", j.Name, id)
			}
		}
		for _, id := range j.Must {
			relevant++
			if _, ok := got[id]; ok {
				found++
			} else {
				t.Errorf("%s: %q: missed %s (got %v)", j.Name, j.Q, id, ids)
			}
		}
		for _, id := range j.MustNot {
			if _, ok := got[id]; ok {
				wrong++
				t.Errorf("%s: %q: false hit %s", j.Name, j.Q, id)
			}
		}
		if j.First != "" && (len(ids) == 0 || ids[0] != j.First) {
			t.Errorf("%s: %q: first hit %v, want %s", j.Name, j.Q, ids, j.First)
		}
		for _, m := range j.Marks {
			h, ok := got[m.ID]
			if !ok {
				continue // already reported as a miss
			}
			for _, s := range m.Snippet {
				if !strings.Contains(h.Snippet, s) {
					t.Errorf("%s: %q: snippet of %s lacks %q: %s", j.Name, j.Q, m.ID, s, h.Snippet)
				}
			}
			for _, s := range m.Title {
				if !strings.Contains(h.TitleHTML, s) {
					t.Errorf("%s: %q: title of %s lacks %q: %s", j.Name, j.Q, m.ID, s, h.TitleHTML)
				}
			}
			for _, s := range m.Not {
				if strings.Contains(h.Snippet, s) || strings.Contains(h.TitleHTML, s) {
					t.Errorf("%s: %q: %s has %q: %s | %s", j.Name, j.Q, m.ID, s, h.TitleHTML, h.Snippet)
				}
			}
		}
	}
	// Precision is over the judged documents: hits among must / (must + must_not).
	precision := 1.0
	if found+wrong > 0 {
		precision = float64(found) / float64(found+wrong)
	}
	recall := float64(found) / float64(relevant)
	t.Logf("judged queries: %d; recall %.3f (%d/%d); precision %.3f (%d false hits)", len(judged), recall, found, relevant, precision, wrong)
}
