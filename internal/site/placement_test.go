package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// themeArchive is an archive of the newsroom's own hugo.toml and theme with
// stories in 本地 and 要闻 over two months, two of them hot.
func themeArchive(t *testing.T) *Archive {
	t.Helper()
	root := themeRoot(t)
	story := func(rel, title, date, column string) {
		write(t, filepath.Join(root, "content", rel), "---\ntitle: "+title+"\ndate: "+date+"T08:00:00+08:00\ncolumns: ["+column+"]\n---\n"+title+"的正文。\n")
	}
	story("stories/2023/05/old.md", "五月旧闻被置为头条", "2023-05-03", "本地")
	story("stories/2023/05/old2.md", "五月另一篇旧闻", "2023-05-04", "本地")
	story("stories/2023/06/a.md", "六月要闻甲", "2023-06-07", "要闻")
	story("stories/2023/06/b.md", "六月本地乙", "2023-06-08", "本地")
	story("stories/2023/06/c.md", "六月本地丙", "2023-06-09", "本地")
	now := time.Date(2023, 6, 30, 12, 0, 0, 0, time.UTC)
	return &Archive{Root: root, Data: filepath.Join(root, ".newsroom"), HotMin: 2, NewsAge: time.Hour, Now: func() time.Time { return now }}
}

// leadOf returns the 头条 block of a home page.
func leadOf(t *testing.T, home string) string {
	t.Helper()
	i := strings.Index(home, `class="lead-story"`)
	if i < 0 {
		t.Fatalf("home page without a 头条:\n%s", home)
	}
	j := strings.Index(home[i:], "</article>")
	return home[i : i+j]
}

// TestPlacementLeadsHomeAndColumn: an old story placed first on the home
// page is its 头条 when Place returns, one placed on a column leads the
// column's list, the rest follow by time; the placement survives a rollover
// and a full build, and a withdrawn story drops out.
func TestPlacementLeadsHomeAndColumn(t *testing.T) {
	ctx := context.Background()
	a := themeArchive(t)
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	home, _ := liveFile(t, a, "index.html")
	// Without a placement the 头条 is the newest of 要闻 (home.html), as in
	// one Hugo build of the whole site, although no 要闻 story is hot: the
	// hot part lists the newest story of each column (for its page and feed).
	if lead := leadOf(t, home); !strings.Contains(lead, "六月要闻甲") {
		t.Fatalf("without a placement the 头条 is the newest story of 要闻:\n%s", lead)
	}

	placed := map[string][]string{
		"home": {"stories/2023/05/old.md", "stories/2023/06/b.md"},
		"本地":   {"stories/2023/05/old2.md"},
	}
	if _, err := a.Place(ctx, placed); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		home, _ := liveFile(t, a, "index.html")
		if lead := leadOf(t, home); !strings.Contains(lead, "五月旧闻被置为头条") {
			t.Fatalf("%s: the placed story is not the 头条:\n%s", when, lead)
		}
		rest := home[strings.Index(home, `id="yaowen-h"`):]
		if b, c := strings.Index(rest, "六月本地乙"), strings.Index(rest, "六月本地丙"); b < 0 || c < 0 || b > c {
			t.Fatalf("%s: the second placed story must lead the list, before newer ones:\n%s", when, rest)
		}
		// The home page's 本地 block follows the section's placement too.
		block := home[strings.Index(home, "<span>本地</span>"):]
		block = block[:strings.Index(block, "</section>")]
		if first, newest := strings.Index(block, "五月另一篇旧闻"), strings.Index(block, "六月本地丙"); first < 0 || newest < 0 || first > newest {
			t.Fatalf("%s: the home page's 本地 block must list the section's placed story first:\n%s", when, block)
		}
		col, ok := liveFile(t, a, "columns/本地/index.html")
		if !ok {
			t.Fatalf("%s: no column page", when)
		}
		first, newest := strings.Index(col, "五月另一篇旧闻"), strings.Index(col, "六月本地丙")
		if first < 0 || newest < 0 || first > newest {
			t.Fatalf("%s: the column's placed story must come first:\n%s", when, col)
		}
		if _, ok := liveFile(t, a, "stories/2023/05/old/index.html"); !ok {
			t.Fatalf("%s: the placed story's page is missing", when)
		}
	}
	check("after Place")
	if err := a.Rollover(ctx); err != nil {
		t.Fatal(err)
	}
	check("after a rollover")
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	check("after a full build")

	// Withdrawn (its file says so): the page stays, the 头条 is the next.
	write(t, filepath.Join(a.Root, "content/stories/2023/05/old.md"),
		"---\ntitle: 五月旧闻被置为头条\ndate: 2023-05-03T08:00:00+08:00\ncolumns: [本地]\nbuild:\n  list: never\nparams:\n  withdrawn:\n    reason: 测试\n---\n")
	if _, err := a.Publish(ctx, []string{"stories/2023/05/old.md"}, nil); err != nil {
		t.Fatal(err)
	}
	home, _ = liveFile(t, a, "index.html")
	if lead := leadOf(t, home); strings.Contains(lead, "五月旧闻被置为头条") || !strings.Contains(lead, "六月本地乙") {
		t.Fatalf("a withdrawn story stays the 头条:\n%s", lead)
	}
}

// TestPlacementOneSite: the monolithic baseline shows the placement too.
func TestPlacementOneSite(t *testing.T) {
	a := themeArchive(t)
	b := &Builder{Root: a.Root, Data: filepath.Join(a.Root, ".mono")}
	if _, err := b.Place(context.Background(), map[string][]string{"home": {"stories/2023/05/old.md"}}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(b.Current(), "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if lead := leadOf(t, string(data)); !strings.Contains(lead, "五月旧闻被置为头条") {
		t.Fatalf("the placed story is not the 头条:\n%s", lead)
	}
}
