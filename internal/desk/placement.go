package desk

import (
	"context"
	"fmt"
	"strings"

	"newsroom/internal/news"
)

// Placement returns the stories placed on place, in order, as they are now
// (withdrawn stories have already left). Editors and above may ask.
func (d *Service) Placement(ctx context.Context, u *news.User, place string) ([]news.Story, error) {
	if err := news.CheckPlace(place); err != nil {
		return nil, err
	}
	if !u.Role.Reviewer() {
		return nil, forbidden("只有编辑及以上可以安排版面排序。")
	}
	all, err := d.Store.Placements(ctx)
	if err != nil {
		return nil, err
	}
	out := []news.Story{}
	for _, id := range all[place] {
		s, err := d.Store.Story(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *s)
	}
	return out, nil
}

// Place sets the order of stories on place (the home page, or a section's
// page): the first is the 头条, the others follow in order above the page's
// other stories. Only live stories may be placed, on a section's page only
// stories of that section, and no notices. The change is recorded in the
// audit log and published like any other change: the call returns once
// readers see it.
func (d *Service) Place(ctx context.Context, u *news.User, p news.Placement) ([]news.Story, error) {
	if err := news.CheckPlace(p.Place); err != nil {
		return nil, err
	}
	if !u.Role.Reviewer() {
		return nil, forbidden("只有编辑及以上可以安排版面排序。")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var placed []news.Story
	err := d.Store.WithTx(ctx, func(tx news.Tx) error {
		var titles []string
		for i, id := range p.Stories {
			s, err := tx.Story(ctx, id)
			if news.ErrorCode(err) == news.ENOTFOUND {
				m := fmt.Sprintf("第 %d 篇：稿件 %d 不存在", i+1, id)
				return &news.Error{Code: news.EINVALID, Message: m + "。", Fields: map[string]string{"stories": m}}
			}
			if err != nil {
				return err
			}
			if m := placeable(s, p.Place); m != "" {
				m = fmt.Sprintf("第 %d 篇「%s」%s", i+1, s.Title, m)
				return &news.Error{Code: news.EINVALID, Message: m + "。", Fields: map[string]string{"stories": m}}
			}
			placed = append(placed, *s)
			titles = append(titles, fmt.Sprintf("%d.「%s」", i+1, s.Title))
		}
		detail := news.PlaceLabel(p.Place) + "："
		if len(titles) == 0 {
			detail += "取消全部置顶，按时间排列"
		} else {
			detail += "头条" + strings.Join(titles, " ")
		}
		return tx.SetPlacement(ctx, p.Place, p.Stories, u.ID, detail)
	})
	if err != nil {
		return nil, err
	}
	if placed == nil {
		placed = []news.Story{}
	}
	return placed, d.showPlacement(ctx)
}

// placeable says why story s cannot be placed on place, "" if it can.
func placeable(s *news.Story, place string) string {
	switch {
	case s.Kind == news.KindNotice:
		return "是公告，公告不参与版面排序"
	case s.State == news.StateWithdrawn:
		return "已撤稿"
	case !s.State.Live():
		return "尚未发布"
	case place != news.PlaceHome && s.Section != place:
		return fmt.Sprintf("属于栏目「%s」，不能排在栏目「%s」", s.Section, place)
	}
	return ""
}

// PlacedFiles returns the content files placed on each place, in order:
// what the reader side renders the placement from (serve hands it to the
// site at start).
func (d *Service) PlacedFiles(ctx context.Context) (map[string][]string, error) {
	all, err := d.Store.Placements(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for place, ids := range all {
		for _, id := range ids {
			rel, err := d.Store.StoryPath(ctx, id)
			if err != nil {
				return nil, err
			}
			if rel != "" {
				out[place] = append(out[place], rel)
			}
		}
	}
	return out, nil
}

// showPlacement shows the placement as the database has it to readers.
func (d *Service) showPlacement(ctx context.Context) error {
	files, err := d.PlacedFiles(ctx)
	if err == nil {
		err = d.Live.Place(ctx, files)
	}
	if err != nil {
		if d.Log != nil {
			d.Log.Error("site update failed", "placement", true, "err", err)
		}
		return news.Errorf(news.EINTERNAL, "排序已保存，但网站更新失败（%v）。稍后重建网站即可生效，无需重新操作。", err)
	}
	return nil
}
