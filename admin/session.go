package admin

import (
	"context"
	"net/http"
	"strings"

	"newsroom/internal/httpsec"
	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

type loginData struct {
	Name  string
	Error string
	Next  string
	// Carry is the token of a form post kept while its sender logs in
	// again (carry.go).
	Carry string
}

func (a *Admin) loginForm(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, "login", "登录", &loginData{})
}

// maxLoginForm bounds a login or password form: a name and a password or
// three, far below this.
const maxLoginForm = 16 << 10

func (a *Admin) login(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		return news.Errorf(news.EINVALID, "登录表单过大或格式有误。")
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	u, secret, err := a.cfg.Desk.Login(r.Context(), name, r.PostFormValue("password"), r.RemoteAddr, a.cfg.SessionTTL)
	if err != nil {
		code := news.ErrorCode(err)
		if code != news.EUNAUTHORIZED && code != news.ETOOMANY && code != news.EUNAVAILABLE {
			return err
		}
		a.cfg.Log.Warn("failed login", "name", name, "remote", r.RemoteAddr, "code", code)
		httpx.RetryAfter(w, err)
		return a.renderStatus(w, r, httpx.Status(err), "login", &page{Title: "登录", Data: &loginData{Name: name, Error: news.ErrorMessage(err),
			Carry: r.PostFormValue("carry")}})
	}
	// A new session at every login, and the one the browser had before is
	// ended: a session id planted before the login is worth nothing after.
	if c, err := r.Cookie(sessionCookie); err == nil {
		a.cfg.Desk.Logout(r.Context(), c.Value)
	}
	a.setSessionCookie(w, r, secret, int(a.cfg.SessionTTL.Seconds()))
	if token := r.PostFormValue("carry"); token != "" {
		if ok, err := a.restoreCarried(w, r, u, token); ok || err != nil {
			return err
		}
	}
	if u.MustChangePassword {
		http.Redirect(w, r, "/admin/password?msg="+urlQuery("请先设置您自己的密码。"), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}

func (a *Admin) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := a.cfg.Desk.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	a.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

// logoutEverywhere ends every session of the user, this one included.
func (a *Admin) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if err := a.cfg.Desk.LogoutEverywhere(r.Context(), userOf(r)); err != nil {
		return err
	}
	a.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/admin/login?msg="+urlQuery("已在所有设备上退出登录。"), http.StatusSeeOther)
	return nil
}

type passwordData struct {
	Error    string
	Sessions []news.Session
	Tokens   []news.Token
}

func (a *Admin) passwordForm(w http.ResponseWriter, r *http.Request) error {
	return a.renderPassword(w, r, http.StatusOK, "")
}

// renderPassword shows the password form with the user's sessions and
// tokens, and an error if there is one.
func (a *Admin) renderPassword(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	u := userOf(r)
	sessions, tokens, err := a.cfg.Desk.Access(r.Context(), u, u.ID)
	if err != nil {
		return err
	}
	return a.renderStatus(w, r, status, "password", &page{Title: "修改密码", Data: &passwordData{Error: msg, Sessions: sessions, Tokens: tokens}})
}

func (a *Admin) changePassword(w http.ResponseWriter, r *http.Request) error {
	// Changing the password ends every session; the desk starts a fresh
	// one for this browser.
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	secret, err := a.cfg.Desk.ChangePassword(r.Context(), userOf(r), r.PostFormValue("current"), r.PostFormValue("new"),
		r.PostFormValue("confirm"), a.cfg.SessionTTL)
	if code := news.ErrorCode(err); code == news.EINVALID || code == news.EUNAVAILABLE {
		httpx.RetryAfter(w, err)
		return a.renderPassword(w, r, httpx.Status(err), news.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	a.setSessionCookie(w, r, secret, int(a.cfg.SessionTTL.Seconds()))
	http.Redirect(w, r, "/admin/?msg="+urlQuery("密码已修改。"), http.StatusSeeOther)
	return nil
}

type ctxKey int

const userKey ctxKey = 0

func withUser(ctx context.Context, u *news.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// userOf returns the logged-in user of a request that passed the auth
// middleware.
func userOf(r *http.Request) *news.User {
	u, _ := r.Context().Value(userKey).(*news.User)
	return u
}

const sessionCookie = "newsroom_session"

// requireSession lets a request through only with a live session cookie.
func (a *Admin) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil {
			a.carryToLogin(w, r)
			return
		}
		u, err := a.cfg.Desk.SessionUser(r.Context(), c.Value)
		if err != nil {
			if news.ErrorCode(err) != news.EUNAUTHORIZED {
				a.cfg.Log.Error("session lookup failed", "err", err)
			}
			a.carryToLogin(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		// A one-time password must be replaced before anything else.
		if u.MustChangePassword && r.URL.Path != "/admin/password" && r.URL.Path != "/admin/logout" {
			http.Redirect(w, r, "/admin/password?msg="+urlQuery("请先设置您自己的密码。"), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r.WithContext(withUser(r.Context(), u)))
	})
}

// requireAPIUser authenticates API calls by Bearer token, or by the admin
// session cookie so that the UI's own scripts could call the API too.
func (a *Admin) requireAPIUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var u *news.User
		var err error
		if h := r.Header.Get("Authorization"); h != "" {
			tok, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				httpx.WriteJSON(w, http.StatusUnauthorized, map[string]string{"error": "Authorization 须为 Bearer 令牌。", "code": news.EUNAUTHORIZED})
				return
			}
			var t *news.Token
			u, t, err = a.cfg.Desk.TokenUser(r.Context(), strings.TrimSpace(tok))
			if err == nil && t.Scope == news.ScopeRead && r.Method != http.MethodGet && r.Method != http.MethodHead {
				httpx.WriteJSON(w, http.StatusForbidden, map[string]string{"error": "此 API 令牌只能读取，不能修改。", "code": news.EFORBIDDEN})
				return
			}
		} else if c, cerr := r.Cookie(sessionCookie); cerr == nil {
			u, err = a.cfg.Desk.SessionUser(r.Context(), c.Value)
		} else {
			err = news.Errorf(news.EUNAUTHORIZED, "需要登录或 API 令牌。")
		}
		if err != nil {
			status := httpx.Status(err)
			if status == http.StatusNotFound {
				status = http.StatusUnauthorized
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="newsroom"`)
			httpx.WriteJSON(w, status, map[string]string{"error": news.ErrorMessage(err), "code": news.EUNAUTHORIZED})
			return
		}
		next.ServeHTTP(w, r.WithContext(withUser(r.Context(), u)))
	})
}

// setSessionCookie sets (or, with maxAge < 0, clears) the session cookie.
// It is Secure when configured so, and whenever the request came over
// https, directly or through a reverse proxy on this machine.
func (a *Admin) setSessionCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: a.cfg.SecureCookies || httpsec.IsHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
}
