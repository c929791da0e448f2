package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsroom/internal/importer"
)

// Files expands command-line arguments into the page files to import, in
// order: files as given, folders walked for *.txt and *.pdf (hidden folders
// skipped, each folder's files sorted). It reports whether a folder was
// given.
func Files(args []string) (files []string, hadDir bool, err error) {
	seen := map[string]bool{}
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			files = append(files, f)
		}
	}
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			return nil, false, fmt.Errorf("import %s: %w", a, err)
		}
		if !fi.IsDir() {
			add(a)
			continue
		}
		hadDir = true
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != a && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".txt", ".pdf":
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, false, fmt.Errorf("import %s: %w", a, err)
		}
		slices.Sort(found)
		for _, f := range found {
			add(f)
		}
	}
	return files, hadDir, nil
}

// Page is where a page file belongs in the paper.
type Page struct {
	Date     string // edition date, YYYY-MM-DD
	Page     int    // page number, from 1
	PageName string // e.g. 要闻
}

var (
	// 2023-06-08, 2023_06_08, 2023.06.08 or 20230608, not inside a longer number.
	fileDateRE = regexp.MustCompile(`(?:^|\D)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?:\D|$)`)
	// A page number standing alone: 01, A01, p1, page01, 第01版.
	filePageRE = regexp.MustCompile(`(?i)(?:^|[-_\s.])(?:page|p|第|[a-z])?0*(\d{1,3})版?(?:[-_\s.]|$)`)
	// A page name: the first run of Chinese characters.
	filePageNameRE = regexp.MustCompile(`\p{Han}+`)
	// A date spread over folders: …/2023/06/08/01.txt.
	dirDateRE = regexp.MustCompile(`(?:^|/)((?:19|20)\d\d)/(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])(?:/|$)`)
)

// InferPage reads the edition date, page number and page name from a file
// path such as 2023-06-08_01_要闻.txt, 20230608-01.txt or
// 2023-06-08/01.txt. Fields it cannot find are left empty.
func InferPage(path string) Page {
	var m Page
	slash := filepath.ToSlash(path)
	base := strings.TrimSuffix(filepath.Base(slash), filepath.Ext(slash))
	rest := base
	validDate := func(y, mo, d string) string {
		s := y + "-" + mo + "-" + d
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return ""
		}
		return s
	}
	if loc := fileDateRE.FindStringSubmatchIndex(base); loc != nil {
		m.Date = validDate(base[loc[2]:loc[3]], base[loc[4]:loc[5]], base[loc[6]:loc[7]])
		if m.Date != "" {
			rest = base[:loc[2]] + " " + base[loc[7]:]
		}
	}
	if m.Date == "" {
		dir := filepath.ToSlash(filepath.Dir(slash))
		if s := dirDateRE.FindStringSubmatch(dir); s != nil {
			m.Date = validDate(s[1], s[2], s[3])
		}
		// The nearest folder named like a date wins.
		parts := strings.Split(dir, "/")
		for i := len(parts) - 1; i >= 0 && m.Date == ""; i-- {
			if s := fileDateRE.FindStringSubmatch(parts[i]); s != nil {
				m.Date = validDate(s[1], s[2], s[3])
			}
		}
	}
	// Only a name that carries a date (or sits in a dated folder) is trusted
	// for its page number: "000_e58c90808f211c85" is a serial, not page 0.
	if m.Date != "" {
		if s := filePageRE.FindStringSubmatch(strings.TrimSpace(rest)); s != nil {
			if n, err := strconv.Atoi(s[1]); err == nil && n > 0 {
				m.Page = n
			}
		}
	}
	for _, s := range filePageNameRE.FindAllString(rest, -1) {
		if s = strings.TrimSuffix(strings.TrimPrefix(s, "第"), "版"); s != "" {
			m.PageName = s
			break
		}
	}
	return m
}

// ReadPage returns the text of a page file and the encoding it was
// decoded from: PDFs through pdftotext (UTF-8, reported as "", with the
// font size of every line), text files in the given encoding, or detected
// when encoding is empty (UTF-8, UTF-16 with a byte order mark,
// GBK/GB18030, Big5).
func ReadPage(ctx context.Context, path, encoding string) (page importer.PageText, used string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return importer.PageText{}, "", err
	}
	defer f.Close()
	head := make([]byte, 5)
	n, _ := io.ReadFull(f, head)
	if strings.EqualFold(filepath.Ext(path), ".pdf") || bytes.Equal(head[:n], []byte("%PDF-")) {
		page, err := importer.ExtractPDFText(ctx, path)
		return page, "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return importer.PageText{}, "", err
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return importer.PageText{}, "", err
	}
	if bytes.IndexByte(b, 0) >= 0 {
		// binary data: Parse refuses it as such
		return importer.PageText{Text: string(b)}, "", nil
	}
	text, used, err := importer.Decode(b, encoding)
	if err != nil {
		if encoding == "" {
			return importer.PageText{}, "", fmt.Errorf("%w; pass --encoding (e.g. gbk, gb18030, big5, utf-16le)", err)
		}
		return importer.PageText{}, "", err
	}
	return importer.PageText{Text: text}, used, nil
}
