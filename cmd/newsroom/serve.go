package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"newsroom/admin"
	"newsroom/internal/baidu"
	"newsroom/internal/content"
	"newsroom/internal/desk"
	"newsroom/internal/epaper"
	"newsroom/internal/media"
	"newsroom/internal/news"
	"newsroom/internal/password"
	"newsroom/internal/publish"
	"newsroom/internal/purge"
	"newsroom/internal/site"
	"newsroom/internal/sitelock"
	"newsroom/internal/sqlite"
	"newsroom/internal/web"
)

// schedulerInterval is how often serve looks for scheduled stories that
// are due: a story goes live at most this long after its set time.
var schedulerInterval = 3 * time.Second

// runServe runs `newsroom serve` until ctx ends or the server fails.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	m := &serveMain{Stdout: stdout, Stderr: stderr}
	if err := m.ParseFlags(args); err != nil {
		return err
	}
	err := m.Run(ctx)
	if err == nil {
		err = m.Wait(ctx)
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return err
}

// serveMain is the program `newsroom serve`: the reader site, the admin
// and search in one process. ParseFlags reads its settings, Run opens and
// wires everything and starts serving, Close stops it and releases what
// Run opened.
type serveMain struct {
	Stdout, Stderr io.Writer

	Root, Addr, SecureCookies, BaiduSite, DeployTo string
	BaseURL                                        string         // the site's public address; "": hugo.toml's or the server's own
	purge                                          *purge.Batcher // the CDN's purge after each deploy; nil: none
	Monolithic                                     bool

	lock   *sitelock.Lock
	db     *sqlite.DB
	reader *readerSide
	srv    *http.Server
	errc   chan error
	stop   context.CancelFunc // ends the background work
}

// ParseFlags reads the command line of serve.
func (m *serveMain) ParseFlags(args []string) error {
	fs, root := newFlags("serve", m.Stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	secure := fs.String("secure-cookies", "auto", "mark session cookies Secure: auto (not on loopback), true or false")
	baiduSite := fs.String("baidu-site", "", "site registered with Baidu's link submission, e.g. https://www.example.cn; the token comes from $NEWSROOM_BAIDU_TOKEN")
	deployTo := fs.String("deploy-to", "", "after each publish, upload the changed files to this bucket URL (needs -tags withdeploy)")
	purgeOpts := addPurgeFlags(fs)
	baseURL := fs.String("base-url", "", "the site's public address, e.g. https://www.example.cn/, for the absolute URLs in sitemaps, feeds and pages (default: hugo.toml's baseURL if absolute, else this server's own address)")
	mono := fs.Bool("monolithic", false, "render the whole site as one Hugo site on every publish (the benchmarks' baseline; slow on a large archive)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	m.Root, m.Addr, m.SecureCookies, m.BaiduSite, m.DeployTo, m.Monolithic = *root, *addr, *secure, *baiduSite, *deployTo, *mono
	m.BaseURL = *baseURL
	var err error
	m.purge, err = purgeOpts.batcher(m.DeployTo, newLogger(m.Stderr))
	return err
}

// Run opens the site's database and index, wires the desk, admin and
// reader side, and starts serving; the start-up work (a build if needed,
// the index check) and the scheduler run in the background. It returns
// once the server listens.
func (m *serveMain) Run(ctx context.Context) error {
	p, err := sitePaths(m.Root)
	if err != nil {
		return err
	}
	// One writer per site: a second serve, or a build, import --publish
	// or restore while this one runs, is refused.
	if m.lock, err = lockSite(p, "serve", "stop it first, or serve another site folder"); err != nil {
		return err
	}
	log := newLogger(m.Stderr)
	ctx, m.stop = context.WithCancel(ctx)
	// The one clock of the program: the database, the desk (and through
	// it the admin) and the reader side read it.
	var clock news.Clock = news.SystemClock{}

	if m.db, err = sqlite.Open(p.DB, clock); err != nil {
		return err
	}
	if err := ensureAdmin(ctx, m.db, m.Stdout); err != nil {
		return err
	}
	if m.reader, err = openReaderSide(p, log); err != nil {
		return err
	}
	archive, index, live := m.reader.Archive, m.reader.Index, m.reader.Live
	siteDir := archive.Current
	// The editors' placement (头条, 推荐) is kept in the database; the
	// site renders the home and column pages with it.
	placed, err := (&desk.Service{Store: m.db}).PlacedFiles(ctx)
	if err != nil {
		return err
	}
	archive.SetPlacement(placed)
	start := func(ctx context.Context) error { return startup(ctx, archive, live, placed, log) }
	// A changed e-paper page (image, areas, order) is published like a
	// story: its edition's pages are rendered before the change returns.
	publishEdition := func(ctx context.Context, date string) error {
		_, err := archive.PublishEditions(ctx, date)
		return err
	}
	if m.Monolithic {
		whole := &site.Builder{Root: p.Root, Data: filepath.Join(p.Data, "mono"), Log: logWriter{log}}
		whole.SetPlacement(placed)
		live.Site, siteDir = whole, whole.Current
		publishEdition = func(ctx context.Context, _ string) error {
			_, err := whole.Rebuild(ctx)
			return err
		}
		start = func(ctx context.Context) error {
			if _, err := whole.Build(ctx); err != nil {
				return err
			}
			return rebuildMissingIndex(ctx, live)
		}
	}
	epaperDir := epaper.Dir(filepath.Join(p.Root, "epaper"))
	deskSvc := &desk.Service{Store: m.db, Content: content.Dir{Root: p.Content}, Live: live, Clock: clock, Log: log, Logins: desk.NewLogins(clock),
		EPaper: &desk.EPaper{Dir: epaperDir, Publish: publishEdition}}

	ln, err := net.Listen("tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Addr, err)
	}
	host, _, _ := net.SplitHostPort(ln.Addr().String())
	public, err := publicURL(m.BaseURL, archive.PublicURL(), ln.Addr().String())
	if err != nil {
		ln.Close()
		return err
	}
	if m.BaseURL == "" && public != archive.PublicURL() {
		fmt.Fprintf(m.Stdout, "newsroom: no --base-url and hugo.toml's baseURL is not absolute: sitemaps, feeds and pages name this server, %s; give --base-url with the public address\n", public)
	}
	archive.BaseURL = public
	if whole, ok := live.Site.(*site.Builder); ok {
		whole.BaseURL = public
	}
	secureCookies := m.SecureCookies == "true" || (m.SecureCookies == "auto" && !net.ParseIP(host).IsLoopback())
	mediaDir := filepath.Join(p.Root, "static", "media")
	library := media.NewLibrary(mediaDir, "/media/", m.db, clock, media.DefaultLimits)
	library.Added = makeSizes(ctx, archive, log)
	adm, err := admin.New(admin.Config{Desk: deskSvc, Log: log, SecureCookies: secureCookies, PaperName: "吕梁日报",
		Media: library, MediaDir: mediaDir, Preview: previewer(archive)})
	if err != nil {
		ln.Close()
		return err
	}
	if m.purge != nil {
		m.purge.Log = log
	}
	live.Published = afterPublish(ctx, p, m.DeployTo, public, m.purge, m.BaiduSite, siteDir, clock, log)
	var ready atomic.Bool
	handler := web.New(web.Config{SiteDir: siteDir, Search: index, Admin: adm, Ready: ready.Load, Log: log,
		Notices: m.db, Corrections: corrections(m.db), PaperName: "吕梁日报", Clock: clock, BaseURL: public,
		ProofDir: filepath.Join(p.Data, "proofs"), EPaper: epaperDir})
	m.srv = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}

	fmt.Fprintf(m.Stdout, "newsroom: serving http://%s/ (admin: http://%s/admin/)\n", ln.Addr(), ln.Addr())
	m.errc = make(chan error, 2)
	go func() { m.errc <- m.srv.Serve(ln) }()

	// Start-up work runs while the server already answers: /healthz says
	// 503 until it is done, and an older build (if any) is served meanwhile.
	go func() {
		if err := start(ctx); err != nil {
			log.Error("start-up failed", "err", err)
			m.errc <- err
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
		// due while the server was down.
		go deskSvc.RunScheduler(ctx, schedulerInterval)
		if !m.Monolithic {
			archive.Run(ctx, 10*time.Minute, log.Error)
		}
	}()
	return nil
}

// Wait blocks until ctx ends (then shuts the server down gracefully) or
// the server or its start-up fails.
func (m *serveMain) Wait(ctx context.Context) error {
	select {
	case err := <-m.errc:
		m.srv.Close()
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		newLogger(m.Stderr).Info("shutting down")
		return m.srv.Shutdown(shutdownCtx)
	}
}

// Close stops the background work and closes the index and the database.
func (m *serveMain) Close() error {
	if m.stop != nil {
		m.stop()
	}
	if m.srv != nil {
		m.srv.Close()
	}
	var errs []error
	if m.reader != nil {
		errs = append(errs, m.reader.Close())
	}
	if m.db != nil {
		errs = append(errs, m.db.Close())
	}
	errs = append(errs, m.lock.Release())
	return errors.Join(errs...)
}

// afterPublish returns what runs after every publish: a deploy to a
// bucket (and the CDN's purge of what it changed) and a push to Baidu,
// when configured.
func afterPublish(ctx context.Context, p paths, deployTo, public string, purger *purge.Batcher, baiduSite string, siteDir func() string, clock news.Clock, log *slog.Logger) func([]string) {
	var after []func([]string)
	if deployTo != "" {
		d := newDeployer(p.Root, deployTo, public, siteDir, purger, log)
		after = append(after, d.Request)
		go d.Run(ctx)
	}
	if tok := os.Getenv("NEWSROOM_BAIDU_TOKEN"); baiduSite != "" && tok != "" {
		push := &baidu.Pusher{Site: baiduSite, Token: tok, Log: log, Clock: clock}
		after = append(after, func(urls []string) {
			// In the background: a slow answer from Baidu must not hold
			// up the editor's publish.
			go func() {
				if _, err := push.Push(context.WithoutCancel(ctx), urls); err != nil {
					log.Warn("baidu push failed", "err", err)
				}
			}()
		})
	}
	return func(urls []string) {
		for _, f := range after {
			f(urls)
		}
	}
}

// publicURL is the site's public address: flag (--base-url) if given,
// else configured (hugo.toml's baseURL) if absolute, else this server's
// own address.
func publicURL(flag, configured, listen string) (string, error) {
	if flag != "" {
		u, err := url.Parse(flag)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("--base-url %q: want an absolute http(s) address such as https://www.example.cn/", flag)
		}
		return strings.TrimSuffix(u.String(), "/") + "/", nil
	}
	if strings.HasPrefix(configured, "http://") || strings.HasPrefix(configured, "https://") {
		return configured, nil
	}
	host, port, _ := net.SplitHostPort(listen)
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if name, err := os.Hostname(); err == nil {
			host = name
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/", nil
}

// startup brings the site up to date (a full build only when there is no
// live tree or the theme changed; the old tree serves meanwhile) and fills
// a missing search index.
func startup(ctx context.Context, a *site.Archive, live *publish.Live, placed map[string][]string, log *slog.Logger) error {
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
	} else if len(placed) > 0 {
		// The tree may predate the placement in the database (a server
		// stopped between the two): the hot part shows it again.
		if _, err := a.Place(ctx, placed); err != nil {
			return err
		}
	}
	return rebuildMissingIndex(ctx, live)
}

// rebuildMissingIndex fills an index that Open found missing or corrupt
// before the server says it is ready, so that search finds the archive
// from the first answer. An index that is there is reconciled with
// content/ later (live.CheckIndex, after ready); one of another mapping or
// analyzer version (Stale) is rebuilt then, in the background, while it
// keeps answering.
func rebuildMissingIndex(ctx context.Context, live *publish.Live) error {
	if !live.Index.NeedsRebuild() || live.Index.Stale() {
		return nil
	}
	_, _, err := live.CheckIndex(ctx)
	return err
}

// ensureAdmin creates the first admin on a fresh database and prints its
// one-time password: nobody can log in otherwise.
func ensureAdmin(ctx context.Context, db news.UserStore, stdout io.Writer) error {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := password.NewReadable()
	u := &news.User{Name: "admin", Role: news.RoleAdmin, MustChangePassword: true}
	if err := db.CreateUser(ctx, u, pw); err != nil {
		return fmt.Errorf("create first admin: %w", err)
	}
	fmt.Fprintf(stdout, "newsroom: created user \"admin\" with one-time password: %s\n", pw)
	fmt.Fprintln(stdout, "newsroom: log in at /admin/ and choose your own password (asked at the first login); it is not shown again.")
	return nil
}

// logWriter passes Hugo's warnings on to the program's log.
type logWriter struct{ log *slog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.log.Warn("hugo", "msg", string(p))
	return len(p), nil
}
