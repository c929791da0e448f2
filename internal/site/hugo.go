// This file and deploy.go are the only ones that import Hugo: Hugo has no
// stable library API, so every use of it stays here and no Hugo type
// leaves them.

package site

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
)

// Stats describes one finished build.
type Stats struct {
	Pages    int           // pages rendered (all kinds, all sites)
	Duration time.Duration // wall time of the build
}

// buildHugo renders the Hugo site rooted at root into outDir, which must not
// exist yet or be empty. Extra settings override hugo.toml.
func buildHugo(ctx context.Context, root, outDir string, extra map[string]any, logOut io.Writer) (Stats, error) {
	absOut, err := filepath.Abs(outDir)
	if err != nil {
		return Stats{}, fmt.Errorf("output dir: %w", err)
	}
	st, err := renderHugo(ctx, root, hugofs.Os, hugofs.Os, absOut, extra, logOut)
	if err != nil {
		return Stats{}, err
	}
	if _, err := os.Stat(absOut); err != nil {
		return Stats{}, fmt.Errorf("hugo wrote no output: %w", err)
	}
	return st, nil
}

// renderHugo renders the Hugo site rooted at root, read from source (the
// disk, or for parts of the archive the disk under an in-memory layer that
// holds the part's staged content), into dest (the disk, or a memory file
// system for parts, which are copied into the live tree file by file
// anyway) below publishDir.
func renderHugo(ctx context.Context, root string, source, dest afero.Fs, absOut string, extra map[string]any, logOut io.Writer) (Stats, error) {
	start := time.Now()
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return Stats{}, fmt.Errorf("site root: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	flags := config.New()
	flags.Set("workingDir", absRoot)
	flags.Set("publishDir", absOut)
	flags.Set("environment", "production")
	flags.Set("cacheDir", filepath.Join(absRoot, ".newsroom", "cache"))
	// Hugo's lock file would serialise every build of this root; this
	// package already decides which builds may run together (parts of the
	// archive render into separate folders at the same time).
	flags.Set("noBuildLock", true)
	for k, v := range extra {
		flags.Set(k, v)
	}
	if logOut == nil {
		logOut = io.Discard
	}
	logger := loggers.New(loggers.Options{Level: logg.LevelWarn, StdOut: logOut, StdErr: logOut})
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags:       flags,
		Fs:          source,
		Filename:    filepath.Join(absRoot, "hugo.toml"),
		Environment: "production",
		Logger:      logger,
	})
	if err != nil {
		return Stats{}, fmt.Errorf("load hugo.toml: %w", err)
	}
	flags.Set("publishDirStatic", absOut)
	flags.Set("publishDirDynamic", absOut)
	fs := hugofs.NewFromSourceAndDestination(source, dest, flags)
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs:  configs,
		Fs:       fs,
		LogLevel: logg.LevelWarn,
		StdOut:   logOut,
		StdErr:   logOut,
	})
	if err != nil {
		return Stats{}, fmt.Errorf("prepare hugo: %w", err)
	}
	defer sites.Close()
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		return Stats{}, fmt.Errorf("hugo build: %w", err)
	}
	pages := 0
	for _, s := range sites.Sites {
		pages += len(s.Pages())
	}
	return Stats{Pages: pages, Duration: time.Since(start)}, nil
}
