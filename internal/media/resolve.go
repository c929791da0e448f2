package media

import (
	"context"
	"fmt"
	"strings"

	"newsroom/internal/news"
)

// Find returns the pictures of the library matching q, newest first.
func (l *Library) Find(ctx context.Context, q news.MediaQuery) ([]*news.Media, error) {
	return l.store.FindMedia(ctx, q)
}

// Use records that story storyID uses the pictures ids.
func (l *Library) Use(ctx context.Context, storyID int64, ids []int64) error {
	return l.store.UseMedia(ctx, storyID, ids)
}

// Resolve completes a story's photos that name a picture of the library
// (Photo.Media): the address is the library's, and a caption, credit or alt
// text left empty is the library's too. A photo naming no picture of the
// library answers news.EINVALID; photos given only by address (Src) stay as
// they are.
func (l *Library) Resolve(ctx context.Context, photos []news.Photo) error {
	for i := range photos {
		p := &photos[i]
		if p.Media == 0 {
			continue
		}
		m, err := l.store.MediaByID(ctx, p.Media)
		if news.ErrorCode(err) == news.ENOTFOUND {
			return &news.Error{Code: news.EINVALID, Message: "稿件有需要修改的地方：照片不在图片库中",
				Fields: map[string]string{"photos": fmt.Sprintf("第 %d 张照片（编号 %d）不在图片库中，请重新上传或从图片库中选择。", i+1, p.Media)}}
		}
		if err != nil {
			return err
		}
		if m.Caption == "" && p.Caption != "" || m.Credit == "" && p.Credit != "" || m.Alt == "" && p.Alt != "" {
			if err := l.store.DescribeMedia(ctx, m.ID, strings.TrimSpace(p.Caption), strings.TrimSpace(p.Credit), strings.TrimSpace(p.Alt)); err != nil {
				return err
			}
		}
		p.Src = m.URL
		p.Placeholder = false
		if strings.TrimSpace(p.Caption) == "" {
			p.Caption = m.Caption
		}
		if strings.TrimSpace(p.Credit) == "" {
			p.Credit = m.Credit
		}
		if strings.TrimSpace(p.Alt) == "" {
			p.Alt = m.Alt
		}
	}
	return nil
}
