package main

import (
	"context"
	"testing"
	"time"

	"newsroom/internal/bench"
)

// TestLoadLosesNothing runs readers, searchers and an editor publishing
// and correcting against a real server for a few seconds, with a flood of
// wrong logins in the middle: no request fails, every published story is
// served and found, every correction reaches readers, and the flood is
// answered only with 401, 429 (throttled) or 503 (hash queue full), while
// the site goes on answering. Latencies are measured by `newsroom bench
// --load` (BENCHMARKS.md), not asserted here.
func TestLoadLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	site := copySite(t)
	s := startServer(t, site)
	token := lastLine(cli(t, "", "token", "create", "--site", site, "admin"))
	o := bench.LoadOptions{Base: s.base, Token: token, Signers: reviewers(t, site), Duration: 12 * time.Second, Readers: 4, Searchers: 2, Editors: 1,
		LoginFlood: 60, FloodConcurrency: 16, Pages: []string{"/", "/stories/", "/search/", "/stories/2023/06/gaokao-shouri/"},
		PublishTimeout: 20 * time.Second}
	r, err := bench.Load(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Errors {
		t.Errorf("load: %s", e)
	}
	if len(r.LostEdits) > 0 {
		t.Errorf("lost edits: %v", r.LostEdits)
	}
	if r.Reads == 0 || r.Searches == 0 || r.Publishes == 0 {
		t.Errorf("nothing measured: %d reads, %d searches, %d publishes", r.Reads, r.Searches, r.Publishes)
	}
	if r.Logins[429] == 0 {
		t.Errorf("a flood of %d wrong logins was never throttled: %v", o.LoginFlood, r.Logins)
	}
	n := 0
	for code, c := range r.Logins {
		n += c
		if code != 401 && code != 429 && code != 503 {
			t.Errorf("flood answered %d ×%d", code, c)
		}
	}
	if n != o.LoginFlood {
		t.Errorf("flood: %d answers of %d", n, o.LoginFlood)
	}
}
