// Package epaper keeps the printed pages of the e-paper (数字报): for each
// edition page its name, its screen image and PDF, the area each story
// takes on it, and the editors' order of its stories (头条 first). It also
// turns an uploaded PDF into an image and finds the stories' areas from the
// PDF's text positions (areas.go, render.go).
//
// A page's record is a JSON file beside its image and PDF, under the
// site's epaper/ folder (epaper/2023-06-08/01.json, 01.jpg, 01.pdf), so a
// backup of the site carries it and a full build of the reader site reads
// it like the content files. internal/site reads the records of the
// editions it renders; the desk writes them.
package epaper

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"newsroom/internal/atomicfile"
)

// MaxPage is the highest page number (版次) a page may have.
const MaxPage = 999

// Page is one printed page of an edition.
type Page struct {
	Date   string `json:"date"` // the edition, YYYY-MM-DD
	Number int    `json:"page"` // 版次, 1–999
	Name   string `json:"name,omitempty"`
	// Image is set when a screen image of the page exists (Dir.ImageFile),
	// with its size in pixels.
	Image  bool `json:"image,omitempty"`
	Width  int  `json:"width,omitempty"`
	Height int  `json:"height,omitempty"`
	// PDF is set when the printed page's PDF was uploaded (Dir.PDFFile).
	PDF bool `json:"pdf,omitempty"`
	// Areas are where the page's stories are printed.
	Areas []Area `json:"areas"`
	// Order is the editors' order of the page's stories, the 头条 first;
	// stories of the page not in it follow (see docs/reader-site.md).
	Order []Ref `json:"order,omitempty"`
	// Updated is when the record was last written.
	Updated time.Time `json:"updated,omitzero"`
}

// Ref names a story of a page: its id in the admin and its content file
// (below content/, stories/2023/06/x.md), which is what the reader site
// knows it by. Stories that exist only as files have id 0.
type Ref struct {
	Story int64  `json:"story"`
	File  string `json:"file,omitempty"`
}

// Area is where a story is printed on the page image, in percent of the
// image's width and height: X, Y the top left corner, W, H the size.
type Area struct {
	Ref
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Valid reports whether the area lies on the page and is not empty.
func (a Area) Valid() bool {
	in := func(v float64) bool { return v >= 0 && v <= 100 }
	return in(a.X) && in(a.Y) && a.W > 0 && a.H > 0 && a.X+a.W <= 100.0001 && a.Y+a.H <= 100.0001
}

// Label is the page as printed in the navigation: 第01版：要闻.
func (p Page) Label() string {
	s := fmt.Sprintf("第%02d版", p.Number)
	if p.Name != "" {
		s += "：" + p.Name
	}
	return s
}

// URL is the page's address on the reader site: /edition/2023-06-08/01/.
func URL(date string, n int) string { return fmt.Sprintf("/edition/%s/%02d/", date, n) }

// ValidDate reports whether s is an edition date (YYYY-MM-DD, a real day).
func ValidDate(s string) bool {
	if len(s) != 10 {
		return false
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// Dir is the folder of the page records: a site's epaper/ folder.
type Dir string

func (d Dir) base(date string, n int) string {
	return filepath.Join(string(d), date, fmt.Sprintf("%02d", n))
}

// RecordFile, ImageFile and PDFFile are where a page's record, screen
// image and PDF are kept.
func (d Dir) RecordFile(date string, n int) string { return d.base(date, n) + ".json" }

// ImageFile is the page's screen image (JPEG).
func (d Dir) ImageFile(date string, n int) string { return d.base(date, n) + ".jpg" }

// PDFFile is the page's PDF as uploaded.
func (d Dir) PDFFile(date string, n int) string { return d.base(date, n) + ".pdf" }

// ErrBadPage means a date or page number that names no edition page.
var ErrBadPage = errors.New("epaper: not an edition date and page number")

// Read returns the record of page n of the edition of date; a page with
// no record yet is an empty one (no image, no areas, no order).
func (d Dir) Read(date string, n int) (Page, error) {
	if !ValidDate(date) || n < 1 || n > MaxPage {
		return Page{}, ErrBadPage
	}
	p := Page{Date: date, Number: n, Areas: []Area{}}
	data, err := os.ReadFile(d.RecordFile(date, n))
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("epaper: page record %s: %w", d.RecordFile(date, n), err)
	}
	p.Date, p.Number = date, n
	if p.Areas == nil {
		p.Areas = []Area{}
	}
	return p, nil
}

// Write stores a page's record, atomically.
func (d Dir) Write(p Page) error {
	if !ValidDate(p.Date) || p.Number < 1 || p.Number > MaxPage {
		return ErrBadPage
	}
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	file := d.RecordFile(p.Date, p.Number)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(file, append(data, '\n'), 0o644)
}

// WriteFile stores a page's image or PDF (a path from ImageFile or
// PDFFile), atomically.
func (d Dir) WriteFile(file string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteFile(file, data, 0o644)
}
