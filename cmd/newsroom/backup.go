package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"newsroom/internal/backup"
	"newsroom/internal/news"
	"newsroom/internal/sqlite"
)

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("backup", stderr)
	to := fs.String("to", "", "archive file to write (tar.gz)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *to == "" || fs.NArg() != 0 {
		return errors.New("usage: newsroom backup [--site DIR] --to FILE")
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	if _, err := os.Stat(p.DB); err != nil {
		return fmt.Errorf("no database at %s: nothing to back up", p.DB)
	}
	// The database is shared with a running serve: the backup only reads,
	// and holds writes back while it takes the content files.
	db, err := sqlite.Open(p.DB, news.SystemClock{})
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	st, err := backup.Create(ctx, p.Root, p.Data, db, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %d files (%d MB) of %s to %s in %s (writes waited %s)\n", st.Files, st.Bytes>>20, p.Root, *to,
		time.Since(start).Round(time.Millisecond), st.Held.Round(time.Millisecond))
	return nil
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("restore", stderr)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: newsroom restore [--site DIR] FILE")
	}
	dir, err := filepath.Abs(*root)
	if err != nil {
		return err
	}
	// A site that a server runs on is in use, whatever it holds.
	data := filepath.Join(dir, ".newsroom")
	if _, err := os.Stat(data); err == nil {
		lock, err := lockSite(paths{Data: data}, "restore", "stop `newsroom serve` and restore into a new, empty folder")
		if err != nil {
			return err
		}
		lock.Release()
	}
	start := time.Now()
	st, err := backup.Restore(ctx, fs.Arg(0), dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %d files (%d MB) into %s in %s; `newsroom serve --site %s` builds the site and the search index at its first start\n",
		st.Files, st.Bytes>>20, dir, time.Since(start).Round(time.Millisecond), dir)
	return nil
}
