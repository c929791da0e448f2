package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneWriterPerSite runs serve and checks that the commands that would
// write its live tree are refused with a clear message, that the server
// goes on publishing into the tree it serves, and that the build folders
// are readable by other users.
func TestOneWriterPerSite(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	site := copySite(t)
	s := startServer(t, site)
	page := filepath.Join(t.TempDir(), "2023-06-09_01_要闻.txt")
	os.WriteFile(page, []byte("本报讯 一篇导入测试稿件的正文。"), 0o644)
	for _, args := range [][]string{
		{"build", "--site", site},
		{"build", "--monolithic", "--site", site},
		{"index", "--site", site},
		{"import", "--site", site, "--publish", page},
		{"serve", "--site", site, "--addr", "127.0.0.1:0"},
	} {
		var out strings.Builder
		err := run(t.Context(), args, strings.NewReader(""), &out, &out)
		if err == nil || !strings.Contains(err.Error(), "refused") || !strings.Contains(err.Error(), "`newsroom serve`, process") {
			t.Errorf("newsroom %s while serve runs: %v, want refused naming serve", strings.Join(args, " "), err)
		}
	}
	live, err := filepath.EvalSymlinks(filepath.Join(site, ".newsroom", "public"))
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(live); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("live build folder %s: mode %v %v, want 0755", live, fi.Mode().Perm(), err)
	}
	// Drafts only go through the database, which serve shares.
	cli(t, "", "import", "--site", site, page)

	token := lastLine(cli(t, "", "token", "create", "--site", site, "admin"))
	_, u := publishStory(t, s.base, site, token, "单一写入测试稿件", "服务运行时拒绝第二个写入进程之后发布的稿件。")
	if code, body := get(t, http.DefaultClient, s.base+u); code != 200 || !strings.Contains(body, "单一写入测试稿件") {
		t.Errorf("publish after the refused writers: %s answers %d", u, code)
	}
	if now, _ := filepath.EvalSymlinks(filepath.Join(site, ".newsroom", "public")); now != live {
		t.Errorf("the live tree moved from %s to %s", live, now)
	}
}
