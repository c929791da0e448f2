package admin

import (
	"net/http"
	"strings"

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
