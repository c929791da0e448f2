package search

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZDebug(t *testing.T) {
	ix := openTestIndex(t, loadCorpus(t))
	for _, q := range strings.Split(os.Getenv("QS"), ",") {
		res, err := ix.Search(context.Background(), Query{Q: q})
		fmt.Printf("== %q err=%v total=%v\n", q, err, func() any { if res != nil { return res.Total }; return nil }())
		if res == nil { continue }
		for _, h := range res.Hits {
			fmt.Printf("  %.3f %s | %s | %s\n", h.Score, h.ID, h.TitleHTML, h.Snippet)
		}
	}
}
