package site

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/afero"

	"newsroom/internal/content"
	"newsroom/internal/epaper"
)

// The pages of the e-paper (/edition/2023-06-08/01/) are not content
// files: each part stages one page file per printed page of the editions
// it renders, from the page numbers of the edition's stories and the page's
// record (epaper.Dir: image, areas, the editors' order). They are staged
// in a section of their own (edition-pages/), each with its url, so that
// they render at /edition/DATE/NN/ with the edition's other pages and
// belong to the same part (owner). The page image is copied into the
// part's output beside the page (page.jpg), and so is the page's PDF
// (page.pdf), but by reference: a month of PDFs is too large to hold in
// memory with a month's render, so the output names the record's file
// (outputFs.link) and publishing copies it into the tree from disk, when
// it is new or changed. A static deploy of the tree has the PDFs too.

// editionPagesDir is the staged section of the e-paper's pages.
const editionPagesDir = "edition-pages"

// editionDatesKey carries, in the archive parameters, every edition date
// (newest first) from archiveParams to the staging, which finds each
// edition's previous and next one (上一期/下一期). It is taken out before
// Hugo sees the parameters: no template walks the archive's dates.
const editionDatesKey = "editionDates"

// editionPage is one staged page: an edition's date and its page number.
type editionPage struct {
	date string
	n    int
}

// hugoParams is the archive parameters as the templates get them.
func hugoParams(params map[string]any) map[string]any {
	if _, ok := params[editionDatesKey]; !ok {
		return params
	}
	p := maps.Clone(params)
	delete(p, editionDatesKey)
	return p
}

// editionPagesOf notes the e-paper page of a staged content file: its
// edition's date as a page with number 0, and its page.
func editionPagesOf(pages map[editionPage]bool, rel string, data []byte) {
	if _, _, ok := contentKey(rel); !ok {
		return
	}
	m, err := content.ReadMetaBytes(data)
	if err != nil || m.Edition == "" || m.Unlisted {
		return
	}
	pages[editionPage{m.Edition, 0}] = true
	if m.Page > 0 {
		pages[editionPage{m.Edition, m.Page}] = true
	}
}

// stageEditionPages writes the page files of pages (number 0 only names
// an edition) into the staged content folder dir and returns the pages in
// order. dates are every edition's date the archive knows, newest first
// (may be nil; a full build knows them all before it renders a month:
// editionDates): the staged files' own editions are added.
func (a *Archive) stageEditionPages(layer afero.Fs, dir string, pages map[editionPage]bool, dates []string) ([]editionPage, error) {
	if len(pages) == 0 {
		return nil, nil
	}
	asc := slices.Clone(dates)
	var list []editionPage
	for p := range pages {
		if p.n == 0 {
			asc = append(asc, p.date)
		} else {
			list = append(list, p)
		}
	}
	slices.Sort(asc)
	asc = slices.Compact(asc)
	slices.SortFunc(list, func(x, y editionPage) int {
		if x.date != y.date {
			if x.date < y.date {
				return -1
			}
			return 1
		}
		return x.n - y.n
	})
	sec := []byte(`{"title": "电子版版面", "build": {"render": "never", "list": "never"}, "sitemap": {"disable": true}}` + "\n")
	if err := afero.WriteFile(layer, filepath.Join(dir, editionPagesDir, "_index.md"), sec, 0o644); err != nil {
		return nil, err
	}
	rec := epaper.Dir(filepath.Join(a.Root, "epaper"))
	for _, p := range list {
		page, err := rec.Read(p.date, p.n)
		if err != nil {
			// A broken record must not take the edition down: the page
			// is shown from its stories alone, and the log says why.
			a.logf("e-paper page %s/%02d: %v", p.date, p.n, err)
			page = epaper.Page{Date: p.date, Number: p.n}
		}
		ep := map[string]any{"date": p.date, "page": p.n, "name": page.Name}
		i := sort.SearchStrings(asc, p.date)
		if i > 0 {
			ep["prev_edition"] = asc[i-1]
		}
		if i < len(asc) && asc[i] == p.date {
			i++
		}
		if i < len(asc) {
			ep["next_edition"] = asc[i]
		}
		url := epaper.URL(p.date, p.n)
		if page.Image {
			if _, err := os.Stat(rec.ImageFile(p.date, p.n)); err == nil {
				ep["image"] = url + "page.jpg"
				ep["width"], ep["height"] = page.Width, page.Height
			}
		}
		if page.PDF {
			ep["pdf"] = url + "page.pdf"
		}
		// A story is named by its content file and its id: a story placed
		// before it was published has no file in the record yet.
		var areas []map[string]any
		for _, ar := range page.Areas {
			if ar.Valid() {
				areas = append(areas, map[string]any{"file": ar.File, "story": ar.Story, "x": ar.X, "y": ar.Y, "w": ar.W, "h": ar.H})
			}
		}
		ep["areas"] = areas
		var order []map[string]any
		for _, r := range page.Order {
			order = append(order, map[string]any{"file": r.File, "story": r.Story})
		}
		ep["order"] = order
		front := map[string]any{
			"title": page.Label(), "url": url, "type": "edition",
			"build":   map[string]any{"list": "never"},
			"sitemap": map[string]any{"disable": true},
			"params":  map[string]any{"epaper": ep},
		}
		data, err := json.MarshalIndent(front, "", " ")
		if err != nil {
			return nil, err
		}
		name := filepath.Join(dir, editionPagesDir, fmt.Sprintf("%s-%02d.md", p.date, p.n))
		if err := afero.WriteFile(layer, name, append(data, '\n'), 0o644); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// copyPageImages copies the screen images of staged pages into a part's
// output, beside each page (/edition/2023-06-08/01/page.jpg), and links
// their PDFs there (page.pdf; see outputFs.link).
func (a *Archive) copyPageImages(out *outputFs, pages []editionPage) error {
	rec := epaper.Dir(filepath.Join(a.Root, "epaper"))
	for _, p := range pages {
		if pdf := rec.PDFFile(p.date, p.n); fileExists(pdf) {
			if page, err := rec.Read(p.date, p.n); err == nil && page.PDF {
				out.link(strings.TrimPrefix(path.Join(epaper.URL(p.date, p.n), "page.pdf"), "/"), pdf)
			}
		}
		data, err := os.ReadFile(rec.ImageFile(p.date, p.n))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		rel := path.Join(epaper.URL(p.date, p.n), "page.jpg")
		if err := afero.WriteFile(out, filepath.FromSlash(rel), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// fileExists reports whether name is a regular file.
func fileExists(name string) bool {
	info, err := os.Stat(name)
	return err == nil && info.Mode().IsRegular()
}
