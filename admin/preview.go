package admin

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-chi/chi/v5"

	"newsroom/internal/content"
	"newsroom/internal/news"
)

// previewFiles keeps the files (resized photos, the theme's CSS and script)
// that recent previews refer to, until the cache holds maxPreviewBytes;
// the oldest go first. The reader site has them only once a story is
// published.
type previewFiles struct {
	mu    sync.Mutex
	files map[string][]byte
	order []string
	size  int
}

const maxPreviewBytes = 64 << 20

func (c *previewFiles) put(url string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.files = map[string][]byte{}
	}
	if _, ok := c.files[url]; ok {
		return
	}
	c.files[url] = data
	c.order = append(c.order, url)
	c.size += len(data)
	for c.size > maxPreviewBytes && len(c.order) > 1 {
		old := c.order[0]
		c.order = c.order[1:]
		c.size -= len(c.files[old])
		delete(c.files, old)
	}
}

func (c *previewFiles) get(url string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.files[url]
	return b, ok
}

// renderPreview renders s with the site's theme (the reader site's own
// templates, through Hugo) and writes the page, its files served by the
// admin.
func (a *Admin) renderPreview(w http.ResponseWriter, r *http.Request, s *news.Story) error {
	if a.cfg.Preview == nil {
		return news.Errorf(news.ENOTFOUND, "没有启用预览。")
	}
	if err := a.resolvePhotos(r.Context(), s); err != nil {
		return err
	}
	now := a.now()
	when := now
	if s.PublishedAt != nil {
		when = *s.PublishedAt
	}
	file, err := content.Marshal(*s, when)
	if err != nil {
		return err
	}
	slug := "preview-new"
	if s.ID > 0 {
		slug = "preview-" + strconv.FormatInt(s.ID, 10)
	}
	t := when.In(news.Shanghai)
	rel := fmt.Sprintf("stories/%s/%s/%s.md", t.Format("2006"), t.Format("01"), slug)
	if s.Kind == news.KindNotice {
		rel = "notices" + strings.TrimPrefix(rel, "stories")
	}
	page, files, err := a.cfg.Preview(r.Context(), rel, file)
	if err != nil {
		return err
	}
	// Point the page at the admin's copies of its files, longest names
	// first so that no name is replaced inside a longer one.
	urls := make([]string, 0, len(files))
	for u, data := range files {
		a.previews.put(u, data)
		urls = append(urls, u)
	}
	sort.Slice(urls, func(i, j int) bool { return len(urls[i]) > len(urls[j]) })
	for _, u := range urls {
		page = bytes.ReplaceAll(page, []byte(`"`+u), []byte(`"/admin/preview/files`+u))
		page = bytes.ReplaceAll(page, []byte(` `+u+` `), []byte(` /admin/preview/files`+u+` `))
		page = bytes.ReplaceAll(page, []byte(`,`+u+` `), []byte(`,/admin/preview/files`+u+` `))
	}
	banner := []byte(`<div style="background:#fff6d6;border-bottom:1px solid #e8d48a;padding:.4rem 1rem;font-size:.9rem;text-align:center" role="note">预览：稿件尚未发布，读者看不到本页。</div>`)
	if i := bytes.Index(page, []byte("<body")); i >= 0 {
		if j := bytes.IndexByte(page[i:], '>'); j >= 0 {
			at := i + j + 1
			page = append(page[:at:at], append(banner, page[at:]...)...)
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex")
	w.Write(page)
	return nil
}

// previewPage shows a story at phone and desktop widths, as readers will
// see it once it is published: for the reporter and for every reviewer
// before signing.
func (a *Admin) previewPage(w http.ResponseWriter, r *http.Request) error {
	s, err := a.storyOf(r)
	if err != nil {
		return err
	}
	return a.render(w, r, "preview", "预览："+s.Title, s)
}

func (a *Admin) previewStory(w http.ResponseWriter, r *http.Request) error {
	s, err := a.storyOf(r)
	if err != nil {
		return err
	}
	return a.renderPreview(w, r, s)
}

// previewForm previews the story form as it is, before it is saved.
func (a *Admin) previewForm(w http.ResponseWriter, r *http.Request) error {
	s, err := storyFromForm(r)
	if err != nil {
		return err
	}
	if s.Kind == "" {
		s.Kind = news.KindStory
	}
	if s.Title == "" {
		s.Title = "（未填写标题）"
	}
	return a.renderPreview(w, r, s)
}

func (a *Admin) previewFile(w http.ResponseWriter, r *http.Request) error {
	u := "/" + chi.URLParam(r, "*")
	data, ok := a.previews.get(u)
	if !ok {
		return news.Errorf(news.ENOTFOUND, "预览文件已过期，请重新预览。")
	}
	if ct := mime.TypeByExtension(path.Ext(u)); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "private, max-age=600")
	w.Write(data)
	return nil
}

// mediaFile serves a photo of the library to the admin.
func (a *Admin) mediaFile(w http.ResponseWriter, r *http.Request) error {
	if a.cfg.MediaDir == "" {
		return news.Errorf(news.ENOTFOUND, "没有启用图片库。")
	}
	name := path.Clean("/" + chi.URLParam(r, "*"))
	w.Header().Set("Cache-Control", "private, max-age=3600")
	http.ServeFile(w, r, a.cfg.MediaDir+name)
	return nil
}

// uploadDocx files a .docx as a draft from the form on the 写稿 page.
func (a *Admin) uploadDocx(w http.ResponseWriter, r *http.Request) error {
	s, local, err := a.draftFromDocx(w, r)
	if err != nil {
		if news.ErrorCode(err) == news.EINVALID {
			return a.renderStatus(w, r, http.StatusBadRequest, "edit", &page{Title: "写稿",
				Data: &formData{Story: &news.Story{Kind: news.KindStory, Source: "本报讯"}, Message: news.ErrorMessage(err), Sections: a.cfg.Sections}})
		}
		return err
	}
	msg := "已从 Word 文档生成草稿，请检查后保存。"
	if len(local) > 0 {
		msg += fmt.Sprintf("文档中有 %d 张图片只是链接（不在文档里），请另行上传。", len(local))
	}
	http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(s.ID, 10)+"/edit?msg="+urlQuery(msg), http.StatusSeeOther)
	return nil
}
