//go:build withdeploy

package site

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"time"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deploy"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/spf13/afero"
	"gocloud.dev/blob"
)

// Deploy copies the built tree to object storage with Hugo's deploy
// package: a gocloud.dev bucket URL (file:///srv/www, s3://bucket?region=…,
// gs://bucket, azblob://container). Only files whose content differs from
// the bucket's copy are uploaded, and files the tree no longer has are
// deleted, so a CDN in front of the bucket serves what the tree serves.
// Each object gets the headers internal/web sends for its file (see
// deployMatchers). It returns what it changed, for the CDN's purge. Hugo's
// deployer reports its progress on standard output itself.
func Deploy(ctx context.Context, root, tree, bucketURL string) (DeployChanges, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return DeployChanges{}, err
	}
	if tree == "" {
		return DeployChanges{}, ErrNoLiveTree
	}
	flags := config.New()
	flags.Set("workingDir", absRoot)
	flags.Set("deployment", map[string]any{
		"target":   "newsroom",
		"targets":  []map[string]any{{"name": "newsroom", "url": bucketURL}},
		"matchers": deployMatchers(),
	})
	// Hugo's deployer tells nobody which files it changed (it logs them to
	// its own standard output), so the bucket is listed before and after.
	before, err := listBucket(ctx, bucketURL)
	if err != nil {
		return DeployChanges{}, err
	}
	logger := loggers.New(loggers.Options{Level: logg.LevelWarn})
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags: flags, Fs: hugofs.Os, Filename: filepath.Join(absRoot, "hugo.toml"), Environment: "production", Logger: logger,
	})
	if err != nil {
		return DeployChanges{}, fmt.Errorf("load hugo.toml: %w", err)
	}
	d, err := deploy.New(configs.GetFirstLanguageConfig(), logger, afero.NewBasePathFs(afero.NewOsFs(), tree))
	if err != nil {
		return DeployChanges{}, fmt.Errorf("deploy: %w", err)
	}
	derr := d.Deploy(ctx)
	// Also after a failed deploy: what it uploaded is in the bucket.
	after, err := listBucket(ctx, bucketURL)
	if err != nil {
		return DeployChanges{}, errors.Join(derr, err)
	}
	var changes DeployChanges
	for key, sig := range after {
		if old, ok := before[key]; !ok || old != sig {
			changes.Uploaded = append(changes.Uploaded, key)
		}
	}
	for key := range before {
		if _, ok := after[key]; !ok {
			changes.Deleted = append(changes.Deleted, key)
		}
	}
	sort.Strings(changes.Uploaded)
	sort.Strings(changes.Deleted)
	if derr != nil {
		return changes, fmt.Errorf("deploy to %s: %w", bucketURL, derr)
	}
	return changes, nil
}

// objectSig is what a bucket's listing says of an object's version: an
// upload changes its time (and, where the bucket gives one, its MD5).
type objectSig struct {
	size int64
	mod  time.Time
	md5  string
}

// listBucket lists a bucket's objects.
func listBucket(ctx context.Context, bucketURL string) (map[string]objectSig, error) {
	b, err := blob.OpenBucket(ctx, bucketURL)
	if err != nil {
		return nil, fmt.Errorf("open bucket %s: %w", bucketURL, err)
	}
	defer b.Close()
	objects := map[string]objectSig{}
	it := b.List(nil)
	for {
		obj, err := it.Next(ctx)
		if err == io.EOF {
			return objects, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list bucket %s: %w", bucketURL, err)
		}
		objects[obj.Key] = objectSig{obj.Size, obj.ModTime, string(obj.MD5)}
	}
}

// Cache lifetimes, as internal/web sends them: pages and feeds change with
// every publish; fingerprinted assets (main.<hash>.css) never do.
const (
	cacheShort     = "public, max-age=60, no-transform, no-siteapp"
	cacheImmutable = "public, max-age=31536000, immutable, no-transform"
	cacheOther     = "public, max-age=3600, no-transform"
)

// contentTypes are the Content-Types of text files, with their charset
// (a bucket does not guess one, and the machine's mime table varies).
var contentTypes = map[string]string{
	"html": "text/html; charset=utf-8",
	"xml":  "application/xml; charset=utf-8",
	"txt":  "text/plain; charset=utf-8",
	"css":  "text/css; charset=utf-8",
	"js":   "text/javascript; charset=utf-8",
	"json": "application/json",
	"svg":  "image/svg+xml",
}

// deployMatchers are the headers of each kind of file in the bucket
// (Hugo's deployment matchers; the first that matches a path applies):
// Content-Type with its charset (RSS feeds, every index.xml, as
// application/rss+xml), Cache-Control as internal/web sends it, and text
// stored gzip-compressed (Content-Encoding: gzip), which CDNs pass on to
// browsers or decode for the rare client that does not accept it. Other
// files (images, PDFs) are stored as they are, typed by their extension.
func deployMatchers() []map[string]any {
	// A fingerprinted or minified file name: name.<hash of 32+>.ext, x.min.js.
	const fixed = `(\.[^./]{32,}|\.min)\.`
	var ms []map[string]any
	add := func(pattern, contentType, cache string, gzip bool) {
		m := map[string]any{"pattern": pattern, "cacheControl": cache, "gzip": gzip}
		if contentType != "" {
			m["contentType"] = contentType
		}
		ms = append(ms, m)
	}
	add(`(^|/)index\.xml$`, "application/rss+xml; charset=utf-8", cacheShort, true)
	for _, ext := range []string{"html", "xml", "txt"} {
		add(`\.`+ext+`$`, contentTypes[ext], cacheShort, true)
	}
	for _, ext := range []string{"css", "js", "json", "svg"} {
		add(fixed+ext+`$`, contentTypes[ext], cacheImmutable, true)
		add(`\.`+ext+`$`, contentTypes[ext], cacheOther, true)
	}
	add(fixed+`[^./]+$`, "", cacheImmutable, false)
	add(`.`, "", cacheOther, false)
	return ms
}
