package admin

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"newsroom/internal/desk"
	"newsroom/internal/epaper"
	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

// The e-paper's printed pages: upload a page's PDF or image, correct the
// story areas found on it, and order its stories (docs/api.md).

// apiArea is a story's area in the API: percent of the page image.
type apiArea struct {
	Story int64   `json:"story"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	W     float64 `json:"w"`
	H     float64 `json:"h"`
}

// apiPageStory is a story of a page, in the page's order.
type apiPageStory struct {
	ID       int64      `json:"id"`
	Kicker   string     `json:"kicker,omitempty"`
	Title    string     `json:"title"`
	Subtitle string     `json:"subtitle,omitempty"`
	State    news.State `json:"state"`
	URL      string     `json:"url,omitempty"`
}

// apiEditionPage is a printed page in the API.
type apiEditionPage struct {
	Date    string         `json:"date"`
	Page    int            `json:"page"`
	Name    string         `json:"name"`
	Label   string         `json:"label"` // 第01版：要闻
	URL     string         `json:"url"`   // /edition/2023-06-08/01/
	Image   string         `json:"image"` // its screen image, "" when none
	Width   int            `json:"width,omitempty"`
	Height  int            `json:"height,omitempty"`
	PDF     string         `json:"pdf"` // "" when none was uploaded
	Areas   []apiArea      `json:"areas"`
	Stories []apiPageStory `json:"stories"`
}

func pageJSON(p *desk.EditionPage) apiEditionPage {
	url := epaper.URL(p.Date, p.Number)
	out := apiEditionPage{Date: p.Date, Page: p.Number, Name: p.Name, Label: p.Label(), URL: url,
		Areas: []apiArea{}, Stories: []apiPageStory{}}
	if p.Image {
		out.Image, out.Width, out.Height = url+"page.jpg", p.Width, p.Height
	}
	if p.PDF {
		out.PDF = url + "page.pdf"
	}
	for _, a := range p.Areas {
		out.Areas = append(out.Areas, apiArea{Story: a.Story, X: a.X, Y: a.Y, W: a.W, H: a.H})
	}
	for _, s := range p.Stories {
		out.Stories = append(out.Stories, apiPageStory{ID: s.ID, Kicker: s.Kicker, Title: s.Title, Subtitle: s.Subtitle, State: s.State, URL: s.URL})
	}
	return out
}

// editionPageOf reads the {date} and {page} route parameters: a date
// YYYY-MM-DD and a page number 1–999 (01 is page 1, as in the page's URL).
func editionPageOf(r *http.Request) (string, int, error) {
	date, num := chi.URLParam(r, "date"), chi.URLParam(r, "page")
	n, err := strconv.Atoi(num)
	if !epaper.ValidDate(date) || err != nil || len(num) > 3 || strings.Trim(num, "0123456789") != "" || n < 1 || n > epaper.MaxPage {
		return "", 0, news.Errorf(news.ENOTFOUND, "没有这个电子版版面：日期应为 YYYY-MM-DD，版次为 1 到 %d。", epaper.MaxPage)
	}
	return date, n, nil
}

func (a *Admin) apiEditionPage(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	p, err := a.cfg.Desk.EditionPage(r.Context(), userOf(r), date, n)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, pageJSON(p))
	return nil
}

// pageUploadTooLarge is the message for a page file over the limit.
var pageUploadTooLarge = fmt.Sprintf("文件太大：版面文件最大 %d MB。", epaper.MaxUpload>>20)

func (a *Admin) apiUploadEditionPage(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	data, _, err := readUpload(w, r, epaper.MaxUpload, pageUploadTooLarge)
	if err != nil {
		return err
	}
	p, err := a.cfg.Desk.UploadEditionPage(r.Context(), userOf(r), date, n, r.FormValue("name"), data)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, pageJSON(p))
	return nil
}

func toAreas(in []apiArea) []epaper.Area {
	out := make([]epaper.Area, 0, len(in))
	for _, a := range in {
		out = append(out, epaper.Area{Ref: epaper.Ref{Story: a.Story}, X: a.X, Y: a.Y, W: a.W, H: a.H})
	}
	return out
}

func (a *Admin) apiSetEditionAreas(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	var in struct {
		Areas []apiArea `json:"areas"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Areas == nil {
		return invalid("areas", "请给出 areas：[{\"story\": ID, \"x\", \"y\", \"w\", \"h\"}]，空列表表示清除全部区域。")
	}
	p, err := a.cfg.Desk.SetEditionAreas(r.Context(), userOf(r), date, n, toAreas(in.Areas))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, pageJSON(p))
	return nil
}

// editionPlacementJSON is an e-paper page's placement, in the shape of the
// home's and the sections' (placementOf): every story of the page in the
// order readers see it, the 头条 first.
func editionPlacementJSON(p *desk.EditionPage) placementJSON {
	return placementOf(fmt.Sprintf("edition/%s/%d", p.Date, p.Number), p.Stories)
}

func (a *Admin) apiEditionPlacement(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	p, err := a.cfg.Desk.EditionPage(r.Context(), userOf(r), date, n)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, editionPlacementJSON(p))
	return nil
}

func (a *Admin) apiSetEditionPlacement(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	var in struct {
		Stories []int64 `json:"stories"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Stories == nil {
		return invalid("stories", "请给出 stories：本版稿件的 id，按顺序，第一篇为头条。")
	}
	p, err := a.cfg.Desk.SetEditionOrder(r.Context(), userOf(r), date, n, in.Stories)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, editionPlacementJSON(p))
	return nil
}

// The admin pages.

// editionPageView is what epaper.html shows.
type editionPageView struct {
	Page  apiEditionPage
	Rows  []editionRow
	Admin string // /admin/editions/2023-06-08/pages/1
}

// editionRow is one story of the page in the forms: its area and its
// place in the order (0: not placed).
type editionRow struct {
	apiPageStory
	Area   *apiArea
	Placed int
}

func editionView(p *desk.EditionPage) editionPageView {
	v := editionPageView{Page: pageJSON(p), Admin: fmt.Sprintf("/admin/editions/%s/pages/%d", p.Date, p.Number)}
	placed := map[int64]int{}
	for i, ref := range p.Order {
		placed[ref.Story] = i + 1
	}
	for _, s := range v.Page.Stories {
		row := editionRow{apiPageStory: s, Placed: placed[s.ID]}
		for _, ar := range v.Page.Areas {
			if ar.Story == s.ID {
				row.Area = &ar
			}
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// editionsForm goes from the date and page typed in the form to the page.
func (a *Admin) editionsForm(w http.ResponseWriter, r *http.Request) error {
	date, page := strings.TrimSpace(r.FormValue("date")), strings.TrimSpace(r.FormValue("page"))
	if date == "" && page == "" {
		return a.render(w, r, "epaper", "电子版版面", nil)
	}
	n, err := strconv.Atoi(page)
	if !epaper.ValidDate(date) || err != nil || n < 1 || n > epaper.MaxPage {
		return invalid("date", fmt.Sprintf("请填写日期（YYYY-MM-DD）和版次（1 到 %d）。", epaper.MaxPage))
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/editions/%s/pages/%d", date, n), http.StatusSeeOther)
	return nil
}

func (a *Admin) editionPage(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	p, err := a.cfg.Desk.EditionPage(r.Context(), userOf(r), date, n)
	if err != nil {
		return err
	}
	return a.render(w, r, "epaper", "电子版 "+date+" "+p.Label(), editionView(p))
}

// editionImage serves a page's screen image to the admin (the reader site
// has it once the page is published, which an upload does at once).
func (a *Admin) editionImage(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	if _, err := a.cfg.Desk.EditionPage(r.Context(), userOf(r), date, n); err != nil {
		return err
	}
	file := a.cfg.Desk.EPaper.Dir.ImageFile(date, n)
	if _, err := os.Stat(file); err != nil {
		return news.Errorf(news.ENOTFOUND, "本版还没有版面图。")
	}
	w.Header().Set("Cache-Control", "no-store")
	http.ServeFile(w, r, file)
	return nil
}

func (a *Admin) uploadEditionPage(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	data, _, err := readUpload(w, r, epaper.MaxUpload, pageUploadTooLarge)
	if err != nil {
		return err
	}
	p, err := a.cfg.Desk.UploadEditionPage(r.Context(), userOf(r), date, n, r.FormValue("name"), data)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("版面已上传，自动找到 %d 篇稿件的位置，读者已可看到。", len(p.Areas))
	http.Redirect(w, r, fmt.Sprintf("/admin/editions/%s/pages/%d?msg=%s", date, n, urlQuery(msg)), http.StatusSeeOther)
	return nil
}

// formNumber reads an optional number field of the forms: "" is none.
func formNumber(r *http.Request, name string) (float64, bool, error) {
	s := strings.TrimSpace(r.FormValue(name))
	if s == "" {
		return 0, false, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false, invalid(name, fmt.Sprintf("“%s”不是数字。", s))
	}
	return v, true, nil
}

func (a *Admin) saveEditionAreas(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	var areas []epaper.Area
	for _, idText := range r.Form["story"] {
		id, ok := httpx.ID(idText)
		if !ok {
			return invalid("story", "稿件编号不对。")
		}
		var v [4]float64
		given := 0
		for i, k := range []string{"x", "y", "w", "h"} {
			f, ok, err := formNumber(r, fmt.Sprintf("%s_%d", k, id))
			if err != nil {
				return err
			}
			if ok {
				v[i] = f
				given++
			}
		}
		switch given {
		case 0: // no area
		case 4:
			areas = append(areas, epaper.Area{Ref: epaper.Ref{Story: id}, X: v[0], Y: v[1], W: v[2], H: v[3]})
		default:
			return invalid("area", fmt.Sprintf("稿件 %d 的区域要填齐 x、y、宽、高四个数，或全部留空。", id))
		}
	}
	if _, err := a.cfg.Desk.SetEditionAreas(r.Context(), userOf(r), date, n, areas); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/editions/%s/pages/%d?msg=%s", date, n, urlQuery("稿件区域已保存，读者已可看到。")), http.StatusSeeOther)
	return nil
}

func (a *Admin) saveEditionOrder(w http.ResponseWriter, r *http.Request) error {
	date, n, err := editionPageOf(r)
	if err != nil {
		return err
	}
	type placed struct {
		id  int64
		pos float64
	}
	var list []placed
	for _, idText := range r.Form["story"] {
		id, ok := httpx.ID(idText)
		if !ok {
			return invalid("story", "稿件编号不对。")
		}
		pos, ok, err := formNumber(r, fmt.Sprintf("order_%d", id))
		if err != nil {
			return err
		}
		if ok {
			list = append(list, placed{id, pos})
		}
	}
	// A stable sort by the numbers typed: equal numbers keep the page's order.
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].pos < list[j-1].pos; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	ids := make([]int64, 0, len(list))
	for _, p := range list {
		ids = append(ids, p.id)
	}
	if _, err := a.cfg.Desk.SetEditionOrder(r.Context(), userOf(r), date, n, ids); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/editions/%s/pages/%d?msg=%s", date, n, urlQuery("本版稿件顺序已保存，读者已可看到。")), http.StatusSeeOther)
	return nil
}
