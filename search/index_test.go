package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
	if !ix.NeedsRebuild() || !ix.Stale() {
		t.Error("version change not detected")
	}
	// the index of the other version answers until it is rebuilt
	if n, _ := ix.Count(); n != uint64(len(docs)) {
		t.Errorf("stale index has %d documents, want %d", n, len(docs))
	}
	if res := search(t, ix, Query{Q: "离石区"}); res.Total == 0 {
		t.Error("stale index does not answer")
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
	gdir := ix.genDir(ix.gen)
	ix.Close()
	// keep an unrelated file: recreation must not delete it
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shardDir(gdir, numShards-1), "index_meta.json"), []byte("{not json"), 0o644); err != nil {
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
	if _, err := os.Stat(filepath.Join(ix.genDir(ix.gen), versionFile)); err != nil {
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

// TestRebuildKeepsAnswering changes the analyzer version of an index and
// rebuilds it: the old index answers throughout, a story published and one
// withdrawn during the rebuild are so after the switch, and a stale copy of
// the published story that the rebuild reads after its publication does
// not replace it.
func TestRebuildKeepsAnswering(t *testing.T) {
	a := testAnalyzer(t)
	dir := t.TempDir()
	docs := loadCorpus(t)
	ix, err := Open(dir, Options{Analyzer: a})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Rebuild(context.Background(), docs, nil); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	other := *a
	other.version = "an0-next"
	ix, err = Open(dir, Options{Analyzer: &other})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if !ix.Stale() || !ix.NeedsRebuild() {
		t.Fatalf("stale %v, needs rebuild %v after a version change", ix.Stale(), ix.NeedsRebuild())
	}
	before := search(t, ix, Query{Q: "离石区", PageSize: MaxPageSize}).Total
	if before == 0 {
		t.Fatal("the old index does not answer")
	}

	// The archive is read as the rebuild goes: it stops halfway until
	// the test has published, withdrawn and searched.
	half := len(docs) / 2
	atHalf, resume := make(chan struct{}), make(chan struct{})
	published := Document{ID: "/stories/new/", Kind: "story", Title: "冯成定当选劳动模范", Body: "冯成定当选劳动模范。"}
	withdrawn := docs[0].ID
	done := make(chan error, 1)
	go func() {
		done <- ix.RebuildFrom(context.Background(), func(yield func(Document, error) bool) {
			for i, d := range docs {
				if i == half {
					close(atHalf)
					<-resume
					// the content file read after the publish, but
					// an older version of it (read before, queued)
					if !yield(Document{ID: published.ID, Kind: "story", Title: "旧稿", Body: "旧稿"}, nil) {
						return
					}
				}
				if !yield(d, nil) {
					return
				}
			}
		}, len(docs), nil)
	}()
	select {
	case <-atHalf:
	case err := <-done:
		t.Fatalf("rebuild ended early: %v", err)
	}
	// during the rebuild: the old index answers, in full
	if got := search(t, ix, Query{Q: "离石区", PageSize: MaxPageSize}).Total; got != before {
		t.Errorf("during the rebuild: %d hits, want %d", got, before)
	}
	if !ix.Stale() {
		t.Error("switched before the rebuild ended")
	}
	// a publish and a withdrawal during the rebuild: found and gone at once
	if err := ix.Put(published); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(withdrawn); err != nil {
		t.Fatal(err)
	}
	if got := ids(search(t, ix, Query{Q: "冯成定"})); !slices.Contains(got, published.ID) {
		t.Errorf("published during the rebuild, not found in the old index: %v", got)
	}
	close(resume)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ix.Stale() || ix.NeedsRebuild() {
		t.Errorf("after the rebuild: stale %v, needs rebuild %v", ix.Stale(), ix.NeedsRebuild())
	}
	if got := ids(search(t, ix, Query{Q: "冯成定"})); !slices.Contains(got, published.ID) {
		t.Errorf("published during the rebuild, not found after the switch: %v", got)
	}
	if got := search(t, ix, Query{Q: "旧稿"}).Total; got != 0 {
		t.Errorf("the rebuild's older copy replaced the published story (%d hits for its text)", got)
	}
	var all []string
	if err := ix.EachID(context.Background(), func(id string) error { all = append(all, id); return nil }); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(all, withdrawn) {
		t.Errorf("withdrawn during the rebuild, back after the switch: %s", withdrawn)
	}
	if len(all) != len(docs) { // one withdrawn, one published
		t.Errorf("%d documents after the switch, want %d", len(all), len(docs))
	}
	// on disk: the new generation is the live one, the old one is gone
	ix.Close()
	entries, _ := os.ReadDir(dir)
	var gens []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), genPrefix) {
			gens = append(gens, e.Name())
		}
	}
	if len(gens) != 1 || gens[0] != currentGen(dir) {
		t.Errorf("generations on disk %v, current %q", gens, currentGen(dir))
	}
	ix, err = Open(dir, Options{Analyzer: &other})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Stale() || ix.NeedsRebuild() {
		t.Error("the rebuilt index reopens as stale")
	}
	if n, _ := ix.Count(); n != uint64(len(docs)) {
		t.Errorf("reopened: %d documents, want %d", n, len(docs))
	}
}

// TestRebuildFailureKeepsOldIndex: a rebuild that fails leaves the old
// index answering and no second generation on disk.
func TestRebuildFailureKeepsOldIndex(t *testing.T) {
	dir := t.TempDir()
	docs := loadCorpus(t)
	ix, err := Open(dir, Options{Analyzer: testAnalyzer(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Rebuild(context.Background(), docs, nil); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk read failed")
	err = ix.RebuildFrom(context.Background(), func(yield func(Document, error) bool) {
		yield(docs[0], nil)
		yield(Document{}, boom)
	}, 0, nil)
	if !errors.Is(err, boom) {
		t.Fatalf("RebuildFrom: %v", err)
	}
	if n, _ := ix.Count(); n != uint64(len(docs)) {
		t.Errorf("after a failed rebuild: %d documents, want %d", n, len(docs))
	}
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), genPrefix) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d generations on disk after a failed rebuild, want 1", n)
	}
}
