package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"newsroom/internal/content"
	"newsroom/internal/desk"
	"newsroom/internal/news"
	"newsroom/internal/password"
	"newsroom/internal/publish"
	"newsroom/internal/site"
	"newsroom/internal/sqlite"
	"newsroom/search"
)

// countHTML counts the HTML pages in a built site.
func countHTML(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			n++
		}
		return nil
	})
	return n
}

// parseArgs parses flags that may come before or after positional
// arguments ("user add NAME --role editor" works too).
func parseArgs(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("build", stderr)
	mono := fs.Bool("monolithic", false, "build the whole site as one Hugo site into .newsroom/mono (the benchmarks' baseline)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	lock, err := lockSite(p, "build", "stop `newsroom serve` first (it rebuilds the site itself at start when the theme changed)")
	if err != nil {
		return err
	}
	defer lock.Release()
	if *mono {
		b := &site.Builder{Root: p.Root, Data: filepath.Join(p.Data, "mono"), Log: stderr}
		placed, err := placement(ctx, p)
		if err != nil {
			return err
		}
		b.SetPlacement(placed)
		st, err := b.Build(ctx)
		if err != nil {
			return err
		}
		pages := countHTML(b.Current())
		fmt.Fprintf(stdout, "built %d pages in %s (%.0f pages/s) into %s\n", pages, st.Duration.Round(time.Millisecond),
			float64(pages)/st.Duration.Seconds(), b.Current())
		return nil
	}
	a := &site.Archive{Root: p.Root, Data: p.Data, Log: stderr}
	placed, err := placement(ctx, p)
	if err != nil {
		return err
	}
	a.SetPlacement(placed)
	var bar *progressbar.ProgressBar
	st, err := a.BuildAll(ctx, func(done, total, pages int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("building"),
				progressbar.OptionShowCount(), progressbar.OptionSetItsString("parts"), progressbar.OptionShowIts())
		}
		bar.Describe(fmt.Sprintf("building (%d pages)", pages))
		bar.Set(done)
	})
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built %d pages in %s (%.0f pages/s) into %s\n", st.Pages, st.Duration.Round(time.Millisecond),
		float64(st.Pages)/st.Duration.Seconds(), a.Current())
	return nil
}

func runIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("index", stderr)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	lock, err := lockSite(p, "index", "stop `newsroom serve` first (it checks the index against content/ at start)")
	if err != nil {
		return err
	}
	defer lock.Release()
	index, err := search.Open(p.Index, searchOptions(p))
	if err != nil {
		return err
	}
	defer index.Close()
	live := &publish.Live{Index: index, Content: content.Dir{Root: p.Content}, Log: newLogger(stderr)}
	var bar *progressbar.ProgressBar
	n, err := live.Reindex(ctx, func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("indexing"),
				progressbar.OptionShowCount(), progressbar.OptionSetItsString("docs"), progressbar.OptionShowIts())
		}
		bar.Set(done)
	})
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "indexed %d documents into %s\n", n, p.Index)
	return nil
}

func runUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, root := newFlags("user add", stderr)
	role := fs.String("role", "", "reporter, editor, director, chief or admin")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: newsroom user add [--site DIR] --role ROLE NAME")
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	pw, generated, err := readPassword(stdin)
	if err != nil {
		return err
	}
	db, err := sqlite.Open(p.DB, news.SystemClock{})
	if err != nil {
		return err
	}
	defer db.Close()
	u := &news.User{Name: fs.Arg(0), Role: news.Role(*role)}
	if err := db.CreateUser(ctx, u, pw); err != nil {
		return news.Plain(err)
	}
	fmt.Fprintf(stdout, "added %s user %q (id %d)\n", u.Role, u.Name, u.ID)
	if generated {
		fmt.Fprintf(stdout, "password: %s\n", pw)
	}
	return nil
}

// readPassword reads the first line of stdin when it is not a terminal.
// On a terminal it makes up a strong password instead of asking, so no
// password is ever typed on screen or left in shell history.
func readPassword(stdin io.Reader) (pw string, generated bool, err error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return password.NewReadable(), true, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false, fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", false, errors.New("no password on stdin (pipe one in, e.g. echo \"$PW\" | newsroom user add ...)")
	}
	return line, false, nil
}

func runTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("token create", stderr)
	scope := fs.String("scope", news.ScopeWrite, "what the token may do: write (everything its user may) or read (GET only)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: newsroom token create [--site DIR] [--scope read|write] USER")
	}
	db, err := openDB(*root)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByName(ctx, fs.Arg(0))
	if err != nil {
		return fmt.Errorf("user %q: %w", fs.Arg(0), news.Plain(err))
	}
	if u.Disabled {
		return fmt.Errorf("user %q is disabled", u.Name)
	}
	tok, err := db.CreateToken(ctx, u.ID, *scope)
	if err != nil {
		return news.Plain(err)
	}
	fmt.Fprintf(stderr, "API token for %s (%s, scope %s); it is shown only once:\n", u.Name, u.Role, *scope)
	fmt.Fprintln(stdout, tok)
	return nil
}

// runTokenList lists API tokens (never their secrets, which are not kept).
func runTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("token list", stderr)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return errors.New("usage: newsroom token list [--site DIR] [USER]")
	}
	db, err := openDB(*root)
	if err != nil {
		return err
	}
	defer db.Close()
	var userID int64
	if fs.NArg() == 1 {
		u, err := db.UserByName(ctx, fs.Arg(0))
		if err != nil {
			return fmt.Errorf("user %q: %w", fs.Arg(0), news.Plain(err))
		}
		userID = u.ID
	}
	tokens, err := db.Tokens(ctx, userID)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%-6s %-16s %-6s %-25s %s\n", "ID", "USER", "SCOPE", "CREATED", "LAST USED")
	for _, t := range tokens {
		used := "never"
		if t.LastUsedAt != nil {
			used = t.LastUsedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(stdout, "%-6d %-16s %-6s %-25s %s\n", t.ID, t.User, t.Scope, t.CreatedAt.Format(time.RFC3339), used)
	}
	return nil
}

// runTokenRevoke deletes an API token by the id that token list shows.
func runTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("token revoke", stderr)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: newsroom token revoke [--site DIR] TOKEN_ID")
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("token id %q: want the number that token list shows", fs.Arg(0))
	}
	db, err := openDB(*root)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.RevokeToken(ctx, id); err != nil {
		return news.Plain(err)
	}
	fmt.Fprintf(stdout, "revoked token %d\n", id)
	return nil
}

// placement reads the editors' placement of stories (头条, 推荐) from the
// database of site p, for a build; a site without a database has none.
func placement(ctx context.Context, p paths) (map[string][]string, error) {
	if _, err := os.Stat(p.DB); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	db, err := sqlite.Open(p.DB, news.SystemClock{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return (&desk.Service{Store: db}).PlacedFiles(ctx)
}

// openDB opens the database of the site at root.
func openDB(root string) (*sqlite.DB, error) {
	p, err := sitePaths(root)
	if err != nil {
		return nil, err
	}
	return sqlite.Open(p.DB, news.SystemClock{})
}
