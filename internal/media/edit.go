package media

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	"newsroom/internal/news"
)

// Text is the describing text of a picture; a nil field is left as it is.
type Text struct {
	Caption *string `json:"caption"`
	Credit  *string `json:"credit"`
	Alt     *string `json:"alt"`
}

// mayChange reports whether u may describe or delete picture m: whoever
// uploaded it, and the editors (the reviewers and the admin).
func mayChange(u *news.User, m *news.Media) error {
	if m.UploadedBy == u.ID || u.Role.CanEditAny() {
		return nil
	}
	return news.Errorf(news.EFORBIDDEN, "只有上传者和编辑可以修改或删除这张照片。")
}

// Describe changes the caption, credit and alt text of picture id in the
// library (what finds it and what a story that picks it up gets; the
// stories that already use it keep their own captions). It returns the
// record as it now is.
func (l *Library) Describe(ctx context.Context, u *news.User, id int64, t Text) (*news.Media, error) {
	m, err := l.store.MediaByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mayChange(u, m); err != nil {
		return nil, err
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&m.Caption, t.Caption)
	set(&m.Credit, t.Credit)
	set(&m.Alt, t.Alt)
	if err := CheckText(m.Caption, m.Credit, m.Alt); err != nil {
		return nil, err
	}
	if err := l.store.SetMediaText(ctx, id, m.Caption, m.Credit, m.Alt); err != nil {
		return nil, err
	}
	return m, nil
}

// CheckText checks the lengths of a picture's caption, credit and alt
// text and that they hold no control characters.
func CheckText(caption, credit, alt string) error {
	bad := func(field, msg string) error {
		return &news.Error{Code: news.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
	}
	for _, f := range []struct{ key, label, v string }{{"caption", "图片说明", caption}, {"credit", "摄影署名", credit}, {"alt", "替代文字", alt}} {
		if _, ctl := news.ControlChar(f.v, f.key == "caption"); ctl {
			return bad(f.key, f.label+"不能含控制字符。")
		}
	}
	switch {
	case utf8.RuneCountInString(caption) > 500:
		return bad("caption", "图片说明太长（不超过 500 字）。")
	case utf8.RuneCountInString(credit) > 60:
		return bad("credit", "摄影署名太长（不超过 60 字），例如“记者 刘亮亮 摄”。")
	case utf8.RuneCountInString(alt) > 300:
		return bad("alt", "替代文字太长（不超过 300 字）。")
	}
	return nil
}

// Delete removes picture id from the library: its record, then its file.
// While a published, corrected or scheduled story uses it (among its
// photos or in its text) it is refused (ECONFLICT naming the stories): a
// live page must not lose its picture.
func (l *Library) Delete(ctx context.Context, u *news.User, id int64) error {
	m, err := l.store.MediaByID(ctx, id)
	if err != nil {
		return err
	}
	if err := mayChange(u, m); err != nil {
		return err
	}
	uses, err := l.store.DeleteMedia(ctx, m)
	if err != nil {
		return err
	}
	if len(uses) > 0 {
		var names []string
		for i, s := range uses {
			if i == 3 {
				names = append(names, "等")
				break
			}
			names = append(names, "《"+s.Title+"》（"+s.State.Label()+"）")
		}
		return news.Errorf(news.ECONFLICT, "这张照片正被 %d 篇已发布或定时发布的稿件使用：%s，不能删除；请先在稿件中换下它。", len(uses), strings.Join(names, "、"))
	}
	if err := os.Remove(l.Path(m)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
