//go:build withdeploy

package site

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deploy"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/spf13/afero"
)

// Deploy copies the built tree to object storage with Hugo's deploy
// package: a gocloud.dev bucket URL (file:///srv/www, s3://bucket?region=…,
// gs://bucket, azblob://container). Only files whose content differs from
// the bucket's copy are uploaded, and files the tree no longer has are
// deleted, so a CDN in front of the bucket serves what the tree serves.
func Deploy(ctx context.Context, root, tree, bucketURL string) error {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	if tree == "" {
		return ErrNoLiveTree
	}
	flags := config.New()
	flags.Set("workingDir", absRoot)
	flags.Set("deployment", map[string]any{
		"target":  "newsroom",
		"targets": []map[string]any{{"name": "newsroom", "url": bucketURL}},
		// Pages change on every publish; fingerprinted assets never do.
		"matchers": []map[string]any{
			{"pattern": `^.+\.(css|js|svg|png|jpg|jpeg|webp|woff2)$`, "cacheControl": "max-age=31536000, no-transform, public", "gzip": true},
			{"pattern": `^.+\.(html|xml|txt|json)$`, "cacheControl": "max-age=60, no-transform, public", "gzip": true},
		},
	})
	// Hugo's deployer reports its progress on standard output itself.
	logger := loggers.New(loggers.Options{Level: logg.LevelWarn})
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags: flags, Fs: hugofs.Os, Filename: filepath.Join(absRoot, "hugo.toml"), Environment: "production", Logger: logger,
	})
	if err != nil {
		return fmt.Errorf("load hugo.toml: %w", err)
	}
	d, err := deploy.New(configs.GetFirstLanguageConfig(), logger, afero.NewBasePathFs(afero.NewOsFs(), tree))
	if err != nil {
		return fmt.Errorf("deploy: %w", err)
	}
	if err := d.Deploy(ctx); err != nil {
		return fmt.Errorf("deploy to %s: %w", bucketURL, err)
	}
	return nil
}
