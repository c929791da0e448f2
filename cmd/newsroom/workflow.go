package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"newsroom/internal/sqlite"
	"newsroom/internal/web"
)

// schedulerInterval is how often serve looks for scheduled stories that
// are due: a story goes live at most this long after its set time.
var schedulerInterval = 3 * time.Second

// withCorrections adds the public corrections page (/corrections/), read
// from the editorial database, in front of the reader side.
func withCorrections(root http.Handler, siteDir func() string, db *sqlite.DB, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /corrections/{$}", web.CorrectionsPage(web.CorrectionsConfig{SiteDir: siteDir, Log: log,
		List: func(ctx context.Context) ([]web.CorrectionEntry, error) {
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
		}}))
	mux.Handle("/", root)
	return mux
}
