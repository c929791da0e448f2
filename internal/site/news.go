package site

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
)

// newsItem is what the Google News sitemap says of a story or notice.
type newsItem struct {
	URL, Title    string
	Date, Lastmod time.Time
	Keywords      []string
}

// newsLimit is how many URLs a Google News sitemap may hold.
const newsLimit = 1000

// readNews reads the news sitemap entry of a content file; withdrawn
// items and files that do not parse have none.
func (a *Archive) readNews(rel string) (newsItem, bool) {
	data, err := os.ReadFile(filepath.Join(a.Root, "content", filepath.FromSlash(rel)))
	if err != nil {
		return newsItem{}, false
	}
	it, err := content.Parse(rel, data)
	if err != nil || it.Story.State == news.StateWithdrawn || it.Story.PublishedAt == nil {
		return newsItem{}, false
	}
	s := it.Story
	n := newsItem{URL: s.URL, Title: s.Title, Date: *s.PublishedAt, Lastmod: *s.PublishedAt, Keywords: s.Tags}
	if s.UpdatedAt.After(n.Lastmod) {
		n.Lastmod = s.UpdatedAt
	}
	return n, true
}

// noteNews updates the news sitemap entry of a published or corrected
// content file. The caller holds a.mu.
func (a *Archive) noteNews(key, rel string) {
	if a.news == nil {
		a.news = map[string]newsItem{}
	}
	n, ok := a.readNews(rel)
	if ok && n.Date.After(a.now().Add(-a.newsAge())) {
		a.news[key] = n
	} else {
		delete(a.news, key)
	}
}

// newsParams lists the items of the news sitemap, newest first, for the
// hot part's template (site.Params.archive.news): the hot part holds only
// the newest stories, and a daily paper prints more than that in the 48
// hours the sitemap covers. The caller holds a.mu.
func (a *Archive) newsParams() []map[string]any {
	cutoff := a.now().Add(-a.newsAge())
	items := make([]newsItem, 0, len(a.news))
	for _, n := range a.news {
		if n.Date.After(cutoff) {
			items = append(items, n)
		}
	}
	slices.SortFunc(items, func(x, y newsItem) int {
		return cmp.Or(y.Date.Compare(x.Date), cmp.Compare(x.URL, y.URL))
	})
	items = items[:min(len(items), newsLimit)]
	const layout = "2006-01-02T15:04:05-07:00"
	list := make([]map[string]any, 0, len(items))
	for _, n := range items {
		list = append(list, map[string]any{"url": n.URL, "title": n.Title, "date": n.Date.In(news.Shanghai).Format(layout),
			"lastmod": n.Lastmod.In(news.Shanghai).Format(layout), "keywords": n.Keywords})
	}
	return list
}
