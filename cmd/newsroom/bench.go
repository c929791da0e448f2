package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"newsroom/internal/bench"
)

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("bench", stderr)
	n := fs.Int("stories", 10000, "size of the generated archive")
	publishes := fs.Int("publishes", 20, "publishes to time on the partitioned site")
	basePublishes := fs.Int("baseline-publishes", 3, "publishes to time on the monolithic baseline (each rebuilds everything)")
	skipBaseline := fs.Bool("skip-baseline", false, "do not measure the monolithic baseline")
	skipRebuild := fs.Bool("skip-rebuild", false, "do not measure a rebuild of the live site (two more builds and a minute's wait)")
	keep := fs.Bool("keep", false, "keep the generated site folder")
	photos := fs.Int("photos", 0, "generate this many distinct pictures, give every story one as its lead photo, and file each timed story with an uploaded photo; 0: no photos")
	years := fs.Int("years", 20, "years the generated archive spans (with --stories, its density: 1,000,000 over 20 years is 137 a day)")
	serverLogFile := fs.String("server-log", "", "write the log of the server that the publishes are timed on to this file")
	end := fs.String("end", "now", "date of the generated archive's newest story (YYYY-MM-DD, or now: as a live paper's, so the hot part and the news sitemap hold what they would)")
	every := fs.Duration("every", 0, "publish at random intervals of this mean (e.g. 60s), so that some publishes meet the month re-renders and rollovers that follow a pause, as in a newsroom; 0: one right after the other")
	reuse := fs.String("reuse", "", "a site folder kept by an earlier bench (--keep): measure only start-up and publishes on it")
	load := fs.Duration("load", 0, "instead: run readers, searchers and publishing editors against the server at --base for this long, with a login flood")
	base := fs.String("base", "http://127.0.0.1:8080", "with --load: the running server (loopback only)")
	token := fs.String("token", "", "with --load: an API token of a user who may publish")
	signers := fs.String("signers", "", "with --load: API tokens of one reviewer per level of the 本地 section's chain (一审,二审,三审), comma separated; empty: --token signs every level, which needs 代签 allowed in 本地")
	readers := fs.Int("readers", 20, "with --load: concurrent readers")
	searchers := fs.Int("searchers", 10, "with --load: concurrent searchers")
	editors := fs.Int("editors", 2, "with --load: concurrent editors publishing")
	flood := fs.Int("login-flood", 200, "with --load: wrong logins sent in the flood, 32 at once")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *load > 0 {
		var signerTokens []string
		if *signers != "" {
			signerTokens = strings.Split(*signers, ",")
		}
		o := bench.LoadOptions{Base: *base, Token: *token, Signers: signerTokens, Duration: *load, Readers: *readers, Searchers: *searchers,
			Editors: *editors, LoginFlood: *flood, FloodConcurrency: 32,
			Pages: []string{"/", "/stories/", "/search/", "/notices/"}}
		r, err := bench.Load(ctx, o)
		if err != nil {
			return err
		}
		r.Write(stdout, o)
		if len(r.Errors) > 0 || len(r.LostEdits) > 0 {
			return fmt.Errorf("load: %d errors, %d lost edits", len(r.Errors), len(r.LostEdits))
		}
		return nil
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	o := bench.Options{Self: self, Stories: *n, Years: *years, End: *end, Publishes: *publishes, BaselinePublishes: *basePublishes,
		Every: *every, SkipBaseline: *skipBaseline, SkipRebuild: *skipRebuild, Keep: *keep, Photos: *photos}
	if *serverLogFile != "" {
		f, err := os.Create(*serverLogFile)
		if err != nil {
			return err
		}
		defer f.Close()
		o.ServerLog = f
	}
	if *reuse != "" {
		return bench.Reuse(ctx, *reuse, o, stdout, stderr)
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	o.Root = p.Root
	return bench.Run(ctx, o, stdout, stderr)
}
