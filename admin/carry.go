package admin

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

// A story or notice form sent after its login ended (an expired session, a
// logout elsewhere) must not lose what was typed, also without JavaScript
// (with it, the browser keeps a copy anyway). The server keeps the post for
// a while under a random token, answers with the login page carrying that
// token, and after the login turns the post into the user's autosave of the
// form and opens the form restored from it (?restore=autosave). Nothing is
// saved until the user saves again; whoever logs in is checked as for any
// autosave.

// Bounds of the posts kept: an hour or two of a newsroom whose logins all
// expired at once, and no more than a few full story forms' worth each.
const (
	carryTTL      = 2 * time.Hour
	carryMaxForms = 200
	carryMaxBytes = 64 << 20
)

// carried is the posts kept for a login, by token.
type carried struct {
	mu    sync.Mutex
	now   func() time.Time
	forms map[string]carriedForm
	bytes int
}

type carriedForm struct {
	path   string // where the form was sent: /admin/stories/12, /admin/notices …
	fields url.Values
	at     time.Time
	size   int
}

func newCarried(now func() time.Time) *carried {
	return &carried{now: now, forms: map[string]carriedForm{}}
}

// keep stores a post and returns its token; the oldest posts go first when
// the bounds are reached.
func (c *carried) keep(path string, fields url.Values) string {
	size := 0
	for k, vs := range fields {
		for _, v := range vs {
			size += len(k) + len(v)
		}
	}
	b := make([]byte, 16)
	rand.Read(b)
	token := hex.EncodeToString(b)
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for t, f := range c.forms {
		if now.Sub(f.at) > carryTTL {
			c.drop(t)
		}
	}
	for len(c.forms) > 0 && (len(c.forms) >= carryMaxForms || c.bytes+size > carryMaxBytes) {
		oldest := ""
		for t, f := range c.forms {
			if oldest == "" || f.at.Before(c.forms[oldest].at) {
				oldest = t
			}
		}
		c.drop(oldest)
	}
	c.forms[token] = carriedForm{path: path, fields: fields, at: now, size: size}
	c.bytes += size
	return token
}

// take returns the post kept under token and forgets it.
func (c *carried) take(token string) (carriedForm, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.forms[token]
	if !ok || c.now().Sub(f.at) > carryTTL {
		return carriedForm{}, false
	}
	c.drop(token)
	return f, true
}

func (c *carried) drop(token string) {
	c.bytes -= c.forms[token].size
	delete(c.forms, token)
}

// carriedFormOf names the form a post to path saves: a story's or a
// notice's, and the story's id (0 for a new one). ok is false for every
// other post.
func carriedFormOf(path string) (notice bool, id int64, ok bool) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] != "admin" || parts[1] != "stories" && parts[1] != "notices" {
		return false, 0, false
	}
	notice = parts[1] == "notices"
	if len(parts) == 2 {
		return notice, 0, true
	}
	id, ok = httpx.ID(parts[2])
	return notice, id, ok
}

// carryToLogin answers a form post whose login has ended: the post is
// kept and the login page carries its token. Other posts and every other
// request go to the login page as before.
func (a *Admin) carryToLogin(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := carriedFormOf(r.URL.Path); !ok || r.Method != http.MethodPost || parseForm(r) != nil {
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return
	}
	token := a.carry.keep(r.URL.Path, r.PostForm)
	a.renderStatus(w, r, http.StatusUnauthorized, "login", &page{Title: "登录", Data: &loginData{Carry: token,
		Error: "登录已过期，刚才提交的内容还没有保存，但没有丢失：请重新登录，登录后会回到表单并恢复这些内容，检查后再保存。"}})
}

// restoreCarried, after a login, turns the post kept under token into u's
// autosave of its form and sends the browser to the form restored from it.
// ok is false when there is nothing to restore (the token is unknown or
// expired). When u may not autosave the form (someone else logged in, or
// the story moved on), the form comes back with the text and the reason.
func (a *Admin) restoreCarried(w http.ResponseWriter, r *http.Request, u *news.User, token string) (ok bool, err error) {
	f, found := a.carry.take(token)
	if !found {
		return false, nil
	}
	notice, id, _ := carriedFormOf(f.path)
	key := id
	if notice && id == 0 {
		key = news.NewNotice
	}
	base, _ := strconv.Atoi(f.fields.Get("version"))
	as := &news.Autosave{StoryID: key, Base: base, Fields: news.FormFields(f.fields)}
	r = r.WithContext(withUser(r.Context(), u))
	if aerr := a.cfg.Desk.Autosave(r.Context(), u, as); aerr != nil {
		msg := "登录前提交的内容没有保存：" + news.ErrorMessage(aerr) + " 下面保留了你输入的全部内容，可以复制留存。"
		if notice {
			s := &news.Story{ID: id, Kind: news.KindNotice}
			noticeFromValues(f.fields).apply(s)
			d := noticeForm(s, base)
			d.Message = msg
			return true, a.renderStatus(w, r, httpx.Status(aerr), "notice", &page{Title: "修改公告", Data: d})
		}
		s := storyFromValues(f.fields)
		s.ID = id
		return true, a.renderStatus(w, r, httpx.Status(aerr), "edit", &page{Title: "修改稿件",
			Data: &formData{Story: s, Base: base, Message: msg, Sections: a.cfg.Sections, Refused: true,
				Note: news.Correction{Kind: f.fields.Get("correction_kind"), Note: f.fields.Get("correction")}}})
	}
	next := formPath(notice, key) + "?restore=autosave&msg=" + urlQuery("已恢复登录前提交的内容，还没有保存：请检查后再保存。")
	if u.MustChangePassword {
		// The form offers the copy once the password is set.
		next = "/admin/password?msg=" + urlQuery("请先设置您自己的密码。登录前提交的内容已自动保存，之后打开表单即可恢复。")
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return true, nil
}
