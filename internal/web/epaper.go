package web

import (
	"net/http"
	"os"
	"strconv"

	"newsroom/internal/epaper"
)

// pagePDF serves the PDF of an e-paper page (/edition/2023-06-08/01/page.pdf)
// from its record's folder, with a file name for downloads. The built tree
// has the same file (internal/site/epaper.go), for a static deploy.
func (s *server) pagePDF(w http.ResponseWriter, r *http.Request) {
	date, num := r.PathValue("date"), r.PathValue("page")
	n, err := strconv.Atoi(num)
	if s.cfg.EPaper == "" || !epaper.ValidDate(date) || len(num) != 2 && len(num) != 3 || err != nil || n < 1 || n > epaper.MaxPage || num != pad(n) {
		s.static(w, r)
		return
	}
	file := s.cfg.EPaper.PDFFile(date, n)
	f, err := os.Open(file)
	if err != nil {
		s.static(w, r) // the page has no PDF: the site's 404
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		s.static(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Content-Disposition", `inline; filename="`+date+"-"+num+`.pdf"`)
	http.ServeContent(w, r, "", fi.ModTime(), f)
}

// pad is a page number as its URL spells it: 01, 12, 123.
func pad(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
