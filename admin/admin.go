// Package admin is the newsroom's web admin: the Chinese UI where reporters
// file stories and editors publish them, and the JSON API under /api/admin/
// that does the same for tools and wire feeds. Both call the editorial desk
// (package desk), so every permission check lives there, once.
package admin

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"newsroom/internal/desk"
	"newsroom/internal/httpx"
	"newsroom/internal/media"
	"newsroom/internal/news"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the admin needs.
type Config struct {
	Desk     *desk.Service // every action, and the users, sessions and tokens
	Log      *slog.Logger
	Sections []string // the paper's 栏目, offered in the story form
	// SecureCookies marks the session cookie Secure; turn it off only for
	// plain-HTTP development on the loopback interface.
	SecureCookies bool
	SessionTTL    time.Duration // 0: 12 hours
	PaperName     string
	// Media is the media library (photo uploads); nil turns the photo
	// endpoints off.
	Media *media.Library
	// MediaDir is the library's folder, served under /admin/media/ so the
	// admin shows photos before the reader site has them.
	MediaDir string
	// Preview renders a story with the site's theme; nil turns preview off.
	Preview Previewer
}

// Admin serves /admin/ and /api/admin/.
type Admin struct {
	cfg      Config
	pages    map[string]*template.Template
	h        http.Handler
	presence *presence // who has which story open in the edit form
	carry    *carried  // form posts kept while their sender logs in again
	previews previewFiles
}

// New parses the templates and builds the routes. It fails at start, not
// on the first request, if a template is broken.
func New(cfg Config) (*Admin, error) {
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if len(cfg.Sections) == 0 {
		cfg.Sections = []string{"要闻", "时政", "本地", "教育", "卫生健康", "文化"}
	}
	a := &Admin{cfg: cfg, pages: map[string]*template.Template{}}
	a.presence = newPresence(a.now)
	a.carry = newCarried(a.now)
	if err := a.parseTemplates(); err != nil {
		return nil, err
	}
	a.h = a.routes()
	return a, nil
}

// ServeHTTP serves the admin.
func (a *Admin) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.h.ServeHTTP(w, r) }

// limitBody bounds request bodies (httpx.LimitBody) to maxBody, except
// the uploads (photos, Word files, pasted clipboard HTML), which may be as
// large as maxUpload; their handlers apply their own, tighter, limits and
// answer a file that is too large with a Chinese message.
func limitBody(next http.Handler) http.Handler {
	small, large := httpx.LimitBody(maxBody)(next), httpx.LimitBody(maxUpload)(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/admin/media", r.URL.Path == "/api/admin/docx", r.URL.Path == "/api/admin/paste", r.URL.Path == "/admin/docx",
			pageUpload(r):
			large.ServeHTTP(w, r)
		default:
			small.ServeHTTP(w, r)
		}
	})
}

// pageUpload reports whether r uploads an e-paper page's file (PUT
// /api/admin/editions/D/pages/N, POST /admin/editions/D/pages/N).
func pageUpload(r *http.Request) bool {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/api/admin/editions/") && !strings.HasPrefix(p, "/admin/editions/") {
		return false
	}
	parts := strings.Split(strings.Trim(p, "/"), "/")
	return len(parts) >= 2 && parts[len(parts)-2] == "pages"
}

// routes is the admin's one route table.
func (a *Admin) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, limitBody)
	static, _ := fs.Sub(staticFS, "static")
	r.Handle("/admin/static/*", http.StripPrefix("/admin/static/", http.FileServerFS(static)))

	r.Get("/admin/login", a.ui(a.loginForm))
	r.With(httpx.LimitBody(maxLoginBody)).Post("/admin/login", a.ui(a.login))
	r.Group(func(r chi.Router) {
		r.Use(a.requireSession)
		r.Post("/admin/logout", a.ui(a.logout))
		r.Get("/admin/", a.ui(a.dashboard))
		r.Get("/admin/password", a.ui(a.passwordForm))
		r.Post("/admin/password", a.ui(a.changePassword))
		r.Get("/admin/stories", a.ui(a.storiesList))
		r.Get("/admin/stories/new", a.ui(a.newStory))
		r.Post("/admin/stories", a.ui(a.createStory))
		r.Get("/admin/stories/{id}", a.ui(a.showStory))
		r.Get("/admin/stories/{id}/edit", a.ui(a.editStory))
		r.Post("/admin/stories/{id}", a.ui(a.saveStory))
		r.Get("/admin/stories/{id}/revisions", a.ui(a.revisionsPage))
		r.Get("/admin/stories/{id}/diff", a.ui(a.diffPage))
		r.Post("/admin/stories/{id}/restore", a.ui(a.restoreRevision))
		r.Post("/admin/stories/{id}/assign", a.ui(a.assignStory))
		r.Post("/admin/adopt", a.ui(a.adoptFiles))
		r.Get("/admin/library", a.ui(a.libraryPage))
		r.Post("/admin/library/{id}", a.ui(a.describeMediaForm))
		r.Post("/admin/library/{id}/delete", a.ui(a.deleteMediaForm))
		r.Post("/admin/stories/{id}/autosave/discard", a.ui(a.discardAutosave))
		r.Get("/admin/stories/{id}/preview", a.ui(a.previewPage))
		r.Get("/admin/stories/{id}/preview/page", a.ui(a.previewStory))
		r.Post("/admin/preview", a.ui(a.previewForm))
		r.Get("/admin/preview/files/*", a.ui(a.previewFile))
		r.Post("/admin/docx", a.ui(a.uploadDocx))
		r.Get("/admin/media/*", a.ui(a.mediaFile))
		r.Post("/admin/stories/{id}/{action}", a.ui(a.storyAction))
		r.Get("/admin/notices/new", a.ui(a.newNotice))
		r.Post("/admin/notices", a.ui(a.createNotice))
		r.Get("/admin/notices/{id}/edit", a.ui(a.editNotice))
		r.Post("/admin/notices/{id}", a.ui(a.saveNotice))
		r.Post("/admin/notices/{id}/autosave/discard", a.ui(a.discardAutosave))
		r.Get("/admin/editions", a.ui(a.editionsForm))
		r.Get("/admin/editions/{date}/pages/{page}", a.ui(a.editionPage))
		r.Post("/admin/editions/{date}/pages/{page}", a.ui(a.uploadEditionPage))
		r.Get("/admin/editions/{date}/pages/{page}/page.jpg", a.ui(a.editionImage))
		r.Post("/admin/editions/{date}/pages/{page}/areas", a.ui(a.saveEditionAreas))
		r.Post("/admin/editions/{date}/pages/{page}/order", a.ui(a.saveEditionOrder))
		r.Get("/admin/audit", a.ui(a.auditPage))
		r.Get("/admin/placement", a.ui(a.placementPage))
		r.Post("/admin/placement", a.ui(a.savePlacement))
		r.Get("/admin/workflow", a.ui(a.workflowPage))
		r.Post("/admin/workflow", a.ui(a.saveWorkflow))
		r.Get("/admin/users", a.ui(a.users))
		r.Post("/admin/users", a.ui(a.createUser))
		r.Post("/admin/users/{id}", a.ui(a.updateUser))
		r.Post("/admin/users/{id}/reset-password", a.ui(a.resetPassword))
		r.Post("/admin/users/{id}/logout", a.ui(a.endUserSessions))
		r.Post("/admin/tokens/{id}/revoke", a.ui(a.revokeToken))
		r.Post("/admin/logout-everywhere", a.ui(a.logoutEverywhere))
	})
	r.Get("/admin", http.RedirectHandler("/admin/", http.StatusMovedPermanently).ServeHTTP)

	r.Route("/api/admin", func(r chi.Router) {
		r.Use(a.requireAPIUser)
		r.Get("/me", a.api(a.apiMe))
		r.Get("/stories", a.api(a.apiListStories))
		r.Post("/stories", a.api(a.apiCreateStory))
		r.Get("/stories/{id}", a.api(a.apiGetStory))
		r.Put("/stories/{id}", a.api(a.apiUpdateStory))
		r.Get("/stories/{id}/revisions", a.api(a.apiRevisions))
		r.Get("/stories/{id}/revisions/{version}", a.api(a.apiRevision))
		r.Get("/stories/{id}/diff", a.api(a.apiDiff))
		r.Post("/stories/{id}/restore", a.api(a.apiRestore))
		r.Post("/stories/{id}/assign", a.api(a.apiAssign))
		r.Post("/adopt", a.api(a.apiAdopt))
		r.Post("/stories/{id}/{action}", a.api(a.apiStoryAction))
		r.Post("/stories/{id}/presence", a.api(a.apiPresence))
		r.Delete("/stories/{id}/presence", a.api(a.apiLeave))
		r.Get("/stories/{id}/autosave", a.api(a.apiGetAutosave))
		r.Put("/stories/{id}/autosave", a.api(a.apiPutAutosave))
		r.Delete("/stories/{id}/autosave", a.api(a.apiDeleteAutosave))
		r.Post("/media", a.api(a.apiUploadMedia))
		r.Get("/media", a.api(a.apiFindMedia))
		r.Put("/media/{id}", a.api(a.apiDescribeMedia))
		r.Delete("/media/{id}", a.api(a.apiDeleteMedia))
		r.Post("/paste", a.api(a.apiPaste))
		r.Post("/docx", a.api(a.apiDocx))
		r.Post("/notices", a.api(a.apiCreateNotice))
		r.Get("/notices/{id}", a.api(a.apiGetNotice))
		r.Put("/notices/{id}", a.api(a.apiUpdateNotice))
		r.Get("/notices/{id}/autosave", a.api(a.apiGetAutosave))
		r.Put("/notices/{id}/autosave", a.api(a.apiPutAutosave))
		r.Delete("/notices/{id}/autosave", a.api(a.apiDeleteAutosave))
		r.Get("/editions/{date}/pages/{page}", a.api(a.apiEditionPage))
		r.Put("/editions/{date}/pages/{page}", a.api(a.apiUploadEditionPage))
		r.Put("/editions/{date}/pages/{page}/areas", a.api(a.apiSetEditionAreas))
		r.Get("/placement/edition/{date}/{page}", a.api(a.apiEditionPlacement))
		r.Put("/placement/edition/{date}/{page}", a.api(a.apiSetEditionPlacement))
		r.Get("/desk", a.api(a.apiDesk))
		r.Get("/audit", a.api(a.apiAudit))
		r.Get("/users", a.api(a.apiUsers))
		r.Put("/users/{id}", a.api(a.apiUpdateUser))
		r.Post("/users/{id}/reset-password", a.api(a.apiResetPassword))
		r.Get("/users/{id}/access", a.api(a.apiUserAccess))
		r.Post("/users/{id}/logout", a.api(a.apiEndSessions))
		r.Delete("/tokens/{id}", a.api(a.apiRevokeToken))
		r.Get("/placement/{place}", a.api(a.apiPlacement))
		r.Put("/placement/{place}", a.api(a.apiSetPlacement))
		r.Get("/workflow", a.api(a.apiWorkflow))
		r.Put("/workflow", a.api(a.apiSetWorkflow))
		r.NotFound(a.api(func(http.ResponseWriter, *http.Request) error {
			return news.Errorf(news.ENOTFOUND, "没有这个接口。")
		}))
	})
	// Cross-origin form posts are refused before any handler runs: the
	// browser's Sec-Fetch-Site and Origin headers say where a request came
	// from, so no token has to be threaded through every form. API clients
	// with a Bearer token send neither header and pass.
	return http.NewCrossOriginProtection().Handler(r)
}

// ui adapts a handler that returns an error to http.HandlerFunc, showing
// the error as a Chinese page.
func (a *Admin) ui(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := parseForm(r)
		if err == nil {
			err = fn(w, r)
		}
		if err == nil {
			return
		}
		status := httpx.Status(err)
		if status == http.StatusUnauthorized {
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		httpx.RetryAfter(w, err)
		if status == http.StatusInternalServerError {
			a.cfg.Log.Error("admin request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		a.renderStatus(w, r, status, "error", &errorPage{Message: news.ErrorMessage(err), Status: status})
	}
}

// parseForm reads a form post before its handler runs, so that a body
// over its limit is refused as such (413) rather than read as a form with
// fields missing.
func parseForm(r *http.Request) error {
	if r.Method != http.MethodPost {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		if t := httpx.TooLarge(err); t != err {
			return t
		}
		return news.Errorf(news.EINVALID, "表单无法读取：%v", err)
	}
	return nil
}

// api adapts a JSON handler; errors become {"error","code","fields"}.
func (a *Admin) api(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		status := httpx.Status(err)
		if status == http.StatusInternalServerError {
			a.cfg.Log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		httpx.RetryAfter(w, err)
		body := map[string]any{"error": news.ErrorMessage(err), "code": news.ErrorCode(err)}
		if f := news.ErrorFields(err); len(f) > 0 {
			body["fields"] = f
		}
		var ce *conflictError
		if errors.As(err, &ce) {
			body["current"] = ce.current
		}
		httpx.WriteJSON(w, status, body)
	}
}

// storyOf loads the story named by the {id} route parameter, if the
// logged-in user may see it.
func (a *Admin) storyOf(r *http.Request) (*news.Story, error) {
	id, err := parseID(r)
	if err != nil {
		return nil, err
	}
	return a.cfg.Desk.Get(r.Context(), userOf(r), id)
}

// parseID reads the {id} route parameter, strictly (httpx.ID): /1abc,
// /%201 and /1e3 name no story.
func parseID(r *http.Request) (int64, error) {
	id, ok := httpx.ID(chi.URLParam(r, "id"))
	if !ok {
		return 0, news.Errorf(news.ENOTFOUND, "稿件不存在。")
	}
	return id, nil
}
