package site

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"newsroom/internal/content"
)

// contentKey turns "stories/2023/06/x.md" into "stories/2023/06/x" and
// reports the month part ("2023-06") it belongs to (content.KeyOf).
func contentKey(rel string) (key, month string, ok bool) { return content.KeyOf(rel) }

// owner says which part owns an output file (slash-separated, relative to
// the live tree) given the hot set. Story and notice pages belong to their
// month unless they are hot; month lists and editions to their month;
// everything else to the hot part.
func owner(rel string, hot map[string]bool) string {
	p := strings.Split(rel, "/")
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
		return p[1][:4] + "-" + p[1][5:7]
	}
	if len(p) == 2 && p[0] == "sitemaps" && strings.HasSuffix(p[1], ".xml") {
		return strings.TrimSuffix(p[1], ".xml")
	}
	return hotPart
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

// cachedCatalog returns the cached catalog, walking content/ the first
// time. The maps are never changed in place (see touchCatalog), so a
// caller may keep using them without the lock. The caller holds a.mu.
func (a *Archive) cachedCatalog() (map[string]map[string]fileSig, error) {
	if a.months != nil {
		return a.months, nil
	}
	return a.catalog()
}

// touchCatalog updates the cached catalog for the given content files
// (changed or removed), copying the maps it changes. The caller holds a.mu.
func (a *Archive) touchCatalog(rels []string) {
	if a.months == nil {
		return
	}
	next := make(map[string]map[string]fileSig, len(a.months)+1)
	for k, v := range a.months {
		next[k] = v
	}
	copied := map[string]bool{}
	for _, rel := range rels {
		_, month, ok := contentKey(rel)
		if !ok {
			continue
		}
		if !copied[month] {
			m := make(map[string]fileSig, len(next[month])+1)
			for k, v := range next[month] {
				m[k] = v
			}
			next[month] = m
			copied[month] = true
		}
		if info, err := os.Stat(filepath.Join(a.Root, "content", filepath.FromSlash(rel))); err == nil {
			next[month][rel] = fileSig{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
		} else {
			delete(next[month], rel)
		}
		if len(next[month]) == 0 {
			delete(next, month)
		}
	}
	a.months = next
}

// catalog lists the archive's content files by month part, with their
// signatures, and caches the list. It reads directory entries and file
// sizes only. The caller holds a.mu.
func (a *Archive) catalog() (map[string]map[string]fileSig, error) {
	months := map[string]map[string]fileSig{}
	contentDir := filepath.Join(a.Root, "content")
	for _, top := range []string{"stories", "notices"} {
		base := filepath.Join(contentDir, top)
		err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == base {
					return filepath.SkipDir
				}
				return err
			}
			if d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(contentDir, p)
			rel = filepath.ToSlash(rel)
			_, month, ok := contentKey(rel)
			if !ok {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil // removed while walking
			}
			if months[month] == nil {
				months[month] = map[string]fileSig{}
			}
			months[month][rel] = fileSig{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list content: %w", err)
		}
	}
	a.months = months
	return months, nil
}

// frontMeta reads date, edition and withdrawal from a content file's
// front matter (content.ReadMeta); a file that cannot be read has none.
func frontMeta(file string) fileMeta {
	m, _ := content.ReadMeta(file)
	return fileMeta{Date: m.Date, Edition: m.Edition, Unlisted: m.Unlisted}
}

// chooseHot picks the hot set, the HotMin newest items by date, and the
// items dated within NewsAge for the news sitemap. Only the newest months
// are read, so the cost does not grow with the archive. The caller holds
// a.mu.
func (a *Archive) chooseHot(months map[string]map[string]fileSig) (map[string]bool, map[string]newsItem) {
	type item struct {
		key, rel string
		date     time.Time
	}
	names := make([]string, 0, len(months))
	for m := range months {
		names = append(names, m)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	cutoff := a.now().Add(-a.newsAge())
	var items []item
	for _, m := range names {
		monthEnd, _ := time.Parse("2006-01", m)
		monthEnd = monthEnd.AddDate(0, 1, 1)
		if len(items) >= a.hotMin() && monthEnd.Before(cutoff) {
			break
		}
		for rel := range months[m] {
			key, _, _ := contentKey(rel)
			m := frontMeta(filepath.Join(a.Root, "content", filepath.FromSlash(rel)))
			items = append(items, item{key, rel, m.Date})
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
	for i, it := range items {
		if i < a.hotMin() {
			hot[it.key] = true
		}
		if it.date.After(cutoff) {
			if n, ok := a.readNews(it.rel); ok {
				news[it.key] = n
			}
		}
	}
	return hot, news
}

// load reads the parts' state saved by the last build.
func (a *Archive) load() {
	if a.loaded {
		return
	}
	a.loaded = true
	a.parts = map[string]*partState{}
	a.news = map[string]newsItem{}
	a.dirty = map[string]bool{}
	a.live = a.Current()
	entries, _ := os.ReadDir(filepath.Join(a.Data, "parts"))
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".gob")
		if !ok {
			continue
		}
		var st partState
		f, err := os.Open(filepath.Join(a.Data, "parts", e.Name()))
		if err != nil {
			continue
		}
		if gob.NewDecoder(bufio.NewReader(f)).Decode(&st) == nil {
			a.parts[name] = &st
		}
		f.Close()
	}
	if b, err := os.ReadFile(filepath.Join(a.Data, "parts", "hot.keys")); err == nil {
		a.hot = map[string]bool{}
		for _, k := range strings.Fields(string(b)) {
			a.hot[k] = true
		}
	}
}

func (a *Archive) saveState(name string, st *partState) error {
	dir := filepath.Join(a.Data, "parts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, name+".gob"), buf.Bytes())
}

func (a *Archive) saveHot() error {
	keys := make([]string, 0, len(a.hot))
	for k := range a.hot {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if err := os.MkdirAll(filepath.Join(a.Data, "parts"), 0o755); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(a.Data, "parts", "hot.keys"), []byte(strings.Join(keys, "\n")))
}

// themeSignature changes when the configuration, theme or static files
// change: then every part must be rendered again.
func (a *Archive) themeSignature() string {
	h := fnv.New64a()
	for _, dir := range []string{"hugo.toml", "themes", "static", "layouts", "assets", "i18n", "data"} {
		filepath.WalkDir(filepath.Join(a.Root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err == nil {
				// Relative: a site folder moved or restored elsewhere
				// keeps its signature (a million-story full build is
				// half an hour).
				rel, _ := filepath.Rel(a.Root, p)
				fmt.Fprintf(h, "%s %d %d\n", filepath.ToSlash(rel), info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return fmt.Sprintf("%x", h.Sum64())
}

// archiveParams are passed to every part as site.Params.archive, so the
// hot part can link to every month and edition without loading them.
func (a *Archive) archiveParams(months map[string]map[string]fileSig, parts map[string]*partState) map[string]any {
	var names []string
	counts := map[string]int{}
	for m, files := range months {
		names = append(names, m)
		counts[m] = len(files)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	var editions []string
	for _, st := range parts {
		editions = append(editions, st.Editions...)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(editions)))
	editions = slices.Compact(editions)
	list := make([]map[string]any, 0, len(names))
	for _, m := range names {
		list = append(list, map[string]any{"month": m, "year": m[:4], "mon": m[5:], "count": counts[m],
			"url": "/stories/" + m[:4] + "/" + m[5:] + "/"})
	}
	return map[string]any{"months": list, "calendar": editionMonths(editions), "news": a.newsParams()}
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
