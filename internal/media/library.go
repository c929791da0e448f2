package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"newsroom/internal/news"
)

// Library stores uploaded pictures as files under Dir (the site's
// static/media folder, which Hugo also reads as assets, so the theme can make
// responsive sizes of them) and their records in a news.MediaStore.
type Library struct {
	dir    string
	url    string // URL prefix of dir, e.g. /media/
	store  news.MediaStore
	clock  news.Clock
	limits Limits
	// Added, if set, is called (in its own goroutine) after a picture is
	// stored: the wiring makes its responsive sizes there, so that no
	// publish waits for them.
	Added func(m *news.Media)
	// work admits one picture decode at a time: a 50-megapixel photo takes
	// some 200 MB while it is turned and scaled, and the server has other
	// work to do.
	work chan struct{}
}

// NewLibrary returns a library writing under dir, served at urlPrefix.
func NewLibrary(dir, urlPrefix string, store news.MediaStore, clock news.Clock, limits Limits) *Library {
	if clock == nil {
		clock = news.SystemClock{}
	}
	return &Library{dir: dir, url: urlPrefix, store: store, clock: clock, limits: limits, work: make(chan struct{}, 1)}
}

// Limits returns the library's upload limits.
func (l *Library) Limits() Limits { return l.limits }

// Add checks, prepares and stores an uploaded picture, then records it with
// the caption, credit, alt, uploader and story that m holds; m gets the
// rest (ID, URL, size). Nothing is left on disk when it fails.
func (l *Library) Add(ctx context.Context, data []byte, m *news.Media) error {
	if _, err := Check(data, l.limits); err != nil {
		return err // cheap: refused before waiting for a decode slot
	}
	select {
	case l.work <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	p, _, err := Prepare(data, l.limits)
	<-l.work
	if err != nil {
		return err
	}
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return err
	}
	now := l.clock.Now().In(news.Shanghai)
	rel := path.Join(now.Format("2006"), now.Format("01"), hex.EncodeToString(rnd[:])+p.Ext)
	full := filepath.Join(l.dir, filepath.FromSlash(rel))
	if err := writeFile(full, p.Data); err != nil {
		return fmt.Errorf("store picture: %w", err)
	}
	m.File, m.URL = rel, l.url+rel
	m.Width, m.Height, m.Bytes, m.Format = p.Width, p.Height, int64(len(p.Data)), p.Format
	if err := l.store.CreateMedia(ctx, m); err != nil {
		os.Remove(full)
		return err
	}
	if l.Added != nil {
		go l.Added(m)
	}
	return nil
}

// Path returns the file of a stored picture.
func (l *Library) Path(m *news.Media) string {
	return filepath.Join(l.dir, filepath.FromSlash(m.File))
}

// writeFile writes data to name through a temporary file in the same
// folder, so that no reader (Hugo, the file server) sees half a picture.
func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".upload-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
