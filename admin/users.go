package admin

import (
	"net/http"
	"strings"

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

func requireAdmin(u *news.User) error {
	if u.Role != news.RoleAdmin {
		return news.Errorf(news.EFORBIDDEN, "只有管理员可以管理用户。")
	}
	return nil
}

func (a *Admin) users(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(userOf(r)); err != nil {
		return err
	}
	list, err := a.cfg.DB.Users(r.Context())
	if err != nil {
		return err
	}
	return a.render(w, r, "users", "用户管理", &usersData{Users: list, Roles: news.Roles})
}

func (a *Admin) createUser(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(userOf(r)); err != nil {
		return err
	}
	u := &news.User{Name: strings.TrimSpace(r.PostFormValue("name")), Role: news.Role(r.PostFormValue("role"))}
	if err := a.cfg.DB.CreateUser(r.Context(), u, r.PostFormValue("password")); err != nil {
		code := news.ErrorCode(err)
		if code != news.EINVALID && code != news.ECONFLICT {
			return err
		}
		list, lerr := a.cfg.DB.Users(r.Context())
		if lerr != nil {
			return lerr
		}
		return a.renderStatus(w, r, statusOf(err), "users", &page{Title: "用户管理", Data: &usersData{
			Users: list, Roles: news.Roles, Name: u.Name, Role: string(u.Role), Errors: news.ErrorFields(err), Error: news.ErrorMessage(err)}})
	}
	http.Redirect(w, r, "/admin/users?msg="+urlQuery("已添加用户 "+u.Name+"。"), http.StatusSeeOther)
	return nil
}
