package news

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// PlaceHome is the home page's place; every other place is a section (栏目)
// name, whose page is the section's list.
const PlaceHome = "home"

// MaxPlaced bounds the stories placed on one page: the 头条 and the
// recommended stories above the rest, which follow by time.
const MaxPlaced = 30

// Placement is the editors' order of stories at the top of a page of the
// reader site: the first is the 头条, the others follow in order (置顶,
// 推荐), then the page's other stories by time.
type Placement struct {
	Place   string  `json:"place"`
	Stories []int64 `json:"stories"`
}

// PlaceLabel names a place for people: 首页, or 栏目「要闻」.
func PlaceLabel(place string) string {
	if place == PlaceHome {
		return "首页"
	}
	return "栏目「" + place + "」"
}

// CheckPlace checks a place's name: home, or a section name.
func CheckPlace(place string) error {
	if place == PlaceHome {
		return nil
	}
	if _, bad := ControlChar(place, false); bad || strings.TrimSpace(place) != place || place == "" ||
		utf8.RuneCountInString(place) > maxListItem || strings.ContainsAny(place, "/\\") {
		return Errorf(ENOTFOUND, "没有这个版位：%q（首页为 home，栏目页为栏目名）。", place)
	}
	return nil
}

// Validate checks the order of stories an editor sent: no story twice, at
// most MaxPlaced.
func (p *Placement) Validate() error {
	if len(p.Stories) > MaxPlaced {
		m := fmt.Sprintf("一个版位最多排 %d 篇稿件", MaxPlaced)
		return &Error{Code: EINVALID, Message: m + "。", Fields: map[string]string{"stories": m}}
	}
	seen := map[int64]bool{}
	for _, id := range p.Stories {
		if id <= 0 {
			m := fmt.Sprintf("稿件编号 %d 无效", id)
			return &Error{Code: EINVALID, Message: m + "。", Fields: map[string]string{"stories": m}}
		}
		if seen[id] {
			m := fmt.Sprintf("稿件 %d 排了两次", id)
			return &Error{Code: EINVALID, Message: m + "。", Fields: map[string]string{"stories": m}}
		}
		seen[id] = true
	}
	return nil
}
