package site

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/afero"
)

// Preview is one page rendered as the reader site would show it.
type Preview struct {
	HTML []byte
	// Files are the other files the page refers to that Hugo made for it
	// (resized photos, by URL path): the live site has them only once the
	// story is published.
	Files map[string][]byte
}

// Preview renders one content file with the site's theme, as the page at
// rel (e.g. stories/2026/12/slug.md, relative to content/) would be shown,
// without touching the live tree or the content folder: a story while it is
// written, or a new version of a published one. The photo sizes it makes
// stay in Hugo's image cache, so a publish after a preview does not wait for
// them (and a preview right after an upload makes them in the background).
func (a *Archive) Preview(ctx context.Context, rel string, file []byte) (*Preview, error) {
	rel = path.Clean(filepath.ToSlash(rel))
	if !strings.HasSuffix(rel, ".md") || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return nil, fmt.Errorf("preview: bad content path %q", rel)
	}
	data, err := filepath.Abs(a.Data)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(data); err == nil {
		data = real
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	// The content lives only in memory, at a path of its own below the
	// data folder (which exists only there; see renderHugoBuild).
	contentDir := filepath.Join(data, "work", "preview-"+hex.EncodeToString(rnd[:]), "content")
	layer := afero.NewMemMapFs()
	if _, err := a.stage(layer, contentDir, nil, false, false, nil); err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	if err := afero.WriteFile(layer, filepath.Join(contentDir, filepath.FromSlash(rel)), file, 0o644); err != nil {
		return nil, err
	}
	a.mu.Lock()
	var params map[string]any
	if months, err := a.cachedCatalog(); err == nil {
		params = a.archiveParams(months, a.parts, nil, nil)
	}
	a.mu.Unlock()
	extra := map[string]any{
		"contentDir":     contentDir,
		"params.archive": hugoParams(params),
		// Only the page itself: its lists and feeds are rendered by publish.
		"cascade": []map[string]any{{
			"build":  map[string]any{"render": "never", "list": "always"},
			"target": map[string]any{"kind": "{home,section,taxonomy,term}"},
		}},
		"disableKinds": []string{"rss", "robotstxt", "404", "sitemap"},
	}
	out := newOutputFs()
	if _, err := renderHugo(ctx, a.Root, newOverlayFs(contentDir, layer), out, "/", extra, a.Log); err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	page := "/" + strings.TrimSuffix(rel, ".md") + "/index.html"
	p := &Preview{Files: map[string][]byte{}}
	for _, name := range out.names() {
		b, err := afero.ReadFile(out, name)
		if err != nil {
			continue
		}
		url := filepath.ToSlash(name)
		switch {
		case url == page:
			p.HTML = b
		case !strings.HasSuffix(url, ".html") && !strings.HasSuffix(url, ".xml"):
			p.Files[url] = b
		}
	}
	if p.HTML == nil {
		return nil, fmt.Errorf("preview: hugo rendered no page at %s: %w", page, fs.ErrNotExist)
	}
	return p, nil
}
