package purge

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// webhook is a CDN's purge endpoint: it records each batch, and fails
// the first one.
type webhook struct {
	mu      sync.Mutex
	batches [][]string
	failed  bool
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		URLs []string `json:"urls"`
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || json.NewDecoder(r.Body).Decode(&body) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.failed {
		h.failed = true
		http.Error(w, "quota exceeded, try later", http.StatusTooManyRequests)
		return
	}
	h.batches = append(h.batches, body.URLs)
}

func (h *webhook) sent() [][]string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.batches)
}

func urlsN(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("https://www.example.cn/stories/2023/06/s%03d/", i))
	}
	return out
}

// TestWebhookBatches queues 250 URLs (some twice) with at most 100 a
// batch: the webhook gets every URL once, in batches of at most 100, and
// the batch it refused first is sent again.
func TestWebhookBatches(t *testing.T) {
	h := &webhook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := &Batcher{Hook: Webhook{URL: srv.URL}, Max: 100, Interval: time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Run(ctx)
	all := urlsN(250)
	b.Add(all[:120])
	b.Add(all[100:]) // 20 of them again
	deadline := time.Now().Add(30 * time.Second)
	var got []string
	for time.Now().Before(deadline) {
		got = got[:0]
		for _, batch := range h.sent() {
			got = append(got, batch...)
		}
		if len(got) >= len(all) && b.Pending() == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	batches := h.sent()
	for _, batch := range batches {
		if len(batch) > 100 || len(batch) == 0 {
			t.Errorf("batch of %d URLs, want 1 to 100", len(batch))
		}
	}
	slices.Sort(got)
	want := slices.Clone(all)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("webhook got %d URLs in %d batches, want each of %d once", len(got), len(batches), len(want))
	}
	if len(batches) != 3 {
		t.Errorf("%d batches, want 3 (100, 100, 50)", len(batches))
	}
}

// TestCommandFlush sends queued URLs to a shell command on its standard
// input, one a line, in batches; a failing command keeps its URLs queued.
func TestCommandFlush(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "purged")
	cmd := fmt.Sprintf(`{ cat; echo ---; } >> %q`, log)
	b := &Batcher{Hook: Command{Line: cmd}, Max: 2, Interval: time.Millisecond}
	b.Add([]string{"https://x.cn/a/", "https://x.cn/b/", "https://x.cn/c/"})
	if err := b.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), "https://x.cn/a/\nhttps://x.cn/b/\n---\nhttps://x.cn/c/\n---\n"; got != want {
		t.Fatalf("command read:\n%s\nwant:\n%s", got, want)
	}

	bad := &Batcher{Hook: Command{Line: "echo CDN says no >&2; exit 3"}, Interval: time.Millisecond}
	bad.Add([]string{"https://x.cn/d/"})
	if err := bad.Flush(context.Background()); err == nil || !strings.Contains(err.Error(), "CDN says no") {
		t.Fatalf("failing command: %v, want its message", err)
	}
	if bad.Pending() != 1 {
		t.Fatalf("a failed batch must stay queued: %d pending", bad.Pending())
	}
}

func TestURLs(t *testing.T) {
	got, err := URLs("https://www.example.cn/news/", []string{"index.html", "stories/2023/06/x/index.html", "columns/要闻/index.xml", "css/main.abc.css"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://www.example.cn/news/", "https://www.example.cn/news/stories/2023/06/x/",
		"https://www.example.cn/news/columns/%E8%A6%81%E9%97%BB/index.xml", "https://www.example.cn/news/css/main.abc.css"}
	if !slices.Equal(got, want) {
		t.Fatalf("URLs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := URLs("/", nil); err == nil {
		t.Fatal("a relative address must be refused")
	}
}
