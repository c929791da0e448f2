package search

import (
	"maps"
	"strings"
	"testing"
	"time"
)

// TestFacetsCountAllHits checks that the facets count every matching
// document, not only the page, and narrow with the filters.
func TestFacetsCountAllHits(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	var docs []Document
	add := func(id, kind, section string, year int, n int) {
		for i := range n {
			docs = append(docs, Document{
				ID: id + string(rune('a'+i)), Kind: kind, Section: section, Title: "营商环境", Body: "我市优化营商环境。",
				Date: time.Date(year, 6, 1+i, 9, 0, 0, 0, shanghai),
			})
		}
	}
	add("/s23/", "story", "要闻", 2023, 7)
	add("/s22/", "story", "经济", 2022, 4)
	add("/n23/", "notice", "公告", 2023, 3)
	docs = append(docs, Document{ID: "/other/", Kind: "story", Section: "体育", Title: "足球", Body: "比赛", Date: time.Date(2021, 1, 1, 0, 0, 0, 0, shanghai)})
	ix := openTestIndex(t, docs)

	res := search(t, ix, Query{Q: "营商环境", PageSize: 5})
	if res.Total != 14 || len(res.Hits) != 5 {
		t.Fatalf("total %d, %d hits", res.Total, len(res.Hits))
	}
	want := map[string]map[string]int{
		"year":    {"2023": 10, "2022": 4},
		"section": {"要闻": 7, "经济": 4, "公告": 3},
		"kind":    {"story": 11, "notice": 3},
	}
	for k, w := range want {
		if !maps.Equal(res.Facets[k], w) {
			t.Errorf("facet %s = %v, want %v", k, res.Facets[k], w)
		}
	}
	// a filter narrows the counts too
	res = search(t, ix, Query{Q: "营商环境", Kind: "story", From: time.Date(2023, 1, 1, 0, 0, 0, 0, shanghai)})
	if res.Total != 7 || !maps.Equal(res.Facets["section"], map[string]int{"要闻": 7}) || !maps.Equal(res.Facets["year"], map[string]int{"2023": 7}) {
		t.Errorf("filtered: total %d, facets %v", res.Total, res.Facets)
	}
	if res.Note != "" {
		t.Errorf("note %q for a query searched as typed", res.Note)
	}
}

// TestNoteSaysHowTheQueryChanged checks the note for traditional
// characters and for pinyin.
func TestNoteSaysHowTheQueryChanged(t *testing.T) {
	ix := openTestIndex(t, loadCorpus(t))
	res := search(t, ix, Query{Q: "離石區"})
	if res.Total == 0 || !strings.Contains(res.Note, "简体") || !strings.Contains(res.Note, "离石区") {
		t.Errorf("traditional query: total %d, note %q", res.Total, res.Note)
	}
	res = search(t, ix, Query{Q: "lishiqu"})
	if res.Total == 0 || !strings.Contains(res.Note, "拼音") || !strings.Contains(res.Note, "离石区") {
		t.Errorf("pinyin query: total %d, note %q", res.Total, res.Note)
	}
	res = search(t, ix, Query{Q: "离石区"})
	if res.Note != "" {
		t.Errorf("simplified query: note %q", res.Note)
	}
}
