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

// termsArchive is an Archive over a site with the newsroom's own
// hugo.toml and theme, and no stories yet; its clock stands at the end
// of June 2023.
func termsArchive(t *testing.T, hotMin int) *Archive {
	t.Helper()
	root := themeRoot(t)
	write(t, filepath.Join(root, "content/notices/_index.md"), "---\ntitle: 公告\n---\n")
	now := time.Date(2023, 6, 30, 12, 0, 0, 0, time.UTC)
	return &Archive{Root: root, Data: filepath.Join(root, ".newsroom"), HotMin: hotMin, Now: func() time.Time { return now }}
}

// termStory writes a story of 2023-06 dated day:minute with a column, a
// tag and an author.
func termStory(t *testing.T, a *Archive, n int, column, tag, author string) string {
	t.Helper()
	rel := fmt.Sprintf("stories/2023/06/t%03d.md", n)
	fm := fmt.Sprintf("---\ntitle: \"稿件%03d\"\ndate: 2023-06-%02dT08:%02d:00+08:00\ncolumns: [\"%s\"]\ntags: [\"%s\"]\nauthors: [\"%s\"]\n---\n正文%03d。\n",
		n, 1+n/60, n%60, column, tag, author, n)
	write(t, filepath.Join(a.Root, "content", rel), fm)
	return rel
}

// TestTermAndListPagesOutliveTheHotPart publishes stories one after the
// other until the first ones leave the hot part (and a full build and
// restart in between): the tag, author and column pages of the old
// stories stay, with them listed, as long as a live story has the term,
// and go when none has; /stories/ keeps the same pages, and its pager
// links only pages that exist.
func TestTermAndListPagesOutliveTheHotPart(t *testing.T) {
	ctx := context.Background()
	a := termsArchive(t, 20)
	// Old stories, each with terms no later story has.
	termStory(t, a, 0, "旧栏目", "旧标签", "老记者")
	termStory(t, a, 1, "旧栏目", "旧标签", "老记者")
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"tags/旧标签/index.html", "authors/老记者/index.html", "columns/旧栏目/index.html"} {
		mustLive(t, a, page, "稿件000")
	}
	// Enough new stories, published one by one with rollovers between,
	// that the old ones leave the hot part.
	pageCount := func() int {
		n := 1
		for ; ; n++ {
			if _, ok := liveFile(t, a, fmt.Sprintf("stories/page/%d/index.html", n+1)); !ok {
				return n
			}
		}
	}
	for n := 2; n < 50; n++ {
		rel := termStory(t, a, n, "要闻", "新标签", "新记者")
		if _, err := a.Publish(ctx, []string{rel}, nil); err != nil {
			t.Fatal(err)
		}
		if n%10 == 0 {
			if _, err := a.render(ctx, "2023-06"); err != nil {
				t.Fatal(err)
			}
			if err := a.Rollover(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for _, page := range []string{"tags/旧标签/index.html", "authors/老记者/index.html", "columns/旧栏目/index.html"} {
			mustLive(t, a, page, "稿件001")
		}
		mustLive(t, a, "tags/新标签/index.html", fmt.Sprintf("稿件%03d", n))
		// Every page the /stories/ pager links exists.
		for p := 1; p <= pageCount(); p++ {
			rel := "stories/index.html"
			if p > 1 {
				rel = fmt.Sprintf("stories/page/%d/index.html", p)
			}
			page, _ := liveFile(t, a, rel)
			for _, link := range pagerLinks(page) {
				if _, ok := liveFile(t, a, strings.TrimPrefix(link, "/")+"index.html"); !ok {
					t.Fatalf("after story %d, %s links %s, which is not there", n, rel, link)
				}
			}
		}
	}
	if a.hot["stories/2023/06/t000"] || a.hot["stories/2023/06/t001"] {
		t.Fatal("the old stories are still hot; the test proves nothing")
	}
	if a.owner("tags/旧标签/index.html") != termsPart {
		t.Fatalf("the old tag's page is owned by %s, not the terms part", a.owner("tags/旧标签/index.html"))
	}
	// /stories/ shows HotMin stories: a page of 20, always.
	if got := pageCount(); got != 1 {
		t.Fatalf("/stories/ has %d pages; want 1 (HotMin 20)", got)
	}

	// A restart keeps them; a full build too.
	b := &Archive{Root: a.Root, Data: a.Data, HotMin: a.HotMin, Now: a.Now}
	if need, err := b.Start(ctx); err != nil || need {
		t.Fatalf("restart: need full build %v, %v", need, err)
	}
	if _, err := b.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"tags/旧标签/index.html", "authors/老记者/index.html", "columns/旧栏目/index.html", "tags/旧标签/index.xml"} {
		mustLive(t, b, page, "稿件001")
	}

	// Withdrawn, the old stories take their terms' pages with them.
	for _, rel := range []string{"stories/2023/06/t000.md", "stories/2023/06/t001.md"} {
		os.Remove(filepath.Join(b.Root, "content", rel))
		if _, err := b.Publish(ctx, nil, []string{rel}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.render(ctx, "2023-06"); err != nil {
		t.Fatal(err)
	}
	if err := b.Rollover(ctx); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"tags/旧标签/index.html", "authors/老记者/index.html", "columns/旧栏目/index.html"} {
		if _, ok := liveFile(t, b, page); ok {
			t.Errorf("%s still served with no live story on it", page)
		}
	}
	mustLive(t, b, "tags/新标签/index.html", "稿件049")
}

// pagerLinks are the links of a page's pager (the first, previous, next
// and last list pages).
func pagerLinks(page string) []string {
	i := strings.Index(page, `class="pager"`)
	if i < 0 {
		return nil
	}
	nav := page[i:]
	nav = nav[:strings.Index(nav, "</nav>")]
	var links []string
	for _, part := range strings.Split(nav, `href="`)[1:] {
		links = append(links, part[:strings.IndexByte(part, '"')])
	}
	return links
}

// TestTermPageOwner: a term's pages are the hot part's while a hot story
// has the term, else the terms part's; the pages of the list of all terms
// (/tags/, /tags/page/2/) are always the hot part's.
func TestTermPageOwner(t *testing.T) {
	hotTerms := map[string]bool{"tags/营商环境": true}
	for rel, want := range map[string]string{
		"tags/营商环境/index.html":              hotPart,
		"tags/营商环境/page/2/index.html":       hotPart,
		"tags/旧标签/index.xml":                termsPart,
		"authors/zhang-1a2b3c4d/index.html": termsPart,
		"columns/要闻/page/3/index.html":      hotPart, // every column is listed by the hot part
		"tags/index.html":                   hotPart,
		"tags/page/4/index.html":            hotPart,
		"stories/index.html":                hotPart,
	} {
		if got := ownerOf(rel, nil, nil, hotTerms); got != want {
			t.Errorf("owner of %s: %s, want %s", rel, got, want)
		}
	}
}
