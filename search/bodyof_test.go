package search

import (
	"strings"
	"sync/atomic"
	"testing"
)

// TestBodyOf indexes the fixture corpus twice, storing bodies and reading
// them through Options.BodyOf, and requires the same hits and snippets, an
// empty snippet for a body that is gone, and a rebuild when the mode
// changes.
func TestBodyOf(t *testing.T) {
	docs := loadCorpus(t)
	bodies := map[string]string{}
	for _, d := range docs {
		bodies[d.ID] = d.Body
	}
	var calls atomic.Int64 // the hits of a page call BodyOf in parallel
	bodyOf := func(id string) (string, bool) {
		calls.Add(1)
		b, ok := bodies[id]
		return b, ok
	}
	stored := openTestIndex(t, docs)
	extDir := t.TempDir()
	ext, err := Open(extDir, Options{Analyzer: testAnalyzer(t), BodyOf: bodyOf})
	if err != nil {
		t.Fatal(err)
	}
	defer ext.Close()
	if err := ext.Put(docs...); err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, q := range []string{"营商环境", "吕梁", "\"高考\""} {
		a, b := search(t, stored, Query{Q: q}), search(t, ext, Query{Q: q})
		if len(a.Hits) == 0 || len(a.Hits) != len(b.Hits) {
			t.Fatalf("%s: %d hits stored, %d external", q, len(a.Hits), len(b.Hits))
		}
		// equal scores may come in either order: compare by ID
		byID := map[string]Hit{}
		for _, h := range a.Hits {
			byID[h.ID] = h
		}
		for _, h := range b.Hits {
			s, ok := byID[h.ID]
			if !ok || s.Snippet != h.Snippet || s.URL != h.URL || s.TitleHTML != h.TitleHTML {
				t.Fatalf("%s: stored %+v, external %+v", q, s, h)
			}
			if strings.Contains(h.Snippet, "<mark>") {
				marked++
			}
		}
	}
	if calls.Load() == 0 || marked == 0 {
		t.Fatalf("BodyOf called %d times, %d snippets marked", calls.Load(), marked)
	}
	// a body that is gone gives an empty snippet, not an error
	delete(bodies, search(t, ext, Query{Q: "吕梁"}).Hits[0].ID)
	if res := search(t, ext, Query{Q: "吕梁"}); res.Hits[0].Snippet != "" {
		t.Fatalf("snippet of a missing body: %q", res.Hits[0].Snippet)
	}
	if err := ext.Close(); err != nil {
		t.Fatal(err)
	}
	// opening the same directory in the other mode needs a rebuild
	again, err := Open(extDir, Options{Analyzer: testAnalyzer(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if !again.NeedsRebuild() {
		t.Fatal("switching BodyOf off did not ask for a rebuild")
	}
}
