package search

import "testing"

func TestDeflateRoundTrip(t *testing.T) {
	for _, s := range []string{"", "吕梁市离石区", "南京市长江大桥\n\n２０２３年 ABC"} {
		if got := inflate(string(deflate(s))); got != s {
			t.Errorf("inflate(deflate(%q)) = %q", s, got)
		}
	}
	if got := inflate("not deflate data"); got != "" {
		t.Errorf("inflate(junk) = %q, want empty", got)
	}
}
