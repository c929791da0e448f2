package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsroom/internal/content"
)

// TestAdoptDemoPaper takes the demo paper's stories, which exist only as
// content files, into the admin (the CLI beside a running server, then the
// API again: nothing twice), and corrects and withdraws two of them there:
// their URLs stay, the files are untouched until then, and the pages and
// search follow.
func TestAdoptDemoPaper(t *testing.T) {
	site := copySite(t)
	srv := startServer(t, site)
	token := lastLine(cli(t, "", "token", "create", "--site", site, "admin"))

	files := map[string][]byte{}
	dir := content.Dir{Root: filepath.Join(site, "content")}
	if err := dir.Files(func(rel string) error {
		b, err := os.ReadFile(filepath.Join(site, "content", rel))
		files[rel] = b
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(files) != 8 {
		t.Fatalf("the demo paper has %d story files, want 8", len(files))
	}
	if _, body := api(t, "GET", srv.base+"/api/admin/stories", token, nil); body["total"] != 0.0 {
		t.Fatalf("stories before adoption: %v", body["total"])
	}

	out := cli(t, "", "adopt", "--site", site)
	if !strings.Contains(out, "adopted 8 content files") {
		t.Fatalf("adopt: %s", out)
	}
	code, rep := api(t, "POST", srv.base+"/api/admin/adopt", token, nil)
	if code != 200 || rep["adopted"] != 0.0 || rep["known"] != 8.0 {
		t.Fatalf("second adoption (API): %d %v", code, rep)
	}
	if out := cli(t, "", "adopt", "--site", site); !strings.Contains(out, "adopted 0 content files") || !strings.Contains(out, "8 already had a story") {
		t.Fatalf("third adoption: %s", out)
	}
	for rel, b := range files {
		if now, _ := os.ReadFile(filepath.Join(site, "content", rel)); string(now) != string(b) {
			t.Errorf("adoption changed %s", rel)
		}
	}

	_, list := api(t, "GET", srv.base+"/api/admin/stories?owner=archive&limit=50", token, nil)
	stories, _ := list["stories"].([]any)
	if list["total"] != 8.0 || len(stories) != 8 {
		t.Fatalf("adopted stories: %v", list["total"])
	}
	byURL := map[string]map[string]any{}
	for _, x := range stories {
		s := x.(map[string]any)
		byURL[s["url"].(string)] = s
		if s["state"] != "published" {
			t.Errorf("%s: state %v", s["url"], s["state"])
		}
	}
	for rel := range files {
		if byURL[content.URLOf(rel)] == nil {
			t.Errorf("no adopted story at %s", content.URLOf(rel))
		}
	}

	// Correct 高考首日 in the admin: same URL, the page shows the new
	// headline and the note, the file now names the story.
	const gaokao = "/stories/2023/06/gaokao-shouri/"
	s := byURL[gaokao]
	if s == nil {
		t.Fatal("高考首日 not adopted at its URL")
	}
	id := int64(s["id"].(float64))
	code, fixed := api(t, "PUT", fmt.Sprintf("%s/api/admin/stories/%d", srv.base, id), token, map[string]any{
		"title": "高考首日（更正）", "version": s["version"], "correction": map[string]string{"kind": "更正", "note": "标题补充说明。"}})
	if code != 200 || fixed["url"] != gaokao || fixed["state"] != "corrected" {
		t.Fatalf("correct the adopted story: %d %v", code, fixed)
	}
	if code, page := get(t, http.DefaultClient, srv.base+gaokao); code != 200 || !strings.Contains(page, "高考首日（更正）") || !strings.Contains(page, "标题补充说明。") {
		t.Errorf("corrected page: %d", code)
	}
	it, err := dir.Read("stories/2023/06/gaokao-shouri.md")
	if err != nil || it.Front.Params.ID != id || it.Story.Title != "高考首日（更正）" {
		t.Errorf("corrected file: %v id %d %q", err, it.Front.Params.ID, it.Story.Title)
	}

	// Withdraw 方山县 in the admin: its page says so, search drops it.
	const fangshan = "/stories/2023/06/fangshan-yifeng-yisu/"
	w := byURL[fangshan]
	if w == nil {
		t.Fatal("方山县 not adopted at its URL")
	}
	if len(searchAPI(t, srv.base, "移风易俗").Hits) == 0 {
		t.Fatal("search does not find 移风易俗 before the withdrawal")
	}
	code, gone := api(t, "POST", fmt.Sprintf("%s/api/admin/stories/%d/withdraw", srv.base, int64(w["id"].(float64))), token, map[string]any{"reason": "重复刊发"})
	if code != 200 || gone["state"] != "withdrawn" || gone["url"] != fangshan {
		t.Fatalf("withdraw the adopted story: %d %v", code, gone)
	}
	if code, page := get(t, http.DefaultClient, srv.base+fangshan); code != 200 || !strings.Contains(page, "重复刊发") {
		t.Errorf("withdrawn page: %d", code)
	}
	for _, h := range searchAPI(t, srv.base, "移风易俗").Hits {
		if h.URL == fangshan || strings.HasSuffix(h.URL, fangshan) {
			t.Errorf("search still finds the withdrawn story")
		}
	}
	// Still eight stories, nothing duplicated by the edits.
	if _, list := api(t, "GET", srv.base+"/api/admin/stories", token, nil); list["total"] != 8.0 {
		t.Errorf("after the edits: %v stories, want 8", list["total"])
	}
}
