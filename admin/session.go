package admin

import (
	"context"
	"net/http"
	"strings"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

type loginData struct {
	Name  string
	Error string
	Next  string
}

func (a *Admin) loginForm(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, "login", "登录", &loginData{})
}

func (a *Admin) login(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.PostFormValue("name"))
	_, secret, err := a.cfg.Desk.Login(r.Context(), name, r.PostFormValue("password"), a.cfg.SessionTTL)
	if err != nil {
		if news.ErrorCode(err) != news.EUNAUTHORIZED {
			return err
		}
		a.cfg.Log.Warn("failed login", "name", name, "remote", r.RemoteAddr)
		return a.renderStatus(w, r, http.StatusUnauthorized, "login", &page{Title: "登录", Data: &loginData{Name: name, Error: news.ErrorMessage(err)}})
	}
	a.setSessionCookie(w, secret, int(a.cfg.SessionTTL.Seconds()))
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}

func (a *Admin) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := a.cfg.Desk.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	a.setSessionCookie(w, "", -1)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

type passwordData struct{ Error string }

func (a *Admin) passwordForm(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, "password", "修改密码", &passwordData{})
}

func (a *Admin) changePassword(w http.ResponseWriter, r *http.Request) error {
	// Changing the password ends every session; the desk starts a fresh
	// one for this browser.
	secret, err := a.cfg.Desk.ChangePassword(r.Context(), userOf(r), r.PostFormValue("current"), r.PostFormValue("new"),
		r.PostFormValue("confirm"), a.cfg.SessionTTL)
	if news.ErrorCode(err) == news.EINVALID {
		return a.renderStatus(w, r, http.StatusBadRequest, "password", &page{Title: "修改密码", Data: &passwordData{Error: news.ErrorMessage(err)}})
	}
	if err != nil {
		return err
	}
	a.setSessionCookie(w, secret, int(a.cfg.SessionTTL.Seconds()))
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
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		u, err := a.cfg.Desk.SessionUser(r.Context(), c.Value)
		if err != nil {
			if news.ErrorCode(err) != news.EUNAUTHORIZED {
				a.cfg.Log.Error("session lookup failed", "err", err)
			}
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
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
			u, err = a.cfg.Desk.TokenUser(r.Context(), strings.TrimSpace(tok))
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

func (a *Admin) setSessionCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}
