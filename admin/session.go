package admin

import (
	"net/http"
	"strings"

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
	u, err := a.cfg.DB.Authenticate(r.Context(), name, r.PostFormValue("password"))
	if err != nil {
		if news.ErrorCode(err) != news.EUNAUTHORIZED {
			return err
		}
		a.cfg.Log.Warn("failed login", "name", name, "remote", r.RemoteAddr)
		return a.renderStatus(w, r, http.StatusUnauthorized, "login", &page{Title: "登录", Data: &loginData{Name: name, Error: news.ErrorMessage(err)}})
	}
	secret, err := a.cfg.DB.CreateSession(r.Context(), u.ID, a.cfg.SessionTTL)
	if err != nil {
		return err
	}
	a.setSessionCookie(w, secret, int(a.cfg.SessionTTL.Seconds()))
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}

func (a *Admin) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := a.cfg.DB.DeleteSession(r.Context(), c.Value); err != nil {
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
	u := userOf(r)
	if _, err := a.cfg.DB.Authenticate(r.Context(), u.Name, r.PostFormValue("current")); err != nil {
		return a.renderStatus(w, r, http.StatusBadRequest, "password", &page{Title: "修改密码", Data: &passwordData{Error: "当前密码不正确。"}})
	}
	if r.PostFormValue("new") != r.PostFormValue("confirm") {
		return a.renderStatus(w, r, http.StatusBadRequest, "password", &page{Title: "修改密码", Data: &passwordData{Error: "两次输入的新密码不一致。"}})
	}
	if err := a.cfg.DB.SetPassword(r.Context(), u.ID, r.PostFormValue("new")); err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return a.renderStatus(w, r, http.StatusBadRequest, "password", &page{Title: "修改密码", Data: &passwordData{Error: news.ErrorMessage(err)}})
		}
		return err
	}
	// Changing the password ended every session; start a fresh one here.
	secret, err := a.cfg.DB.CreateSession(r.Context(), u.ID, a.cfg.SessionTTL)
	if err != nil {
		return err
	}
	a.setSessionCookie(w, secret, int(a.cfg.SessionTTL.Seconds()))
	http.Redirect(w, r, "/admin/?msg="+urlQuery("密码已修改。"), http.StatusSeeOther)
	return nil
}
