package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

// List paging: GET /api/admin/stories and /admin/stories answer at most
// maxLimit stories at a time, defaultLimit unless asked.
const (
	defaultLimit = 50
	maxLimit     = 200
)

// storyQuery reads a story list's filter from the query string (the API's
// and the list page's alike): q, state (one state or several, comma
// separated), section, owner (a user name; importer for imports),
// edition (YYYY-MM-DD), page, limit, offset. A value that cannot be
// meant is an EINVALID error naming the field, not an empty list.
func storyQuery(v url.Values) (news.StoryFilter, error) {
	f := news.StoryFilter{}
	var err error
	text := func(dst *string, name string, max int) {
		if err == nil {
			*dst, err = httpx.Text(v, name, max)
		}
	}
	number := func(dst *int, name string, def, lo, hi int) {
		if err == nil {
			*dst, err = httpx.Int(v, name, def, lo, hi)
		}
	}
	text(&f.Query, "q", 100)
	text(&f.Section, "section", 40)
	text(&f.Owner, "owner", 64)
	text(&f.Edition, "edition", 10)
	number(&f.Page, "page", 0, 1, 999)
	number(&f.Limit, "limit", defaultLimit, 1, maxLimit)
	number(&f.Offset, "offset", 0, 0, 1<<30)
	if err != nil {
		return f, err
	}
	if f.Edition != "" {
		if _, err := time.Parse(time.DateOnly, f.Edition); err != nil || len(f.Edition) != 10 {
			return f, &news.Error{Code: news.EINVALID, Message: "版面日期格式应为 YYYY-MM-DD。", Fields: map[string]string{"edition": "版面日期格式应为 YYYY-MM-DD"}}
		}
	}
	for _, st := range strings.Split(v.Get("state"), ",") {
		if st = strings.TrimSpace(st); st == "" {
			continue
		}
		if !slices.Contains(news.States, news.State(st)) {
			return f, &news.Error{Code: news.EINVALID, Message: "没有这个状态：" + st + "。", Fields: map[string]string{"state": "未知的状态"}}
		}
		f.States = append(f.States, news.State(st))
	}
	return f, nil
}

// storyPage is one page of a story list with the total it is part of.
type storyPage struct {
	Stories []news.Story `json:"stories"`
	Total   int          `json:"total"`
}

func (a *Admin) listStories(r *http.Request, f news.StoryFilter) (*storyPage, error) {
	ctx, u := r.Context(), userOf(r)
	list, err := a.cfg.Desk.List(ctx, u, f)
	if err != nil {
		return nil, err
	}
	total, err := a.cfg.Desk.Count(ctx, u, f)
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []news.Story{}
	}
	return &storyPage{Stories: list, Total: total}, nil
}

// apiListStories answers {"stories": [...], "total": N}: one page of the
// stories the caller may see (reporters: their own), most recently
// changed first.
func (a *Admin) apiListStories(w http.ResponseWriter, r *http.Request) error {
	f, err := storyQuery(r.URL.Query())
	if err != nil {
		return err
	}
	p, err := a.listStories(r, f)
	if err != nil {
		return err
	}
	w.Header().Set("X-Total-Count", strconv.Itoa(p.Total))
	httpx.WriteJSON(w, http.StatusOK, p)
	return nil
}

// apiAssign hands a story to another user: {"owner": USER_ID}.
func (a *Admin) apiAssign(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	var in struct {
		Owner int64 `json:"owner"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	s, err := a.cfg.Desk.Assign(r.Context(), userOf(r), id, in.Owner)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.storyJSON(s))
	return nil
}

// storiesPage is the list page: the filter form, one page of stories,
// paging links, and in the 待处理 view (imported drafts) where each came
// from and a form to assign it.
type storiesPage struct {
	Filter    news.StoryFilter
	State     string // the state field as asked
	Sections  []string
	States    []news.State
	Stories   []news.Story
	Total     int
	From, To  int    // 1-based positions shown
	Prev      string // query of the previous page, "" if none
	Next      string
	Query     string      // the page's own query, to come back to after an assignment
	Pending   bool        // the 待处理 view: imported drafts
	Assignees []news.User // for the assign form (editors and above)
	Error     string
}

// pendingQuery is the 待处理 view: drafts owned by the importer account.
const pendingQuery = "owner=importer&state=draft"

func (a *Admin) storiesList(w http.ResponseWriter, r *http.Request) error {
	// An empty field is an absent one here: the form sends every field,
	// filled or not (the API, strict, refuses an empty number).
	v := url.Values{}
	for k, vs := range r.URL.Query() {
		if k != "msg" && len(vs) > 0 && strings.TrimSpace(vs[0]) != "" {
			v[k] = vs
		}
	}
	d := &storiesPage{Sections: a.cfg.Sections, States: news.States, State: v.Get("state"), Query: v.Encode()}
	f, err := storyQuery(v)
	d.Filter = f
	if err != nil {
		d.Error = news.ErrorMessage(err)
		return a.renderStatus(w, r, http.StatusBadRequest, "stories", &page{Title: "稿件库", Data: d})
	}
	p, err := a.listStories(r, f)
	if err != nil {
		return err
	}
	d.Stories, d.Total = p.Stories, p.Total
	if len(d.Stories) > 0 {
		d.From, d.To = f.Offset+1, f.Offset+len(d.Stories)
	}
	paged := func(offset int) string {
		q := url.Values{}
		for k, vs := range v {
			q[k] = vs
		}
		q.Set("offset", strconv.Itoa(offset))
		return q.Encode()
	}
	if f.Offset > 0 {
		d.Prev = paged(max(f.Offset-f.Limit, 0))
	}
	if f.Offset+len(d.Stories) < d.Total {
		d.Next = paged(f.Offset + f.Limit)
	}
	d.Pending = f.Owner == "importer"
	title := "稿件库"
	if d.Pending {
		title = "待处理"
	}
	if u := userOf(r); u.Role.Reviewer() {
		if d.Assignees, err = a.cfg.Desk.Assignees(r.Context(), u); err != nil {
			return err
		}
	}
	return a.render(w, r, "stories", title, d)
}

// assignStory is the assign form of the list page; it goes back to the
// list it came from.
func (a *Admin) assignStory(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	owner, ok := httpx.ID(strings.TrimSpace(r.PostFormValue("owner")))
	if !ok {
		return &news.Error{Code: news.EINVALID, Message: "请选择要把稿件指派给谁。", Fields: map[string]string{"owner": "应为一个用户"}}
	}
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/admin/stories") || strings.HasPrefix(back, "//") {
		back = "/admin/stories/" + strconv.FormatInt(id, 10)
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	s, err := a.cfg.Desk.Assign(r.Context(), userOf(r), id, owner)
	if err != nil {
		if code := news.ErrorCode(err); code == news.EFORBIDDEN || code == news.ENOTFOUND {
			return err
		}
		http.Redirect(w, r, back+sep+"msg="+urlQuery(news.ErrorMessage(err)), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, back+sep+"msg="+urlQuery("已将《"+s.Title+"》指派给 "+s.Owner+"。"), http.StatusSeeOther)
	return nil
}
