package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// LoadOptions say what Load runs against a running server: how long, and
// how many of each kind of client at once. Every loop is bounded by the
// duration and by a request count, and talks only to Base (loopback).
type LoadOptions struct {
	Base  string // the server, e.g. http://127.0.0.1:8080
	Token string // an API token of a user who may publish (admin or chief)
	// Signers are API tokens of one reviewer per level of the 本地
	// section's chain, in order (一审, 二审, 三审): nobody signs two levels
	// of a story. Empty, Token signs every level, which the site refuses
	// unless 本地 allows 代签.
	Signers []string
	// Pages are the paths readers fetch (at least the home page).
	Pages                         []string
	Duration                      time.Duration
	Readers, Searchers, Editors   int
	LoginFlood, FloodConcurrency  int // wrong logins sent in the flood, and how many at once
	MaxRequestsPerClient          int // 0: 100,000
	Client                        *http.Client
	Words                         []string // search words; default a few Chinese words
	PublishTimeout, RequestTimout time.Duration
}

// LoadReport is what a load run saw.
type LoadReport struct {
	Duration                   time.Duration
	Reads, Searches, Publishes int
	Errors                     []string // every unexpected answer or failure, with what it was
	Read, Search, Publish      []time.Duration
	// Logins counts the flood's answers by status (401 wrong password, 429
	// throttled, 503 hash queue full); LoginFloodTook is the flood's time.
	Logins         map[int]int
	LoginFloodTook time.Duration
	// LostEdits lists published stories whose page or search hit did not
	// show the text the editor sent last.
	LostEdits []string
}

// Load runs readers, searchers and editors publishing (each publish timed
// until the page is served and found by search, then corrected once)
// against a running server for o.Duration, with a flood of wrong logins
// in the middle; it reports latencies and every error. It returns an error
// only when it could not run at all.
func Load(ctx context.Context, o LoadOptions) (*LoadReport, error) {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if o.MaxRequestsPerClient == 0 {
		o.MaxRequestsPerClient = 100_000
	}
	if len(o.Pages) == 0 {
		o.Pages = []string{"/"}
	}
	if len(o.Words) == 0 {
		o.Words = []string{"高考", "营商环境", "文化", "吕梁", "新闻", "记者", "考生"}
	}
	r := &LoadReport{Logins: map[int]int{}}
	var mu sync.Mutex // guards r
	fail := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(r.Errors) < 200 {
			r.Errors = append(r.Errors, fmt.Sprintf(format, a...))
		}
	}
	// The flood may outlast the run (each wrong password it sends before
	// the throttle steps in costs a 64 MiB hash); it is bounded on its own.
	floodCtx, cancelFlood := context.WithTimeout(ctx, o.Duration+2*time.Minute)
	defer cancelFlood()
	ctx, cancel := context.WithTimeout(ctx, o.Duration)
	defer cancel()
	start := time.Now()
	get := func(path string) (int, string, error) {
		req, _ := http.NewRequestWithContext(ctx, "GET", o.Base+path, nil)
		resp, err := o.Client.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), err
	}
	var g errgroup.Group
	for i := range o.Readers {
		g.Go(func() error {
			rnd := rand.New(rand.NewPCG(uint64(i), 1))
			for n := 0; n < o.MaxRequestsPerClient && ctx.Err() == nil; n++ {
				p := o.Pages[rnd.IntN(len(o.Pages))]
				t := time.Now()
				code, _, err := get(p)
				if ctx.Err() != nil {
					return nil
				}
				if err != nil || code != 200 {
					fail("read %s: %d %v", p, code, err)
					continue
				}
				mu.Lock()
				r.Reads++
				r.Read = append(r.Read, time.Since(t))
				mu.Unlock()
			}
			return nil
		})
	}
	for i := range o.Searchers {
		g.Go(func() error {
			rnd := rand.New(rand.NewPCG(uint64(i), 2))
			for n := 0; n < o.MaxRequestsPerClient && ctx.Err() == nil; n++ {
				w := o.Words[rnd.IntN(len(o.Words))]
				t := time.Now()
				code, _, err := get("/api/search?q=" + url.QueryEscape(w))
				if ctx.Err() != nil {
					return nil
				}
				if err != nil || code != 200 {
					fail("search %s: %d %v", w, code, err)
					continue
				}
				mu.Lock()
				r.Searches++
				r.Search = append(r.Search, time.Since(t))
				mu.Unlock()
			}
			return nil
		})
	}
	for i := range o.Editors {
		g.Go(func() error {
			for n := 0; n < o.MaxRequestsPerClient && ctx.Err() == nil; n++ {
				lat, lost, err := publishOne(ctx, o, fmt.Sprintf("load%dx%dx%d", time.Now().UnixNano()%1e9, i, n))
				if ctx.Err() != nil {
					return nil
				}
				if err != nil {
					fail("editor %d: %v", i, err)
					continue
				}
				mu.Lock()
				r.Publishes++
				r.Publish = append(r.Publish, lat)
				if lost != "" {
					r.LostEdits = append(r.LostEdits, lost)
				}
				mu.Unlock()
			}
			return nil
		})
	}
	if o.LoginFlood > 0 {
		g.Go(func() error {
			// In the middle of the run, so that readers and editors are
			// at work while it lasts.
			select {
			case <-time.After(o.Duration / 3):
			case <-ctx.Done():
				return nil
			}
			ctx := floodCtx
			t := time.Now()
			var fg errgroup.Group
			fg.SetLimit(max(1, o.FloodConcurrency))
			for n := range o.LoginFlood {
				fg.Go(func() error {
					form := url.Values{"name": {"admin"}, "password": {fmt.Sprintf("guess-%d-password", n)}}
					req, _ := http.NewRequestWithContext(ctx, "POST", o.Base+"/admin/login", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					resp, err := o.Client.Do(req)
					if err != nil {
						if ctx.Err() == nil {
							fail("login flood: %v", err)
						}
						return nil
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					r.Logins[resp.StatusCode]++
					mu.Unlock()
					if resp.StatusCode != 401 && resp.StatusCode != 429 && resp.StatusCode != 503 {
						fail("login flood: wrong password answered %d", resp.StatusCode)
					}
					return nil
				})
			}
			fg.Wait()
			mu.Lock()
			r.LoginFloodTook = time.Since(t)
			mu.Unlock()
			return nil
		})
	}
	g.Wait()
	r.Duration = time.Since(start)
	return r, nil
}

// publishOne files a story, takes it through review, publishes it and
// waits until it is served and found; then corrects it and checks that the
// correction is what readers get. It returns the publish-to-live time and,
// if the page does not show the last text sent, the story's URL.
func publishOne(ctx context.Context, o LoadOptions, marker string) (time.Duration, string, error) {
	var created struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
	}
	if err := loadCall(ctx, o, "POST", "/api/admin/stories", map[string]any{
		"title": "负载测试稿件 " + marker, "section": "本地", "source": "本报讯", "authors": []string{"记者 测试"},
		"body": "这是负载测试中发布的稿件，编号 " + marker + "。\n\n第二段正文。",
	}, &created); err != nil {
		return 0, "", err
	}
	id := fmt.Sprintf("/api/admin/stories/%d", created.ID)
	var st struct {
		State   string `json:"state"`
		URL     string `json:"url"`
		Version int    `json:"version"`
	}
	if err := loadCall(ctx, o, "POST", id+"/submit", nil, &st); err != nil {
		return 0, "", err
	}
	if len(o.Signers) == 0 {
		for k := 0; st.State != "approved" && k < 5; k++ {
			if err := loadCall(ctx, o, "POST", id+"/approve", nil, &st); err != nil {
				return 0, "", err
			}
		}
	}
	for _, signer := range o.Signers {
		err := benchCall(o.Base, signer, "POST", id+"/approve", nil, &st)
		if err != nil && ctx.Err() != nil {
			err = errors.Join(ctx.Err(), err)
		}
		if err != nil {
			return 0, "", err
		}
	}
	start := time.Now()
	if err := loadCall(ctx, o, "POST", id+"/publish", nil, &st); err != nil {
		return 0, "", err
	}
	if !waitLive(ctx, o, st.URL, marker) {
		return 0, "", fmt.Errorf("story %s not served and found within %s", st.URL, o.PublishTimeout)
	}
	lat := time.Since(start)
	fix := "更正后" + marker
	if err := loadCall(ctx, o, "PUT", id, map[string]any{
		"body": "这是负载测试中发布的稿件，编号 " + fix + "。\n\n第二段正文。", "version": st.Version,
		"correction": map[string]string{"kind": "更正", "note": "负载测试中的更正。"},
	}, &st); err != nil {
		return lat, "", err
	}
	if !waitLive(ctx, o, st.URL, fix) {
		return lat, st.URL, nil
	}
	return lat, "", nil
}

func waitLive(ctx context.Context, o LoadOptions, path, marker string) bool {
	timeout := o.PublishTimeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline) && ctx.Err() == nil; time.Sleep(5 * time.Millisecond) {
		if servedAndFound(o.Base, path, marker) {
			return true
		}
	}
	return ctx.Err() != nil // the run ended: not a lost edit
}

func loadCall(ctx context.Context, o LoadOptions, method, path string, body, out any) error {
	err := benchCall(o.Base, o.Token, method, path, body, out)
	if err != nil && ctx.Err() != nil {
		return errors.Join(ctx.Err(), err)
	}
	return err
}

// Write prints the report as Markdown for BENCHMARKS.md.
func (r *LoadReport) Write(w io.Writer, o LoadOptions) {
	p := func(d []time.Duration) string {
		if len(d) == 0 {
			return "–"
		}
		d = slices.Clone(d)
		slices.Sort(d)
		return fmt.Sprintf("%s / %s", percentile(d, 0.5).Round(time.Millisecond), percentile(d, 0.95).Round(time.Millisecond))
	}
	fmt.Fprintf(w, "Load for %s: %d readers, %d searchers, %d editors, a flood of %d wrong logins (%d at once)\n\n",
		r.Duration.Round(time.Second), o.Readers, o.Searchers, o.Editors, o.LoginFlood, o.FloodConcurrency)
	fmt.Fprintln(w, "| | count | p50 / p95 |")
	fmt.Fprintln(w, "|---|---:|---|")
	fmt.Fprintf(w, "| page reads | %d | %s |\n", r.Reads, p(r.Read))
	fmt.Fprintf(w, "| searches | %d | %s |\n", r.Searches, p(r.Search))
	fmt.Fprintf(w, "| publish to live (served and found) | %d | %s |\n", r.Publishes, p(r.Publish))
	fmt.Fprintf(w, "\nLogin flood answers: %v in %s. Errors: %d. Lost edits: %d.\n", r.Logins, r.LoginFloodTook.Round(time.Millisecond), len(r.Errors), len(r.LostEdits))
	for _, e := range r.Errors {
		fmt.Fprintf(w, "- %s\n", e)
	}
}
