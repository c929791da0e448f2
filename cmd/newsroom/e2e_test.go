package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// copySite copies the repository's site (config, content, theme, static
// files, e-paper pages) to a temporary folder, so the test never touches the real one.
func copySite(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, name := range []string{"hugo.toml", "content", "themes", "static", "epaper"} {
		if err := copyTree(filepath.Join("..", "..", name), filepath.Join(dst, name)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	return dst
}

// copyTree copies the file or folder src to dst.
func copyTree(src, dst string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return os.CopyFS(dst, os.DirFS(src))
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// lastLine is the last non-empty line of s, trimmed.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// server is a running `newsroom serve` in this process.
type server struct {
	base, adminPassword string
}

func startServer(t *testing.T, site string) *server {
	t.Helper()
	return startServerOn(t, site, true)
}

// startServerOn starts serve on site; a fresh site prints the admin's
// one-time password (newPassword), one with users does not.
func startServerOn(t *testing.T, site string, newPassword bool) *server {
	t.Helper()
	return startServerWith(t, site, newPassword)
}

// startServerWith is startServerOn with more flags for serve.
func startServerWith(t *testing.T, site string, newPassword bool, flags ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--site", site, "--addr", "127.0.0.1:0"}, flags...), nil, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("server did not stop")
		}
	})
	s := &server{}
	lines := bufio.NewScanner(pr)
	addrRE := regexp.MustCompile(`serving (http://\S+?)/ `)
	pwRE := regexp.MustCompile(`one-time password: (\S+)`)
	for s.base == "" && lines.Scan() {
		if m := pwRE.FindStringSubmatch(lines.Text()); m != nil {
			s.adminPassword = m[1]
		}
		if m := addrRE.FindStringSubmatch(lines.Text()); m != nil {
			s.base = m[1]
		}
	}
	go io.Copy(io.Discard, pr)
	if s.base == "" || newPassword && s.adminPassword == "" {
		t.Fatalf("server did not print its address and the admin password")
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server not ready within 60 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// api calls the admin API with a token and decodes the JSON answer.
func api(t *testing.T, method, u, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v", method, u, err)
	}
	return resp.StatusCode, out
}

type searchAnswer struct {
	Total int `json:"total"`
	Hits  []struct {
		URL, Title, Snippet, Date, Section, Kind string
	} `json:"hits"`
}

func searchAPI(t *testing.T, base, q string) searchAnswer {
	t.Helper()
	code, body := get(t, http.DefaultClient, base+"/api/search?q="+url.QueryEscape(q))
	if code != 200 {
		t.Fatalf("search %q: %d %s", q, code, body)
	}
	var a searchAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func cli(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb); err != nil {
		t.Fatalf("newsroom %v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

// TestEndToEnd runs the newspaper on a copy of the demo site, files a
// story as a reporter, publishes it as an editor through the API, and
// finds it on the site and in search without a restart.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	site := copySite(t)
	s := startServer(t, site)

	code, home := get(t, http.DefaultClient, s.base+"/")
	if code != 200 || !strings.Contains(home, "吕梁日报") {
		t.Fatalf("home: %d", code)
	}
	// The pages' Content-Security-Policy forbids inline scripts: every
	// script the theme runs must come from a file (JSON-LD is data).
	_, notice := get(t, http.DefaultClient, s.base+"/notices/2023/06/yingshang-huanjing-jiandu-zhuanxian/")
	for _, page := range []string{home, notice} {
		for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1) {
			if !strings.Contains(tag, " src=") && !strings.Contains(tag, "application/ld+json") {
				t.Errorf("inline script %s would be blocked by the CSP", tag)
			}
		}
	}
	if !regexp.MustCompile(`<script src="/js/site\.[.a-z0-9]+\.js"`).MatchString(notice) {
		t.Errorf("notice page does not load the site's script")
	}
	// A column page built in parts lists the hot stories and links the
	// column's whole archive: a search filtered by the column, newest first.
	_, column := get(t, http.DefaultClient, s.base+"/columns/"+url.PathEscape("教育")+"/")
	more := regexp.MustCompile(`<p class="list-more"><a href="([^"]+)">`).FindStringSubmatch(column)
	if more == nil || !strings.Contains(column, "近期") {
		t.Fatalf("column page has no link to its archive:\n%s", column)
	}
	code, archive := get(t, http.DefaultClient, s.base+html.UnescapeString(more[1]))
	if code != 200 || !strings.Contains(archive, "/stories/2023/06/gaokao-shouri/") || strings.Contains(archive, "/stories/2023/06/yijianshi-yicibang/") {
		t.Fatalf("column archive %s: %d, want the 教育 stories only:\n%s", more[1], code, archive)
	}
	gaokao := searchAPI(t, s.base, "高考")
	urls := map[string]bool{}
	for _, h := range gaokao.Hits {
		urls[h.URL] = true
	}
	if !urls["/stories/2023/06/gaokao-shouri/"] || !urls["/stories/2023/06/zhangguangyong-xunshi-gaokao/"] {
		t.Fatalf("高考 must find both 高考 stories, got %+v", gaokao.Hits)
	}

	cli(t, "reporter-password-1\n", "user", "add", "--site", site, "--role", "reporter", "王记者")
	cli(t, "editor-password-12\n", "user", "add", "--site", site, "--role", "editor", "李编辑")
	cli(t, "director-password-1\n", "user", "add", "--site", site, "--role", "director", "赵主任")
	cli(t, "chief-password-123\n", "user", "add", "--site", site, "--role", "chief", "孙总编")
	reporter := lastLine(cli(t, "", "token", "create", "--site", site, "王记者"))
	editor := lastLine(cli(t, "", "token", "create", "--site", site, "李编辑"))
	director := lastLine(cli(t, "", "token", "create", "--site", site, "赵主任"))
	chief := lastLine(cli(t, "", "token", "create", "--site", site, "孙总编"))

	story := map[string]any{
		"kicker": "端到端测试", "title": "吕梁城区新建口袋公园投入使用", "subtitle": "市民家门口多了休闲好去处",
		"authors": []string{"记者 王记者"}, "source": "本报讯", "section": "本地", "tags": []string{"城市建设"},
		"body": "本报讯 近日，位于离石区的十二座口袋公园全部建成开放。\n\n公园内设有健身步道和儿童游乐设施，方便周边居民休闲。",
	}
	code, created := api(t, "POST", s.base+"/api/admin/stories", reporter, story)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, created)
	}
	id := int(created["id"].(float64))
	storyURL := fmt.Sprintf("%s/api/admin/stories/%d", s.base, id)

	if code, body := api(t, "POST", storyURL+"/publish", reporter, nil); code != http.StatusForbidden {
		t.Fatalf("a reporter must not publish: %d %v", code, body)
	}
	if code, body := api(t, "PUT", storyURL, reporter, map[string]any{"title": "", "version": 1}); code != http.StatusBadRequest || body["fields"] == nil {
		t.Fatalf("empty title must be refused per field: %d %v", code, body)
	}
	if code, body := api(t, "PUT", storyURL, reporter, map[string]any{"subtitle": "市民家门口多了休闲好去处（修订）", "version": 1}); code != 200 || body["version"].(float64) != 2 {
		t.Fatalf("edit: %d %v", code, body)
	}
	if code, body := api(t, "PUT", storyURL, reporter, map[string]any{"subtitle": "基于旧版本", "version": 1}); code != http.StatusConflict || body["current"] == nil {
		t.Fatalf("a stale edit must answer 409 with the current story: %d %v", code, body)
	}
	if code, body := api(t, "POST", storyURL+"/submit", reporter, nil); code != 200 || body["state"] != "submitted" {
		t.Fatalf("submit: %d %v", code, body)
	}
	// 三审: the editor, the desk director and the duty chief editor sign
	// off in turn; only then may the chief publish (签发).
	if code, body := api(t, "POST", storyURL+"/publish", editor, nil); code != http.StatusForbidden {
		t.Fatalf("an editor must not publish under 三审: %d %v", code, body)
	}
	for i, tok := range []string{editor, director, chief} {
		code, body := api(t, "POST", storyURL+"/approve", tok, nil)
		if code != 200 || len(body["signoffs"].([]any)) != i+1 {
			t.Fatalf("approve level %d: %d %v", i+1, code, body)
		}
	}
	code, published := api(t, "POST", storyURL+"/publish", chief, nil)
	if code != 200 || published["state"] != "published" {
		t.Fatalf("publish: %d %v", code, published)
	}
	pageURL, _ := published["url"].(string)
	if !strings.HasPrefix(pageURL, "/stories/") {
		t.Fatalf("published story has no public url: %v", published)
	}

	// Live and searchable as soon as publish returns, without a restart.
	code, page := get(t, http.DefaultClient, s.base+pageURL)
	if code != 200 || !strings.Contains(page, "吕梁城区新建口袋公园投入使用") || !strings.Contains(page, "十二座口袋公园") {
		t.Fatalf("story page: %d", code)
	}
	if _, home := get(t, http.DefaultClient, s.base+"/"); !strings.Contains(home, "吕梁城区新建口袋公园投入使用") {
		t.Fatal("published story not on the home page")
	}
	found := searchAPI(t, s.base, "口袋公园")
	if found.Total != 1 || found.Hits[0].URL != pageURL || !strings.Contains(found.Hits[0].Snippet, "<mark>") {
		t.Fatalf("search after publish: %+v", found)
	}
	if code, body := get(t, http.DefaultClient, s.base+"/search/?q="+url.QueryEscape("口袋公园")); code != 200 || !strings.Contains(body, pageURL) || !strings.Contains(body, "site-footer") {
		t.Fatalf("search page: %d", code)
	}

	// Withdrawing takes it out of search and every list; the page stays
	// and says it was withdrawn, with the reason.
	if code, body := api(t, "POST", storyURL+"/withdraw", chief, map[string]string{"reason": "测试撤稿"}); code != 200 || body["state"] != "withdrawn" {
		t.Fatalf("withdraw: %d %v", code, body)
	}
	if code, page := get(t, http.DefaultClient, s.base+pageURL); code != 200 || !strings.Contains(page, "本稿已撤回") || !strings.Contains(page, "测试撤稿") || strings.Contains(page, "十二座口袋公园") {
		t.Fatalf("withdrawn page answers %d without the withdrawal note, or still with the text", code)
	}
	if _, home := get(t, http.DefaultClient, s.base+"/"); strings.Contains(home, "吕梁城区新建口袋公园投入使用") {
		t.Fatal("withdrawn story still on the home page")
	}
	if n := searchAPI(t, s.base, "口袋公园").Total; n != 0 {
		t.Fatalf("withdrawn story still found %d times", n)
	}
}

// TestAdminLoginAndCSRF logs in through the admin form and checks that a
// cross-site form post is refused.
func TestAdminLoginAndCSRF(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	site := copySite(t)
	s := startServer(t, site)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}

	resp, err := c.PostForm(s.base+"/admin/login", url.Values{"name": {"admin"}, "password": {"wrong password"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "用户名或密码错误") {
		t.Fatalf("bad login: %d", resp.StatusCode)
	}
	resp, err = c.PostForm(s.base+"/admin/login", url.Values{"name": {"admin"}, "password": {s.adminPassword}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	// The printed password is a one-time password: the first login asks
	// for the admin's own before anything else.
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/admin/password" || !strings.Contains(string(body), "请先设置您自己的密码") {
		t.Fatalf("first login: %d %s", resp.StatusCode, resp.Request.URL)
	}
	resp, err = c.PostForm(s.base+"/admin/password", url.Values{"current": {s.adminPassword}, "new": {"管理员自己的密码 lamp"}, "confirm": {"管理员自己的密码 lamp"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "工作台") {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	for _, ck := range jar.Cookies(resp.Request.URL) {
		if ck.Name == "newsroom_session" && len(ck.Value) < 40 {
			t.Fatal("session id too short")
		}
	}
	// A form posted from another site is refused.
	req, _ := http.NewRequest("POST", s.base+"/admin/stories", strings.NewReader("title=跨站"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site post answered %d", resp.StatusCode)
	}
	// The same form from the admin itself creates a draft.
	resp, err = c.PostForm(s.base+"/admin/stories", url.Values{"title": {"表单创建的草稿"}, "body": {"正文"}, "kind": {"story"}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "表单创建的草稿") || !strings.Contains(string(body), "草稿") {
		t.Fatalf("create by form: %d", resp.StatusCode)
	}
}

// TestServeFindsFilesAddedWhileDown indexes the demo site, adds a content
// file as if copied in while the server was down, and starts the server:
// the index check that runs once the server is ready finds the count
// short and rebuilds, and search then finds the new story.
func TestServeFindsFilesAddedWhileDown(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	site := copySite(t)
	cli(t, "", "index", "--site", site)
	story := "---\ntitle: \"离石区新建十二座口袋公园\"\ndate: 2023-06-09T08:00:00+08:00\ncolumns: [\"本地\"]\n---\n\n十二座口袋公园本月全部建成开放。\n"
	if err := os.WriteFile(filepath.Join(site, "content", "stories", "2023", "06", "koudai-gongyuan.md"), []byte(story), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, site)
	deadline := time.Now().Add(60 * time.Second)
	for {
		a := searchAPI(t, s.base, "口袋公园")
		if a.Total == 1 && a.Hits[0].URL == "/stories/2023/06/koudai-gongyuan/" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the story added while the server was down is not found: %+v", a)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if a := searchAPI(t, s.base, "高考"); a.Total < 2 {
		t.Fatalf("the rebuilt index lost the archive: %+v", a)
	}
}
