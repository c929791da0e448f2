package search

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

// sharedAnalyzer loads the gse dictionary once per test binary: it takes
// about a second (much more under -race), and every test needs it.
var sharedAnalyzer = sync.OnceValues(func() (*Analyzer, error) {
	return NewAnalyzer(filepath.Join("testdata", "userdict.txt"))
})

func testAnalyzer(t testing.TB) *Analyzer {
	t.Helper()
	a, err := sharedAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// loadCorpus reads the fixture documents in testdata/corpus.
func loadCorpus(t testing.TB) []Document {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	sort.Strings(files)
	var docs []Document
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d Document
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		docs = append(docs, d)
	}
	return docs
}

// openTestIndex opens a fresh index in a temporary directory, filled with docs.
func openTestIndex(t testing.TB, docs []Document) *Index {
	t.Helper()
	ix, err := Open(t.TempDir(), Options{Analyzer: testAnalyzer(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if len(docs) > 0 {
		if err := ix.Put(docs...); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}
