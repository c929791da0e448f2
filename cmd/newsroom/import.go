package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"newsroom/internal/content"
	"newsroom/internal/desk"
	"newsroom/internal/importer"
	"newsroom/internal/ingest"
	"newsroom/internal/news"
	"newsroom/internal/sitelock"
	"newsroom/internal/sqlite"
)

const importUsage = "usage: newsroom import [--site DIR] [--date YYYY-MM-DD] [--page N] [--page-name NAME] [--publish] [--dry-run] [--json] [--encoding ENC] FILE|DIR..."

func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, root := newFlags("import", stderr)
	date := fs.String("date", "", "edition date YYYY-MM-DD (default: from the file name)")
	page := fs.Int("page", 0, "page number (default: from the file name)")
	pageName := fs.String("page-name", "", "page name, e.g. 要闻 (default: from the file name)")
	publishFlag := fs.Bool("publish", false, "publish the imported items at once (default: drafts for review)")
	dryRun := fs.Bool("dry-run", false, "parse and report only; write nothing")
	jsonOut := fs.Bool("json", false, "print the items as JSON on stdout (the report goes to stderr)")
	encoding := fs.String("encoding", "", "encoding of text files that cannot be detected: gbk, gb18030, big5, utf-16le … (default: detect)")
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
	if _, _, err := importer.Decode(nil, *encoding); err != nil {
		return fmt.Errorf("--encoding: %v", err)
	}
	if *publishFlag && *dryRun {
		return errors.New("--publish and --dry-run exclude each other")
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	files, showBar, err := ingest.Files(fs.Args())
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("no .txt or .pdf files found in " + strings.Join(fs.Args(), ", "))
	}

	// The human report goes to stdout, unless stdout carries JSON.
	report := stdout
	if *jsonOut {
		report = stderr
	}
	im := ingest.New(ingest.Options{Date: *date, Page: *page, PageName: strings.TrimSpace(*pageName),
		Publish: *publishFlag, DryRun: *dryRun, Encoding: *encoding})
	var w *importWiring
	if !im.DryRun {
		if w, err = openImport(ctx, p, im, report, newLogger(stderr)); err != nil {
			return err
		}
		defer w.Close()
	}

	var bar *progressbar.ProgressBar
	if showBar {
		bar = progressbar.NewOptions(len(files), progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("pages"), progressbar.OptionClearOnFinish())
	}
	// SIGINT or SIGTERM (ctx) stops the run between two items: what was
	// imported stays imported and is reported, the rest is listed.
	var failed []string
	done := 0
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		// Each page's report is printed whole, between two drawings of
		// the progress bar.
		var page bytes.Buffer
		if err := im.ImportFile(ctx, f, &page); err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", f, err))
			fmt.Fprintf(&page, "FAILED %s: %v\n", filepath.Base(f), err)
		}
		done++
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
	interrupted := ctx.Err() != nil
	if w != nil {
		if interrupted {
			w.interrupted(report)
		} else if err := w.finish(ctx, report); err != nil {
			failed = append(failed, "publishing: "+err.Error())
		}
	}

	if *jsonOut {
		var v any = im.Results
		if im.DryRun {
			v = im.Items
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	im.Summary(report, len(files), failed)
	if interrupted {
		fmt.Fprintf(report, "interrupted: stopped after %d of %d files; %d not imported (run the same import again to go on: what is imported is skipped)\n",
			done, len(files), len(files)-done)
		return fmt.Errorf("import interrupted (%v)", context.Cause(ctx))
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d files failed", len(failed), len(files))
	}
	return nil
}

// importWiring is what a real import writes to: the database, the desk
// and, for --publish, the reader side, updated once at the end.
type importWiring struct {
	lock   *sitelock.Lock
	db     *sqlite.DB
	reader *readerSide
	batch  *batchLive
	log    *slog.Logger
}

// openImport opens the database, makes sure the import user exists and
// wires im; for --publish it also opens the reader side like serve does.
func openImport(ctx context.Context, p paths, im *ingest.Importer, out io.Writer, log *slog.Logger) (w *importWiring, err error) {
	var lock *sitelock.Lock
	if im.Publish {
		// Drafts go through the database only, which serve shares; a
		// publish writes the live site, which only one process may.
		if lock, err = lockSite(p, "import --publish", "import without --publish and publish the drafts in the admin, or stop `newsroom serve` first"); err != nil {
			return nil, err
		}
	}
	db, err := sqlite.Open(p.DB, news.SystemClock{})
	if err != nil {
		lock.Release()
		return nil, err
	}
	w = &importWiring{lock: lock, db: db, log: log}
	defer func() {
		if err != nil {
			w.Close()
		}
	}()
	// A fresh database needs its admin first: serve creates one only
	// while there are no users at all.
	if err := ensureAdmin(ctx, db, out); err != nil {
		return nil, err
	}
	if im.User, err = ingest.EnsureUser(ctx, db, out); err != nil {
		return nil, err
	}
	var clock news.Clock = news.SystemClock{}
	d := &desk.Service{Store: db, Content: content.Dir{Root: p.Content}, Clock: clock, Log: log}
	im.Desk, im.Store, im.Clock = d, db, clock
	if im.Publish {
		w.reader, err = openReaderSide(p, log)
		if err != nil {
			return nil, fmt.Errorf("%w (is `newsroom serve` running on this site? stop it, or import drafts and publish them in the admin)", err)
		}
		// Publishes are collected and made live in one site build at the
		// end instead of one build per item.
		w.batch = &batchLive{}
		d.Live = w.batch
	}
	return w, nil
}

// Close closes the reader side and the database.
func (w *importWiring) Close() {
	if w.reader != nil {
		w.reader.Close()
	}
	w.db.Close()
	w.lock.Release()
}

// finish makes the published items live: index and site, once.
func (w *importWiring) finish(ctx context.Context, out io.Writer) error {
	if w.batch == nil || len(w.batch.changed) == 0 && len(w.batch.removed) == 0 {
		return nil
	}
	fmt.Fprintf(out, "updating the site and the search index (%d published items)...\n", len(w.batch.changed))
	// Bring the site and the index up to date first, as serve does at
	// start (a full build only when there is no live site yet).
	placed, err := (&desk.Service{Store: w.db}).PlacedFiles(ctx)
	if err != nil {
		return err
	}
	w.reader.Archive.SetPlacement(placed)
	if err := startup(ctx, w.reader.Archive, w.reader.Live, nil, w.log); err != nil {
		return err
	}
	return w.reader.Live.Update(ctx, w.batch.changed, w.batch.removed)
}

// interrupted says what an interrupted --publish run leaves to do: the
// stories it published are saved, not yet on the site.
func (w *importWiring) interrupted(out io.Writer) {
	if w.batch == nil || len(w.batch.changed) == 0 && len(w.batch.removed) == 0 {
		return
	}
	fmt.Fprintf(out, "%d published stories are saved but not yet on the site or in search: `newsroom serve` brings them live at its start (or run `newsroom build` and `newsroom index`)\n",
		len(w.batch.changed))
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

// Place is never called during an import: imported stories are placed by
// editors afterwards.
func (b *batchLive) Place(context.Context, map[string][]string) error { return nil }

var _ desk.Live = (*batchLive)(nil)
