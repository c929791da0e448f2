package admin

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"newsroom/internal/desk"
	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

type usersData struct {
	Users  []news.User
	Roles  []news.Role
	Name   string
	Role   string
	Errors map[string]string
	Error  string
	// OneTime is a password just reset for user OneTimeFor, shown once.
	OneTime, OneTimeFor string
}

func (a *Admin) users(w http.ResponseWriter, r *http.Request) error {
	list, err := a.cfg.Desk.Users(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	return a.render(w, r, "users", "用户管理", &usersData{Users: list, Roles: news.Roles})
}

func (a *Admin) createUser(w http.ResponseWriter, r *http.Request) error {
	u := &news.User{Name: strings.TrimSpace(r.PostFormValue("name")), Role: news.Role(r.PostFormValue("role"))}
	if err := a.cfg.Desk.CreateUser(r.Context(), userOf(r), u, r.PostFormValue("password")); err != nil {
		code := news.ErrorCode(err)
		if code != news.EINVALID && code != news.ECONFLICT {
			return err
		}
		list, lerr := a.cfg.Desk.Users(r.Context(), userOf(r))
		if lerr != nil {
			return lerr
		}
		return a.renderStatus(w, r, httpx.Status(err), "users", &page{Title: "用户管理", Data: &usersData{
			Users: list, Roles: news.Roles, Name: u.Name, Role: string(u.Role), Errors: news.ErrorFields(err), Error: news.ErrorMessage(err)}})
	}
	http.Redirect(w, r, "/admin/users?msg="+urlQuery("已添加用户 "+u.Name+"。"), http.StatusSeeOther)
	return nil
}

// userID reads the {id} route parameter of the users' routes.
func userID(r *http.Request) (int64, error) {
	id, ok := httpx.ID(chi.URLParam(r, "id"))
	if !ok {
		return 0, news.Errorf(news.ENOTFOUND, "用户不存在。")
	}
	return id, nil
}

// updateUser applies the users page's per-row forms: a role, 停用/启用.
func (a *Admin) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	var c desk.UserChange
	if role := r.PostFormValue("role"); role != "" {
		rl := news.Role(role)
		c.Role = &rl
	}
	if d := r.PostFormValue("disabled"); d != "" {
		v := d == "true"
		c.Disabled = &v
	}
	nu, err := a.cfg.Desk.UpdateUser(r.Context(), userOf(r), id, c)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users?msg="+urlQuery("已更新用户 "+nu.Name+"。"), http.StatusSeeOther)
	return nil
}

// resetPassword shows the one-time password on the page itself, never in
// a URL (which would land in logs and the browser's history).
func (a *Admin) resetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	pw, err := a.cfg.Desk.ResetPassword(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	list, err := a.cfg.Desk.Users(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	var name string
	for _, u := range list {
		if u.ID == id {
			name = u.Name
		}
	}
	return a.render(w, r, "users", "用户管理", &usersData{Users: list, Roles: news.Roles, OneTime: pw, OneTimeFor: name})
}

// endUserSessions ends every session of a user (an admin's 强制下线).
func (a *Admin) endUserSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := a.cfg.Desk.EndSessions(r.Context(), userOf(r), id); err != nil {
		return err
	}
	if id == userOf(r).ID {
		a.setSessionCookie(w, r, "", -1)
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/admin/users?msg="+urlQuery("已结束该用户的所有登录。"), http.StatusSeeOther)
	return nil
}

// revokeToken deletes an API token, from the users page or one's own
// password page.
func (a *Admin) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, ok := httpx.ID(chi.URLParam(r, "id"))
	if !ok {
		return news.Errorf(news.ENOTFOUND, "没有这个令牌。")
	}
	if err := a.cfg.Desk.RevokeToken(r.Context(), userOf(r), id); err != nil {
		return err
	}
	back := "/admin/password"
	if userOf(r).Role == news.RoleAdmin && r.PostFormValue("back") == "users" {
		back = "/admin/users"
	}
	http.Redirect(w, r, back+"?msg="+urlQuery("令牌已作废。"), http.StatusSeeOther)
	return nil
}

func (a *Admin) apiUsers(w http.ResponseWriter, r *http.Request) error {
	list, err := a.cfg.Desk.Users(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	if list == nil {
		list = []news.User{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"users": list})
	return nil
}

func (a *Admin) apiUpdateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	var c desk.UserChange
	if err := decode(r, &c); err != nil {
		return err
	}
	nu, err := a.cfg.Desk.UpdateUser(r.Context(), userOf(r), id, c)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, nu)
	return nil
}

func (a *Admin) apiResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	pw, err := a.cfg.Desk.ResetPassword(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"password": pw, "must_change_password": true})
	return nil
}

func (a *Admin) apiUserAccess(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	sessions, tokens, err := a.cfg.Desk.Access(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	if sessions == nil {
		sessions = []news.Session{}
	}
	if tokens == nil {
		tokens = []news.Token{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"sessions": sessions, "tokens": tokens})
	return nil
}

func (a *Admin) apiEndSessions(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := a.cfg.Desk.EndSessions(r.Context(), userOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *Admin) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, ok := httpx.ID(chi.URLParam(r, "id"))
	if !ok {
		return news.Errorf(news.ENOTFOUND, "没有这个令牌。")
	}
	if err := a.cfg.Desk.RevokeToken(r.Context(), userOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
