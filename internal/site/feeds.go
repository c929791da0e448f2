package site

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"newsroom/internal/content"
	"newsroom/internal/news"
)

// The RSS feeds of the site, its two sections and its columns hold their
// newest feedLimit items. The hot part renders every feed but holds only
// the newest stories, so a column's feed made from the hot part's pages
// would list only the column's recent few; the archive builder therefore
// keeps the feeds' items itself and passes them to the hot part as
// site.Params.archive.feeds (rss.xml). Tag, author and edition feeds are
// still made from the pages of the part that renders them.

// feedLimit is how many items a feed holds (hugo.toml's services.rss.limit
// for a site built as one Hugo site).
const feedLimit = 50

// feedScan bounds how many content files, newest first, are read to fill
// the feeds: about half a year of a daily. A column with fewer than
// feedLimit items among them lists those.
const feedScan = 20000

// feedItem is what an RSS item says of a story or notice.
type feedItem struct {
	Key, URL, Title, Kicker string
	Date                    time.Time
	Section                 string // stories, notices
	Column                  string // the first column's term key, lower case ("" for none)
	Columns, Authors        []string
	Description             string
}

// feedCached is a content file's feed item as read at a signature. Items
// that no feed holds are kept light (no description, authors or columns'
// names: date, section and column are what choosing needs), so that the
// cache of 20,000 files stays small; one that a feed takes is read again.
type feedCached struct {
	sig   fileSig
	item  feedItem
	ok    bool
	light bool
}

// feedDescriptionRunes is how much of the text an item's description
// holds.
const feedDescriptionRunes = 200

// readFeedItem reads the feed item of a content file; withdrawn and
// unlisted items and files that do not parse have none.
func (a *Archive) readFeedItem(rel string) (feedItem, bool) {
	data, err := os.ReadFile(filepath.Join(a.Root, "content", filepath.FromSlash(rel)))
	if err != nil {
		return feedItem{}, false
	}
	it, err := content.Parse(rel, data)
	if err != nil || it.Story.State == news.StateWithdrawn || it.Story.PublishedAt == nil ||
		(it.Front.Build != nil && it.Front.Build.List == "never") {
		return feedItem{}, false
	}
	key, _, _ := contentKey(rel)
	s := it.Story
	f := feedItem{Key: key, URL: s.URL, Title: s.Title, Kicker: s.Kicker, Date: *s.PublishedAt,
		Section: strings.SplitN(rel, "/", 2)[0], Columns: it.Front.Columns, Authors: it.Front.Authors}
	if len(f.Columns) > 0 {
		f.Column = strings.ToLower(content.TermKey(f.Columns[0]))
	}
	text := strings.Join(strings.Fields(s.Body), " ")
	if utf8.RuneCountInString(text) > feedDescriptionRunes {
		text = string([]rune(text)[:feedDescriptionRunes]) + "…"
	}
	f.Description = text
	return f, true
}

// feedKeys are the feeds an item belongs to: the whole site's, its
// section's and its column's.
func (f feedItem) feedKeys() []string {
	keys := []string{"home", f.Section}
	if f.Column != "" && f.Section == "stories" {
		keys = append(keys, "columns/"+f.Column)
	}
	return keys
}

// chooseFeeds reads the newest content files, month by month, until every
// feed they name has feedLimit items or feedScan files were read, and
// returns the items that some feed holds. Items are cached by file
// signature (a.feedCache), so a rollover re-reads only files that changed.
// The caller holds a.mu.
func (a *Archive) chooseFeeds(months map[string]map[string]fileSig) map[string]feedItem {
	names := make([]string, 0, len(months))
	for m := range months {
		names = append(names, m)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	cache := make(map[string]feedCached, len(a.feedCache))
	var items []feedItem
	rels := map[string]string{} // content key → file
	count := map[string]int{}
	full := func() bool {
		for _, n := range count {
			if n < feedLimit {
				return false
			}
		}
		return count["home"] >= feedLimit && count["stories"] >= feedLimit
	}
	scanned := 0
	for _, m := range names {
		if scanned >= feedScan || (scanned > 0 && full()) {
			break
		}
		var monthItems []feedItem
		for rel, sig := range months[m] {
			scanned++
			c, hit := a.feedCache[rel]
			if !hit || c.sig != sig {
				c.item, c.ok = a.readFeedItem(rel)
				c.sig = sig
			}
			cache[rel] = c
			if c.ok {
				monthItems = append(monthItems, c.item)
				rels[c.item.Key] = rel
			}
		}
		for _, it := range monthItems {
			for _, k := range it.feedKeys() {
				count[k]++
			}
		}
		items = append(items, monthItems...)
	}
	pool := map[string]feedItem{}
	for _, list := range feedLists(items) {
		for _, it := range list {
			if _, done := pool[it.Key]; done {
				continue
			}
			rel := rels[it.Key]
			c := cache[rel]
			if c.light {
				if c.item, c.ok = a.readFeedItem(rel); !c.ok {
					continue // changed since it was read: the next rollover sees it
				}
				c.light = false
				cache[rel] = c
			}
			pool[it.Key] = c.item
		}
	}
	for rel, c := range cache {
		if _, held := pool[c.item.Key]; c.ok && !c.light && !held {
			c.item = feedItem{Key: c.item.Key, Date: c.item.Date, Section: c.item.Section, Column: c.item.Column}
			c.light = true
			cache[rel] = c
		}
	}
	a.feedCache = cache
	return pool
}

// feedLists sorts items into the feeds they belong to, newest first, at
// most feedLimit each.
func feedLists(items []feedItem) map[string][]feedItem {
	items = slices.Clone(items)
	slices.SortFunc(items, func(x, y feedItem) int {
		return cmp.Or(y.Date.Compare(x.Date), cmp.Compare(y.Key, x.Key))
	})
	lists := map[string][]feedItem{}
	for _, it := range items {
		for _, k := range it.feedKeys() {
			if len(lists[k]) < feedLimit {
				lists[k] = append(lists[k], it)
			}
		}
	}
	return lists
}

// noteFeed updates the feed item of a published or corrected content
// file (a withdrawn one leaves the feeds). The caller holds a.mu.
func (a *Archive) noteFeed(key, rel string) {
	if a.feeds == nil {
		a.feeds = map[string]feedItem{}
	}
	if it, ok := a.readFeedItem(rel); ok {
		a.feeds[key] = it
	} else {
		delete(a.feeds, key)
	}
}

// feedParams lists every feed's items for the hot part's rss.xml
// (site.Params.archive.feeds): a list of {key, items}, where key is home,
// stories, notices or columns/KEY. The caller holds a.mu.
func (a *Archive) feedParams() []map[string]any {
	items := make([]feedItem, 0, len(a.feeds))
	for _, it := range a.feeds {
		items = append(items, it)
	}
	lists := feedLists(items)
	keys := make([]string, 0, len(lists))
	for k := range lists {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	const rfc822 = "Mon, 02 Jan 2006 15:04:05 -0700"
	out := make([]map[string]any, 0, len(keys))
	for _, k := range keys {
		list := make([]map[string]any, 0, len(lists[k]))
		for _, it := range lists[k] {
			title := it.Title
			if it.Kicker != "" {
				title = it.Kicker + "：" + title
			}
			list = append(list, map[string]any{"url": it.URL, "title": title, "date": it.Date.In(news.Shanghai).Format(rfc822),
				"columns": it.Columns, "authors": it.Authors, "description": it.Description})
		}
		out = append(out, map[string]any{"key": k, "items": list})
	}
	return out
}

// columnHeads lists the content key of each column's newest story among
// the feeds' items, by column. The caller holds a.mu.
func (a *Archive) columnHeads() []string {
	head := map[string]feedItem{}
	for _, it := range a.feeds {
		if it.Section != "stories" || it.Column == "" {
			continue
		}
		if h, ok := head[it.Column]; !ok || cmp.Or(it.Date.Compare(h.Date), cmp.Compare(it.Key, h.Key)) > 0 {
			head[it.Column] = it
		}
	}
	keys := make([]string, 0, len(head))
	for _, it := range head {
		keys = append(keys, it.Key)
	}
	sort.Strings(keys)
	return keys
}
