// Command newsroom runs the city newspaper: the reader site, the admin and
// search, and the tools around them. It only parses flags and wires packages.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"newsroom/internal/site"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "newsroom:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: newsroom serve|build|user|token|index|import|gen [flags]")
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:])
	default:
		return fmt.Errorf("unknown command %q", args[0])
	}
}

func runBuild(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	root := fs.String("site", ".", "site root folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b := &site.Builder{Root: *root, Data: filepath.Join(*root, ".newsroom"), Log: os.Stderr}
	st, err := b.Build(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("built %d pages in %s into %s\n", st.Pages, st.Duration.Round(1e6), b.Current())
	return nil
}
