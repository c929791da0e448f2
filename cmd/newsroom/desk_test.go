package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// homeLead returns the 头条 block of the reader site's home page.
func homeLead(t *testing.T, base string) string {
	t.Helper()
	code, home := get(t, http.DefaultClient, base+"/")
	i := strings.Index(home, `class="lead-story"`)
	if code != 200 || i < 0 {
		t.Fatalf("home page: %d, 头条 block at %d", code, i)
	}
	return home[i : i+strings.Index(home[i:], "</article>")]
}

// TestDeskDay is issue 18's "done when", through the real binary's
// commands and API: `newsroom import` of the sample page makes 8 drafts,
// which an editor finds in the list of imports and assigns to a reporter;
// they go through a 三审 signed by three different people and are
// published; the editor puts one first on the home page, and it is the 头条
// when the call returns; its article shows its 责任编辑; a second admin
// cannot sign two levels of one story until the section allows 代签, and
// then the story's record and the audit log say 代签.
func TestDeskDay(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	sampleText(t)
	site := copySite(t)
	s := startServer(t, site)
	users := []struct{ role, name string }{{"reporter", "王记者"}, {"editor", "李编辑"}, {"director", "赵主任"},
		{"chief", "孙总编"}, {"admin", "钱管理"}}
	tok := map[string]string{"admin": lastLine(cli(t, "", "token", "create", "--site", site, "admin"))}
	for _, u := range users {
		cli(t, "password-of-"+u.role+"\n", "user", "add", "--site", site, "--role", u.role, u.name)
		tok[u.name] = lastLine(cli(t, "", "token", "create", "--site", site, u.name))
	}
	// Drafts only touch the database, which serve shares.
	cli(t, "", "import", "--site", site, "--date", "2023-06-08", "--page", "1", "--page-name", "要闻", samplePage)

	code, list := api(t, "GET", s.base+"/api/admin/stories?owner=importer&state=draft", tok["李编辑"], nil)
	drafts, _ := list["stories"].([]any)
	if code != 200 || len(drafts) != 8 || list["total"] != 8.0 {
		t.Fatalf("the editor's list of imports: %d, %d drafts, total %v", code, len(drafts), list["total"])
	}
	_, me := api(t, "GET", s.base+"/api/admin/users", tok["admin"], nil)
	var reporterID float64
	for _, u := range me["users"].([]any) {
		if u.(map[string]any)["name"] == "王记者" {
			reporterID = u.(map[string]any)["id"].(float64)
		}
	}
	var published []map[string]any
	for _, d := range drafts {
		d := d.(map[string]any)
		if d["kind"] == "notice" {
			continue // a notice's fields are checked apart (notices_test.go)
		}
		path := fmt.Sprintf("%s/api/admin/stories/%d", s.base, int(d["id"].(float64)))
		if code, out := api(t, "POST", path+"/assign", tok["李编辑"], map[string]any{"owner": reporterID}); code != 200 || out["owner"] != "王记者" {
			t.Fatalf("assign %q: %d %v", d["title"], code, out)
		}
		if code, out := api(t, "POST", path+"/submit", tok["王记者"], nil); code != 200 {
			t.Fatalf("submit %q: %d %v", d["title"], code, out)
		}
		// Three people sign the 三审.
		signers := []string{"李编辑", "赵主任", "孙总编"}
		for i, who := range signers {
			code, out := api(t, "POST", path+"/approve", tok[who], nil)
			if code != 200 {
				t.Fatalf("%s signs level %d of %q: %d %v", who, i+1, d["title"], code, out)
			}
		}
		code, out := api(t, "POST", path+"/publish", tok["孙总编"], nil)
		if code != 200 || out["state"] != "published" || out["editor"] != "李编辑" {
			t.Fatalf("publish %q: %d %v", d["title"], code, out)
		}
		gs := out["signoffs"].([]any)
		if len(gs) != 3 || gs[0].(map[string]any)["user"] == gs[1].(map[string]any)["user"] || gs[1].(map[string]any)["user"] == gs[2].(map[string]any)["user"] {
			t.Fatalf("the 三审 of %q was not signed by three people: %v", d["title"], gs)
		}
		published = append(published, out)
	}
	if len(published) != 7 {
		t.Fatalf("published %d stories, want the 7 that are not notices", len(published))
	}

	// The editor makes the third one the 头条: it is on the home page when
	// the call returns.
	lead := published[2]
	if strings.Contains(homeLead(t, s.base), lead["title"].(string)) {
		t.Fatalf("%q is the 头条 before it was placed", lead["title"])
	}
	code, placed := api(t, "PUT", s.base+"/api/admin/placement/home", tok["李编辑"], map[string]any{"stories": []any{lead["id"], published[0]["id"]}})
	if code != 200 || fmt.Sprint(placed["stories"]) != fmt.Sprint([]any{lead["id"], published[0]["id"]}) {
		t.Fatalf("placement: %d %v", code, placed)
	}
	if got := homeLead(t, s.base); !strings.Contains(got, lead["title"].(string)) {
		t.Fatalf("the home page's 头条 is not the placed story when the call returns:\n%s", got)
	}
	if code, _ := api(t, "PUT", s.base+"/api/admin/placement/home", tok["王记者"], map[string]any{"stories": []any{}}); code != http.StatusForbidden {
		t.Fatalf("a reporter changed the placement: %d", code)
	}
	_, audit := api(t, "GET", s.base+"/api/admin/audit?action=place", tok["admin"], nil)
	if entries, _ := audit["entries"].([]any); len(entries) != 1 || entries[0].(map[string]any)["user"] != "李编辑" {
		t.Fatalf("the placement is not in the audit log: %v", audit)
	}
	// The article shows its 责任编辑.
	if code, page := get(t, http.DefaultClient, s.base+lead["url"].(string)); code != 200 || !strings.Contains(page, "责任编辑：李编辑") {
		t.Fatalf("the article does not show its 责任编辑: %d", code)
	}

	// A second admin signs 一审 (for the editor) but not 二审 too.
	code, created := api(t, "POST", s.base+"/api/admin/stories", tok["王记者"], map[string]any{
		"title": "第二管理员代签测试", "section": "本地", "body": "本报讯 正文。"})
	if code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, created)
	}
	path := fmt.Sprintf("%s/api/admin/stories/%d", s.base, int(created["id"].(float64)))
	api(t, "POST", path+"/submit", tok["王记者"], nil)
	if code, out := api(t, "POST", path+"/approve", tok["钱管理"], nil); code != 200 {
		t.Fatalf("the second admin's 一审: %d %v", code, out)
	}
	if code, out := api(t, "POST", path+"/approve", tok["钱管理"], nil); code != http.StatusForbidden || !strings.Contains(fmt.Sprint(out["error"]), "两级") {
		t.Fatalf("the second admin signed two levels: %d %v", code, out)
	}
	// The setting allows 代签 in 本地: now the same admin signs 二审, marked.
	_, w := api(t, "GET", s.base+"/api/admin/workflow", tok["admin"], nil)
	w["proxy"] = []string{"本地"}
	if code, out := api(t, "PUT", s.base+"/api/admin/workflow", tok["admin"], w); code != 200 {
		t.Fatalf("allow 代签 in 本地: %d %v", code, out)
	}
	code, out := api(t, "POST", path+"/approve", tok["钱管理"], nil)
	if code != 200 {
		t.Fatalf("代签 of 二审: %d %v", code, out)
	}
	gs := out["signoffs"].([]any)
	if p := fmt.Sprint(gs[1].(map[string]any)["proxy"]); len(gs) != 2 || !strings.Contains(p, "代签") || !strings.Contains(p, "同一人已签一审") {
		t.Fatalf("the story's record does not say 代签: %v", gs)
	}
	_, audit = api(t, "GET", s.base+"/api/admin/audit?action=approve&user="+url.QueryEscape("钱管理"), tok["admin"], nil)
	entries, _ := audit["entries"].([]any)
	if len(entries) != 2 || !strings.Contains(fmt.Sprint(entries[0].(map[string]any)["detail"]), "代签") {
		t.Fatalf("the audit log does not say 代签: %v", entries)
	}
}
