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

	queue sync.Mutex // guards next
	next  *request   // the build that will start after the running one
}

// request is one queued build and everyone waiting for it.
type request struct {
	done  chan struct{}
	stats Stats
	err   error
}

// Rebuild asks for a build that starts after this call and waits for it.
// Calls made while a build runs share the one build queued behind it, so a
// burst of publishes costs at most two builds, never one per publish.
func (b *Builder) Rebuild(ctx context.Context) (Stats, error) {
	b.queue.Lock()
	r := b.next
	if r == nil {
		r = &request{done: make(chan struct{})}
		b.next = r
		go b.runQueued()
	}
	b.queue.Unlock()
	select {
	case <-r.done:
		return r.stats, r.err
	case <-ctx.Done():
		return Stats{}, ctx.Err()
	}
}

func (b *Builder) runQueued() {
	b.mu.Lock() // wait for the running build
	b.queue.Lock()
	r := b.next
	b.next = nil
	b.queue.Unlock()
	// The build is not tied to any one caller's context: a waiter that
	// gives up must not cancel the build the others wait for.
	r.stats, r.err = b.buildLocked(context.Background())
	b.mu.Unlock()
	close(r.done)
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
	return b.buildLocked(ctx)
}

func (b *Builder) buildLocked(ctx context.Context) (Stats, error) {
	builds := filepath.Join(b.Data, "builds")
	if err := os.MkdirAll(builds, 0o755); err != nil {
		return Stats{}, fmt.Errorf("create builds folder: %w", err)
	}
	out, err := newBuildDir(builds)
	if err != nil {
		return Stats{}, fmt.Errorf("create build folder: %w", err)
	}
	st, err := buildHugo(ctx, b.Root, out, nil, b.Log)
	if err == nil {
		err = copyStatic(b.Root, out)
	}
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

// Publish renders the whole site again, whatever changed: the monolithic
// way, kept as the baseline the archive's parts are measured against.
func (b *Builder) Publish(ctx context.Context, changed, removed []string) (PartStats, error) {
	st, err := b.Rebuild(ctx)
	return PartStats{Part: "all", Pages: st.Pages, Duration: st.Duration}, err
}

// newBuildDir makes a fresh, uniquely named build folder under builds,
// readable by all (0755, not MkdirTemp's 0700): a web server running as
// another user serves it.
func newBuildDir(builds string) (string, error) {
	dir, err := os.MkdirTemp(builds, time.Now().UTC().Format("20060102T150405.000000000")+"-")
	if err != nil {
		return "", err
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		os.Remove(dir)
		return "", err
	}
	return dir, nil
}
