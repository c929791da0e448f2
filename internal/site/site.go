package site

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Builder renders the Hugo site rooted at Root and publishes each build
// atomically: Hugo writes into a fresh folder under Data/builds, and only a
// complete build replaces the symbolic link Data/public that readers are
// served from. A failed build leaves the live site untouched.
type Builder struct {
	Root string    // site root: hugo.toml, content/, themes/
	Data string    // data folder: builds/ and the public link live here
	Log  io.Writer // Hugo's warnings; nil discards them

	mu sync.Mutex // one build at a time
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
	out, err := os.MkdirTemp(builds, time.Now().UTC().Format("20060102T150405.000000000")+"-")
	if err != nil {
		return Stats{}, fmt.Errorf("create build folder: %w", err)
	}
	st, err := buildHugo(ctx, b.Root, out, nil, b.Log)
	if err != nil {
		os.RemoveAll(out)
		return Stats{}, err
	}
	if err := swapLink(b.PublicLink(), out); err != nil {
		os.RemoveAll(out)
		return Stats{}, err
	}
	b.prune(builds, out)
	return st, nil
}

// swapLink points link at target in one rename, so a reader resolving the
// link sees either the old build or the new one, never a half-written one.
func swapLink(link, target string) error {
	rel, err := filepath.Rel(filepath.Dir(link), target)
	if err != nil {
		return err
	}
	tmp := link + ".tmp"
	os.Remove(tmp)
	if err := os.Symlink(rel, tmp); err != nil {
		return fmt.Errorf("publish build: %w", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("publish build: %w", err)
	}
	return nil
}

// prune removes old builds, keeping the live one and the one before it so
// that requests still reading the previous build can finish.
func (b *Builder) prune(builds, live string) {
	entries, err := os.ReadDir(builds)
	if err != nil {
		return
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	keep := map[string]bool{filepath.Base(live): true}
	for i := len(names) - 1; i >= 0; i-- {
		if names[i] < filepath.Base(live) && !strings.HasSuffix(names[i], ".tmp") {
			keep[names[i]] = true
			break
		}
	}
	for _, n := range names {
		if !keep[n] {
			os.RemoveAll(filepath.Join(builds, n))
		}
	}
}
