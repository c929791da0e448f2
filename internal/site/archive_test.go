package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// archiveSite writes a small site with stories in two months and returns
// an Archive for it whose clock stands at the end of June 2023.
func archiveSite(t *testing.T) *Archive {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"hugo.toml": "baseURL = \"/\"\ntitle = \"测试日报\"\n[taxonomies]\nepaper = \"edition\"\ntag = \"tags\"\n",
		"layouts/home.html": `HOME{{ range first 5 (site.GetPage "/stories").RegularPagesRecursive }}[{{ .Title }}]{{ end }}` +
			`{{ range site.Params.archive.months }}<{{ .month }}:{{ .count }}>{{ end }}`,
		"layouts/single.html":       `<h1>{{ .Title }}</h1>{{ .Content }}`,
		"layouts/list.html":         `LIST {{ .Title }}{{ range .RegularPages }}[{{ .Title }}]{{ end }}`,
		"layouts/taxonomy.html":     `TAX`,
		"layouts/term.html":         `TERM {{ .Title }}{{ range .Pages }}[{{ .Title }}]{{ end }}`,
		"content/_index.md":         "---\ntitle: 首页\n---\n",
		"content/stories/_index.md": "---\ntitle: 新闻\n---\n",
		"content/notices/_index.md": "---\ntitle: 公告\n---\n",
	}
	for name, body := range files {
		write(t, filepath.Join(root, name), body)
	}
	for i, d := range []string{"2023-05-10", "2023-05-11", "2023-05-12", "2023-06-07", "2023-06-08", "2023-06-09"} {
		writeStory(t, root, "stories", d, fmt.Sprintf("s%d", i), fmt.Sprintf("稿件%d", i))
	}
	writeStory(t, root, "notices", "2023-06-08", "n0", "公告零")
	now := time.Date(2023, 6, 30, 12, 0, 0, 0, time.UTC)
	return &Archive{Root: root, Data: filepath.Join(root, ".newsroom"), HotMin: 2, NewsAge: 30 * 24 * time.Hour, Now: func() time.Time { return now }}
}

func writeStory(t *testing.T, root, kind, date, slug, title string) string {
	t.Helper()
	rel := fmt.Sprintf("%s/%s/%s/%s.md", kind, date[:4], date[5:7], slug)
	write(t, filepath.Join(root, "content", rel), fmt.Sprintf("---\ntitle: %s\ndate: %sT08:00:00+08:00\nparams:\n  edition: \"%s\"\n---\n%s的正文。\n", title, date, date, title))
	return rel
}

func liveFile(t *testing.T, a *Archive, rel string) (string, bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(a.PublicLink(), filepath.FromSlash(rel)))
	if err != nil {
		return "", false
	}
	return string(data), true
}

func mustLive(t *testing.T, a *Archive, rel, want string) {
	t.Helper()
	got, ok := liveFile(t, a, rel)
	if !ok {
		t.Fatalf("%s missing from the live tree", rel)
	}
	if !strings.Contains(got, want) {
		t.Fatalf("%s does not contain %q:\n%s", rel, want, got)
	}
}

func TestArchiveFullBuildAndPublish(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	var lastDone, lastTotal int
	st, err := a.BuildAll(ctx, func(done, total, pages int) { lastDone, lastTotal = done, total })
	if err != nil {
		t.Fatal(err)
	}
	if lastDone != 3 || lastTotal != 3 || st.Pages == 0 {
		t.Fatalf("progress ended at %d/%d, stats %+v (want 3 parts: 2 months + hot)", lastDone, lastTotal, st)
	}
	for i := 0; i < 6; i++ {
		d := []string{"2023/05", "2023/05", "2023/05", "2023/06", "2023/06", "2023/06"}[i]
		mustLive(t, a, fmt.Sprintf("stories/%s/s%d/index.html", d, i), fmt.Sprintf("稿件%d", i))
	}
	mustLive(t, a, "notices/2023/06/n0/index.html", "公告零")
	// Month lists come from the month part and list every story of the month.
	mustLive(t, a, "stories/2023/05/index.html", "[稿件2][稿件1][稿件0]")
	mustLive(t, a, "edition/2023-05-11/index.html", "稿件1")
	mustLive(t, a, "index.html", "&lt;2023-06:4>&lt;2023-05:3>")
	mustLive(t, a, "sitemap.xml", "<loc>/sitemaps/2023-05.xml</loc>")
	mustLive(t, a, "sitemaps/2023-06.xml", "/stories/2023/06/s3/")
	// A month's sitemap lists all its stories, the hot ones too.
	mustLive(t, a, "sitemaps/2023-06.xml", "<loc>/stories/2023/06/s5/</loc><lastmod>2023-06-09T08:00:00+08:00</lastmod>")
	if !a.hot["stories/2023/06/s5"] || !a.hot["stories/2023/06/s4"] || a.hot["stories/2023/06/s3"] {
		t.Fatalf("hot set %v: want the two newest", a.hot)
	}
	// The news sitemap's list covers NewsAge (30 days here), beyond the
	// two hot stories, newest first.
	if got := newsURLs(a); got != "/stories/2023/06/s5/ /notices/2023/06/n0/ /stories/2023/06/s4/ /stories/2023/06/s3/" {
		t.Fatalf("news sitemap items: %s", got)
	}

	// Publishing a new story renders only the hot part.
	rel := writeStory(t, a.Root, "stories", "2023-06-30", "new", "新发稿件")
	ps, err := a.Publish(ctx, []string{rel}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "stories/2023/06/new/index.html", "新发稿件")
	mustLive(t, a, "index.html", "[新发稿件]")
	if got := newsURLs(a); !strings.HasPrefix(got, "/stories/2023/06/new/ ") {
		t.Fatalf("published story not first in the news sitemap: %s", got)
	}
	if ps.Written > 20 {
		t.Fatalf("publish rewrote %d files; only changed files should be written", ps.Written)
	}

	// Correcting an archive story takes it into the hot part at once.
	write(t, filepath.Join(a.Root, "content/stories/2023/05/s1.md"), "---\ntitle: 稿件1（更正）\ndate: 2023-05-11T08:00:00+08:00\n---\n更正后的正文。\n")
	if _, err := a.Publish(ctx, []string{"stories/2023/05/s1.md"}, nil); err != nil {
		t.Fatal(err)
	}
	mustLive(t, a, "stories/2023/05/s1/index.html", "更正后的正文")

	// Withdrawing removes a page at once, from a month or from the hot part.
	os.Remove(filepath.Join(a.Root, "content/stories/2023/06/new.md"))
	if _, err := a.Publish(ctx, nil, []string{"stories/2023/06/new.md"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := liveFile(t, a, "stories/2023/06/new/index.html"); ok {
		t.Fatal("withdrawn hot story still served")
	}
	os.Remove(filepath.Join(a.Root, "content/stories/2023/05/s0.md"))
	if _, err := a.Publish(ctx, nil, []string{"stories/2023/05/s0.md"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := liveFile(t, a, "stories/2023/05/s0/index.html"); ok {
		t.Fatal("withdrawn archive story still served")
	}
	if !a.dirty["2023-05"] || !a.dirty["2023-06"] {
		t.Fatalf("touched months not marked for re-render: %v", a.dirty)
	}
	// The background render of the month brings its list up to date.
	if _, err := a.render(ctx, "2023-05"); err != nil {
		t.Fatal(err)
	}
	list, _ := liveFile(t, a, "stories/2023/05/index.html")
	if strings.Contains(list, "[稿件0]") || !strings.Contains(list, "[稿件1（更正）]") {
		t.Fatalf("month list after re-render: %s", list)
	}
	// The corrected story is hot, so the month render left its page alone.
	mustLive(t, a, "stories/2023/05/s1/index.html", "更正后的正文")

	// At the next rollover the corrected story, not among the newest,
	// leaves the hot part for its month, and its page never goes missing.
	if err := a.Rollover(ctx); err != nil {
		t.Fatal(err)
	}
	if a.hot["stories/2023/05/s1"] || len(a.hot) != 2 {
		t.Fatalf("hot set after rollover %v: want only the two newest", a.hot)
	}
	mustLive(t, a, "stories/2023/05/s1/index.html", "更正后的正文")
	if owner("stories/2023/05/s1/index.html", a.hot) != "2023-05" {
		t.Fatal("page not owned by its month after rollover")
	}
	if _, ok := a.parts["2023-05"].Outputs["stories/2023/05/s1/index.html"]; !ok {
		t.Fatal("month part does not record the page it now owns")
	}
}

func TestArchiveRestartAndFailure(t *testing.T) {
	ctx := context.Background()
	a := archiveSite(t)
	need, err := a.Start(ctx)
	if err != nil || !need {
		t.Fatalf("a fresh site must need a full build: %v %v", need, err)
	}
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	live := a.Current()

	// A new process on the same data finds the tree up to date, and
	// notices a content file changed while it was down.
	b := &Archive{Root: a.Root, Data: a.Data, HotMin: 2, NewsAge: 30 * 24 * time.Hour, Now: a.Now}
	write(t, filepath.Join(a.Root, "content/stories/2023/05/s2.md"), "---\ntitle: 停机时修改\ndate: 2023-05-12T08:00:00+08:00\n---\n正文。\n")
	need, err = b.Start(ctx)
	if err != nil || need {
		t.Fatalf("restart: need full %v, err %v", need, err)
	}
	if !b.dirty["2023-05"] || b.dirty["2023-06"] {
		t.Fatalf("dirty after restart: %v", b.dirty)
	}

	// A theme change asks for a full build; a broken one fails it and
	// leaves the live tree alone.
	write(t, filepath.Join(a.Root, "layouts/single.html"), `{{ .Title `)
	c := &Archive{Root: a.Root, Data: a.Data, HotMin: 2, NewsAge: 30 * 24 * time.Hour, Now: a.Now}
	if need, _ := c.Start(ctx); !need {
		t.Fatal("a changed theme must ask for a full build")
	}
	if _, err := c.BuildAll(ctx, nil); err == nil {
		t.Fatal("broken template built")
	}
	if c.Current() != live {
		t.Fatal("failed full build replaced the live tree")
	}
	mustLive(t, c, "stories/2023/05/s0/index.html", "稿件0")
}

func TestOwner(t *testing.T) {
	hot := map[string]bool{"stories/2023/06/hot": true}
	for rel, want := range map[string]string{
		"stories/2023/06/hot/index.html":    "hot",
		"stories/2023/06/cold/index.html":   "2023-06",
		"stories/2023/06/index.html":        "2023-06",
		"stories/2023/06/page/2/index.html": "2023-06",
		"notices/2021/01/x/index.html":      "2021-01",
		"edition/2023-06-08/index.html":     "2023-06",
		"edition/index.html":                "hot",
		"sitemaps/2023-06.xml":              "2023-06",
		"index.html":                        "hot",
		"stories/index.html":                "hot",
		"columns/要闻/index.html":             "hot",
	} {
		if got := owner(rel, hot); got != want {
			t.Errorf("owner(%s) = %s, want %s", rel, got, want)
		}
	}
}

// settle waits for a pause in publishing, but not forever while
// publishes keep coming, and gives up when the server stops.
func TestSettleWaitsForAPause(t *testing.T) {
	a := &Archive{MonthQuiet: 50 * time.Millisecond, MonthMaxDelay: 400 * time.Millisecond, bg: make(chan struct{}, 1)}
	start := time.Now()
	if !a.settle(context.Background()) {
		t.Fatal("settle gave up")
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Fatalf("no publish for %v, but settle returned before the quiet period", d)
	}

	// Publishes without a pause: settle returns at the maximum delay. The
	// publisher keeps a wake-up pending at all times (a blocking send, not a
	// ticker), so a loaded machine cannot fake a quiet period by starving a
	// timer goroutine.
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				return
			case a.wakeups() <- struct{}{}:
			}
		}
	}()
	start = time.Now()
	a.settle(context.Background())
	d := time.Since(start)
	close(stop)
	if d < 400*time.Millisecond || d > 5*time.Second {
		t.Fatalf("with publishes all the time settle returned after %v, want about 400ms", d)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if a.settle(ctx) {
		t.Fatal("settle went on after its context ended")
	}
}

// A site folder moved elsewhere (same files, same times) keeps its theme
// signature, so it does not need a full build; a changed template does.
func TestThemeSignatureSurvivesAMove(t *testing.T) {
	a := archiveSite(t)
	before := a.themeSignature()
	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.Rename(a.Root, moved); err != nil {
		t.Fatal(err)
	}
	a.Root = moved
	if got := a.themeSignature(); got != before {
		t.Fatalf("signature changed with the folder's path: %s, was %s", got, before)
	}
	if err := os.WriteFile(filepath.Join(moved, "layouts", "single.html"), []byte("<h1>{{ .Title }}</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if a.themeSignature() == before {
		t.Fatal("a changed template kept the signature")
	}
}

// newsURLs lists the news sitemap's items as the hot part gets them.
func newsURLs(a *Archive) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var urls []string
	for _, n := range a.newsParams() {
		urls = append(urls, n["url"].(string))
	}
	return strings.Join(urls, " ")
}

// BenchmarkHotFiles measures listing the hot part's content files, done
// on every publish, against catalogs of 10k, 100k and 1M files with the
// same hot set: the time must not grow with the archive.
func BenchmarkHotFiles(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		months := map[string]map[string]fileSig{}
		hot := map[string]bool{}
		for i := range n {
			month := fmt.Sprintf("%04d-%02d", 2006+i*240/n/12, 1+i*240/n%12)
			rel := fmt.Sprintf("stories/%s/%s/g%07d.md", month[:4], month[5:], i)
			if months[month] == nil {
				months[month] = map[string]fileSig{}
			}
			months[month][rel] = fileSig{Size: int64(i)}
			if i >= n-170 {
				hot[strings.TrimSuffix(rel, ".md")] = true
			}
		}
		b.Run(fmt.Sprintf("archive=%d", n), func(b *testing.B) {
			for b.Loop() {
				if got := filesOf(months, hotPart, hot); len(got) != 170 {
					b.Fatalf("%d hot files, want 170", len(got))
				}
			}
		})
	}
}

// A month larger than BatchFiles renders in several Hugo builds (one for
// its lists, one per chunk of stories) and gives the same tree as one
// build: every page, list, edition and previous/next link.
func TestLargeMonthsRenderInChunks(t *testing.T) {
	ctx := context.Background()
	one := archiveSite(t)
	write(t, filepath.Join(one.Root, "layouts/single.html"),
		`<h1>{{ .Title }}</h1>{{ .Content }}{{ with .Parent }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}`+
			`{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">prev:{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">next:{{ .Title }}</a>{{ end }}`)
	for i := range 9 {
		writeStory(t, one.Root, "stories", fmt.Sprintf("2023-04-%02d", 10+i%4), fmt.Sprintf("a%d", i), fmt.Sprintf("四月稿件%d", i))
	}
	chunked := &Archive{Root: one.Root, Data: filepath.Join(t.TempDir(), "chunked"), HotMin: 2, BatchFiles: 2, Now: one.Now}
	for _, a := range []*Archive{one, chunked} {
		if _, err := a.BuildAll(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	mustLive(t, chunked, "stories/2023/04/a1/index.html", `<a href="/stories/2023/04/">`)
	want := treeFiles(t, one.Current())
	if len(want) < 20 {
		t.Fatalf("only %d files in the one-build tree", len(want))
	}
	sameTrees(t, want, treeFiles(t, chunked.Current()), "one build", "in chunks")
}

// TestArchiveSitemapDates: with a public address every sitemap URL is
// absolute; a correction (front matter lastmod) moves the story's
// <lastmod>, its month list's and its edition's, and the sitemap index
// carries each sitemap's newest <lastmod>.
func TestArchiveSitemapDates(t *testing.T) {
	a := archiveSite(t)
	a.BaseURL = "https://news.example.cn/"
	rel := "stories/2023/06/s3.md"
	write(t, filepath.Join(a.Root, "content", rel), "---\ntitle: 稿件3\ndate: 2023-06-07T08:00:00+08:00\nlastmod: 2023-06-20T09:30:00+08:00\nparams:\n  edition: \"2023-06-07\"\n  corrections:\n    - at: 2023-06-20T09:30:00+08:00\n      kind: 更正\n      note: 改正一处错字。\n---\n稿件3的正文。\n")
	if _, err := a.BuildAll(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<loc>https://news.example.cn/stories/2023/06/s3/</loc><lastmod>2023-06-20T09:30:00+08:00</lastmod>",
		"<loc>https://news.example.cn/stories/2023/06/</loc><lastmod>2023-06-20T09:30:00+08:00</lastmod>",
		"<loc>https://news.example.cn/edition/2023-06-07/</loc><lastmod>2023-06-20T09:30:00+08:00</lastmod>",
		"<loc>https://news.example.cn/edition/2023-06-08/</loc><lastmod>2023-06-08T08:00:00+08:00</lastmod>",
		"<loc>https://news.example.cn/stories/2023/06/s4/</loc><lastmod>2023-06-08T08:00:00+08:00</lastmod>",
	} {
		mustLive(t, a, "sitemaps/2023-06.xml", want)
	}
	mustLive(t, a, "sitemap.xml", "<loc>https://news.example.cn/sitemaps/2023-06.xml</loc><lastmod>2023-06-20T09:30:00+08:00</lastmod>")
	mustLive(t, a, "sitemap.xml", "<loc>https://news.example.cn/sitemaps/2023-05.xml</loc><lastmod>2023-05-12T08:00:00+08:00</lastmod>")
	mustLive(t, a, "sitemap.xml", "<loc>https://news.example.cn/sitemaps/hot.xml</loc><lastmod>")
}
