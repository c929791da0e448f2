package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// publishStory files a story through the admin API, takes it through the
// review chain (the admin may sign every level) and publishes it; it
// returns the story's id and URL.
func publishStory(t *testing.T, base, site, token, title, body string) (int64, string) {
	t.Helper()
	code, created := api(t, "POST", base+"/api/admin/stories", token, map[string]any{
		"title": title, "section": "本地", "source": "本报讯", "authors": []string{"记者 测试"}, "body": body})
	if code != http.StatusCreated && code != http.StatusOK {
		t.Fatalf("create %q: %d %v", title, code, created)
	}
	id := int64(created["id"].(float64))
	path := fmt.Sprintf("%s/api/admin/stories/%d", base, id)
	if code, st := api(t, "POST", path+"/submit", token, nil); code != 200 {
		t.Fatalf("submit: %d %v", code, st)
	}
	for i, signer := range reviewers(t, site) {
		if code, st := api(t, "POST", path+"/approve", signer, nil); code != 200 {
			t.Fatalf("approve level %d: %d %v", i+1, code, st)
		}
	}
	code, pub := api(t, "POST", path+"/publish", token, nil)
	if code != 200 {
		t.Fatalf("publish %q: %d %v", title, code, pub)
	}
	return id, pub["url"].(string)
}

// TestBackupWhileServingRestoresTheSameSite backs a site up while its
// server runs, restores the archive into a fresh folder, and checks that
// the restored site, built and indexed at its first start, serves the same
// pages and finds the same stories. Restores into a folder that is in use
// or not empty are refused.
func TestBackupWhileServingRestoresTheSameSite(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	site := copySite(t)
	os.WriteFile(filepath.Join(site, "search-dict.txt"), []byte("备份恢复测试词 100 n\n"), 0o644)
	s := startServer(t, site)
	token := lastLine(cli(t, "", "token", "create", "--site", site, "admin"))
	var urls []string
	for i, title := range []string{"备份测试稿件甲", "备份测试稿件乙", "备份测试稿件丙"} {
		_, u := publishStory(t, s.base, site, token, title, fmt.Sprintf("第%d篇用于备份与恢复测试的稿件正文，关键词备份恢复测试词。", i+1))
		urls = append(urls, u)
	}

	archive := filepath.Join(t.TempDir(), "site.tar.gz")
	out := cli(t, "", "backup", "--site", site, "--to", archive)
	if !strings.Contains(out, "backed up") {
		t.Errorf("backup report: %q", out)
	}
	// The pages as they were when the backup was made.
	pages := append([]string{"/", "/stories/2023/06/gaokao-shouri/"}, urls...)
	before := map[string]string{}
	for _, u := range pages {
		code, b := get(t, http.DefaultClient, s.base+u)
		if code != 200 {
			t.Fatalf("%s: %d", u, code)
		}
		before[u] = b
	}
	// A story published after the backup is not in it.
	_, later := publishStory(t, s.base, site, token, "备份之后的稿件", "备份之后才发布的稿件正文，关键词备份恢复测试词。")

	fresh := filepath.Join(t.TempDir(), "restored")
	out = cli(t, "", "restore", "--site", fresh, archive)
	if !strings.Contains(out, "restored") {
		t.Errorf("restore report: %q", out)
	}
	for _, f := range []string{"hugo.toml", "search-dict.txt", "themes", "static", ".newsroom/newsroom.db"} {
		if _, err := os.Stat(filepath.Join(fresh, f)); err != nil {
			t.Errorf("restored site lacks %s: %v", f, err)
		}
	}
	r := startServerOn(t, fresh, false)
	for _, u := range pages {
		code, b := get(t, http.DefaultClient, r.base+u)
		if code != 200 {
			t.Errorf("%s: %d on the restored site", u, code)
			continue
		}
		// The pages name their site's address (canonical, feeds, JSON-LD),
		// which is the server's own here: another port for the restored one.
		if want := strings.ReplaceAll(before[u], s.base, r.base); b != want {
			i := 0
			for i < len(b) && i < len(want) && b[i] == want[i] {
				i++
			}
			t.Errorf("%s differs on the restored site at byte %d: %.200q, want %.200q", u, i, b[i:], want[i:])
		}
	}
	if code, _ := get(t, http.DefaultClient, r.base+later); code != 404 {
		t.Errorf("story published after the backup: %d on the restored site, want 404", code)
	}
	hitURLs := func(base string) []string {
		var u []string
		for _, h := range searchAPI(t, base, "备份恢复测试词").Hits {
			u = append(u, h.URL)
		}
		slices.Sort(u)
		return u
	}
	want := slices.Sorted(slices.Values(urls))
	if got := hitURLs(r.base); !slices.Equal(got, want) {
		t.Errorf("search on the restored site: %v, want %v", got, want)
	}
	if got := hitURLs(s.base); len(got) != 4 {
		t.Errorf("search on the live site: %v, want the 4 stories", got)
	}
	// The restored database has the users: the admin's token works.
	if code, _ := api(t, "GET", r.base+"/api/admin/stories", token, nil); code != 200 {
		t.Errorf("admin token on the restored site: %d", code)
	}

	// Restores that would overwrite are refused, and change nothing.
	var errb strings.Builder
	err := run(t.Context(), []string{"restore", "--site", site, archive}, strings.NewReader(""), &errb, &errb)
	if err == nil || !strings.Contains(err.Error(), "newsroom serve") {
		t.Errorf("restore onto the served site: %v, want refused naming serve", err)
	}
	busy := t.TempDir()
	os.WriteFile(filepath.Join(busy, "notes.txt"), []byte("x"), 0o644)
	err = run(t.Context(), []string{"restore", "--site", busy, archive}, strings.NewReader(""), &errb, &errb)
	if err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("restore into a non-empty folder: %v", err)
	}
	if ents, _ := os.ReadDir(busy); len(ents) != 1 {
		t.Errorf("refused restore changed the folder: %v", ents)
	}
}
