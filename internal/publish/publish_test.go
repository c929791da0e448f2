package publish

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/site"
	"newsroom/search"
)

func write(t *testing.T, path, body string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newLive wires a Live on a tiny site with a real archive and index.
func newLive(t *testing.T) (*Live, content.Dir) {
	t.Helper()
	root := t.TempDir()
	write(t, filepath.Join(root, "hugo.toml"), "baseURL = \"/\"\ntitle = \"测试\"\n")
	write(t, filepath.Join(root, "layouts/single.html"), `<h1>{{ .Title }}</h1>{{ .Content }}`)
	write(t, filepath.Join(root, "layouts/list.html"), `{{ .Title }}`)
	write(t, filepath.Join(root, "layouts/home.html"), `{{ range first 5 site.RegularPages }}{{ .Title }};{{ end }}`)
	dir := content.Dir{Root: filepath.Join(root, "content")}
	ix, err := search.Open(filepath.Join(root, ".newsroom", "index"), search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	a := &site.Archive{Root: root, Data: filepath.Join(root, ".newsroom")}
	if _, err := a.BuildAll(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return &Live{Site: a, Index: ix, Content: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, dir
}

func TestUpdateMakesStoriesLiveAndSearchable(t *testing.T) {
	ctx := context.Background()
	live, dir := newLive(t)
	pub := time.Date(2023, 6, 8, 6, 0, 0, 0, news.Shanghai)
	s := news.Story{Kind: news.KindStory, Title: "离石区口袋公园开放", Body: "十二座口袋公园全部建成。", Section: "本地",
		Authors: []string{"记者 张娟娟"}, PublishedAt: &pub}
	rel := content.RelPath(s.Kind, pub, "kou-dai")
	s.URL = content.URLOf(rel)
	data, _ := content.Marshal(s, pub)
	if err := dir.Write(rel, data); err != nil {
		t.Fatal(err)
	}
	published := 0
	live.Published = func(urls []string) {
		if len(urls) == 1 && urls[0] == s.URL {
			published++
		}
	}
	if err := live.Update(ctx, []news.Story{s}, nil); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(live.Site.(*site.Archive).Current(), "stories/2023/06/kou-dai/index.html"))
	if err != nil || !strings.Contains(string(page), "十二座口袋公园") {
		t.Fatalf("page not live: %v", err)
	}
	res, err := live.Index.Search(ctx, search.Query{Q: "口袋公园"})
	if err != nil || res.Total != 1 || res.Hits[0].URL != s.URL {
		t.Fatalf("not searchable: %v %+v", err, res)
	}
	if published != 1 {
		t.Fatalf("Published hook called %d times", published)
	}

	// The index is new, so the first check rebuilds it from the files.
	backdate(t, dir.Root, rel)
	if added, _, err := live.CheckIndex(ctx); err != nil || added != 1 || live.Index.NeedsRebuild() {
		t.Fatalf("first CheckIndex added %d, err %v; want a rebuild with 1", added, err)
	}
	// A file added behind the server's back is found by CheckIndex.
	other := news.Story{Kind: news.KindNotice, Title: "吕梁市某局公告", Body: "特此公告。", Section: "公告", PublishedAt: &pub,
		Notice: &news.NoticeInfo{Issuers: []string{"吕梁市某局"}, DocNumber: "吕政发〔2023〕12号"}}
	orel := content.RelPath(other.Kind, pub, "gonggao")
	data, _ = content.Marshal(other, pub)
	dir.Write(orel, data)
	if added, deleted, err := live.CheckIndex(ctx); err != nil || added != 1 || deleted != 0 {
		t.Fatalf("CheckIndex added %d, deleted %d, err %v; want 1, 0", added, deleted, err)
	}
	if res, _ := live.Index.Search(ctx, search.Query{Q: "吕政发〔2023〕12号"}); res.Total != 1 || res.Hits[0].URL != content.URLOf(orel) {
		t.Fatalf("notice not indexed by CheckIndex: %+v", res)
	}
	// And one removed behind its back leaves the index.
	os.Remove(filepath.Join(dir.Root, orel))
	if added, deleted, err := live.CheckIndex(ctx); err != nil || added != 0 || deleted != 1 {
		t.Fatalf("CheckIndex added %d, deleted %d, err %v; want 0, 1", added, deleted, err)
	}
	if res, _ := live.Index.Search(ctx, search.Query{Q: "吕政发〔2023〕12号"}); res.Total != 0 {
		t.Fatalf("removed notice still found: %+v", res)
	}

	// Withdrawing removes page and hit.
	os.Remove(filepath.Join(dir.Root, rel))
	if err := live.Update(ctx, nil, []string{s.URL}); err != nil {
		t.Fatal(err)
	}
	if res, _ := live.Index.Search(ctx, search.Query{Q: "口袋公园"}); res.Total != 0 {
		t.Fatal("withdrawn story still found")
	}
	if _, err := os.Stat(filepath.Join(live.Site.(*site.Archive).Current(), "stories/2023/06/kou-dai/index.html")); err == nil {
		t.Fatal("withdrawn page still served")
	}
}

func TestDocumentMapsBylinesAndNotices(t *testing.T) {
	d := Document(news.Story{URL: "/notices/2023/06/x/", Kind: news.KindNotice, Title: "公告", Authors: []string{"记者 张娟娟", "通讯员 王明"},
		Photos: []news.Photo{{Caption: "图为考点"}}, Notice: &news.NoticeInfo{Issuers: []string{"甲"}, DocNumber: "吕政发〔2023〕1号"}})
	if d.ID != "/notices/2023/06/x/" || strings.Join(d.Authors, ",") != "张娟娟,王明" || !strings.Contains(d.Body, "图为考点") ||
		d.DocNumber != "吕政发〔2023〕1号" || d.Issuers[0] != "甲" {
		t.Fatalf("document %+v", d)
	}
	if content.FileOf("/stories/2023/06/x/") != "stories/2023/06/x.md" {
		t.Fatal("content.FileOf")
	}
}

// Reindex reads the archive file by file: it indexes every story but the
// withdrawn one, skips a file that does not parse, and reports the number
// of content files as the progress total.
func TestReindexStreamsTheArchive(t *testing.T) {
	ctx := context.Background()
	live, dir := newLive(t)
	pub := time.Date(2023, 6, 8, 6, 0, 0, 0, news.Shanghai)
	for i, title := range []string{"离石区口袋公园开放", "汾阳市新建三所学校", "交城县撤稿一则"} {
		s := news.Story{Kind: news.KindStory, Title: title, Body: title + "。", Section: "本地", PublishedAt: &pub}
		if i == 2 {
			s.Withdrawn = &news.Withdrawal{At: pub, Reason: "事实有误"}
		}
		data, _ := content.Marshal(s, pub)
		if err := dir.Write(content.RelPath(s.Kind, pub, fmt.Sprintf("s%d", i)), data); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(dir.Root, "stories/2023/06/broken.md"), "---\ntitle: [\n---\n")
	backdate(t, dir.Root, "stories/2023/06/s0.md", "stories/2023/06/s1.md", "stories/2023/06/s2.md", "stories/2023/06/broken.md")
	var lastDone, lastTotal int
	n, err := live.Reindex(ctx, func(done, total int) { lastDone, lastTotal = done, total })
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || lastDone != 2 || lastTotal != 4 {
		t.Fatalf("indexed %d, progress %d/%d; want 2, 2/4", n, lastDone, lastTotal)
	}
	for q, want := range map[string]uint64{"口袋公园": 1, "学校": 1, "撤稿": 0} {
		if res, err := live.Index.Search(ctx, search.Query{Q: q}); err != nil || res.Total != want {
			t.Fatalf("%s: %v, %d hits, want %d", q, err, res.Total, want)
		}
	}
	// Nothing changed: CheckIndex keeps the index as it is (the withdrawn
	// and the broken file are not indexed again).
	if added, deleted, err := live.CheckIndex(ctx); err != nil || added != 0 || deleted != 0 || live.Index.NeedsRebuild() {
		t.Fatalf("CheckIndex added %d, deleted %d, err %v; want nothing", added, deleted, err)
	}
	if res, _ := live.Index.Search(ctx, search.Query{Q: "撤稿"}); res.Total != 0 {
		t.Fatal("CheckIndex indexed the withdrawn story")
	}
}

// backdate sets the modification time of content files to an hour ago, as
// for files that were there long before the index was last checked.
func backdate(t *testing.T, root string, rels ...string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	for _, rel := range rels {
		if err := os.Chtimes(filepath.Join(root, filepath.FromSlash(rel)), old, old); err != nil {
			t.Fatal(err)
		}
	}
}

// A file edited or withdrawn by hand while the server was down is read
// again by the next check; files not touched since are not.
func TestCheckIndexReadsFilesModifiedSinceTheLastCheck(t *testing.T) {
	ctx := context.Background()
	live, dir := newLive(t)
	pub := time.Date(2023, 6, 8, 6, 0, 0, 0, news.Shanghai)
	var rels []string
	for i, title := range []string{"离石区口袋公园开放", "汾阳市新建三所学校", "交城县修缮古城墙"} {
		s := news.Story{Kind: news.KindStory, Title: title, Body: title + "。", Section: "本地", PublishedAt: &pub}
		data, _ := content.Marshal(s, pub)
		rel := content.RelPath(s.Kind, pub, fmt.Sprintf("s%d", i))
		if err := dir.Write(rel, data); err != nil {
			t.Fatal(err)
		}
		rels = append(rels, rel)
	}
	backdate(t, dir.Root, rels...)
	if _, err := live.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if live.Index.SyncedAt().IsZero() {
		t.Fatal("a rebuild must stamp the index")
	}
	// While the server is down: one story corrected, one withdrawn.
	fixed := news.Story{Kind: news.KindStory, Title: "汾阳市新建四所学校", Body: "更正：新建四所学校。", Section: "本地", PublishedAt: &pub}
	data, _ := content.Marshal(fixed, pub)
	write(t, filepath.Join(dir.Root, rels[1]), string(data))
	gone := news.Story{Kind: news.KindStory, Title: "交城县修缮古城墙", Body: "交城县修缮古城墙。", Section: "本地", PublishedAt: &pub,
		Withdrawn: &news.Withdrawal{At: pub, Reason: "事实有误"}}
	data, _ = content.Marshal(gone, pub)
	write(t, filepath.Join(dir.Root, rels[2]), string(data))

	added, deleted, err := live.CheckIndex(ctx)
	if err != nil || added != 1 || deleted != 1 {
		t.Fatalf("CheckIndex added %d, deleted %d, err %v; want the corrected one read again and the withdrawn one deleted", added, deleted, err)
	}
	for q, want := range map[string]uint64{"四所学校": 1, "三所学校": 0, "古城墙": 0, "口袋公园": 1} {
		if res, err := live.Index.Search(ctx, search.Query{Q: q}); err != nil || res.Total != want {
			t.Fatalf("%s: %v, %d hits, want %d", q, err, res.Total, want)
		}
	}
	// Now in step: files modified before this check are not read again.
	backdate(t, dir.Root, rels...)
	if added, deleted, err := live.CheckIndex(ctx); err != nil || added != 0 || deleted != 0 {
		t.Fatalf("second CheckIndex added %d, deleted %d, err %v; want nothing", added, deleted, err)
	}
}

// TestUpdateWithoutIndexStillPublishes: when the index cannot be written
// (closed here; a full disk in production), the page still goes live and
// the error says what failed.
func TestUpdateWithoutIndexStillPublishes(t *testing.T) {
	ctx := context.Background()
	live, dir := newLive(t)
	pub := time.Date(2023, 6, 8, 6, 0, 0, 0, news.Shanghai)
	s := news.Story{Kind: news.KindStory, Title: "柳林县新建桥梁通车", Body: "大桥今日通车。", Section: "本地", PublishedAt: &pub}
	rel := content.RelPath(s.Kind, pub, "qiao")
	s.URL = content.URLOf(rel)
	data, _ := content.Marshal(s, pub)
	if err := dir.Write(rel, data); err != nil {
		t.Fatal(err)
	}
	live.Index.Close()
	err := live.Update(ctx, []news.Story{s}, nil)
	if err == nil || !strings.Contains(err.Error(), "index") {
		t.Fatalf("Update with the index closed answered %v", err)
	}
	page, rerr := os.ReadFile(filepath.Join(live.Site.(*site.Archive).Current(), "stories/2023/06/qiao/index.html"))
	if rerr != nil || !strings.Contains(string(page), "大桥今日通车") {
		t.Fatalf("page not live when the index failed: %v", rerr)
	}
}

// TestBodyOfReadsAChangedFileAgain: the body kept for snippets is read
// again when its file changes (a correction), and a removed file has none.
func TestBodyOfReadsAChangedFileAgain(t *testing.T) {
	dir := content.Dir{Root: t.TempDir()}
	pub := time.Date(2023, 6, 8, 6, 0, 0, 0, news.Shanghai)
	rel := content.RelPath(news.KindStory, pub, "gengzheng")
	put := func(body string) {
		s := news.Story{Kind: news.KindStory, Title: "更正测试", Body: body, Section: "本地", PublishedAt: &pub}
		data, _ := content.Marshal(s, pub)
		if err := dir.Write(rel, data); err != nil {
			t.Fatal(err)
		}
	}
	bodyOf := BodyOf(dir)
	put("原来的正文。")
	for range 2 {
		if b, ok := bodyOf(content.URLOf(rel)); !ok || b != "原来的正文。" {
			t.Fatalf("body %q, %v", b, ok)
		}
	}
	put("更正后的正文。")
	if b, ok := bodyOf(content.URLOf(rel)); !ok || b != "更正后的正文。" {
		t.Fatalf("after the correction: body %q, %v", b, ok)
	}
	os.Remove(filepath.Join(dir.Root, rel))
	if b, ok := bodyOf(content.URLOf(rel)); ok {
		t.Fatalf("removed file still has a body: %q", b)
	}
}
