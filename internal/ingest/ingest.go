// Package ingest turns printed e-paper pages into stories: it finds the
// page files, tells their edition date and page from their names, has
// internal/importer recover the items of each page, maps every item onto a
// draft (or, for pages already printed, a published story dated on the day
// of the edition), and skips items imported before. It writes a report of
// each page as it goes; `newsroom import` wires it.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
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
}

// New returns an Importer with the given options and empty results.
func New(opts Options) *Importer {
	return &Importer{Options: opts, Items: []importer.Item{}, Results: []Result{}}
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
	text, enc, err := ReadPage(ctx, path, im.Encoding)
	if err != nil {
		return err
	}
	items, rep, err := importer.Parse(text, importer.Options{Date: meta.Date, Page: meta.Page, PageName: meta.PageName})
	if err != nil {
		return parseError(err)
	}
	im.pages++
	pageReport(out, path, meta, items, rep, missing)
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
	what := "drafts"
	if im.Publish {
		what = fmt.Sprintf("stories (%d published)", published)
	}
	fmt.Fprintf(out, "  created %d %s, %d already imported\n", created, what, dups)
	if stopped != nil {
		return fmt.Errorf("stopped after %d of %s: %w", created+dups+failedItems, plural(len(items), "item", "items"), stopped)
	}
	if failedItems > 0 {
		return fmt.Errorf("%s failed", plural(failedItems, "item", "items"))
	}
	return nil
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

// Summary writes the totals of the run and the files that failed, of
// files in all.
func (im *Importer) Summary(out io.Writer, files int, failed []string) {
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
