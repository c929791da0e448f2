//go:build withdeploy

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDeployPurgesWhatChanged deploys the built demo site to a bucket (a
// folder) with a purge command: the command gets the URLs of every file
// uploaded, on the public address, in batches of at most --purge-batch;
// a second deploy changes nothing and purges nothing.
func TestDeployPurgesWhatChanged(t *testing.T) {
	site := copySite(t)
	cli(t, "", "build", "--site", site)
	bucket := t.TempDir()
	purged := filepath.Join(t.TempDir(), "purged")
	deploy := func() string {
		return cli(t, "", "deploy", "--site", site, "--to", "file://"+bucket, "--base-url", "https://www.example.cn/",
			"--purge-cmd", "{ cat; echo ---; } >> '"+purged+"'", "--purge-batch", "40", "--purge-interval", "1ms")
	}
	out := deploy()
	data, err := os.ReadFile(purged)
	if err != nil {
		t.Fatalf("purge command not run: %v\n%s", err, out)
	}
	batches := strings.Split(strings.TrimSuffix(string(data), "---\n"), "---\n")
	var urls []string
	for _, b := range batches {
		lines := strings.Fields(b)
		if len(lines) == 0 || len(lines) > 40 {
			t.Errorf("a batch of %d URLs, want 1 to 40", len(lines))
		}
		urls = append(urls, lines...)
	}
	if len(batches) < 2 {
		t.Errorf("%d URLs in %d batch(es): want batches of at most 40", len(urls), len(batches))
	}
	all := "\n" + strings.Join(urls, "\n") + "\n"
	for _, want := range []string{"https://www.example.cn/", "https://www.example.cn/stories/2023/06/gaokao-shouri/", "https://www.example.cn/index.xml"} {
		if !strings.Contains(all, "\n"+want+"\n") {
			t.Errorf("%s not purged:%s", want, all)
		}
	}
	if strings.Contains(all, "index.html") {
		t.Errorf("a page purged by its file name, not its URL:%s", all)
	}
	if _, err := os.Stat(filepath.Join(bucket, "stories", "2023", "06", "gaokao-shouri", "index.html")); err != nil {
		t.Fatalf("story not in the bucket: %v", err)
	}
	// The e-paper page's PDF is a file of the bucket like its image.
	want, _ := os.ReadFile(filepath.Join(site, "epaper", "2023-06-08", "01.pdf"))
	if got, err := os.ReadFile(filepath.Join(bucket, "edition", "2023-06-08", "01", "page.pdf")); err != nil || len(want) == 0 || !bytes.Equal(got, want) {
		t.Fatalf("page.pdf in the bucket: %d bytes, %v (want the uploaded %d bytes)", len(got), err, len(want))
	}

	os.Remove(purged)
	if out := deploy(); !strings.Contains(out, "0 files uploaded, 0 deleted") {
		t.Errorf("second deploy: %s", out)
	}
	if _, err := os.Stat(purged); err == nil {
		t.Error("a deploy that changed nothing purged something")
	}
}

// TestServeDeploysAndPurgesAfterPublish publishes a story on a server
// started with --deploy-to and --purge-cmd: the story reaches the bucket,
// and its URL, on the public address, the purge command.
func TestServeDeploysAndPurgesAfterPublish(t *testing.T) {
	site := copySite(t)
	bucket := t.TempDir()
	purged := filepath.Join(t.TempDir(), "purged")
	s := startServerWith(t, site, true, "--deploy-to", "file://"+bucket, "--base-url", "https://www.example.cn/",
		"--purge-cmd", "cat >> '"+purged+"'", "--purge-interval", "1ms")
	token := lastLine(cli(t, "", "token", "create", "--site", site, "admin"))
	_, url := publishStory(t, s.base, site, token, "部署测试稿件", "这篇稿件发布后上传到存储桶，并通知内容分发网络刷新。")
	page := filepath.Join(bucket, filepath.FromSlash(strings.Trim(url, "/")), "index.html")
	want := "https://www.example.cn" + url
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		data, _ := os.ReadFile(purged)
		_, err := os.Stat(page)
		if err == nil && strings.Contains("\n"+string(data), "\n"+want+"\n") {
			if !strings.Contains(string(data), "https://www.example.cn/\n") {
				t.Errorf("home page not purged:\n%s", data)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 90 s: story page in the bucket: %v; purged:\n%s", err, data)
		}
	}
}
