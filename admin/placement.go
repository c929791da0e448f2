package admin

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

// placementJSON is a placement in the API: the story ids in order (the
// contract) and, for reading, each placed story's id, title and URL.
type placementJSON struct {
	Place   string       `json:"place"`
	Stories []int64      `json:"stories"`
	Items   []placedItem `json:"items"`
}

type placedItem struct {
	ID      int64  `json:"id"`
	Title   string `json:"title"`
	URL     string `json:"url"`
	Section string `json:"section"`
}

func placementOf(place string, list []news.Story) placementJSON {
	out := placementJSON{Place: place, Stories: []int64{}, Items: []placedItem{}}
	for _, s := range list {
		out.Stories = append(out.Stories, s.ID)
		out.Items = append(out.Items, placedItem{ID: s.ID, Title: s.Title, URL: s.URL, Section: s.Section})
	}
	return out
}

func (a *Admin) apiPlacement(w http.ResponseWriter, r *http.Request) error {
	place := chi.URLParam(r, "place")
	list, err := a.cfg.Desk.Placement(r.Context(), userOf(r), place)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, placementOf(place, list))
	return nil
}

func (a *Admin) apiSetPlacement(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Stories []int64 `json:"stories"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	place := chi.URLParam(r, "place")
	list, err := a.cfg.Desk.Place(r.Context(), userOf(r), news.Placement{Place: place, Stories: in.Stories})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, placementOf(place, list))
	return nil
}

// placementPage is the 版面排序 page: the stories placed on one place, then
// the candidates (live stories of the place, newest first, or those a
// search finds), each with a number box: a number places the story, the
// smallest first (头条); an empty box leaves it by time. Rows can be
// dragged as well; the script renumbers the boxes, so the form says the
// same with or without it.
type placementPage struct {
	Place      string
	PlaceLabel string
	Places     []placeLink
	Placed     []news.Story
	Candidates []news.Story
	Query      string
	Error      string
}

type placeLink struct {
	Place, Label, URL string
	Current           bool
}

func (a *Admin) placementPage(w http.ResponseWriter, r *http.Request) error {
	return a.showPlacement(w, r, http.StatusOK, r.URL.Query().Get("place"), "")
}

func (a *Admin) showPlacement(w http.ResponseWriter, r *http.Request, status int, place, msg string) error {
	if place == "" {
		place = news.PlaceHome
	}
	u := userOf(r)
	placed, err := a.cfg.Desk.Placement(r.Context(), u, place)
	if err != nil {
		return err
	}
	d := &placementPage{Place: place, PlaceLabel: news.PlaceLabel(place), Placed: placed, Error: msg,
		Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	for _, p := range append([]string{news.PlaceHome}, a.cfg.Sections...) {
		d.Places = append(d.Places, placeLink{Place: p, Label: news.PlaceLabel(p), Current: p == place,
			URL: "/admin/placement?place=" + url.QueryEscape(p)})
	}
	f := news.StoryFilter{States: []news.State{news.StatePublished, news.StateCorrected}, Query: d.Query, Limit: 50}
	if place != news.PlaceHome {
		f.Section = place
	}
	cands, err := a.cfg.Desk.List(r.Context(), u, f)
	if err != nil {
		return err
	}
	for _, s := range cands {
		if s.Kind != news.KindNotice && !slices.ContainsFunc(placed, func(p news.Story) bool { return p.ID == s.ID }) {
			d.Candidates = append(d.Candidates, s)
		}
	}
	return a.renderStatus(w, r, status, "placement", &page{Title: "版面排序", Data: d})
}

// savePlacement reads the form: for each story row an id and a number;
// the numbered ones are placed by number (ties keep the rows' order).
func (a *Admin) savePlacement(w http.ResponseWriter, r *http.Request) error {
	place := r.PostForm.Get("place")
	ids, nums := r.PostForm["id"], r.PostForm["pos"]
	if len(ids) != len(nums) {
		return news.Errorf(news.EINVALID, "表单不完整，请刷新页面后重试。")
	}
	type row struct {
		id  int64
		pos int
	}
	var rows []row
	for i, v := range nums {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		pos, err := strconv.Atoi(v)
		if err != nil || pos < 1 || pos > 999 {
			return a.showPlacement(w, r, http.StatusBadRequest, place, "序号须为 1 到 999 的整数（留空表示不置顶）："+v)
		}
		id, err := strconv.ParseInt(ids[i], 10, 64)
		if err != nil {
			return news.Errorf(news.EINVALID, "表单不完整，请刷新页面后重试。")
		}
		rows = append(rows, row{id, pos})
	}
	slices.SortStableFunc(rows, func(a, b row) int { return a.pos - b.pos })
	p := news.Placement{Place: place, Stories: []int64{}}
	for _, x := range rows {
		p.Stories = append(p.Stories, x.id)
	}
	_, err := a.cfg.Desk.Place(r.Context(), userOf(r), p)
	if news.ErrorCode(err) == news.EINVALID {
		return a.showPlacement(w, r, http.StatusBadRequest, place, news.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/placement?place="+url.QueryEscape(place)+"&msg="+urlQuery(news.PlaceLabel(place)+"排序已保存并发布。"), http.StatusSeeOther)
	return nil
}
