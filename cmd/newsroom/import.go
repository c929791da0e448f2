package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/schollz/progressbar/v3"

	"newsroom/internal/content"
	"newsroom/internal/desk"
	"newsroom/internal/importer"
	"newsroom/internal/news"
	"newsroom/internal/password"
	"newsroom/internal/sqlite"
)

const importUsage = "usage: newsroom import [--site DIR] [--date YYYY-MM-DD] [--page N] [--page-name NAME] [--publish] [--dry-run] [--json] FILE|DIR..."

// importUser is the account that owns imported stories.
const importUser = "importer"

// untitled is the headline given to an item whose headline was not found.
const untitled = "（无标题）"

// importOptions are the flags of one import run.
type importOptions struct {
	date, pageName  string
	page            int
	publish, dryRun bool
	json            bool
}

// importResult is one item in the --json output of a real (not dry) run:
// the importer.Item plus what became of it.
type importResult struct {
	importer.Item
	File    string `json:"file"`
	Key     string `json:"key"`
	StoryID int64  `json:"story_id,omitempty"`
	Status  string `json:"status"` // created | published | duplicate | failed
	Error   string `json:"error,omitempty"`
}

// pageMeta is what a file name tells about its page.
type pageMeta struct {
	Date     string
	Page     int
	PageName string
}

func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, root := newFlags("import", stderr)
	date := fs.String("date", "", "edition date YYYY-MM-DD (default: from the file name)")
	page := fs.Int("page", 0, "page number (default: from the file name)")
	pageName := fs.String("page-name", "", "page name, e.g. 要闻 (default: from the file name)")
	publishFlag := fs.Bool("publish", false, "publish the imported items at once (default: drafts for review)")
	dryRun := fs.Bool("dry-run", false, "parse and report only; write nothing")
	jsonOut := fs.Bool("json", false, "print the items as JSON on stdout (the report goes to stderr)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New(importUsage)
	}
	if *date != "" {
		if _, err := time.Parse(time.DateOnly, *date); err != nil {
			return fmt.Errorf("--date %q: want YYYY-MM-DD", *date)
		}
	}
	if *page < 0 || *page > 999 {
		return fmt.Errorf("--page %d: want 1 to 999", *page)
	}
	if *publishFlag && *dryRun {
		return errors.New("--publish and --dry-run exclude each other")
	}
	opts := importOptions{date: *date, page: *page, pageName: strings.TrimSpace(*pageName),
		publish: *publishFlag, dryRun: *dryRun, json: *jsonOut}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	files, showBar, err := importFiles(fs.Args())
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("no .txt or .pdf files found in " + strings.Join(fs.Args(), ", "))
	}

	// The human report goes to stdout, unless stdout carries JSON.
	report := stdout
	if opts.json {
		report = stderr
	}
	im := &importRun{opts: opts, out: report, log: newLogger(stderr), site: p, items: []importer.Item{}, results: []importResult{}}
	if !opts.dryRun {
		if err := im.open(ctx); err != nil {
			return err
		}
		defer im.close()
	}

	var bar *progressbar.ProgressBar
	if showBar {
		bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowCount(), progressbar.OptionSetItsString("pages"), progressbar.OptionClearOnFinish())
	}
	var failed []string
	for _, f := range files {
		if ctx.Err() != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", f, ctx.Err()))
			break
		}
		// Each page's report is printed whole, between two drawings of
		// the progress bar.
		var page bytes.Buffer
		im.out = &page
		if err := im.importFile(ctx, f); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", f, err))
			fmt.Fprintf(&page, "FAILED %s: %v\n", filepath.Base(f), err)
		}
		im.out = report
		if bar != nil {
			bar.Clear()
		}
		report.Write(page.Bytes())
		if bar != nil {
			bar.Add(1)
		}
	}
	if bar != nil {
		bar.Finish()
	}
	if err := im.finish(ctx); err != nil {
		failed = append(failed, "publishing: "+err.Error())
	}

	if opts.json {
		var v any = im.results
		if opts.dryRun {
			v = im.items
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	im.summary(len(files), failed)
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d files failed", len(failed), len(files))
	}
	return nil
}

// importFiles expands the arguments into the files to import, in order:
// files as given, folders walked for *.txt and *.pdf. It reports whether a
// folder was given (a progress bar is then shown).
func importFiles(args []string) (files []string, hadDir bool, err error) {
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

// inferPage reads the edition date, page number and page name from a file
// path such as 2023-06-08_01_要闻.txt, 20230608-01.txt or
// 2023-06-08/01.txt. Fields it cannot find are left empty.
func inferPage(path string) pageMeta {
	var m pageMeta
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

// importRun is one run of `newsroom import`.
type importRun struct {
	opts importOptions
	out  io.Writer // the human report
	log  *slog.Logger
	site paths

	db     *sqlite.DB
	desk   *desk.Service
	user   *news.User
	reader *readerSide
	batch  *batchLive

	items   []importer.Item // dry run: everything parsed
	results []importResult  // real run: what became of each item

	pages, created, published, duplicates, itemErrors int
}

// open opens the database, makes sure the import user exists and, for
// --publish, wires the reader side like serve does.
func (im *importRun) open(ctx context.Context) error {
	db, err := sqlite.Open(im.site.DB, news.SystemClock{})
	if err != nil {
		return err
	}
	im.db = db
	// A fresh database needs its admin first: serve creates one only
	// while there are no users at all.
	if err := ensureAdmin(ctx, db, im.out); err != nil {
		return err
	}
	if im.user, err = ensureImportUser(ctx, db, im.out); err != nil {
		return err
	}
	im.desk = &desk.Service{DB: db, Content: content.Dir{Root: im.site.Content}, Clock: news.SystemClock{}, Log: im.log}
	if im.opts.publish {
		im.reader, err = openReaderSide(im.site, im.log)
		if err != nil {
			return fmt.Errorf("%w (is `newsroom serve` running on this site? stop it, or import drafts and publish them in the admin)", err)
		}
		// Publishes are collected and made live in one site build at the
		// end instead of one build per item.
		im.batch = &batchLive{}
		im.desk.Live = im.batch
	}
	return nil
}

func (im *importRun) close() {
	if im.reader != nil {
		im.reader.Close()
	}
	if im.db != nil {
		im.db.Close()
	}
}

// finish makes the published items live: index and site, once.
func (im *importRun) finish(ctx context.Context) error {
	if im.batch == nil || len(im.batch.changed) == 0 && len(im.batch.removed) == 0 {
		return nil
	}
	fmt.Fprintf(im.out, "updating the site and the search index (%d published items)...\n", len(im.batch.changed))
	// Bring the site and the index up to date first, as serve does at
	// start (a full build only when there is no live site yet).
	if err := startup(ctx, im.reader.Archive, im.reader.Live, im.log); err != nil {
		return err
	}
	return im.reader.Live.Update(ctx, im.batch.changed, im.batch.removed)
}

// ensureImportUser returns the editor account that owns imports, creating
// it with a random password nobody knows (an admin can reset it).
func ensureImportUser(ctx context.Context, db *sqlite.DB, out io.Writer) (*news.User, error) {
	u, err := db.UserByName(ctx, importUser)
	if err == nil {
		if !u.Role.Reviewer() {
			return nil, fmt.Errorf("user %q exists with role %s; imports need an editor account of that name", importUser, u.Role)
		}
		return u, nil
	}
	if news.ErrorCode(err) != news.ENOTFOUND {
		return nil, err
	}
	u = &news.User{Name: importUser, Role: news.RoleEditor}
	if err := db.CreateUser(ctx, u, password.NewReadable()); err != nil {
		return nil, fmt.Errorf("create user %q: %w", importUser, plain(err))
	}
	fmt.Fprintf(out, "created editor user %q to own imported stories (random password, not shown)\n", importUser)
	return u, nil
}

// batchLive collects what the desk publishes during an import.
type batchLive struct {
	changed []news.Story
	removed []string
}

func (b *batchLive) Update(_ context.Context, changed []news.Story, removed []string) error {
	b.changed = append(b.changed, changed...)
	b.removed = append(b.removed, removed...)
	return nil
}

// readPage returns the text of a page file: PDFs through pdftotext, text
// files as they are.
func readPage(ctx context.Context, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 5)
	n, _ := io.ReadFull(f, head)
	if strings.EqualFold(filepath.Ext(path), ".pdf") || bytes.Equal(head[:n], []byte("%PDF-")) {
		return importer.ExtractPDF(ctx, path)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return "", err
	}
	// Some extractions carry a byte order mark.
	return strings.TrimPrefix(string(b), "\ufeff"), nil
}

// importFile imports one page; an error means the page (or some of its
// items) could not be imported.
func (im *importRun) importFile(ctx context.Context, path string) error {
	meta := inferPage(path)
	if im.opts.date != "" {
		meta.Date = im.opts.date
	}
	if im.opts.page != 0 {
		meta.Page = im.opts.page
	}
	if im.opts.pageName != "" {
		meta.PageName = im.opts.pageName
	}
	var missing []string
	if meta.Date == "" {
		missing = append(missing, "edition date")
	}
	if meta.Page == 0 {
		missing = append(missing, "page number")
	}
	if len(missing) > 0 && !im.opts.dryRun {
		return fmt.Errorf("cannot tell the %s from the file name; name it like 2023-06-08_01_要闻.txt or 2023-06-08/01.txt, or pass --date YYYY-MM-DD --page N",
			strings.Join(missing, " and "))
	}
	text, err := readPage(ctx, path)
	if err != nil {
		return err
	}
	items, rep, err := importer.Parse(text, importer.Options{Date: meta.Date, Page: meta.Page, PageName: meta.PageName})
	if err != nil {
		return plainImportError(err)
	}
	im.pages++

	// The report of the page.
	kinds := map[string]int{}
	for _, it := range items {
		kinds[it.Kind]++
	}
	var parts []string
	for _, k := range []struct{ kind, one, many string }{
		{importer.KindStory, "story", "stories"}, {importer.KindPhoto, "photo", "photos"}, {importer.KindNotice, "notice", "notices"},
	} {
		if n := kinds[k.kind]; n > 0 {
			parts = append(parts, plural(n, k.one, k.many))
		}
	}
	where := meta.Date
	if where == "" {
		where = "(no date)"
	}
	if meta.Page > 0 {
		where += " p" + strconv.Itoa(meta.Page)
	} else {
		where += " (no page)"
	}
	if meta.PageName != "" {
		where += " " + meta.PageName
	}
	line := fmt.Sprintf("%s %s: %s", where, filepath.Base(path), plural(len(items), "item", "items"))
	if len(parts) > 0 {
		line += " (" + strings.Join(parts, ", ") + ")"
	}
	line += fmt.Sprintf(", %d uncertain", len(rep.Uncertain))
	for _, d := range rep.Dropped {
		line += "; dropped " + d
	}
	fmt.Fprintln(im.out, line)
	if len(missing) > 0 {
		fmt.Fprintf(im.out, "  warning: no %s (pass --date/--page); a real import would refuse this page\n", strings.Join(missing, " or "))
	}
	for _, u := range rep.Uncertain {
		fmt.Fprintln(im.out, "  uncertain: "+u)
	}
	for i, it := range items {
		if strings.TrimSpace(it.Title) == "" {
			fmt.Fprintf(im.out, "  untitled: item %d (%s) %s, imported as %s\n", i+1, it.Kind, preview(it), untitled)
		}
	}

	if im.opts.dryRun {
		im.items = append(im.items, items...)
		return nil
	}
	var failedItems int
	var created, published, dups int
	for i, it := range items {
		res := importResult{Item: it, File: path, Key: importer.Key(it)}
		status, id, err := im.importItem(ctx, it, res.Key, path, i, meta)
		res.Status, res.StoryID = status, id
		if err != nil {
			res.Error = err.Error()
			failedItems++
			fmt.Fprintf(im.out, "  error: item %d %s: %v\n", i+1, preview(it), err)
		}
		switch status {
		case "created":
			created++
		case "published":
			created++
			published++
		case "duplicate":
			dups++
		}
		im.results = append(im.results, res)
	}
	im.created += created
	im.published += published
	im.duplicates += dups
	im.itemErrors += failedItems
	what := "drafts"
	if im.opts.publish {
		what = fmt.Sprintf("stories (%d published)", published)
	}
	fmt.Fprintf(im.out, "  created %d %s, %d already imported\n", created, what, dups)
	if failedItems > 0 {
		return fmt.Errorf("%s failed", plural(failedItems, "item", "items"))
	}
	return nil
}

// importItem creates (and with --publish publishes) the story of one item
// unless its key was imported before. It returns the item's status.
func (im *importRun) importItem(ctx context.Context, it importer.Item, key, file string, index int, meta pageMeta) (string, int64, error) {
	if id, ok, err := im.db.ImportedStory(ctx, key); err != nil {
		return "failed", 0, err
	} else if ok {
		return "duplicate", id, nil
	}
	s, notes := storyOf(it)
	for _, n := range notes {
		fmt.Fprintf(im.out, "  note: item %d %s: %s\n", index+1, preview(it), n)
	}
	if err := im.desk.Create(ctx, im.user, s); err != nil {
		return "failed", 0, plain(err)
	}
	if err := im.db.RecordImport(ctx, key, s.ID, file); err != nil {
		return "failed", s.ID, fmt.Errorf("story %d created but its import key not recorded: %w", s.ID, err)
	}
	if !im.opts.publish {
		return "created", s.ID, nil
	}
	// An archive page is dated on the day it was printed (06:00, one
	// second apart to keep the page order), never in the future.
	d := *im.desk
	d.Clock = editionClock{at: editionTime(meta.Date, index)}
	if _, err := d.PublishImport(ctx, im.user, s.ID); err != nil {
		return "created", s.ID, fmt.Errorf("story %d left as a draft: %w", s.ID, plain(err))
	}
	return "published", s.ID, nil
}

// editionTime is the publication time of the index-th item of the edition
// of date: 06:00 Shanghai time plus index seconds, or now if that is later
// than now.
func editionTime(date string, index int) time.Time {
	now := time.Now()
	t, err := time.ParseInLocation(time.DateOnly, date, news.Shanghai)
	if err != nil {
		return now
	}
	t = t.Add(6*time.Hour + time.Duration(index)*time.Second)
	if t.After(now) {
		return now
	}
	return t
}

type editionClock struct{ at time.Time }

func (c editionClock) Now() time.Time { return c.at }

// storyOf maps an imported item onto a draft story. Notes say what had to
// be changed to make it storable.
func storyOf(it importer.Item) (*news.Story, []string) {
	var notes []string
	s := &news.Story{
		Kind:     news.Kind(it.Kind),
		Kicker:   headline(it.Kicker, "kicker", &notes),
		Title:    headline(it.Title, "title", &notes),
		Subtitle: headline(it.Subtitle, "subtitle", &notes),
		Vertical: it.Vertical,
		Authors:  slices.Clone(it.Bylines),
		Source:   it.Source,
		Body:     it.Body,
		Edition:  it.Date,
		Page:     it.Page,
		PageName: it.PageName,
		Section:  it.PageName,
	}
	if s.Title == "" {
		s.Title = untitled
	}
	if s.Section == "" {
		s.Section = "要闻"
	}
	if !s.Kind.Valid() {
		notes = append(notes, fmt.Sprintf("unknown kind %q imported as a story", it.Kind))
		s.Kind = news.KindStory
	}
	if s.Kind == news.KindPhoto {
		s.Photos = []news.Photo{{Src: "/images/placeholder-photo.svg", Caption: it.Caption, Credit: it.Credit, Placeholder: true}}
	}
	if s.Kind == news.KindNotice {
		if it.Notice != nil && len(it.Notice.Issuers) > 0 {
			n := &news.NoticeInfo{Issuers: it.Notice.Issuers, IssuedOn: it.Notice.IssuedOn, Phones: it.Notice.Phones, DocNumber: it.Notice.DocNumber}
			if len(it.Notice.Emails) > 0 {
				n.Email = it.Notice.Emails[0]
			}
			s.Notice = n
		} else {
			notes = append(notes, "notice without an issuer imported as a story")
			s.Kind = news.KindStory
		}
	}
	return s, notes
}

// headline makes a headline storable: one line, at most 120 characters.
func headline(h, name string, notes *[]string) string {
	h = strings.Join(strings.Fields(h), " ")
	if r := []rune(h); len(r) > 120 {
		*notes = append(*notes, fmt.Sprintf("%s longer than 120 characters, cut", name))
		h = string(r[:119]) + "…"
	}
	return h
}

// preview names an item in the report: its title or its first words.
func preview(it importer.Item) string {
	t := it.Title
	if t == "" {
		t = it.Body
		if t == "" {
			t = it.Caption
		}
	}
	t = strings.Join(strings.Fields(t), " ")
	if utf8.RuneCountInString(t) > 20 {
		t = string([]rune(t)[:20]) + "…"
	}
	return "「" + t + "」"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// plainImportError explains why a page could not be parsed.
func plainImportError(err error) error {
	switch {
	case errors.Is(err, importer.ErrEmpty):
		return errors.New("the page text is empty")
	case errors.Is(err, importer.ErrBinary):
		return errors.New("not a text file (binary data?); give extracted page text (.txt) or a PDF")
	case errors.Is(err, importer.ErrNotChinese):
		return errors.New("the text contains (almost) no Chinese: not an extracted page of the paper?")
	}
	return err
}

// summary prints the totals and the failed files.
func (im *importRun) summary(files int, failed []string) {
	switch {
	case im.opts.dryRun:
		fmt.Fprintf(im.out, "dry run: %s in %s parsed, nothing written\n", plural(len(im.items), "item", "items"), plural(im.pages, "page", "pages"))
	default:
		state := "new drafts"
		if im.opts.publish {
			state = fmt.Sprintf("new (%d published)", im.published)
		}
		fmt.Fprintf(im.out, "done: %s, %s: %d %s, %d already imported", plural(im.pages, "page", "pages"),
			plural(im.created+im.duplicates+im.itemErrors, "item", "items"), im.created, state, im.duplicates)
		if im.itemErrors > 0 {
			fmt.Fprintf(im.out, ", %d failed", im.itemErrors)
		}
		fmt.Fprintln(im.out)
		if !im.opts.publish && im.created > 0 {
			fmt.Fprintln(im.out, "the drafts wait for review in the admin (or import with --publish)")
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(im.out, "%d of %d files failed:\n", len(failed), files)
		for _, f := range failed {
			fmt.Fprintln(im.out, "  "+f)
		}
	}
}
