package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"newsroom/internal/content"
	"newsroom/internal/desk"
	"newsroom/internal/news"
)

const adoptUsage = "usage: newsroom adopt [--site DIR] [--as ADMIN]"

// runAdopt is `newsroom adopt`: every content file no story of the
// database owns (the demo paper's, hand-placed files, an archive copied in)
// becomes a story of the desk, so it can be corrected and withdrawn in the
// admin (desk.AdoptFiles). It only reads content/ and writes the database,
// so it may run beside serve; running it again adopts nothing twice.
func runAdopt(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("adopt", stderr)
	as := fs.String("as", "", "the admin account recorded as having taken the files in (default: the first admin)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return errors.New(adoptUsage)
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	db, err := openDB(*root)
	if err != nil {
		return err
	}
	defer db.Close()
	admin, err := adoptingAdmin(ctx, db, *as)
	if err != nil {
		return err
	}
	d := &desk.Service{Store: db, Content: content.Dir{Root: p.Content}}
	rep, err := d.AdoptFiles(ctx, admin)
	if rep != nil {
		for _, f := range slices.Sorted(maps.Keys(rep.Failed)) {
			fmt.Fprintf(stderr, "skipped %s: %s\n", f, rep.Failed[f])
		}
		for _, f := range slices.Sorted(maps.Keys(rep.Unverified)) {
			fmt.Fprintf(stderr, "not verifiable %s: %s\n", f, rep.Unverified[f])
		}
		fmt.Fprintf(stdout, "adopted %d content files as stories owned by %q; %d already had a story; %d could not be read\n",
			rep.Count, desk.ArchiveUser, rep.Known, len(rep.Failed))
		if rep.Verifiable > 0 || len(rep.Unverified) > 0 {
			fmt.Fprintf(stdout, "%d adopted notices are in the verification archive; %d are not (see above)\n", rep.Verifiable, len(rep.Unverified))
		}
	}
	if err != nil {
		return news.Plain(err)
	}
	return nil
}

// adoptingAdmin returns the admin account named name, or the first admin.
func adoptingAdmin(ctx context.Context, db interface {
	UserByName(context.Context, string) (*news.User, error)
	Users(context.Context) ([]news.User, error)
}, name string) (*news.User, error) {
	if name != "" {
		u, err := db.UserByName(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("user %q: %w", name, news.Plain(err))
		}
		if u.Role != news.RoleAdmin {
			return nil, fmt.Errorf("user %q is not an admin", name)
		}
		return u, nil
	}
	users, err := db.Users(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Role == news.RoleAdmin && !u.Disabled {
			return &u, nil
		}
	}
	return nil, errors.New("no admin account: run `newsroom serve` once (it makes the first admin) or add one with `newsroom user add --role admin NAME`")
}
