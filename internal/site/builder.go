package site

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Builder renders the Hugo site rooted at Root as one Hugo build and
// publishes each build atomically: Hugo writes into a fresh folder under
// Data/builds, and only a complete build replaces the symbolic link
// Data/public that readers are served from. A failed build leaves the live
// site untouched. It is the monolithic way, kept as the baseline the
// Archive's parts are measured against.
type Builder struct {
	Root string    // site root: hugo.toml, content/, themes/
	Data string    // data folder: builds/ and the public link live here
	Log  io.Writer // Hugo's warnings; nil discards them
	// BaseURL is the site's public address; "" keeps hugo.toml's baseURL.
	BaseURL string

	mu      sync.Mutex    // one build at a time
	rebuild runner[Stats] // the builds Rebuild asks for

	placeMu sync.Mutex
	placed  map[string][]string // see SetPlacement
}

// SetPlacement sets the editors' placement (see Archive.SetPlacement)
// for the next build.
func (b *Builder) SetPlacement(placed map[string][]string) {
	b.placeMu.Lock()
	defer b.placeMu.Unlock()
	b.placed = clonePlacement(placed)
}

// Place shows a new placement: the whole site is rendered again.
func (b *Builder) Place(ctx context.Context, placed map[string][]string) (PartStats, error) {
	b.SetPlacement(placed)
	return b.Publish(ctx, nil, nil)
}

// Rebuild asks for a build that starts after this call and waits for it.
// Calls made while a build runs share the one build queued behind it, so a
// burst of publishes costs at most two builds, never one per publish.
func (b *Builder) Rebuild(ctx context.Context) (Stats, error) {
	return b.rebuild.Do(ctx, b.Build)
}

// PublicLink is the path of the link that always points at the live build.
func (b *Builder) PublicLink() string { return filepath.Join(b.Data, "public") }

// Current returns the folder of the live build, or "" before the first one.
func (b *Builder) Current() string {
	dir, err := filepath.EvalSymlinks(b.PublicLink())
	if err != nil {
		return ""
	}
	return dir
}

// Build renders the whole site into a new folder and swaps it in.
func (b *Builder) Build(ctx context.Context) (Stats, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	builds := filepath.Join(b.Data, "builds")
	if err := os.MkdirAll(builds, 0o755); err != nil {
		return Stats{}, fmt.Errorf("create builds folder: %w", err)
	}
	out, err := newBuildDir(builds)
	if err != nil {
		return Stats{}, fmt.Errorf("create build folder: %w", err)
	}
	extra := map[string]any{}
	if b.BaseURL != "" {
		extra["baseURL"] = b.BaseURL
	}
	b.placeMu.Lock()
	if len(b.placed) > 0 {
		extra["params.placement"] = placementParams(b.placed)
	}
	b.placeMu.Unlock()
	st, err := buildHugo(ctx, b.Root, out, extra, b.Log)
	if err == nil {
		err = copyStatic(b.Root, out)
	}
	if err == nil {
		err = swapLink(b.PublicLink(), out)
	}
	if err != nil {
		os.RemoveAll(out)
		return Stats{}, err
	}
	prune(builds, out)
	return st, nil
}

// Publish renders the whole site again, whatever changed.
func (b *Builder) Publish(ctx context.Context, changed, removed []string) (PartStats, error) {
	st, err := b.Rebuild(ctx)
	return PartStats{Part: "all", Pages: st.Pages, Duration: st.Duration}, err
}
