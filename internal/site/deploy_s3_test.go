//go:build withdeploy

package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"gocloud.dev/blob"
	_ "gocloud.dev/blob/s3blob"
)

// s3Server starts versitygw, an S3-compatible server, with its posix
// back end (objects are files under a temporary folder), and returns the
// gocloud.dev URL of a new bucket on it. The binary is named by
// $NEWSROOM_VERSITYGW (.ci/run builds it from the Go module proxy:
// go install github.com/versity/versitygw/cmd/versitygw@v1.8.0); without
// it the test skips, and fails when CI is set.
func s3Server(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("NEWSROOM_VERSITYGW")
	if bin == "" {
		msg := "no S3 server: set NEWSROOM_VERSITYGW to a versitygw binary (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	const access, secret = "newsroom-test", "newsroom-test-secret"
	dir := t.TempDir()
	var logs bytes.Buffer
	cmd := exec.Command(bin, "--access", access, "--secret", secret, "--region", "us-east-1", "--port", addr, "posix", dir)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("versitygw:\n%s", logs.String())
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw does not answer on %s:\n%s", addr, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	endpoint := "http://" + addr
	client := s3.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(access, secret, "")},
		func(o *s3.Options) { o.BaseEndpoint, o.UsePathStyle = aws.String(endpoint), true })
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("site")}); err != nil {
		t.Fatalf("create bucket: %v\n%s", err, logs.String())
	}
	return "s3://site?region=us-east-1&use_path_style=true&endpoint=" + endpoint
}

// treeList lists the files of a tree, slash-separated.
func treeList(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	for rel := range treeFiles(t, dir) {
		files = append(files, rel)
	}
	slices.Sort(files)
	return files
}

// TestDeployToS3 deploys the site built with the newsroom's theme to a
// real S3-compatible server: every file with the Content-Type,
// Content-Encoding and Cache-Control of its kind; a second deploy uploads
// nothing; after a publish and a withdrawal, only the files they changed
// go up and the withdrawn page is deleted, and Deploy says which.
func TestDeployToS3(t *testing.T) {
	ctx := context.Background()
	bucketURL := s3Server(t)
	root := themeSite(t)
	start := time.Date(2023, 6, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for i := range 8 {
		columnStory(t, root, fmt.Sprintf("s%d", i), fmt.Sprintf("稿件%d", i), []string{"要闻", "本地"}[i%2], start.Add(time.Duration(i)*50*time.Hour))
	}
	now := start.AddDate(0, 1, 0)
	a := &Archive{Root: root, Data: filepath.Join(root, ".newsroom"), HotMin: 2, Now: func() time.Time { return now }}
	if _, err := a.BuildAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	changes, err := Deploy(ctx, a.Root, a.Current(), bucketURL)
	if err != nil {
		t.Fatal(err)
	}
	if want := treeList(t, a.Current()); !slices.Equal(changes.Uploaded, want) || len(changes.Deleted) > 0 {
		t.Fatalf("first deploy uploaded %d files, deleted %d; want the tree's %d:\n%v", len(changes.Uploaded), len(changes.Deleted), len(want), changes)
	}

	bucket, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		t.Fatal(err)
	}
	defer bucket.Close()
	var css, png string
	for _, rel := range changes.Uploaded {
		switch {
		case strings.HasPrefix(rel, "css/main.") && strings.HasSuffix(rel, ".css"):
			css = rel
		case strings.HasSuffix(rel, ".png"):
			png = rel
		}
	}
	if css == "" || png == "" {
		t.Fatalf("no fingerprinted stylesheet or PNG in the tree: %v", changes.Uploaded)
	}
	const short, immutable, hour = "public, max-age=60, no-transform, no-siteapp", "public, max-age=31536000, immutable, no-transform", "public, max-age=3600, no-transform"
	for _, c := range []struct{ key, contentType, encoding, cache string }{
		{"index.html", "text/html; charset=utf-8", "gzip", short},
		{"stories/2023/06/s0/index.html", "text/html; charset=utf-8", "gzip", short},
		{"index.xml", "application/rss+xml; charset=utf-8", "gzip", short},
		{"columns/要闻/index.xml", "application/rss+xml; charset=utf-8", "gzip", short},
		{"sitemap.xml", "application/xml; charset=utf-8", "gzip", short},
		{"robots.txt", "text/plain; charset=utf-8", "gzip", short},
		{css, "text/css; charset=utf-8", "gzip", immutable},
		{png, "image/png", "", hour},
	} {
		attrs, err := bucket.Attributes(ctx, c.key)
		if err != nil {
			t.Errorf("%s: %v", c.key, err)
			continue
		}
		if attrs.ContentType != c.contentType || attrs.ContentEncoding != c.encoding || attrs.CacheControl != c.cache {
			t.Errorf("%s: Content-Type %q, Content-Encoding %q, Cache-Control %q; want %q, %q, %q",
				c.key, attrs.ContentType, attrs.ContentEncoding, attrs.CacheControl, c.contentType, c.encoding, c.cache)
		}
		// The object is the file, gzip-compressed where it says so.
		stored, err := bucket.ReadAll(ctx, c.key)
		if err != nil {
			t.Fatal(err)
		}
		if c.encoding == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(stored))
			if err != nil {
				t.Fatalf("%s: not gzip: %v", c.key, err)
			}
			if stored, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if local, _ := os.ReadFile(filepath.Join(a.Current(), filepath.FromSlash(c.key))); !bytes.Equal(stored, local) {
			t.Errorf("%s in the bucket is not the tree's file", c.key)
		}
	}

	// Nothing changed: nothing goes up.
	before, err := bucket.Attributes(ctx, "stories/2023/06/s0/index.html")
	if err != nil {
		t.Fatal(err)
	}
	again, err := Deploy(ctx, a.Root, a.Current(), bucketURL)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Uploaded)+len(again.Deleted) > 0 {
		t.Fatalf("a deploy of an unchanged tree uploaded %v and deleted %v", again.Uploaded, again.Deleted)
	}

	// A publish and a withdrawal: their pages and the lists they change go
	// up, the withdrawn page goes, the other stories stay as they are.
	rel := columnStory(t, root, "fresh", "新发稿件", "要闻", now.Add(-time.Hour))
	if _, err := a.Publish(ctx, []string{rel}, nil); err != nil {
		t.Fatal(err)
	}
	gone := "stories/2023/06/s1.md"
	if err := os.Remove(filepath.Join(root, "content", gone)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Publish(ctx, nil, []string{gone}); err != nil {
		t.Fatal(err)
	}
	third, err := Deploy(ctx, a.Root, a.Current(), bucketURL)
	if err != nil {
		t.Fatal(err)
	}
	freshPage := "stories/" + now.Add(-time.Hour).Format("2006/01") + "/fresh/index.html"
	for _, want := range []string{freshPage, "index.html", "index.xml", "columns/要闻/index.xml"} {
		if !slices.Contains(third.Uploaded, want) {
			t.Errorf("%s not uploaded after the publish: %v", want, third.Uploaded)
		}
	}
	if !slices.Contains(third.Deleted, "stories/2023/06/s1/index.html") {
		t.Errorf("withdrawn page not deleted: %v", third.Deleted)
	}
	if slices.Contains(third.Uploaded, "stories/2023/06/s0/index.html") || slices.Contains(third.Uploaded, css) {
		t.Errorf("unchanged files uploaded again: %v", third.Uploaded)
	}
	if ok, _ := bucket.Exists(ctx, "stories/2023/06/s1/index.html"); ok {
		t.Error("withdrawn page still in the bucket")
	}
	after, err := bucket.Attributes(ctx, "stories/2023/06/s0/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !after.ModTime.Equal(before.ModTime) || after.ETag != before.ETag {
		t.Errorf("unchanged page rewritten: %v %s → %v %s", before.ModTime, before.ETag, after.ModTime, after.ETag)
	}
}
