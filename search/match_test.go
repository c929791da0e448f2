package search

import (
	"strings"
	"testing"
)

// TestMatchSpans checks the highlighter that replaced Bleve's term
// locations: words are marked only where the text's own segmentation has
// them, unknown words as substrings, and offsets stay on the original
// (unfolded) characters.
func TestMatchSpans(t *testing.T) {
	ix := &Index{an: testAnalyzer(t)}
	mark := func(text, q string) string {
		var us []unit
		pq, err := ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range pq.Clauses {
			us = append(us, ix.units(c)...)
		}
		return Highlight(text, ix.an.matchSpans(text, us))
	}
	cases := []struct{ text, q, want string }{
		{"南京市长江大桥。市长热线", "市长", "南京市长江大桥。<mark>市长</mark>热线"},
		{"呂梁市離石區", "吕梁", "<mark>呂梁</mark>市離石區"},
		{"副县长尤秀平说，尤秀平", "尤秀平", "副县长<mark>尤秀平</mark>说，<mark>尤秀平</mark>"},
		{"全市198个村通车", "198个村", "全市<mark>198个村</mark>通车"},
		{"推进营商环境“一件事一次办”改革", `"一件事一次办"`, "推进营商环境“<mark>一件事一次办</mark>”改革"},
		{"ＡＢＣ公司", "abc", "<mark>ＡＢＣ</mark>公司"},
	}
	for _, c := range cases {
		if got := mark(c.text, c.q); got != c.want {
			t.Errorf("%q in %q: %s, want %s", c.q, c.text, got, c.want)
		}
	}
	if got := mark(strings.Repeat("无关文字。", 3), "市长"); strings.Contains(got, "<mark>") {
		t.Errorf("marked unrelated text: %s", got)
	}
}
