package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"newsroom/admin"
	"newsroom/internal/baidu"
	"newsroom/internal/content"
	"newsroom/internal/desk"
	"newsroom/internal/news"
	"newsroom/internal/password"
	"newsroom/internal/publish"
	"newsroom/internal/site"
	"newsroom/internal/sqlite"
	"newsroom/internal/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, root := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	secure := fs.String("secure-cookies", "auto", "mark session cookies Secure: auto (not on loopback), true or false")
	baiduSite := fs.String("baidu-site", "", "site registered with Baidu's link submission, e.g. https://www.example.cn; the token comes from $NEWSROOM_BAIDU_TOKEN")
	deployTo := fs.String("deploy-to", "", "after each publish, upload the changed files to this bucket URL (needs -tags withdeploy)")
	mono := fs.Bool("monolithic", false, "render the whole site as one Hugo site on every publish (the benchmarks' baseline; slow on a large archive)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	p, err := sitePaths(*root)
	if err != nil {
		return err
	}
	log := newLogger(stderr)

	db, err := sqlite.Open(p.DB, news.SystemClock{})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := ensureAdmin(ctx, db, stdout); err != nil {
		return err
	}
	reader, err := openReaderSide(p, log)
	if err != nil {
		return err
	}
	defer reader.Close()
	archive, index, live := reader.Archive, reader.Index, reader.Live
	siteDir := archive.Current
	start := func(ctx context.Context) error { return startup(ctx, archive, live, log) }
	if *mono {
		whole := &site.Builder{Root: p.Root, Data: filepath.Join(p.Data, "mono"), Log: logWriter{log}}
		live.Site, siteDir = whole, whole.Current
		start = func(ctx context.Context) error {
			if _, err := whole.Build(ctx); err != nil {
				return err
			}
			return rebuildMissingIndex(ctx, live)
		}
	}
	deskSvc := &desk.Service{DB: db, Content: content.Dir{Root: p.Content}, Live: live, Clock: news.SystemClock{}, Log: log}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	secureCookies := *secure == "true" || (*secure == "auto" && !net.ParseIP(host).IsLoopback())
	adm, err := admin.New(admin.Config{Desk: deskSvc, DB: db, Log: log, SecureCookies: secureCookies, PaperName: "吕梁日报"})
	if err != nil {
		return err
	}
	var afterPublish []func([]string)
	if *deployTo != "" {
		d := newDeployer(p.Root, *deployTo, siteDir, log)
		afterPublish = append(afterPublish, d.Request)
		go d.Run(ctx)
	}
	if tok := os.Getenv("NEWSROOM_BAIDU_TOKEN"); *baiduSite != "" && tok != "" {
		push := &baidu.Pusher{Site: *baiduSite, Token: tok, Log: log}
		afterPublish = append(afterPublish, func(urls []string) {
			// In the background: a slow answer from Baidu must not hold
			// up the editor's publish.
			go func() {
				if _, err := push.Push(context.WithoutCancel(ctx), urls); err != nil {
					log.Warn("baidu push failed", "err", err)
				}
			}()
		})
	}
	live.Published = func(urls []string) {
		for _, f := range afterPublish {
			f(urls)
		}
	}
	var ready atomic.Bool
	handler := withCorrections(web.New(web.Config{SiteDir: siteDir, Search: index, Admin: adm, Ready: ready.Load, Log: log,
		Notices: db, PaperName: "吕梁日报"}), siteDir, db, log)
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}

	fmt.Fprintf(stdout, "newsroom: serving http://%s/ (admin: http://%s/admin/)\n", ln.Addr(), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	// Start-up work runs while the server already answers: /healthz says
	// 503 until it is done, and an older build (if any) is served meanwhile.
	go func() {
		if err := start(ctx); err != nil {
			log.Error("start-up failed", "err", err)
			errc <- err
			return
		}
		ready.Store(true)
		log.Info("ready")
		// The index is reconciled with content/ (files added or removed
		// while the server was down) once the server is ready: it lists a
		// million file names and index IDs, and search answers from the
		// index as it is meanwhile.
		go func() {
			began := time.Now()
			added, deleted, err := live.CheckIndex(ctx)
			if err != nil {
				if ctx.Err() == nil {
					log.Error("search index check failed", "err", err)
				}
				return
			}
			// `newsroom bench` waits for this line before it publishes.
			log.Info("search index checked", "added", added, "deleted", deleted, "took", time.Since(began).Round(time.Millisecond))
		}()
		// Scheduled stories are published on time, also those that fell
		// due while the server was down (see workflow.go).
		go deskSvc.RunScheduler(ctx, schedulerInterval)
		if !*mono {
			archive.Run(ctx, 10*time.Minute, log.Error)
		}
	}()

	select {
	case err := <-errc:
		srv.Close()
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		log.Info("shutting down")
		return srv.Shutdown(shutdownCtx)
	}
}

// startup brings the site up to date (a full build only when there is no
// live tree or the theme changed; the old tree serves meanwhile) and fills
// a missing search index.
func startup(ctx context.Context, a *site.Archive, live *publish.Live, log *slog.Logger) error {
	needFull, err := a.Start(ctx)
	if err != nil {
		return err
	}
	if needFull {
		st, err := a.BuildAll(ctx, nil)
		if err != nil {
			return err
		}
		log.Info("site built", "pages", st.Pages, "took", st.Duration.Round(time.Millisecond))
	}
	return rebuildMissingIndex(ctx, live)
}

// rebuildMissingIndex fills an index that Open found missing, of another
// version or corrupt before the server says it is ready, so that search
// finds the archive from the first answer; an index that is there is
// reconciled with content/ later (live.CheckIndex, after ready).
func rebuildMissingIndex(ctx context.Context, live *publish.Live) error {
	if !live.Index.NeedsRebuild() {
		return nil
	}
	_, _, err := live.CheckIndex(ctx)
	return err
}

// ensureAdmin creates the first admin on a fresh database and prints its
// one-time password: nobody can log in otherwise.
func ensureAdmin(ctx context.Context, db *sqlite.DB, stdout io.Writer) error {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := password.NewReadable()
	u := &news.User{Name: "admin", Role: news.RoleAdmin}
	if err := db.CreateUser(ctx, u, pw); err != nil {
		return fmt.Errorf("create first admin: %w", err)
	}
	fmt.Fprintf(stdout, "newsroom: created user \"admin\" with one-time password: %s\n", pw)
	fmt.Fprintln(stdout, "newsroom: log in at /admin/ and change it under 修改密码; it is not shown again.")
	return nil
}

// logWriter passes Hugo's warnings on to the program's log.
type logWriter struct{ log *slog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Warn("hugo", "msg", string(p))
	return len(p), nil
}
