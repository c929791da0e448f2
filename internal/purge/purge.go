// Package purge tells a CDN which URLs changed, so that it fetches them
// again from the bucket instead of serving its cached copy until it
// expires. The URLs go to a hook the operator configures, a command or a
// webhook, in batches: CDNs limit how many URLs one request may purge and
// how many a day, so a Batcher sends at most Max URLs at a time and waits
// Interval between two batches.
package purge

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Hook purges a batch of absolute URLs.
type Hook interface {
	Purge(ctx context.Context, urls []string) error
}

// Command is a hook that runs a shell command (sh -c) with the URLs on
// its standard input, one a line; a non-zero exit fails the batch.
type Command struct{ Line string }

// Purge implements Hook.
func (c Command) Purge(ctx context.Context, urls []string) error {
	cmd := exec.CommandContext(ctx, "sh", "-c", c.Line)
	cmd.Stdin = strings.NewReader(strings.Join(urls, "\n") + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("purge command %q: %w: %s", c.Line, err, bytes.TrimSpace(out))
	}
	return nil
}

// Webhook is a hook that POSTs {"urls": [...]} as JSON to URL; an answer
// other than 2xx fails the batch.
type Webhook struct {
	URL    string
	Client *http.Client // nil: a client with a 30 s timeout
}

// Purge implements Hook.
func (w Webhook) Purge(ctx context.Context, urls []string) error {
	body, _ := json.Marshal(map[string][]string{"urls": urls})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("purge webhook: %w", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("purge webhook %s: %s: %s", w.URL, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

// Batcher queues URLs and hands them to Hook in batches of at most Max,
// at least Interval apart. A URL queued twice before it is sent is sent
// once. A batch that fails goes back to the front of the queue and is
// tried again after Interval: nothing is dropped. It is safe for
// concurrent use.
type Batcher struct {
	Hook     Hook
	Max      int           // URLs per batch; 0: 100
	Interval time.Duration // between two batches; 0: one minute
	Log      *slog.Logger  // nil: slog.Default()

	mu      sync.Mutex
	pending []string
	queued  map[string]bool
	kick    chan struct{}
	once    sync.Once
}

// Defaults of Batcher.
const (
	DefaultMax      = 100
	DefaultInterval = time.Minute
)

func (b *Batcher) init() {
	b.once.Do(func() { b.kick = make(chan struct{}, 1) })
}

func (b *Batcher) max() int {
	if b.Max > 0 {
		return b.Max
	}
	return DefaultMax
}

func (b *Batcher) interval() time.Duration {
	if b.Interval > 0 {
		return b.Interval
	}
	return DefaultInterval
}

func (b *Batcher) log() *slog.Logger {
	if b.Log != nil {
		return b.Log
	}
	return slog.Default()
}

// Add queues URLs for the next batches.
func (b *Batcher) Add(urls []string) {
	b.init()
	b.mu.Lock()
	if b.queued == nil {
		b.queued = map[string]bool{}
	}
	for _, u := range urls {
		if !b.queued[u] {
			b.queued[u] = true
			b.pending = append(b.pending, u)
		}
	}
	b.mu.Unlock()
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// Pending reports how many URLs wait to be sent.
func (b *Batcher) Pending() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.pending)
}

// take removes the next batch from the queue.
func (b *Batcher) take() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := min(len(b.pending), b.max())
	batch := b.pending[:n:n]
	b.pending = b.pending[n:]
	for _, u := range batch {
		delete(b.queued, u)
	}
	return batch
}

// putBack returns a failed batch to the front of the queue (URLs queued
// again meanwhile stay where they are).
func (b *Batcher) putBack(batch []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var back []string
	for _, u := range batch {
		if !b.queued[u] {
			b.queued[u] = true
			back = append(back, u)
		}
	}
	b.pending = append(back, b.pending...)
}

// send hands one batch to the hook; it reports whether there was one.
func (b *Batcher) send(ctx context.Context) (bool, error) {
	batch := b.take()
	if len(batch) == 0 {
		return false, nil
	}
	start := time.Now()
	if err := b.Hook.Purge(ctx, batch); err != nil {
		b.putBack(batch)
		return true, err
	}
	b.log().Info("purged", "urls", len(batch), "waiting", b.Pending(), "took", time.Since(start).Round(time.Millisecond))
	return true, nil
}

// Run sends batches as URLs arrive until ctx ends.
func (b *Batcher) Run(ctx context.Context) {
	b.init()
	for {
		select {
		case <-ctx.Done():
			return
		case <-b.kick:
		}
		for {
			sent, err := b.send(ctx)
			if err != nil {
				b.log().Warn("purge failed; will try again", "err", err, "waiting", b.Pending(), "in", b.interval())
			}
			if !sent {
				break
			}
			if !sleep(ctx, b.interval()) {
				return
			}
		}
	}
}

// Flush sends every queued URL, Interval between batches, and returns the
// first error (the URLs of a failed batch stay queued).
func (b *Batcher) Flush(ctx context.Context) error {
	for first := true; ; first = false {
		if !first && b.Pending() > 0 && !sleep(ctx, b.interval()) {
			return ctx.Err()
		}
		sent, err := b.send(ctx)
		if err != nil || !sent {
			return err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// URLs turns paths of files in the site's tree (as uploaded to a bucket:
// stories/2023/06/x/index.html) into the URLs readers ask for, on the
// site's public address base (https://www.example.cn/): a folder's
// index.html is its folder's URL, as readers link it.
func URLs(base string, paths []string) ([]string, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("purge: the site's address %q is not an absolute http(s) URL", base)
	}
	prefix := strings.TrimSuffix(u.Path, "/") + "/"
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		p = strings.TrimPrefix(p, "/")
		if p == "index.html" {
			p = ""
		} else if dir, ok := strings.CutSuffix(p, "/index.html"); ok {
			p = dir + "/"
		}
		v := *u
		v.Path, v.RawPath, v.RawQuery, v.Fragment = prefix+p, "", "", ""
		out = append(out, v.String())
	}
	return out, nil
}
