package search

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// EachID lists the IDs of every document in both shards, and a deleted
// document is gone from the list.
func TestEachIDListsEveryDocument(t *testing.T) {
	var docs []Document
	var want []string
	for _, id := range []string{"/stories/2023/06/a/", "/stories/2023/06/b/", "/notices/2023/06/c/", "/stories/2024/01/d/", "/stories/2024/01/e/"} {
		docs = append(docs, Document{ID: id, URL: id, Kind: "story", Title: "标题" + id, Body: "正文。"})
		want = append(want, id)
	}
	ix := openTestIndex(t, docs)
	if err := ix.Delete("/stories/2023/06/b/"); err != nil {
		t.Fatal(err)
	}
	want = slices.DeleteFunc(want, func(id string) bool { return id == "/stories/2023/06/b/" })
	var got []string
	if err := ix.EachID(context.Background(), func(id string) error { got = append(got, id); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("EachID gave %s, want %s", strings.Join(got, " "), strings.Join(want, " "))
	}
}
