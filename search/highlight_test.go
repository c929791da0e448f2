package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// spanOf returns the span of the n-th (0-based) occurrence of sub in text.
func spanOf(t *testing.T, text, sub string, n int) Span {
	t.Helper()
	off := 0
	for i := 0; ; i++ {
		k := strings.Index(text[off:], sub)
		if k < 0 {
			t.Fatalf("%q not in text", sub)
		}
		if i == n {
			return Span{off + k, off + k + len(sub)}
		}
		off += k + len(sub)
	}
}

func TestHighlightMergesAndEscapes(t *testing.T) {
	text := "<b>冯成定</b>说&"
	// overlapping bigram spans 冯成 + 成定 become one mark
	s1 := spanOf(t, text, "冯成", 0)
	s2 := spanOf(t, text, "成定", 0)
	got := Highlight(text, []Span{s2, s1, {-1, 3}, {0, 999}})
	want := "&lt;b&gt;<mark>冯成定</mark>&lt;/b&gt;说&amp;"
	if got != want {
		t.Errorf("Highlight = %q, want %q", got, want)
	}
	// touching word spans merge too: 吕梁市|离石区 → one mark
	text = "呂梁市離石區"
	got = Highlight(text, []Span{spanOf(t, text, "呂梁市", 0), spanOf(t, text, "離石區", 0)})
	if got != "<mark>呂梁市離石區</mark>" {
		t.Errorf("adjacent marks not merged: %q", got)
	}
}

func TestSnippetBestPassage(t *testing.T) {
	filler := strings.Repeat("这是一段与查询无关的文字。", 20)
	text := "离石区开展活动。" + filler + "\n\n离石区朝阳小学考点高考顺利进行。" + filler
	spans := []Span{spanOf(t, text, "离石区", 0), spanOf(t, text, "离石区", 1), spanOf(t, text, "高考", 0)}
	got := Snippet(text, spans, 60)
	if !strings.Contains(got, "<mark>离石区</mark>朝阳小学考点<mark>高考</mark>") {
		t.Errorf("snippet did not pick the passage with both terms: %s", got)
	}
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("cut snippet lacks ellipses: %s", got)
	}
	plain := strings.NewReplacer("<mark>", "", "</mark>", "", "…", "").Replace(got)
	if n := utf8.RuneCountInString(plain); n > 60+10 {
		t.Errorf("snippet has %d characters: %s", n, got)
	}
	// without matches: the start of the text, no marks
	got = Snippet(text, nil, 30)
	if !strings.HasPrefix(got, "离石区开展活动。") || strings.Contains(got, "<mark>") {
		t.Errorf("no-match snippet: %s", got)
	}
}

func TestSnippetNeverCutsMark(t *testing.T) {
	text := strings.Repeat("甲", 10) + "离石区" + strings.Repeat("乙", 50)
	s := spanOf(t, text, "离石区", 0)
	got := Snippet(text, []Span{s}, 12)
	if !strings.Contains(got, "<mark>离石区</mark>") {
		t.Errorf("mark cut: %s", got)
	}
}
