package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"newsroom/admin"
	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/publish"
	"newsroom/internal/site"
	"newsroom/internal/sitelock"
	"newsroom/internal/web"
	"newsroom/search"
)

// readerSide is what makes published content visible: the site builder,
// the search index and the Live updater that keeps both in step with
// content/. serve and import --publish wire it the same way.
type readerSide struct {
	Archive *site.Archive
	Index   *search.Index
	Live    *publish.Live
}

// openReaderSide opens the search index of site p and wires the Live
// updater; Close releases the index.
func openReaderSide(p paths, log *slog.Logger) (*readerSide, error) {
	index, err := search.Open(p.Index, searchOptions(p))
	if err != nil {
		return nil, fmt.Errorf("open search index: %w", err)
	}
	archive := &site.Archive{Root: p.Root, Data: p.Data, Log: logWriter{log}}
	live := &publish.Live{Site: archive, Index: index, Content: content.Dir{Root: p.Content}, Log: log}
	return &readerSide{Archive: archive, Index: index, Live: live}, nil
}

// Close closes the search index.
func (r *readerSide) Close() error { return r.Index.Close() }

// searchOptions are the search index settings of site p; serve and index
// must agree on them, or each would find the other's index of the wrong
// kind and rebuild it.
func searchOptions(p paths) search.Options {
	return search.Options{UserDict: p.UserDict, BodyOf: publish.BodyOf(content.Dir{Root: p.Content})}
}

// corrections lists the correction notes of live stories for the reader
// side's /corrections/ page, from the editorial database.
func corrections(db news.StoryStore) func(ctx context.Context) ([]web.CorrectionEntry, error) {
	return func(ctx context.Context) ([]web.CorrectionEntry, error) {
		stories, err := db.CorrectedStories(ctx, 500)
		if err != nil {
			return nil, err
		}
		var out []web.CorrectionEntry
		for _, s := range stories {
			for _, c := range s.Corrections {
				out = append(out, web.CorrectionEntry{Title: s.Title, URL: s.URL, At: c.At, Kind: c.Kind, Note: c.Note})
			}
		}
		return out, nil
	}
}

// lockSite takes the writer lock of site p for command what; when another
// process (serve, most often) holds it, the error says who and what to do
// instead (hint).
func lockSite(p paths, what, hint string) (*sitelock.Lock, error) {
	l, err := sitelock.Acquire(p.Data, what)
	if errors.Is(err, sitelock.ErrHeld) {
		return nil, fmt.Errorf("%s refused: %w; %s", what, err, hint)
	}
	return l, err
}

// previewer renders a story for the admin's preview with the site's theme.
func previewer(a *site.Archive) admin.Previewer {
	return func(ctx context.Context, rel string, file []byte) ([]byte, map[string][]byte, error) {
		p, err := a.Preview(ctx, rel, file)
		if err != nil {
			return nil, nil, err
		}
		return p.HTML, p.Files, nil
	}
}

// makeSizes makes the responsive sizes of a photo just uploaded (in the
// upload's own goroutine), so that publishing a story with it does not
// wait for them: a publish meanwhile shows the picture itself until they
// are made (site.Archive.MakeSizes).
func makeSizes(ctx context.Context, a *site.Archive, log *slog.Logger) func(*news.Media) {
	return func(m *news.Media) {
		if err := a.MakeSizes(ctx, m.URL); err != nil && ctx.Err() == nil {
			log.Warn("making photo sizes", "media", m.ID, "err", err)
		}
	}
}
