// Command newsroom runs the city newspaper: the reader site, the admin and
// search in one process, and the tools around them. It parses flags and
// wires packages together; the work is done in the packages.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
)

const usage = `newsroom: a content system for a city newspaper

Usage:
  newsroom serve  [--site DIR] [--addr HOST:PORT]   run the site, admin and search
  newsroom build  [--site DIR]                      rebuild the reader site
  newsroom index  [--site DIR]                      rebuild the search index
  newsroom gen    [--site DIR] --stories N [--seed S] write a synthetic archive
  newsroom bench  [--site DIR] --stories N           measure builds and publish latency at that size
  newsroom deploy [--site DIR] --to BUCKET_URL       upload the changed files of the live site to object storage
                                                    (needs a binary built with -tags withdeploy)
  newsroom import [--site DIR] [--date YYYY-MM-DD] [--page N] [--page-name NAME]
                 [--publish] [--dry-run] [--json] FILE|DIR...
                                                    import e-paper page text (.txt) or PDFs
  newsroom backup [--site DIR] --to FILE            content, database, settings and media in one tar.gz
                                                    (while serve runs)
  newsroom restore [--site DIR] FILE                restore a backup into an empty or new folder
  newsroom adopt  [--site DIR] [--as ADMIN]         take content files no story owns (the demo paper,
                                                    hand-placed files) into the admin, once each
  newsroom user add [--site DIR] --role ROLE NAME   add a user (password from stdin)
  newsroom token create [--site DIR] [--scope read|write] USER
                                                    print a new API token
  newsroom token list   [--site DIR] [USER]         list API tokens (of one user)
  newsroom token revoke [--site DIR] TOKEN_ID       revoke an API token

DIR defaults to the current folder; data lives in DIR/.newsroom/.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) > 1 {
		tuneGC(os.Args[1])
	}
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "newsroom:", err)
		os.Exit(1)
	}
}

// tuneGC gives the garbage collector twice its default headroom in the
// commands that render the whole archive (build, bench): Hugo allocates
// heavily while rendering, and GOGC=200 made a full build of 10,000 stories
// about a fifth faster for 48 KB instead of 24 KB peak RSS per page
// (BENCHMARKS.md). A GOGC the operator sets wins; GOMEMLIMIT still bounds
// the heap.
func tuneGC(cmd string) {
	if (cmd == "build" || cmd == "bench") && os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}

// run dispatches a command line; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "build":
		return runBuild(ctx, rest, stdout, stderr)
	case "index":
		return runIndex(ctx, rest, stdout, stderr)
	case "gen":
		return runGen(ctx, rest, stdout, stderr)
	case "bench":
		return runBench(ctx, rest, stdout, stderr)
	case "deploy":
		return runDeploy(ctx, rest, stdout, stderr)
	case "import":
		return runImport(ctx, rest, stdin, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, stdout, stderr)
	case "adopt":
		return runAdopt(ctx, rest, stdout, stderr)
	case "user":
		if len(rest) == 0 || rest[0] != "add" {
			return errors.New("usage: newsroom user add [--site DIR] --role ROLE NAME")
		}
		return runUserAdd(ctx, rest[1:], stdin, stdout, stderr)
	case "token":
		if len(rest) > 0 {
			switch rest[0] {
			case "create":
				return runTokenCreate(ctx, rest[1:], stdout, stderr)
			case "list":
				return runTokenList(ctx, rest[1:], stdout, stderr)
			case "revoke":
				return runTokenRevoke(ctx, rest[1:], stdout, stderr)
			}
		}
		return errors.New("usage: newsroom token create|list|revoke ...")
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// paths are the files of one site.
type paths struct {
	Root, Data, DB, Index, Content, UserDict string
}

func sitePaths(root string) (paths, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return paths{}, err
	}
	if _, err := os.Stat(filepath.Join(abs, "hugo.toml")); err != nil {
		return paths{}, fmt.Errorf("%s is not a site folder (no hugo.toml): use --site DIR", abs)
	}
	data := filepath.Join(abs, ".newsroom")
	return paths{
		Root: abs, Data: data,
		DB:       filepath.Join(data, "newsroom.db"),
		Index:    filepath.Join(data, "index"),
		Content:  filepath.Join(abs, "content"),
		UserDict: filepath.Join(abs, "search-dict.txt"),
	}, nil
}

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	site := fs.String("site", ".", "site root folder (hugo.toml, content/, themes/)")
	return fs, site
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
