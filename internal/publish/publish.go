// Package publish keeps what readers see in step with the content files:
// it re-renders the site and updates the search index when stories are
// published, corrected or withdrawn, and checks both at start.
package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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
	// Place shows the editors' placement (place → content files, in
	// order) and returns when readers see it.
	Place(ctx context.Context, placed map[string][]string) (site.PartStats, error)
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

	// updating is held for reading by every Update and for writing while
	// CheckIndex applies what it found, so it never re-adds a story that
	// a concurrent withdrawal just removed.
	updating sync.RWMutex
}

// Update indexes changed stories, drops removed URLs from the index, and
// rebuilds the site; it returns when both are done. The index goes first:
// it takes milliseconds, and a hit that links to a page still being built
// for a moment is better than a live page that cannot be found. When the
// index cannot be written (a full disk), the site is still rebuilt, and
// the error returned: a live page that cannot be found yet is better than
// none (the index is reconciled with the content files at the next start).
func (l *Live) Update(ctx context.Context, changed []news.Story, removedURLs []string) error {
	l.updating.RLock()
	defer l.updating.RUnlock()
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
	var indexErr error
	if len(docs) > 0 {
		if err := l.Index.Put(docs...); err != nil {
			indexErr = fmt.Errorf("index: %w", err)
		}
	}
	if unindex = append(unindex, removedURLs...); len(unindex) > 0 {
		if err := l.Index.Delete(unindex...); err != nil {
			indexErr = errors.Join(indexErr, fmt.Errorf("index: %w", err))
		}
	}
	var changedFiles, removedFiles []string
	for _, s := range changed {
		changedFiles = append(changedFiles, content.FileOf(s.URL))
	}
	for _, u := range removedURLs {
		removedFiles = append(removedFiles, content.FileOf(u))
	}
	st, err := l.Site.Publish(ctx, changedFiles, removedFiles)
	if err != nil {
		return errors.Join(indexErr, fmt.Errorf("build site: %w", err))
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
	return indexErr
}

// Place shows the editors' placement of stories on the home and column
// pages (place → content files, in order). Search is not concerned.
func (l *Live) Place(ctx context.Context, placed map[string][]string) error {
	l.updating.RLock()
	defer l.updating.RUnlock()
	st, err := l.Site.Place(ctx, placed)
	if err != nil {
		return fmt.Errorf("build site: %w", err)
	}
	l.Log.Info("placement shown", "places", len(placed), "pages", st.Pages, "written", st.Written,
		"took", st.Duration.Round(time.Millisecond))
	if l.Published != nil {
		urls := make([]string, 0, len(placed))
		for place := range placed {
			if place == news.PlaceHome {
				urls = append(urls, "/")
			} else {
				urls = append(urls, "/columns/"+place+"/")
			}
		}
		l.Published(urls)
	}
	return nil
}

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
// for them to build snippets (search.Options.BodyOf). The bodies of the
// last bodyCacheSize files read are kept, each with its file's size and
// modification time, so that the stories many searches find are not
// parsed again for every hit (under load that was a tenth of the server's
// CPU); a file changed since is read again.
func BodyOf(c content.Dir) func(id string) (string, bool) {
	var (
		mu    sync.Mutex
		cache = map[string]cachedBody{}
	)
	return func(id string) (string, bool) {
		rel := content.FileOf(id)
		info, err := os.Stat(filepath.Join(c.Root, filepath.FromSlash(rel)))
		if err != nil {
			return "", false
		}
		mu.Lock()
		b, ok := cache[id]
		mu.Unlock()
		if ok && b.size == info.Size() && b.mod.Equal(info.ModTime()) {
			return b.body, true
		}
		it, err := c.Read(rel)
		if err != nil {
			return "", false
		}
		body := Document(it.Story).Body
		mu.Lock()
		if len(cache) >= bodyCacheSize {
			for k := range cache { // any one: a map's order is random
				delete(cache, k)
				break
			}
		}
		cache[id] = cachedBody{body, info.Size(), info.ModTime()}
		mu.Unlock()
		return body, true
	}
}

// bodyCacheSize bounds the bodies BodyOf keeps (a few megabytes).
const bodyCacheSize = 2048

type cachedBody struct {
	body string
	size int64
	mod  time.Time
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
	start := time.Now()
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
	if err := l.Index.MarkSynced(start); err != nil {
		return n, err
	}
	return n, nil
}

// mtimeSlack widens the window of files a check reads again: a file's
// modification time comes from the kernel's coarse clock, which may lag
// the time a stamp was taken by a few milliseconds.
const mtimeSlack = time.Second

// CheckIndex brings the index in step with the content folder at start.
// A new, other-version or corrupt index is rebuilt from every file. An
// index that is there is reconciled by name: files it lacks (added while
// the server was down) are read and indexed, documents whose file is gone
// are deleted. Files modified since the index was last known to match the
// folder (Index.SyncedAt: the start of the last check or rebuild) are read
// again: edited or withdrawn by hand while the server was down, or
// published since (read again for nothing, a day's worth). An index
// without that stamp (made before it was kept) is reconciled by name
// only, once. This reads names and modification times, not files, so it
// takes seconds where a rebuild of a million stories takes most of an
// hour; a file put back with an old modification time (cp -p, rsync -t)
// is not noticed (`newsroom index` rebuilds). It returns how many
// documents it added or re-read, and how many it deleted.
func (l *Live) CheckIndex(ctx context.Context) (added, deleted int, err error) {
	if l.Index.NeedsRebuild() {
		// A stale index (another mapping or analyzer) answers until the
		// rebuilt one replaces it; publishes meanwhile reach both.
		l.Log.Info("rebuilding search index", "stale", l.Index.Stale())
		n, err := l.Reindex(ctx, nil)
		return n, 0, err
	}
	start := time.Now()
	since := l.Index.SyncedAt()
	// The index's IDs first, then the folder: a publish in between shows
	// up as a file the snapshot lacks, and each difference is looked at
	// again below, with publishing held, before it is applied.
	indexed := map[string]bool{}
	if err := l.Index.EachID(ctx, func(id string) error { indexed[id] = false; return nil }); err != nil {
		return 0, 0, err
	}
	var missing, modified []string
	err = l.Content.Files(func(rel string) error {
		id := content.URLOf(rel)
		if _, ok := indexed[id]; !ok {
			missing = append(missing, rel)
			return ctx.Err()
		}
		indexed[id] = true
		if !since.IsZero() {
			info, err := os.Stat(filepath.Join(l.Content.Root, filepath.FromSlash(rel)))
			if err == nil && info.ModTime().After(since.Add(-mtimeSlack)) {
				modified = append(modified, rel)
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return 0, 0, fmt.Errorf("list content: %w", err)
	}
	var gone []string
	for id, seen := range indexed {
		if !seen {
			gone = append(gone, id)
		}
	}
	if len(missing) == 0 && len(gone) == 0 && len(modified) == 0 {
		return 0, 0, l.Index.MarkSynced(start)
	}
	// In chunks, each with publishing held for a moment: after an import
	// of thousands of files while the server was down, editors must not
	// wait for all of them.
	for chunk := range slices.Chunk(missing, 500) {
		n, err := l.addMissing(chunk)
		added += n
		if err != nil {
			return added, deleted, err
		}
	}
	for chunk := range slices.Chunk(modified, 500) {
		n, d, err := l.readAgain(chunk)
		added += n
		deleted += d
		if err != nil {
			return added, deleted, err
		}
	}
	for chunk := range slices.Chunk(gone, 500) {
		n, err := l.deleteGone(chunk)
		deleted += n
		if err != nil {
			return added, deleted, err
		}
	}
	if err := l.Index.MarkSynced(start); err != nil {
		return added, deleted, err
	}
	l.Log.Info("search index reconciled with content", "added or read again", added, "deleted", deleted)
	return added, deleted, nil
}

// readAgain indexes again content files modified since the index was last
// in step, with publishing held; a file now withdrawn (撤稿) leaves the
// index. It returns how many documents it put and how many it deleted.
func (l *Live) readAgain(rels []string) (put, deleted int, err error) {
	l.updating.Lock()
	defer l.updating.Unlock()
	var docs []search.Document
	var del []string
	for _, rel := range rels {
		it, err := l.Content.Read(rel)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) { // gone: deleteGone's
				l.Log.Warn("content file no longer reads; its search entry is left as it was", "path", rel, "err", err)
			}
			continue
		}
		if it.Story.State == news.StateWithdrawn {
			del = append(del, content.URLOf(rel))
		} else {
			docs = append(docs, Document(it.Story))
		}
	}
	if len(docs) > 0 {
		if err := l.Index.Put(docs...); err != nil {
			return 0, 0, err
		}
	}
	if len(del) > 0 {
		if err := l.Index.Delete(del...); err != nil {
			return len(docs), 0, err
		}
	}
	return len(docs), len(del), nil
}

// addMissing indexes content files the index lacks, read again now that
// publishing is held: the file may have changed since the walk.
func (l *Live) addMissing(rels []string) (int, error) {
	l.updating.Lock()
	defer l.updating.Unlock()
	var docs []search.Document
	for _, rel := range rels {
		it, err := l.Content.Read(rel)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				l.Log.Warn("skipping unreadable content file", "path", rel, "err", err)
			}
			continue
		}
		if it.Story.State != news.StateWithdrawn {
			docs = append(docs, Document(it.Story))
		}
	}
	if len(docs) == 0 {
		return 0, nil
	}
	if err := l.Index.Put(docs...); err != nil {
		return 0, err
	}
	return len(docs), nil
}

// deleteGone deletes documents whose content file is still missing now
// that publishing is held.
func (l *Live) deleteGone(ids []string) (int, error) {
	l.updating.Lock()
	defer l.updating.Unlock()
	var del []string
	for _, id := range ids {
		_, err := os.Stat(filepath.Join(l.Content.Root, filepath.FromSlash(content.FileOf(id))))
		if errors.Is(err, fs.ErrNotExist) {
			del = append(del, id)
		}
	}
	if len(del) == 0 {
		return 0, nil
	}
	if err := l.Index.Delete(del...); err != nil {
		return 0, err
	}
	return len(del), nil
}
