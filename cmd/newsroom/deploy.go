package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"newsroom/internal/purge"
	"newsroom/internal/site"
)

// purgeFlags are the CDN purge settings of deploy and serve.
type purgeFlags struct {
	cmd, url *string
	batch    *int
	interval *time.Duration
}

func addPurgeFlags(fs *flag.FlagSet) purgeFlags {
	return purgeFlags{
		cmd:      fs.String("purge-cmd", "", "after a deploy, run this shell command with the changed URLs on its standard input, one a line (a CDN's purge)"),
		url:      fs.String("purge-url", "", "after a deploy, POST the changed URLs as JSON {\"urls\": [...]} to this webhook (a CDN's purge)"),
		batch:    fs.Int("purge-batch", purge.DefaultMax, "purge at most this many URLs at a time"),
		interval: fs.Duration("purge-interval", purge.DefaultInterval, "wait this long between two purges (CDNs limit purges per day: batch × a day / interval)"),
	}
}

// batcher returns the purge batcher the flags ask for, or nil.
func (f purgeFlags) batcher(deployTo string, log *slog.Logger) (*purge.Batcher, error) {
	var hook purge.Hook
	switch {
	case *f.cmd != "" && *f.url != "":
		return nil, errors.New("give --purge-cmd or --purge-url, not both")
	case *f.cmd != "":
		hook = purge.Command{Line: *f.cmd}
	case *f.url != "":
		if !strings.HasPrefix(*f.url, "http://") && !strings.HasPrefix(*f.url, "https://") {
			return nil, fmt.Errorf("--purge-url %q: want an http(s) URL", *f.url)
		}
		hook = purge.Webhook{URL: *f.url}
	default:
		return nil, nil
	}
	if deployTo == "" {
		return nil, errors.New("--purge-cmd and --purge-url purge what a deploy changed: give the bucket too")
	}
	if *f.batch < 1 || *f.interval < 0 {
		return nil, errors.New("--purge-batch must be at least 1 and --purge-interval not negative")
	}
	return &purge.Batcher{Hook: hook, Max: *f.batch, Interval: *f.interval, Log: log}, nil
}

func runDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("deploy", stderr)
	to := fs.String("to", "", "bucket URL: file:///srv/www, s3://bucket?region=…, gs://bucket, azblob://container")
	baseURL := fs.String("base-url", "", "the site's public address, for the URLs to purge (default: hugo.toml's baseURL)")
	pf := addPurgeFlags(fs)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("usage: newsroom deploy [--site DIR] --to BUCKET_URL [--purge-cmd CMD | --purge-url URL]")
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	purger, err := pf.batcher(*to, newLogger(stderr))
	if err != nil {
		return err
	}
	a := &site.Archive{Root: p.Root, Data: p.Data, BaseURL: *baseURL}
	if purger != nil {
		// Checked before the upload: a purge needs absolute URLs.
		if _, err := purge.URLs(a.PublicURL(), nil); err != nil {
			return fmt.Errorf("%w: give --base-url", err)
		}
	}
	tree := a.Current()
	if tree == "" {
		return errors.New("the site has not been built yet: run `newsroom build` first")
	}
	start := time.Now()
	changes, err := site.Deploy(ctx, p.Root, tree, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deployed %s to %s in %s: %d files uploaded, %d deleted\n", tree, *to, time.Since(start).Round(time.Millisecond), len(changes.Uploaded), len(changes.Deleted))
	if purger == nil {
		return nil
	}
	urls, err := purge.URLs(a.PublicURL(), append(changes.Uploaded, changes.Deleted...))
	if err != nil {
		return err
	}
	purger.Add(urls)
	if err := purger.Flush(ctx); err != nil {
		return fmt.Errorf("purge (%d URLs not purged): %w", purger.Pending(), err)
	}
	fmt.Fprintf(stdout, "purged %d URLs\n", len(urls))
	return nil
}

// deployer pushes the live tree to a bucket after publishes, in the
// background, one deploy at a time; publishes made while one runs share
// the next. What a deploy changed goes to the CDN's purge, if any.
type deployer struct {
	root, url string
	base      string // the site's public address, for the purge's URLs
	tree      func() string
	log       *slog.Logger
	purge     *purge.Batcher // nil: no purge
	kick      chan struct{}
}

func newDeployer(root, url, base string, tree func() string, purger *purge.Batcher, log *slog.Logger) *deployer {
	return &deployer{root: root, url: url, base: base, tree: tree, purge: purger, log: log, kick: make(chan struct{}, 1)}
}

// Request asks for a deploy soon.
func (d *deployer) Request([]string) {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run deploys on request until ctx ends.
func (d *deployer) Run(ctx context.Context) {
	if d.purge != nil {
		go d.purge.Run(ctx)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.kick:
		}
		start := time.Now()
		changes, err := site.Deploy(ctx, d.root, d.tree(), d.url)
		// Files uploaded before an error are in the bucket: purge them too.
		if d.purge != nil {
			urls, uerr := purge.URLs(d.base, append(changes.Uploaded, changes.Deleted...))
			if uerr != nil {
				d.log.Error("purge", "err", uerr)
			} else {
				d.purge.Add(urls)
			}
		}
		if err != nil {
			d.log.Error("deploy failed", "to", d.url, "err", err)
			continue
		}
		d.log.Info("deployed", "to", d.url, "uploaded", len(changes.Uploaded), "deleted", len(changes.Deleted), "took", time.Since(start).Round(time.Millisecond))
	}
}
