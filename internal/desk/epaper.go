package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"newsroom/internal/epaper"
	"newsroom/internal/news"
)

// EPaper is what the desk needs to edit the e-paper's printed pages: where
// their records are kept, and how readers see a change of them.
type EPaper struct {
	Dir epaper.Dir
	// Publish shows the changed pages of an edition to readers and
	// returns when they see them (site.Archive.PublishEditions).
	Publish func(ctx context.Context, date string) error
}

// EditionPage is an e-paper page as the admin edits it: its record and
// the stories the paper printed on it (every story with this edition and
// page that is not withdrawn), in the page's order.
type EditionPage struct {
	epaper.Page
	Stories []news.Story `json:"stories"`
}

func (d *Service) epaperOn() error {
	if d.EPaper == nil {
		return news.Errorf(news.ENOTFOUND, "本站未开启电子版版面编辑。")
	}
	return nil
}

// mayPlace checks that u may edit e-paper pages: the editors and above.
func mayPlace(u *news.User) error {
	if !u.Role.CanEditAny() {
		return forbidden("只有编辑及以上角色可以编排电子版版面。")
	}
	return nil
}

// badPage is the error for a date or page number that names no page.
func badPage(date string, n int) error {
	if !epaper.ValidDate(date) {
		return news.Errorf(news.ENOTFOUND, "电子版日期应为 YYYY-MM-DD：%q", date)
	}
	return news.Errorf(news.ENOTFOUND, "版次应为 1 到 %d：%d", epaper.MaxPage, n)
}

// EditionPage returns page n of the edition of date.
func (d *Service) EditionPage(ctx context.Context, u *news.User, date string, n int) (*EditionPage, error) {
	if err := d.epaperOn(); err != nil {
		return nil, err
	}
	if err := mayPlace(u); err != nil {
		return nil, err
	}
	p, err := d.EPaper.Dir.Read(date, n)
	if errors.Is(err, epaper.ErrBadPage) {
		return nil, badPage(date, n)
	}
	if err != nil {
		return nil, err
	}
	stories, err := d.pageStories(ctx, date, n)
	if err != nil {
		return nil, err
	}
	if err := d.resolveRefs(ctx, &p, stories); err != nil {
		return nil, err
	}
	return &EditionPage{Page: p, Stories: ordered(stories, p)}, nil
}

// resolveRefs gives the areas and order entries that name a story by its
// content file alone (a page laid out before its stories were taken into
// the desk, like the demo paper's) the id of that story.
func (d *Service) resolveRefs(ctx context.Context, p *epaper.Page, stories []news.Story) error {
	need := false
	for _, a := range p.Areas {
		need = need || a.Story == 0
	}
	for _, r := range p.Order {
		need = need || r.Story == 0
	}
	if !need {
		return nil
	}
	byFile := map[string]int64{}
	for _, s := range stories {
		ref, err := d.refOf(ctx, s.ID)
		if err != nil {
			return err
		}
		if ref.File != "" {
			byFile[ref.File] = s.ID
		}
	}
	for i := range p.Areas {
		if p.Areas[i].Story == 0 {
			p.Areas[i].Story = byFile[p.Areas[i].File]
		}
	}
	for i := range p.Order {
		if p.Order[i].Story == 0 {
			p.Order[i].Story = byFile[p.Order[i].File]
		}
	}
	return nil
}

// pageStories lists the stories printed on a page.
func (d *Service) pageStories(ctx context.Context, date string, n int) ([]news.Story, error) {
	var out []news.Story
	for offset := 0; ; offset += 200 {
		list, err := d.Store.Stories(ctx, news.StoryFilter{Edition: date, Page: n, Limit: 200, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, s := range list {
			if s.State != news.StateWithdrawn {
				out = append(out, s)
			}
		}
		if len(list) < 200 {
			return out, nil
		}
	}
}

// ordered puts a page's stories in the order the reader site shows them
// (the theme's epaper-order.html): placed first, then by the top of their
// area, then by id (the order they were imported in).
func ordered(stories []news.Story, p epaper.Page) []news.Story {
	rank := map[int64]int{}
	for i, r := range p.Order {
		rank[r.Story] = i + 1
	}
	top := map[int64]float64{}
	for _, a := range p.Areas {
		top[a.Story] = a.Y + 1
	}
	key := func(s news.Story) (int, float64, int64) {
		r, ok := rank[s.ID]
		if !ok {
			r = 1 << 30
		}
		t, ok := top[s.ID]
		if !ok {
			t = 1e9
		}
		return r, t, s.ID
	}
	out := append([]news.Story(nil), stories...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0; j-- {
			r1, t1, id1 := key(out[j-1])
			r2, t2, id2 := key(out[j])
			if r1 < r2 || (r1 == r2 && (t1 < t2 || (t1 == t2 && id1 <= id2))) {
				break
			}
			out[j-1], out[j] = out[j], out[j-1]
		}
	}
	return out
}

// refOf names a story of a page for the reader site: its id and, once it
// is published, its content file.
func (d *Service) refOf(ctx context.Context, id int64) (epaper.Ref, error) {
	rel, err := d.Store.StoryPath(ctx, id)
	if err != nil && news.ErrorCode(err) != news.ENOTFOUND {
		return epaper.Ref{}, err
	}
	return epaper.Ref{Story: id, File: rel}, nil
}

// onPage checks that every id is a story of the page, once.
func onPage(stories []news.Story, ids []int64, field string) error {
	on := map[int64]bool{}
	for _, s := range stories {
		on[s.ID] = true
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		switch {
		case !on[id]:
			return fieldError(field, fmt.Sprintf("稿件 %d 不在本版", id))
		case seen[id]:
			return fieldError(field, fmt.Sprintf("稿件 %d 出现了两次", id))
		}
		seen[id] = true
	}
	return nil
}

// UploadEditionPage stores the printed page (a PDF, JPG or PNG) for page
// n of the edition of date with the page's name, makes its screen image,
// finds its stories' areas (from a PDF's text; an image has none) and
// publishes the page. The areas found replace the page's areas.
func (d *Service) UploadEditionPage(ctx context.Context, u *news.User, date string, n int, name string, file []byte) (*EditionPage, error) {
	page, err := d.EditionPage(ctx, u, date, n)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if _, bad := news.ControlChar(name, false); bad || utf8.RuneCountInString(name) > 40 {
		return nil, fieldError("name", "版面名称最多 40 个字，不能含控制字符")
	}
	kind, err := epaper.Sniff(file)
	if err != nil {
		return nil, fieldError("file", news.ErrorMessage(err))
	}
	img, w, h, err := epaper.Screen(ctx, file, kind)
	if err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return nil, fieldError("file", news.ErrorMessage(err))
		}
		return nil, err
	}
	areas := []epaper.Area{}
	if kind == epaper.KindPDF {
		var stories []epaper.Story
		for _, s := range page.Stories {
			ref, err := d.refOf(ctx, s.ID)
			if err != nil {
				return nil, err
			}
			stories = append(stories, epaper.Story{Ref: ref, Kicker: s.Kicker, Title: s.Title, Subtitle: s.Subtitle, Body: s.Body})
		}
		if areas, err = epaper.FindAreas(ctx, file, stories); err != nil {
			// The image is still worth having: the editor draws the
			// areas by hand.
			d.logWarn("e-paper page: areas not found", "date", date, "page", n, "err", err)
			areas = []epaper.Area{}
		}
	}
	dir := d.EPaper.Dir
	if err := dir.WriteFile(dir.ImageFile(date, n), img); err != nil {
		return nil, err
	}
	p := page.Page
	if kind == epaper.KindPDF {
		if err := dir.WriteFile(dir.PDFFile(date, n), file); err != nil {
			return nil, err
		}
	}
	p.PDF = kind == epaper.KindPDF
	if name != "" {
		p.Name = name
	}
	p.Image, p.Width, p.Height, p.Areas = true, w, h, areas
	detail := fmt.Sprintf("%s %s：上传%s，找到 %d 篇稿件的位置", date, p.Label(), map[bool]string{true: " PDF", false: "图片"}[p.PDF], len(areas))
	return d.savePage(ctx, u, p, news.ActEPaperPage, detail)
}

// SetEditionAreas replaces the areas of page n's stories.
func (d *Service) SetEditionAreas(ctx context.Context, u *news.User, date string, n int, areas []epaper.Area) (*EditionPage, error) {
	page, err := d.EditionPage(ctx, u, date, n)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(areas))
	for i, a := range areas {
		if !a.Valid() {
			return nil, fieldError("areas", fmt.Sprintf("第 %d 个区域超出版面：x、y、w、h 是版面宽高的百分比（0–100），w、h 大于 0，且 x+w、y+h 不超过 100", i+1))
		}
		ids = append(ids, a.Story)
	}
	if err := onPage(page.Stories, ids, "areas"); err != nil {
		return nil, err
	}
	out := make([]epaper.Area, 0, len(areas))
	for _, a := range areas {
		ref, err := d.refOf(ctx, a.Story)
		if err != nil {
			return nil, err
		}
		a.Ref = ref
		out = append(out, a)
	}
	p := page.Page
	p.Areas = out
	return d.savePage(ctx, u, p, news.ActEPaperPage, fmt.Sprintf("%s %s：调整 %d 篇稿件的版面区域", date, p.Label(), len(out)))
}

// SetEditionOrder sets the order of page n's stories (the 头条 first);
// stories of the page not named follow them.
func (d *Service) SetEditionOrder(ctx context.Context, u *news.User, date string, n int, ids []int64) (*EditionPage, error) {
	page, err := d.EditionPage(ctx, u, date, n)
	if err != nil {
		return nil, err
	}
	if err := onPage(page.Stories, ids, "stories"); err != nil {
		return nil, err
	}
	order := make([]epaper.Ref, 0, len(ids))
	var titles []string
	for _, id := range ids {
		ref, err := d.refOf(ctx, id)
		if err != nil {
			return nil, err
		}
		order = append(order, ref)
		for _, s := range page.Stories {
			if s.ID == id {
				titles = append(titles, fmt.Sprintf("%d %s", id, s.Title))
			}
		}
	}
	p := page.Page
	p.Order = order
	detail := fmt.Sprintf("%s %s：%s", date, p.Label(), strings.Join(titles, "；"))
	if len(titles) == 0 {
		detail = fmt.Sprintf("%s %s：恢复默认顺序", date, p.Label())
	}
	return d.savePage(ctx, u, p, news.ActEPaperOrder, detail)
}

// fieldError is an EINVALID error about one field, in Chinese.
func fieldError(field, msg string) error {
	return &news.Error{Code: news.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}

func (d *Service) logWarn(msg string, args ...any) {
	if d.Log != nil {
		d.Log.Warn(msg, args...)
	}
}

// savePage writes a page's record, records the change in the audit log
// and shows it to readers.
func (d *Service) savePage(ctx context.Context, u *news.User, p epaper.Page, act news.Action, detail string) (*EditionPage, error) {
	p.Updated = d.Now().UTC().Truncate(time.Second)
	if err := d.EPaper.Dir.Write(p); err != nil {
		return nil, err
	}
	if err := d.Store.RecordEvent(ctx, 0, u.ID, act, detail); err != nil {
		return nil, err
	}
	if d.EPaper.Publish != nil {
		if err := d.EPaper.Publish(ctx, p.Date); err != nil {
			return nil, fmt.Errorf("publish e-paper page %s/%02d: %w", p.Date, p.Number, err)
		}
	}
	stories, err := d.pageStories(ctx, p.Date, p.Number)
	if err != nil {
		return nil, err
	}
	return &EditionPage{Page: p, Stories: ordered(stories, p)}, nil
}
