package site

import (
	"newsroom/internal/content"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// hotPart is the name of the part that holds recent stories and the
// archive-wide pages.
const hotPart = "hot"

// termsPart is the name of the part that renders the term pages (栏目,
// tags, authors) of terms no hot story has: a term page exists as long as
// any live story has the term, whatever part renders that story. It lists
// each such term's newest stories (termListMax of each month's, see
// partState.Terms), linked, not rendered; it renders in the background
// (Rollover, Run), never in a publish: a term only becomes its when the
// hot part lets go of it, after the terms part has rendered its page.
const termsPart = "terms"

// termListMax is how many of a term's newest stories each month keeps for
// the terms part: one page of a term's list (hugo.toml's pagerSize).
const termListMax = 20

// partState is what one part last rendered: the content files it read and
// the output files it owns, with a hash of each, so the next render
// rewrites only files that changed and deletes those that are gone.
type partState struct {
	Inputs   map[string]fileSig // content rel path → signature
	Outputs  map[string]uint64  // output rel path → content hash
	Editions []string           // e-paper dates found in the part
	// EditionOf gives the e-paper edition of the part's listed content
	// files that have one (a month's), so that the hot part can list an
	// edition's stories without reading the month's files (hotFiles).
	EditionOf map[string]string
	// SitemapMod is the newest <lastmod> of the part's sitemap, for the
	// sitemap index.
	SitemapMod time.Time
	Pages      int
	// Terms are, for a month part, the term pages its live stories are on
	// ("tags/营商环境"), each with the month's newest termListMax of them:
	// what the terms part lists without reading any month's files.
	Terms map[string][]termRef
}

// termRef is a story on a term page: its content file and date (Unix
// seconds), for picking a term's newest stories across months.
type termRef struct {
	Rel  string
	Date int64
}

type fileSig struct {
	Size    int64
	ModTime int64
}

// owner says which part owns an output file (slash-separated, relative to
// the live tree) given the hot set. Story and notice pages belong to their
// month unless they are hot; month lists and editions to their month;
// everything else to the hot part.
func owner(rel string, hot map[string]bool) string { return ownerOf(rel, hot, nil, nil) }

// owner says which part owns an output file now.  The caller holds a.mu.
func (a *Archive) owner(rel string) string { return ownerOf(rel, a.hot, a.hotEds, a.hotTerms) }

// ownerOf is owner with the e-paper editions that are hot (hotEds, by
// date): their pages (/edition/2023-06-08/ and below) are the hot part's,
// so that a story published, corrected or withdrawn reaches its edition's
// pages in the same publish (see hotFiles).
//
// A term's pages (/tags/营商环境/ and below) are the hot part's when a hot
// story has the term (hotTerms: "tags/营商环境"), else the terms part's;
// hotTerms nil gives every term page to the hot part.
func ownerOf(rel string, hot, hotEds, hotTerms map[string]bool) string {
	p := strings.Split(rel, "/")
	if hotTerms != nil {
		if t := termOf(rel); t != "" && !hotTerms[t] {
			return termsPart
		}
	}
	if len(p) >= 4 && (p[0] == "stories" || p[0] == "notices") && isDigits(p[1], 4) && isDigits(p[2], 2) {
		month := p[1] + "-" + p[2]
		switch p[3] {
		case "index.html", "index.xml", "page":
			return month
		}
		if hot[p[0]+"/"+p[1]+"/"+p[2]+"/"+p[3]] {
			return hotPart
		}
		return month
	}
	if len(p) >= 2 && p[0] == "edition" && len(p[1]) == 10 && isDigits(p[1][:4], 4) && p[1][4] == '-' && isDigits(p[1][5:7], 2) {
		if hotEds[p[1]] {
			return hotPart
		}
		return editionMonth(p[1])
	}
	if len(p) == 2 && p[0] == "sitemaps" && strings.HasSuffix(p[1], ".xml") {
		return strings.TrimSuffix(p[1], ".xml")
	}
	return hotPart
}

// editionMonth is the month part that owns an edition's pages when it is
// not hot: 2023-06-08 → 2023-06.
func editionMonth(date string) string { return date[:7] }

// isTaxonomy reports whether a top folder holds term pages.
func isTaxonomy(top string) bool { return slices.Contains(content.Taxonomies, top) }

// termOf is the term a term page's output file belongs to ("tags/x" for
// tags/x/page/2/index.html), "" for any other file. tags/page/N/ are the
// pages of the list of all tags (the hot part's).
//
// Columns are not: the hot part lists every column's newest stories (see
// chooseFeeds), so their pages and feeds are always its.
func termOf(rel string) string {
	p := strings.SplitN(rel, "/", 3)
	if len(p) == 3 && isTaxonomy(p[0]) && p[0] != "columns" && p[1] != "page" {
		return p[0] + "/" + p[1]
	}
	return ""
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// filesOf lists the content files a part renders. For the hot part it
// looks up the hot keys in the catalog rather than scanning the catalog:
// a publish must not cost time proportional to the archive (scanning a
// million entries with a regular expression took seconds per publish).
func filesOf(months map[string]map[string]fileSig, name string, hot map[string]bool) []string {
	var files []string
	if name == hotPart {
		for key := range hot {
			rel := content.FileOfKey(key)
			if _, month, ok := contentKey(rel); ok {
				if _, there := months[month][rel]; there {
					files = append(files, rel)
				}
			}
		}
	} else {
		for rel := range months[name] {
			files = append(files, rel)
		}
	}
	sort.Strings(files)
	return files
}

// chooseHot picks the hot set, the HotMin newest items by date and the
// HotMin newest stories (the /stories/ list shows as many, see
// archiveParams: its pages must not come and go with the notices among
// the newest items), the placed ones (SetPlacement), and the items dated
// within NewsAge for the news sitemap. Only the newest months (and the
// placed files) are read, so the cost does not grow with the archive. The
// caller holds a.mu.
func (a *Archive) chooseHot(months map[string]map[string]fileSig) (map[string]bool, map[string]newsItem, map[string]string) {
	type item struct {
		key, rel string
		date     time.Time
		edition  string // listed stories only
	}
	names := make([]string, 0, len(months))
	for m := range months {
		names = append(names, m)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	cutoff := a.now().Add(-a.newsAge())
	var items []item
	stories := 0
	for _, m := range names {
		monthEnd, _ := time.Parse("2006-01", m)
		monthEnd = monthEnd.AddDate(0, 1, 1)
		if stories >= a.hotMin() && monthEnd.Before(cutoff) {
			break
		}
		for rel := range months[m] {
			if strings.HasPrefix(rel, "stories/") {
				stories++
			}
			key, _, _ := contentKey(rel)
			m := frontMeta(filepath.Join(a.Root, "content", filepath.FromSlash(rel)))
			it := item{key, rel, m.Date, m.Edition}
			if m.Unlisted {
				it.edition = ""
			}
			items = append(items, it)
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if !items[i].date.Equal(items[j].date) {
			return items[i].date.After(items[j].date)
		}
		return items[i].key > items[j].key
	})
	hot := map[string]bool{}
	news := map[string]newsItem{}
	eds := map[string]string{}
	stories = 0
	for i, it := range items {
		isStory := strings.HasPrefix(it.rel, "stories/")
		if isStory {
			stories++
		}
		if i < a.hotMin() || isStory && stories <= a.hotMin() {
			hot[it.key] = true
			if it.edition != "" {
				eds[it.key] = it.edition
			}
		}
		if it.date.After(cutoff) {
			if n, ok := a.readNews(it.rel); ok {
				news[it.key] = n
			}
		}
	}
	// Placed stories are hot however old: the home and column pages that
	// show them first are the hot part's.
	for _, files := range a.placed {
		for _, rel := range files {
			key, month, ok := contentKey(rel)
			if _, there := months[month][rel]; !ok || !there || hot[key] {
				continue
			}
			hot[key] = true
			if m := frontMeta(filepath.Join(a.Root, "content", filepath.FromSlash(rel))); m.Edition != "" && !m.Unlisted {
				eds[key] = m.Edition
			}
		}
	}
	return hot, news, eds
}

// hotEditionsOf lists the editions of hot stories (hotEd: key → edition).
func hotEditionsOf(hotEd map[string]string) map[string]bool {
	eds := map[string]bool{}
	for _, ed := range hotEd {
		if len(ed) == 10 {
			eds[ed] = true
		}
	}
	return eds
}

// partFiles lists the content files a part renders and, for the hot part,
// the ones it lists without rendering them: the other stories of its
// editions, whose pages are their months' (see renderHugoBuild), and the
// newest story of each column that has none in the hot set. It also
// returns the hot editions that have a listed story, for the calendar.
// parts is the state the months were last rendered with (the live tree's,
// or a full build's new tree's). The caller holds a.mu.
func (a *Archive) partFiles(months map[string]map[string]fileSig, parts map[string]*partState, name string) (files, listed []string, hotHas map[string]bool) {
	if name == termsPart {
		return a.coldTermFiles(months, parts), nil, nil
	}
	files = filesOf(months, name, a.hot)
	hotHas = map[string]bool{}
	for key, ed := range a.hotEd {
		if a.hot[key] && a.hotEds[ed] {
			hotHas[ed] = true
		}
	}
	if name != hotPart {
		return files, nil, hotHas
	}
	for ed := range a.hotEds {
		month := editionMonth(ed)
		st := parts[month]
		if st == nil {
			continue
		}
		for rel, e := range st.EditionOf {
			if e != ed {
				continue
			}
			if _, there := months[month][rel]; !there {
				continue // withdrawn and removed since
			}
			if key, _, ok := contentKey(rel); ok && a.hot[key] {
				continue // rendered, and in the edition its file names now
			}
			listed = append(listed, rel)
			hotHas[ed] = true
		}
	}
	// A column's page and feed are the hot part's, and Hugo makes a term
	// page only where a page of the build has the term: a column none of
	// whose stories is hot gets its newest one listed.
	seen := make(map[string]bool, len(listed))
	for _, rel := range listed {
		seen[rel] = true
	}
	for _, key := range a.columnHeads() {
		rel := content.FileOfKey(key)
		_, month, ok := contentKey(rel)
		if !ok || a.hot[key] || seen[rel] {
			continue
		}
		if _, there := months[month][rel]; there {
			listed = append(listed, rel)
			seen[rel] = true
		}
	}
	sort.Strings(listed)
	return files, listed, hotHas
}

// archiveParams are passed to every part as site.Params.archive, so the
// hot part can link to every month and edition without loading them.
//
// The calendar lists the months' editions as they last rendered, except
// the hot editions, which it lists when they have a story now (hotHas,
// from partFiles): the hot part renders their pages in the same build.
//
// shown, if not nil, says which months have their list page in the tree
// (see shownMonths): a link appears only with its page.
func (a *Archive) archiveParams(months map[string]map[string]fileSig, parts map[string]*partState, hotHas, shown map[string]bool) map[string]any {
	var names []string
	counts := map[string]int{}
	for m, files := range months {
		if shown != nil && !shown[m] {
			continue
		}
		names = append(names, m)
		counts[m] = len(files)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	var editions []string
	for _, st := range parts {
		for _, ed := range st.Editions {
			if !a.hotEds[ed] {
				editions = append(editions, ed)
			}
		}
	}
	for ed := range hotHas {
		editions = append(editions, ed)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(editions)))
	editions = slices.Compact(editions)
	list := make([]map[string]any, 0, len(names))
	for _, m := range names {
		list = append(list, map[string]any{"month": m, "year": m[:4], "mon": m[5:], "count": counts[m],
			"url": "/stories/" + m[:4] + "/" + m[5:] + "/"})
	}
	// The /stories/ list shows the HotMin newest stories, which are always
	// hot (chooseHot; those published since are hot too), so it has the
	// same pages from one publish to the next; older stories are in the
	// month lists.
	lists := map[string]any{"/stories/": a.hotMin()}
	return map[string]any{"months": list, "calendar": editionMonths(editions), "news": a.newsParams(), editionDatesKey: editions,
		"placement": placementParams(a.placed), "lists": lists}
}

// shownMonths are the months whose list pages are in the live tree (their
// part has rendered), and rendering, the part about to render: a story of
// a new month is published through the hot part before its month has a
// list page (see Publish). The caller holds a.mu.
func (a *Archive) shownMonths(rendering string) map[string]bool {
	shown := map[string]bool{rendering: true}
	for name := range a.parts {
		shown[name] = true
	}
	return shown
}

// calendarMonths is how many months of editions the 电子版 · 往期 page shows
// as calendars; older months are links to their newest edition.
const calendarMonths = 24

// editionMonths groups edition dates (newest first) by month for the
// 电子版 · 往期 page: each month's count and newest edition, and its dates
// for the newest calendarMonths months. Twenty years of a daily are 7,300
// dates; walking them in a template took half of every publish's render.
func editionMonths(editions []string) []map[string]any {
	var out []map[string]any
	for i := 0; i < len(editions); {
		if len(editions[i]) != 10 {
			i++
			continue
		}
		month := editions[i][:7]
		j := i
		for j < len(editions) && strings.HasPrefix(editions[j], month) {
			j++
		}
		m := map[string]any{"month": month, "count": j - i, "newest": editions[i]}
		if len(out) < calendarMonths {
			m["days"] = editions[i:j]
		}
		out = append(out, m)
		i = j
	}
	return out
}

// coldTermFiles lists the content files the terms part renders term pages
// from: for each term no hot story has, its newest stories as the months
// last rendered them (partState.Terms), termListMax of them, if their
// files are still there. The caller holds a.mu.
func (a *Archive) coldTermFiles(months map[string]map[string]fileSig, parts map[string]*partState) []string {
	refs := map[string][]termRef{}
	for name, st := range parts {
		if name == hotPart || name == termsPart {
			continue
		}
		for term, rs := range st.Terms {
			if !a.hotTerms[term] {
				refs[term] = append(refs[term], rs...)
			}
		}
	}
	set := map[string]bool{}
	for _, rs := range refs {
		sortRefs(rs)
		n := 0
		for _, r := range rs {
			if n == termListMax {
				break
			}
			if _, month, ok := contentKey(r.Rel); ok {
				if _, there := months[month][r.Rel]; there {
					set[r.Rel] = true
					n++
				}
			}
		}
	}
	files := make([]string, 0, len(set))
	for rel := range set {
		files = append(files, rel)
	}
	sort.Strings(files)
	return files
}

// coldTermLive reports whether a story outside the hot part may still
// have term (its month says so, and its file is there). The caller holds
// a.mu.
func (a *Archive) coldTermLive(term string) bool {
	if term == "" {
		return false
	}
	for name, st := range a.parts {
		if name == hotPart || name == termsPart {
			continue
		}
		for _, r := range st.Terms[term] {
			if _, month, ok := contentKey(r.Rel); ok {
				if _, there := a.months[month][r.Rel]; there {
					return true
				}
			}
		}
	}
	return false
}

// sortRefs orders a term's stories newest first.
func sortRefs(rs []termRef) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Date != rs[j].Date {
			return rs[i].Date > rs[j].Date
		}
		return rs[i].Rel > rs[j].Rel
	})
}

// monthTerms is a month part's partState.Terms: for each term page its
// listed stories are on, the month's newest termListMax of them.
func monthTerms(files map[string]fileSig, meta map[string]fileMeta) map[string][]termRef {
	terms := map[string][]termRef{}
	for rel := range files {
		m := meta[rel]
		if m.Unlisted {
			continue
		}
		for _, t := range m.Terms {
			terms[t] = append(terms[t], termRef{rel, m.Date.Unix()})
		}
	}
	for t, rs := range terms {
		sortRefs(rs)
		if len(rs) > termListMax {
			terms[t] = slices.Clip(rs[:termListMax])
		}
	}
	return terms
}

// termsOfKeys reads the term pages of the content files of keys.
func (a *Archive) termsOfKeys(keys map[string]bool) map[string]bool {
	terms := map[string]bool{}
	for key := range keys {
		for _, t := range a.readTerms(content.FileOfKey(key)) {
			terms[t] = true
		}
	}
	return terms
}

// readTerms reads the term pages of a content file (rel below content/).
func (a *Archive) readTerms(rel string) []string {
	data, err := os.ReadFile(filepath.Join(a.Root, "content", filepath.FromSlash(rel)))
	if err != nil {
		return nil
	}
	return content.TermPaths(data)
}
