package search

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseQuery: whatever a reader types, the parser either refuses it as
// a bad query or returns at most MaxQueryTerms non-empty clauses, each
// taken from the input.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"高考", `"营商环境" -投诉`, "“一件事一次办”", "吕政发〔2023〕12号", "91141100MA0K3X7Y2Q",
		"-", `"`, "「未闭合", "a\x00b", "－－排除", strings.Repeat("新闻 ", 30), "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pq, err := ParseQuery(s)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("ParseQuery(%q): %v does not wrap ErrBadQuery", s, err)
			}
			return
		}
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxQueryRunes {
			t.Fatalf("ParseQuery(%q) accepted input it must refuse", s)
		}
		if len(pq.Clauses) > MaxQueryTerms {
			t.Fatalf("ParseQuery(%q): %d clauses", s, len(pq.Clauses))
		}
		for _, c := range pq.Clauses {
			if c.Text == "" || !strings.Contains(s, c.Text) {
				t.Fatalf("ParseQuery(%q): clause %q is empty or not from the input", s, c.Text)
			}
		}
	})
}

// FuzzSearch runs fuzzed queries against a real index: every query answers
// results or a bad-query error, never another error and never a panic.
func FuzzSearch(f *testing.F) {
	ix, err := Open(filepath.Join(f.TempDir(), "index"), Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ix.Close() })
	loc := time.FixedZone("CST", 8*3600)
	for i, doc := range []Document{
		{Title: "高考首日", Body: "2023年全国高考拉开帷幕，考生走进考场。", Section: "教育"},
		{Title: "营商环境投诉举报专线开通", Body: "市纪委监委开设投诉举报监督专线。", Section: "要闻"},
		{Title: "文化强国高峰论坛", Body: "论坛在太原举行，嘉宾围绕文化传承发展交流。", Section: "文化"},
	} {
		doc.ID = "/stories/2023/06/f" + string(rune('a'+i)) + "/"
		doc.URL, doc.Kind, doc.Date = doc.ID, "story", time.Date(2023, 6, 8, 6, i, 0, 0, loc)
		if err := ix.Put(doc); err != nil {
			f.Fatal(err)
		}
	}
	for _, s := range []string{"高考", `"投诉举报" -文化`, "論壇", "gaokao", "吕政发〔2023〕12号", "\x00", "-"} {
		f.Add(s, 1)
	}
	f.Fuzz(func(t *testing.T, s string, page int) {
		_, err := ix.Search(context.Background(), Query{Q: s, Page: page})
		if err != nil && !errors.Is(err, ErrBadQuery) {
			t.Fatalf("Search(%q, page %d): %v", s, page, err)
		}
	})
}
