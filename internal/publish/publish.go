// Package publish keeps what readers see in step with the content files:
// it re-renders the site and updates the search index when stories are
// published, corrected or withdrawn, and checks both at start.
package publish

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/site"
	"newsroom/search"
)

// Renderer renders changed content files for readers: *site.Archive, or
// *site.Builder (the whole site at once, the monolithic baseline).
type Renderer interface {
	Publish(ctx context.Context, changed, removed []string) (site.PartStats, error)
}

// Live is the desk's view of the reader side (it implements desk.Live).
type Live struct {
	Site    Renderer
	Index   *search.Index
	Content content.Dir
	Log     *slog.Logger
	// Published, if set, is called after every update that reached the
	// live tree, with the URLs of the changed pages (serve uses it to push
	// the site to a CDN's bucket and the URLs to Baidu).
	Published func(changedURLs []string)

	// For CheckIndex: Update calls begun, and those still running.
	updatesBegun   atomic.Uint64
	updatesRunning atomic.Int64
}

// Update indexes changed stories, drops removed URLs from the index, and
// rebuilds the site; it returns when both are done. The index goes first:
// it takes milliseconds, and a hit that links to a page still being built
// for a moment is better than a live page that cannot be found.
func (l *Live) Update(ctx context.Context, changed []news.Story, removedURLs []string) error {
	l.updatesBegun.Add(1)
	l.updatesRunning.Add(1)
	defer l.updatesRunning.Add(-1)
	docs := make([]search.Document, 0, len(changed))
	var unindex []string
	for _, s := range changed {
		if s.State == news.StateWithdrawn {
			// Its page stays (saying it was withdrawn); search drops it.
			unindex = append(unindex, s.URL)
			continue
		}
		docs = append(docs, Document(s))
	}
	if len(docs) > 0 {
		if err := l.Index.Put(docs...); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	}
	if unindex = append(unindex, removedURLs...); len(unindex) > 0 {
		if err := l.Index.Delete(unindex...); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	}
	var changedFiles, removedFiles []string
	for _, s := range changed {
		changedFiles = append(changedFiles, fileOf(s.URL))
	}
	for _, u := range removedURLs {
		removedFiles = append(removedFiles, fileOf(u))
	}
	st, err := l.Site.Publish(ctx, changedFiles, removedFiles)
	if err != nil {
		return fmt.Errorf("build site: %w", err)
	}
	l.Log.Info("site updated", "changed", len(changed), "removed", len(removedURLs), "pages", st.Pages,
		"written", st.Written, "deleted", st.Deleted, "took", st.Duration.Round(time.Millisecond))
	if l.Published != nil {
		urls := make([]string, 0, len(changed))
		for _, s := range changed {
			urls = append(urls, s.URL)
		}
		l.Published(urls)
	}
	return nil
}

// fileOf maps a public URL (/stories/2023/06/x/) to its content file
// (stories/2023/06/x.md); see docs/content-format.md.
func fileOf(url string) string { return strings.Trim(url, "/") + ".md" }

// Document maps a published story onto a search document.
func Document(s news.Story) search.Document {
	d := search.Document{
		ID: s.URL, URL: s.URL, Kind: string(s.Kind), Title: s.Title, Kicker: s.Kicker,
		Subtitle: s.Subtitle, Body: strings.Join(s.Paragraphs(), "\n\n"), Section: s.Section,
		Tags: s.Tags, Authors: news.BylineNames(s.Authors), Source: s.Source,
	}
	if s.PublishedAt != nil {
		d.Date = s.PublishedAt.In(news.Shanghai)
	}
	for _, p := range s.Photos {
		if p.Caption != "" {
			d.Body += "\n\n" + p.Caption
		}
	}
	if n := s.Notice; n != nil {
		d.Issuers, d.DocNumber, d.CreditCode = n.Issuers, n.DocNumber, n.CreditCode
		// The number and fingerprint are searchable text too.
		if n.Number != "" {
			d.Body += "\n\n" + n.Number + " " + n.Fingerprint
		}
	}
	return d
}

// BodyOf returns the search body of the story at a public URL, read from
// its content file: the search index keeps no copy of the bodies and asks
// for them to build snippets (search.Options.BodyOf).
func BodyOf(c content.Dir) func(id string) (string, bool) {
	return func(id string) (string, bool) {
		it, err := c.Read(fileOf(id))
		if err != nil {
			return "", false
		}
		return Document(it.Story).Body, true
	}
}

// documents yields every content file that search should hold as a
// search document, one file at a time: an archive of decades is read as a
// stream, never held in memory. Files that do not parse are logged and
// skipped; a failure to walk the folder ends the sequence with its error.
func (l *Live) documents() iter.Seq2[search.Document, error] {
	return func(yield func(search.Document, error) bool) {
		errStop := errors.New("stop")
		err := l.Content.Walk(func(it content.Item) error {
			if it.Story.State == news.StateWithdrawn {
				return nil // withdrawn (撤稿): the page stays, search drops it
			}
			if !yield(Document(it.Story), nil) {
				return errStop
			}
			return nil
		}, func(rel string, err error) {
			l.Log.Warn("skipping unreadable content file", "path", rel, "err", err)
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(search.Document{}, fmt.Errorf("read content: %w", err))
		}
	}
}

// Reindex rebuilds the whole search index from the content files and
// returns how many documents it indexed. progress gets the number of
// content files as its total (withdrawn ones are counted there but not
// indexed).
func (l *Live) Reindex(ctx context.Context, progress func(done, total int)) (int, error) {
	total := 0
	if progress != nil { // the total is only for the progress bar: one more walk of the folder
		var err error
		if total, err = l.Content.Count(); err != nil {
			return 0, fmt.Errorf("count content files: %w", err)
		}
	}
	n := 0
	counted := func(yield func(search.Document, error) bool) {
		for d, err := range l.documents() {
			if err == nil {
				n++
			}
			if !yield(d, err) {
				return
			}
		}
	}
	if err := l.Index.RebuildFrom(ctx, counted, total, progress); err != nil {
		return 0, fmt.Errorf("rebuild index: %w", err)
	}
	return n, nil
}

// CheckIndex rebuilds the index when it is new, from another version,
// corrupt, or holds a different number of documents than there are content
// files (files added or removed while the server was down). Counting reads
// every content file, minutes for a million stories, so the server runs it
// after it is ready (see cmd/newsroom); a publish that runs meanwhile
// changes both counts, and the count is taken again rather than rebuilding
// the whole index for nothing.
func (l *Live) CheckIndex(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		before := l.updatesBegun.Load()
		quiet := l.updatesRunning.Load() == 0
		want := 0
		if !l.Index.NeedsRebuild() {
			for _, err := range l.documents() {
				if err != nil {
					return err
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				want++
			}
		}
		n, err := l.Index.Count()
		if err == nil && !l.Index.NeedsRebuild() && n == uint64(want) {
			return nil
		}
		quiet = quiet && l.updatesRunning.Load() == 0 && l.updatesBegun.Load() == before
		if !quiet && attempt < 3 {
			continue
		}
		l.Log.Info("rebuilding search index", "documents", want, "indexed", n, "needs_rebuild", l.Index.NeedsRebuild())
		_, err = l.Reindex(ctx, nil)
		return err
	}
}
