package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// themeSite writes a site with the newsroom's own hugo.toml and theme and
// returns its root.
func themeSite(t *testing.T) string {
	t.Helper()
	root := themeRoot(t)
	conf, err := os.ReadFile(filepath.Join(root, "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "hugo.toml"), strings.Replace(string(conf), `baseURL = "/"`, `baseURL = "https://www.example.cn/"`, 1))
	write(t, filepath.Join(root, "content/notices/_index.md"), "---\ntitle: 公告\n---\n")
	return root
}

// columnStory writes a story of a column published at d.
func columnStory(t *testing.T, root, slug, title, column string, d time.Time) string {
	t.Helper()
	rel := fmt.Sprintf("stories/%s/%s.md", d.Format("2006/01"), slug)
	write(t, filepath.Join(root, "content", rel), fmt.Sprintf("---\ntitle: %s\ndate: %s\ncolumns: [%s]\nauthors: [记者甲]\n---\n%s的正文，第一段。\n\n第二段。\n",
		title, d.Format(time.RFC3339), column, title))
	return rel
}

var itemLinkRE = regexp.MustCompile(`<item>\s*<title>[^<]*</title>\s*<link>([^<]+)</link>`)

// feedLinks lists the item links of a feed in the live tree.
func feedLinks(t *testing.T, dir, rel string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, m := range itemLinkRE.FindAllStringSubmatch(string(data), -1) {
		links = append(links, m[1])
	}
	return links
}

// TestFeedsHoldTheNewest50WhateverPartBuiltThem builds a column of 70
// stories over three months, of which the hot part holds only the newest
// few: its feed (and the site's and the section's) must list the column's
// newest 50 all the same, as one Hugo build of the whole site does, and
// keep doing so after a publish, a withdrawal and a rollover.
func TestFeedsHoldTheNewest50WhateverPartBuiltThem(t *testing.T) {
	ctx := context.Background()
	root := themeSite(t)
	start := time.Date(2023, 4, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var yaowen []string // newest first
	for i := range 70 {
		d := start.Add(time.Duration(i) * 31 * time.Hour) // about 3 months
		columnStory(t, root, fmt.Sprintf("yw%02d", i), fmt.Sprintf("要闻稿件%02d", i), "要闻", d)
		yaowen = append([]string{fmt.Sprintf("https://www.example.cn/stories/%s/yw%02d/", d.Format("2006/01"), i)}, yaowen...)
	}
	for i := range 12 {
		columnStory(t, root, fmt.Sprintf("bd%02d", i), fmt.Sprintf("本地稿件%02d", i), "本地", start.Add(time.Duration(i)*150*time.Hour+time.Hour))
	}
	writeStory(t, root, "notices", "2023-06-08", "n0", "公告零")
	now := start.AddDate(0, 3, 0)
	a := &Archive{Root: root, Data: filepath.Join(root, ".newsroom"), HotMin: 5, Now: func() time.Time { return now }}
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// One Hugo build of the whole site is the reference.
	whole := filepath.Join(t.TempDir(), "public")
	if _, err := buildHugo(ctx, root, whole, nil, nil); err != nil {
		t.Fatal(err)
	}
	column := "columns/要闻/index.xml"
	check := func(when string, want []string) {
		t.Helper()
		if got := feedLinks(t, a.PublicLink(), column); !slices.Equal(got, want) {
			t.Fatalf("%s: %s lists %d items:\n%s\nwant %d:\n%s", when, column, len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
		}
	}
	check("after a full build", yaowen[:50])
	for _, rel := range []string{column, "columns/本地/index.xml", "index.xml", "stories/index.xml", "notices/index.xml"} {
		got, want := feedLinks(t, a.PublicLink(), rel), feedLinks(t, whole, rel)
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s built in parts lists %d items, built whole %d:\n%s\nwant:\n%s", rel, len(got), len(want), strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	if n := len(feedLinks(t, a.PublicLink(), "columns/本地/index.xml")); n != 12 {
		t.Errorf("本地's feed lists %d items, want all 12", n)
	}
	feed, _ := os.ReadFile(filepath.Join(a.PublicLink(), filepath.FromSlash(column)))
	for _, want := range []string{"<category>要闻</category>", "<dc:creator>记者甲</dc:creator>", "<description>要闻稿件69的正文，第一段。 第二段。</description>", "<pubDate>"} {
		if !strings.Contains(string(feed), want) {
			t.Errorf("%s lacks %s", column, want)
		}
	}

	// A publish: the new story first, the oldest of the 50 gone.
	fresh := now.Add(-time.Hour)
	rel := columnStory(t, root, "fresh", "新发要闻", "要闻", fresh)
	if _, err := a.Publish(ctx, []string{rel}, nil); err != nil {
		t.Fatal(err)
	}
	yaowen = append([]string{"https://www.example.cn/stories/" + fresh.Format("2006/01") + "/fresh/"}, yaowen...)
	check("after a publish", yaowen[:50])

	// Withdrawals leave the feed at once (two: the publish left one item
	// to spare); the rollover fills it up again from the months.
	var gone []string
	for _, i := range []int{60, 61} {
		rel := "stories/" + start.Add(time.Duration(i)*31*time.Hour).Format("2006/01") + fmt.Sprintf("/yw%02d.md", i)
		if err := os.Remove(filepath.Join(root, "content", filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
		gone = append(gone, rel)
		yaowen = slices.DeleteFunc(yaowen, func(u string) bool { return strings.HasSuffix(u, fmt.Sprintf("/yw%02d/", i)) })
	}
	if _, err := a.Publish(ctx, nil, gone); err != nil {
		t.Fatal(err)
	}
	check("after two withdrawals", yaowen[:49])
	if err := a.Rollover(ctx); err != nil {
		t.Fatal(err)
	}
	check("after a rollover", yaowen[:50])
}
