package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"newsroom/internal/site"
)

func runDeploy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("deploy", stderr)
	to := fs.String("to", "", "bucket URL: file:///srv/www, s3://bucket?region=…, gs://bucket, azblob://container")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("usage: newsroom deploy [--site DIR] --to BUCKET_URL")
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	a := &site.Archive{Root: p.Root, Data: p.Data}
	tree := a.Current()
	if tree == "" {
		return errors.New("the site has not been built yet: run `newsroom build` first")
	}
	start := time.Now()
	if err := site.Deploy(ctx, p.Root, tree, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deployed %s to %s in %s\n", tree, *to, time.Since(start).Round(time.Millisecond))
	return nil
}

// deployer pushes the live tree to a bucket after publishes, in the
// background, one deploy at a time; publishes made while one runs share
// the next.
type deployer struct {
	root, url string
	tree      func() string
	log       *slog.Logger
	kick      chan struct{}
}

func newDeployer(root, url string, tree func() string, log *slog.Logger) *deployer {
	return &deployer{root: root, url: url, tree: tree, log: log, kick: make(chan struct{}, 1)}
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
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.kick:
		}
		start := time.Now()
		if err := site.Deploy(ctx, d.root, d.tree(), d.url); err != nil {
			d.log.Error("deploy failed", "to", d.url, "err", err)
			continue
		}
		d.log.Info("deployed", "to", d.url, "took", time.Since(start).Round(time.Millisecond))
	}
}
