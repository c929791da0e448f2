package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func search(t *testing.T, ix *Index, q Query) *Results {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

func ids(res *Results) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestOpenPersistsAndDetectsVersion(t *testing.T) {
	a := testAnalyzer(t)
	dir := t.TempDir()
	ix, err := Open(dir, Options{Analyzer: a})
	if err != nil {
		t.Fatal(err)
	}
	if !ix.NeedsRebuild() {
		t.Error("a new index must report NeedsRebuild")
	}
	docs := loadCorpus(t)
	var progress []int
	if err := ix.Rebuild(context.Background(), docs, func(done, total int) {
		if total != len(docs) {
			t.Errorf("progress total %d", total)
		}
		progress = append(progress, done)
	}); err != nil {
		t.Fatal(err)
	}
	if ix.NeedsRebuild() || len(progress) == 0 || progress[len(progress)-1] != len(docs) {
		t.Errorf("after Rebuild: NeedsRebuild=%v progress=%v", ix.NeedsRebuild(), progress)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// reopen: same version, documents survive
	ix, err = Open(dir, Options{Analyzer: a})
	if err != nil {
		t.Fatal(err)
	}
	if ix.NeedsRebuild() {
		t.Error("reopened index of the same version reports NeedsRebuild")
	}
	if n, _ := ix.Count(); n != uint64(len(docs)) {
		t.Errorf("Count after reopen = %d, want %d", n, len(docs))
	}
	if res := search(t, ix, Query{Q: "离石区"}); res.Total == 0 {
		t.Error("no hits after reopen")
	}
	ix.Close()

	// another analyzer version (e.g. a changed user dictionary)
	other := *a
	other.version = "an0-other"
	ix, err = Open(dir, Options{Analyzer: &other})
	if err != nil {
		t.Fatal(err)
	}
	if !ix.NeedsRebuild() {
		t.Error("version change not detected")
	}
	if n, _ := ix.Count(); n != 0 {
		t.Errorf("stale index kept %d documents", n)
	}
	ix.Close()
}

func TestOpenCorruptIndex(t *testing.T) {
	a := testAnalyzer(t)
	dir := t.TempDir()
	ix, err := Open(dir, Options{Analyzer: a})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Put(loadCorpus(t)[:3]...); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	// keep an unrelated file: recreation must not delete it
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shardDir(dir, numShards-1), "index_meta.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{Analyzer: a})
	if err != nil {
		t.Fatalf("Open of a corrupt index: %v", err)
	}
	defer ix.Close()
	if !ix.NeedsRebuild() {
		t.Error("corrupt index not reported")
	}
	if n, err := ix.Count(); err != nil || n != 0 {
		t.Errorf("Count = %d, %v; want an empty index", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "keep.txt")); err != nil {
		t.Errorf("unrelated file removed: %v", err)
	}
	if err := ix.Put(Document{ID: "/x/", Title: "离石区"}); err != nil {
		t.Fatal(err)
	}
	if res := search(t, ix, Query{Q: "离石区"}); res.Total != 1 {
		t.Errorf("recreated index: %d hits", res.Total)
	}
}

func TestPutUpsertAndDelete(t *testing.T) {
	ix := openTestIndex(t, nil)
	d := Document{ID: "/stories/a/", Kind: "story", Title: "生态环境持续改善", Body: "吕梁市生态环境质量改善。"}
	if err := ix.Put(d); err != nil {
		t.Fatal(err)
	}
	d.Title, d.Body = "营商环境持续优化", "吕梁市营商环境持续优化。"
	if err := ix.Put(d); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 1 {
		t.Errorf("Count after upsert = %d", n)
	}
	if res := search(t, ix, Query{Q: "生态环境"}); res.Total != 0 {
		t.Error("old version still found")
	}
	res := search(t, ix, Query{Q: "营商环境"})
	if res.Total != 1 || res.Hits[0].URL != "/stories/a/" {
		t.Errorf("new version: %+v", res.Hits)
	}
	if err := ix.Delete("/stories/a/", "/unknown/"); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != 0 {
		t.Errorf("Count after delete = %d", n)
	}
	if err := ix.Put(Document{Title: "无ID"}); err == nil {
		t.Error("document without ID accepted")
	}
}

func TestSortPagingAndDates(t *testing.T) {
	docs := loadCorpus(t)
	ix := openTestIndex(t, docs)
	// newest first, dates keep their zone
	res := search(t, ix, Query{Kind: "notice", Sort: "newest", PageSize: 50})
	if res.Total != 6 {
		t.Errorf("notices: %d", res.Total)
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Date.After(res.Hits[i-1].Date) {
			t.Errorf("not newest first: %v", ids(res))
		}
	}
	if _, off := res.Hits[0].Date.Zone(); off != 8*3600 {
		t.Errorf("date zone offset %d, want +08:00", off)
	}
	// paging walks every document exactly once
	seen := map[string]bool{}
	var total uint64
	for page := 1; ; page++ {
		r := search(t, ix, Query{Page: page, PageSize: 7, Sort: "newest"})
		total = r.Total
		if len(r.Hits) == 0 {
			break
		}
		for _, h := range r.Hits {
			if seen[h.ID] {
				t.Errorf("page %d repeats %s", page, h.ID)
			}
			seen[h.ID] = true
		}
	}
	if len(seen) != len(docs) || total != uint64(len(docs)) {
		t.Errorf("paging saw %d of %d (total %d)", len(seen), len(docs), total)
	}
	// defaults and limits
	r := search(t, ix, Query{PageSize: 500})
	if r.PageSize != MaxPageSize || r.Page != 1 {
		t.Errorf("page %d size %d", r.Page, r.PageSize)
	}
	r = search(t, ix, Query{})
	if r.PageSize != 10 || len(r.Hits) != 10 {
		t.Errorf("default page size: %d hits of %d", len(r.Hits), r.PageSize)
	}
	// relevance: a title match outranks a body match
	r = search(t, ix, Query{Q: "高考"})
	if len(r.Hits) < 2 || !strings.Contains(r.Hits[0].Title, "高考") {
		t.Errorf("title match not first: %v", ids(r))
	}
}

func TestBadQueries(t *testing.T) {
	ix := openTestIndex(t, loadCorpus(t)[:5])
	shanghai := time.FixedZone("CST", 8*3600)
	bad := []Query{
		{Q: strings.Repeat("营商环境", 60)},
		{Q: strings.Repeat("吕梁 ", 25)},
		{Q: "\xff\xfe"},
		{Q: "***"},
		{Q: "吕梁", Sort: "random"},
		{Q: "吕梁", Page: -1},
		{Q: "吕梁", Page: 100000},
		{Q: "吕梁", From: time.Date(2023, 6, 9, 0, 0, 0, 0, shanghai), To: time.Date(2023, 6, 1, 0, 0, 0, 0, shanghai)},
		{Q: strings.Repeat("冯成定尤秀平", 30)[:MaxQueryRunes]}, // long unspaced run: too many words
	}
	for _, q := range bad {
		if _, err := ix.Search(context.Background(), q); !errors.Is(err, ErrBadQuery) {
			t.Errorf("Search(%.40q…): err = %v, want ErrBadQuery", q.Q, err)
		}
	}
	// syntax that other engines treat specially is plain text here
	for _, s := range []string{`*离石区`, `离石?`, `title:吕梁`, `(((吕梁`, `吕梁~2`, `/.*/`, `-`, `"`, `""吕梁""`, "\x00吕梁", `+吕梁 -`, `吕梁^10`, `\`, `-"-"`} {
		if _, err := ix.Search(context.Background(), Query{Q: s}); err != nil && !errors.Is(err, ErrBadQuery) {
			t.Errorf("Search(%q): %v", s, err)
		}
	}
}

func TestConcurrentPutAndSearch(t *testing.T) {
	docs := loadCorpus(t)
	ix := openTestIndex(t, docs[:10])
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := 0; w < 4; w++ {
		wg.Add(2)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(docs); i += 4 {
				d := docs[i]
				d.ID = fmt.Sprintf("%s%d/", d.ID, w)
				if err := ix.Put(d); err != nil {
					errs <- err
				}
			}
		}(w)
		go func() {
			defer wg.Done()
			for _, q := range []string{"离石区", "营商环境", "冯成定", "198个"} {
				if _, err := ix.Search(context.Background(), Query{Q: q}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, _ := ix.Count(); n != uint64(10+len(docs)) {
		t.Errorf("Count = %d, want %d", n, 10+len(docs))
	}
}

func TestOpenLockedIndexFailsSafely(t *testing.T) {
	a := testAnalyzer(t)
	dir := t.TempDir()
	ix, err := Open(dir, Options{Analyzer: a})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Rebuild(context.Background(), loadCorpus(t), nil); err != nil {
		t.Fatal(err)
	}
	// a second opener (as another process would) must fail, not recreate
	ix2, err := Open(dir, Options{Analyzer: a, LockTimeout: 200 * time.Millisecond})
	if err == nil {
		ix2.Close()
		t.Fatal("second Open of a locked index succeeded")
	}
	if !strings.Contains(err.Error(), "in use") {
		t.Errorf("second Open: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, versionFile)); err != nil {
		t.Errorf("version stamp of the live index removed: %v", err)
	}
	if n, err := ix.Count(); err != nil || n != uint64(len(loadCorpus(t))) {
		t.Errorf("live index damaged: %d, %v", n, err)
	}
}

func TestRebuildFromIterator(t *testing.T) {
	ix := openTestIndex(t, []Document{{ID: "/stale/", Title: "旧稿"}})
	docs := loadCorpus(t)
	boom := errors.New("archive read failed")
	err := ix.RebuildFrom(context.Background(), func(yield func(Document, error) bool) {
		for _, d := range docs[:4] {
			if !yield(d, nil) {
				return
			}
		}
		yield(Document{}, boom)
	}, 0, nil)
	if !errors.Is(err, boom) {
		t.Errorf("RebuildFrom error = %v", err)
	}
	if !ix.NeedsRebuild() {
		t.Error("failed rebuild cleared NeedsRebuild")
	}
	if err := ix.RebuildFrom(context.Background(), func(yield func(Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}, len(docs), nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.Count(); n != uint64(len(docs)) || ix.NeedsRebuild() {
		t.Errorf("after RebuildFrom: count %d, NeedsRebuild %v", n, ix.NeedsRebuild())
	}
	if res := search(t, ix, Query{Q: "旧稿"}); res.Total != 0 {
		t.Error("rebuild kept a stale document")
	}
}

func TestRebuildCancelled(t *testing.T) {
	ix := openTestIndex(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Rebuild(ctx, loadCorpus(t), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Rebuild with cancelled context: %v", err)
	}
	if !ix.NeedsRebuild() {
		t.Error("interrupted rebuild cleared NeedsRebuild")
	}
}

func TestClosedIndex(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{Analyzer: testAnalyzer(t)})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := ix.Search(context.Background(), Query{Q: "吕梁"}); err == nil {
		t.Error("search on closed index succeeded")
	}
	if err := ix.Put(Document{ID: "/a/"}); err == nil {
		t.Error("put on closed index succeeded")
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestHitFields(t *testing.T) {
	docs := loadCorpus(t)
	ix := openTestIndex(t, docs)
	res := search(t, ix, Query{Q: "乒乓球拍"})
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v", ids(res))
	}
	h := res.Hits[0]
	if h.ID != "/stories/2023/06/pingpang/" || h.URL != "https://www.llrb.example/stories/2023/06/pingpang/" ||
		h.Kind != "story" || h.Section != "体育" || h.Date.Format("2006-01-02") != "2023-06-06" || h.Title != "全民健身热潮带火体育用品" {
		t.Errorf("hit fields: %+v", h)
	}
	if !strings.Contains(h.Snippet, "<mark>乒乓球拍</mark>") {
		t.Errorf("snippet: %s", h.Snippet)
	}
	if res.Took <= 0 {
		t.Error("Took not set")
	}
	// Kind/Section facets as filters with no text; sorted ids are stable
	r := search(t, ix, Query{Section: "体育"})
	got := ids(r)
	sort.Strings(got)
	if len(got) != 1 || got[0] != h.ID {
		t.Errorf("section filter: %v", got)
	}
}
