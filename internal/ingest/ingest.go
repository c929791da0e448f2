// Package ingest turns printed e-paper pages into stories: it finds the
// page files, tells their edition date and page from their names, has
// internal/importer recover the items of each page, maps every item onto a
// draft (or, for pages already printed, a published story dated on the day
// of the edition), and skips items imported before. It writes a report of
// each page as it goes; `newsroom import` wires it.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"newsroom/internal/desk"
	"newsroom/internal/importer"
	"newsroom/internal/news"
)

// UserName is the account that owns imported stories.
const UserName = "importer"

// Options are the settings of one import run.
type Options struct {
	// Date, Page and PageName, when set, override what the file names say.
	Date     string
	Page     int
	PageName string
	// Publish publishes the items at once (pages already printed skip the
	// review chain); otherwise they become drafts for review.
	Publish bool
	// DryRun parses and reports only; nothing is written.
	DryRun bool
	// Encoding is the encoding of text files (gbk, gb18030, big5,
	// utf-16le …); empty detects it (see importer.Decode).
	Encoding string
}

// Store remembers which items were imported, by key (importer.Key), so
// that importing a page again creates nothing new.
type Store interface {
	ImportedStory(ctx context.Context, key string) (id int64, ok bool, err error)
	RecordImport(ctx context.Context, key string, storyID int64, file string) error
	// ImportedFile and RecordImportedFile keep the journal of page files
	// imported whole (by FileKey), which a run over the same archive skips
	// without parsing them again.
	ImportedFile(ctx context.Context, key string) (items int, ok bool, err error)
	RecordImportedFile(ctx context.Context, key, file string, items int) error
	// LiveBodies lists the bodies of the published stories, to warn about
	// an item whose text is already published.
	LiveBodies(ctx context.Context, fn func(id int64, body string) error) error
}

// Status is what became of an item.
type Status string

// The statuses of an item.
const (
	Created   Status = "created"
	Published Status = "published"
	Duplicate Status = "duplicate"
	Failed    Status = "failed"
)

// Result is one item of a real (not dry) run: the item plus what became
// of it. Its JSON is the output of `newsroom import --json`.
type Result struct {
	importer.Item
	File    string `json:"file"`
	Key     string `json:"key"`
	StoryID int64  `json:"story_id,omitempty"`
	Status  Status `json:"status"` // created | published | duplicate | failed
	Error   string `json:"error,omitempty"`
}

// Importer imports pages. Desk, Store and User are needed unless DryRun;
// Clock dates published items (never after its Now).
type Importer struct {
	Options
	Desk  *desk.Service
	Store Store
	User  *news.User // the owner of the stories, an editor
	Clock news.Clock

	// Items is everything a dry run parsed; Results is what a real run
	// made of each item. Both are empty, not nil, before the first page.
	Items   []importer.Item
	Results []Result

	pages, created, published, duplicates, itemErrors int
	// journaled counts the pages skipped because the journal lists them.
	journaled int
	// unsure lists the pages with items the parser was unsure of.
	unsure []unsurePage
	// live maps the text key of every published story's body to its id
	// (read once, at the first item of a real run); alreadyLive counts the
	// items imported although their text was already published.
	live        map[string]int64
	alreadyLive int
	start       time.Time
}

// unsurePage is a page with items the parser was unsure of.
type unsurePage struct {
	file            string
	notes, untitled int
}

// New returns an Importer with the given options and empty results.
func New(opts Options) *Importer {
	return &Importer{Options: opts, Items: []importer.Item{}, Results: []Result{}, start: time.Now()}
}

// ImportFile imports one page and writes its report to out; an error means
// the page (or some of its items) could not be imported. A cancelled ctx
// stops it between two items; the item begun is finished.
func (im *Importer) ImportFile(ctx context.Context, path string, out io.Writer) error {
	meta := InferPage(path)
	if im.Date != "" {
		meta.Date = im.Date
	}
	if im.Page != 0 {
		meta.Page = im.Page
	}
	if im.PageName != "" {
		meta.PageName = im.PageName
	}
	var missing []string
	if meta.Date == "" {
		missing = append(missing, "edition date")
	}
	if meta.Page == 0 {
		missing = append(missing, "page number")
	}
	if len(missing) > 0 && !im.DryRun {
		return fmt.Errorf("cannot tell the %s from the file name; name it like 2023-06-08_01_要闻.txt or 2023-06-08/01.txt, or pass --date YYYY-MM-DD --page N",
			strings.Join(missing, " and "))
	}
	var fileKey string
	if !im.DryRun {
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fileKey = FileKey(raw, meta)
		if n, ok, err := im.Store.ImportedFile(ctx, fileKey); err != nil {
			return err
		} else if ok {
			// imported whole before (an earlier, interrupted run over the
			// same archive): its items are all there
			im.pages++
			im.journaled++
			im.duplicates += n
			fmt.Fprintf(out, "%s %s: imported before (in the journal), not parsed again\n", where(meta), filepath.Base(path))
			fmt.Fprintf(out, "  created 0 %s, %d already imported\n", im.what(0), n)
			return nil
		}
	}
	page, enc, err := ReadPage(ctx, path, im.Encoding)
	if err != nil {
		return err
	}
	items, rep, err := importer.Parse(page.Text, importer.Options{Date: meta.Date, Page: meta.Page, PageName: meta.PageName, Sizes: page.Sizes})
	if err != nil {
		return parseError(err)
	}
	im.pages++
	pageReport(out, path, meta, items, rep, missing)
	if u := untitledCount(items); len(rep.Uncertain) > 0 || u > 0 {
		im.unsure = append(im.unsure, unsurePage{file: path, notes: len(rep.Uncertain), untitled: u})
	}
	if enc != "" && enc != importer.EncUTF8 {
		how := "detected"
		if im.Encoding != "" {
			how = "as asked"
		}
		fmt.Fprintf(out, "  text decoded from %s (%s)\n", enc, how)
	}

	if im.DryRun {
		im.Items = append(im.Items, items...)
		return nil
	}
	var failedItems, created, published, dups int
	var stopped error
	// An item is imported whole once begun: a story created but not
	// recorded as imported, or a publish cut between its file and its
	// commit, would be worse than finishing it.
	itemCtx := context.WithoutCancel(ctx)
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			stopped = err
			break
		}
		res := Result{Item: it, File: path, Key: importer.Key(it)}
		status, id, notes, err := im.importItem(itemCtx, it, res.Key, path, i, meta)
		res.Status, res.StoryID = status, id
		if status != Duplicate && err == nil {
			if live, ok, lerr := im.alreadyPublished(ctx, it, id); lerr != nil {
				notes = append(notes, "could not check whether its text is already published: "+lerr.Error())
			} else if ok {
				im.alreadyLive++
				fmt.Fprintf(out, "  warning: item %d %s: its text is already published as story %d\n", i+1, preview(it), live)
			}
			if status == Published {
				im.rememberLive(it, id)
			}
		}
		for _, n := range notes {
			fmt.Fprintf(out, "  note: item %d %s: %s\n", i+1, preview(it), n)
		}
		if err != nil {
			res.Error = err.Error()
			failedItems++
			fmt.Fprintf(out, "  error: item %d %s: %v\n", i+1, preview(it), err)
		}
		switch res.Status {
		case Created:
			created++
		case Published:
			created++
			published++
		case Duplicate:
			dups++
		}
		im.Results = append(im.Results, res)
	}
	im.created += created
	im.published += published
	im.duplicates += dups
	im.itemErrors += failedItems
	fmt.Fprintf(out, "  created %d %s, %d already imported\n", created, im.what(published), dups)
	if stopped != nil {
		return fmt.Errorf("stopped after %d of %s: %w", created+dups+failedItems, plural(len(items), "item", "items"), stopped)
	}
	if failedItems > 0 {
		return fmt.Errorf("%s failed", plural(failedItems, "item", "items"))
	}
	// every item is in: the journal lets the next run skip the file
	if err := im.Store.RecordImportedFile(itemCtx, fileKey, path, len(items)); err != nil {
		return err
	}
	return nil
}

func (im *Importer) what(published int) string {
	if im.Publish {
		return fmt.Sprintf("stories (%d published)", published)
	}
	return "drafts"
}

// FileKey is the journal key of a page file: a digest of its content and
// of the edition page it is imported as (the same file imported as
// another page is another import).
func FileKey(content []byte, meta Page) string {
	h := sha256.New()
	h.Write(content)
	fmt.Fprintf(h, "\x1f%s\x1f%d\x1f%s", meta.Date, meta.Page, meta.PageName)
	return hex.EncodeToString(h.Sum(nil))
}

// textKey identifies an item's text up to spacing and punctuation; texts
// too short to tell one story from another have none.
func textKey(body string) string {
	k := importer.TextKey(body)
	if utf8.RuneCountInString(k) < 20 {
		return ""
	}
	sum := sha256.Sum256([]byte(k))
	return hex.EncodeToString(sum[:16])
}

func itemText(it importer.Item) string {
	if it.Body != "" {
		return it.Body
	}
	return it.Caption
}

// alreadyPublished reports whether the text of item it is already
// published as another story than self (the story it just became).
func (im *Importer) alreadyPublished(ctx context.Context, it importer.Item, self int64) (int64, bool, error) {
	if im.live == nil {
		im.live = map[string]int64{}
		err := im.Store.LiveBodies(ctx, func(id int64, body string) error {
			if k := textKey(body); k != "" {
				if _, ok := im.live[k]; !ok {
					im.live[k] = id
				}
			}
			return nil
		})
		if err != nil {
			im.live = nil
			return 0, false, err
		}
	}
	k := textKey(itemText(it))
	id, ok := im.live[k]
	return id, ok && k != "" && id != self, nil
}

// rememberLive adds an item published in this run to the published texts.
func (im *Importer) rememberLive(it importer.Item, id int64) {
	if k := textKey(itemText(it)); k != "" && im.live != nil {
		if _, ok := im.live[k]; !ok {
			im.live[k] = id
		}
	}
}

func untitledCount(items []importer.Item) int {
	n := 0
	for _, it := range items {
		if strings.TrimSpace(it.Title) == "" {
			n++
		}
	}
	return n
}

// importItem creates (and with Publish publishes) the story of one item
// unless its key was imported before. Notes say what had to be changed to
// store the item.
func (im *Importer) importItem(ctx context.Context, it importer.Item, key, file string, index int, meta Page) (Status, int64, []string, error) {
	if id, ok, err := im.Store.ImportedStory(ctx, key); err != nil {
		return Failed, 0, nil, err
	} else if ok {
		return Duplicate, id, nil, nil
	}
	s, notes := StoryOf(it)
	if err := im.Desk.Create(ctx, im.User, s); err != nil {
		return Failed, 0, notes, news.Plain(err)
	}
	if err := im.Store.RecordImport(ctx, key, s.ID, file); err != nil {
		return Failed, s.ID, notes, fmt.Errorf("story %d created but its import key not recorded: %w", s.ID, err)
	}
	if !im.Publish {
		return Created, s.ID, notes, nil
	}
	at := EditionTime(meta.Date, index, im.Clock.Now())
	if _, err := im.Desk.PublishImport(ctx, im.User, s.ID, at); err != nil {
		return Created, s.ID, notes, fmt.Errorf("story %d left as a draft: %w", s.ID, news.Plain(err))
	}
	return Published, s.ID, notes, nil
}

// pageReport writes the report line of a parsed page and what it found
// uncertain or untitled.
func pageReport(out io.Writer, path string, meta Page, items []importer.Item, rep importer.Report, missing []string) {
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
	line := fmt.Sprintf("%s %s: %s", where(meta), filepath.Base(path), plural(len(items), "item", "items"))
	if len(parts) > 0 {
		line += " (" + strings.Join(parts, ", ") + ")"
	}
	line += fmt.Sprintf(", %d uncertain", len(rep.Uncertain))
	for _, d := range rep.Dropped {
		line += "; dropped " + d
	}
	fmt.Fprintln(out, line)
	if len(missing) > 0 {
		fmt.Fprintf(out, "  warning: no %s (pass --date/--page); a real import would refuse this page\n", strings.Join(missing, " or "))
	}
	for _, u := range rep.Uncertain {
		fmt.Fprintln(out, "  uncertain: "+u)
	}
	for i, it := range items {
		if strings.TrimSpace(it.Title) == "" {
			fmt.Fprintf(out, "  untitled: item %d (%s) %s, imported as %s\n", i+1, it.Kind, preview(it), Untitled)
		}
	}
}

// where names the edition page of a page report.
func where(meta Page) string {
	w := meta.Date
	if w == "" {
		w = "(no date)"
	}
	if meta.Page > 0 {
		w += " p" + strconv.Itoa(meta.Page)
	} else {
		w += " (no page)"
	}
	if meta.PageName != "" {
		w += " " + meta.PageName
	}
	return w
}

// maxUnsureListed bounds the list of unsure pages at the end of a run;
// every page's own report lists its notes in full.
const maxUnsureListed = 30

// Summary writes the totals of the run, its speed, the pages with items
// the parser was unsure of and the files that failed, of files in all.
func (im *Importer) Summary(out io.Writer, files int, failed []string) {
	defer im.summaryTail(out, files, failed)
	switch {
	case im.DryRun:
		fmt.Fprintf(out, "dry run: %s in %s parsed, nothing written\n", plural(len(im.Items), "item", "items"), plural(im.pages, "page", "pages"))
	default:
		state := "new drafts"
		if im.Publish {
			state = fmt.Sprintf("new (%d published)", im.published)
		}
		fmt.Fprintf(out, "done: %s, %s: %d %s, %d already imported", plural(im.pages, "page", "pages"),
			plural(im.created+im.duplicates+im.itemErrors, "item", "items"), im.created, state, im.duplicates)
		if im.itemErrors > 0 {
			fmt.Fprintf(out, ", %d failed", im.itemErrors)
		}
		fmt.Fprintln(out)
		if !im.Publish && im.created > 0 {
			fmt.Fprintln(out, "the drafts wait for review in the admin (or import with --publish)")
		}
	}
}

func (im *Importer) summaryTail(out io.Writer, files int, failed []string) {
	if im.journaled > 0 {
		fmt.Fprintf(out, "%s skipped: imported whole by an earlier run (the journal)\n", plural(im.journaled, "page", "pages"))
	}
	if im.alreadyLive > 0 {
		fmt.Fprintf(out, "warning: %s imported although their text is already published (see the warnings above)\n", plural(im.alreadyLive, "item", "items"))
	}
	if el := time.Since(im.start); im.pages > 0 {
		fmt.Fprintf(out, "%s in %.1f s (%.1f pages/s)\n", plural(im.pages, "page", "pages"), el.Seconds(), float64(im.pages)/el.Seconds())
	}
	if len(im.unsure) > 0 {
		notes, untitled := 0, 0
		for _, u := range im.unsure {
			notes += u.notes
			untitled += u.untitled
		}
		fmt.Fprintf(out, "unsure: %s with %d notes and %d untitled items (each page's report above says what):\n",
			plural(len(im.unsure), "page", "pages"), notes, untitled)
		for i, u := range im.unsure {
			if i == maxUnsureListed {
				fmt.Fprintf(out, "  … and %d more pages\n", len(im.unsure)-i)
				break
			}
			fmt.Fprintf(out, "  %s: %d uncertain, %d untitled\n", u.file, u.notes, u.untitled)
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(out, "%d of %d files failed:\n", len(failed), files)
		for _, f := range failed {
			fmt.Fprintln(out, "  "+f)
		}
	}
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

// parseError explains why a page could not be parsed.
func parseError(err error) error {
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
