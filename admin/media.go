package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"newsroom/internal/httpx"
	"newsroom/internal/media"
	"newsroom/internal/news"
	"newsroom/internal/paste"
)

// Previewer renders a content file as the reader site would show it
// (internal/site's Archive.Preview, wired in cmd/newsroom): the page, and
// the files (resized photos) it refers to by URL path.
type Previewer func(ctx context.Context, rel string, file []byte) (page []byte, files map[string][]byte, err error)

// maxDocx caps a .docx upload (text and embedded pictures); maxUpload is
// the most any upload's request may carry.
const (
	maxDocx   = 64 << 20
	maxUpload = maxDocx + 1<<20
)

func invalid(field, msg string) error {
	return &news.Error{Code: news.EINVALID, Message: msg, Fields: map[string]string{field: msg}}
}

func (a *Admin) library() (*media.Library, error) {
	if a.cfg.Media == nil {
		return nil, news.Errorf(news.ENOTFOUND, "没有启用图片库。")
	}
	return a.cfg.Media, nil
}

// readUpload reads the multipart field "file" of at most limit bytes.
func readUpload(w http.ResponseWriter, r *http.Request, limit int64, tooLarge string) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20)
	if err := r.ParseMultipartForm(16 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", invalid("file", tooLarge)
		}
		return nil, "", invalid("file", "请用表单上传文件（multipart/form-data，文件放在 file 字段）。")
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		return nil, "", invalid("file", "没有收到文件，请重新选择。")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, "", err
	}
	if int64(len(data)) > limit {
		return nil, "", invalid("file", tooLarge)
	}
	return data, h.Filename, nil
}

// mediaFields reads and checks the caption, credit and alt text of an upload.
func mediaFields(r *http.Request) (caption, credit, alt string, err error) {
	caption = strings.TrimSpace(r.FormValue("caption"))
	credit = strings.TrimSpace(r.FormValue("credit"))
	alt = strings.TrimSpace(r.FormValue("alt"))
	err = media.CheckText(caption, credit, alt)
	return
}

// apiUploadMedia is POST /api/admin/media: one photo into the library.
func (a *Admin) apiUploadMedia(w http.ResponseWriter, r *http.Request) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	lim := lib.Limits()
	data, _, err := readUpload(w, r, lim.MaxBytes, "照片文件太大，每张不能超过 "+strconv.FormatInt(lim.MaxBytes>>20, 10)+" MB，请压缩后再上传。")
	if err != nil {
		return err
	}
	caption, credit, alt, err := mediaFields(r)
	if err != nil {
		return err
	}
	m := &news.Media{Caption: caption, Credit: credit, Alt: alt, UploadedBy: userOf(r).ID}
	if s := r.FormValue("story"); s != "" {
		id, ok := httpx.ID(s)
		if !ok {
			return invalid("story", "稿件编号应为数字。")
		}
		m.StoryID = id
	}
	if err := lib.Add(r.Context(), data, m); err != nil {
		return err
	}
	m.Uploader = userOf(r).Name
	httpx.WriteJSON(w, http.StatusCreated, m)
	return nil
}

// apiFindMedia is GET /api/admin/media?q=&story=&from=&to=&limit=.
func (a *Admin) apiFindMedia(w http.ResponseWriter, r *http.Request) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	q, err := mediaQuery(r)
	if err != nil {
		return err
	}
	list, err := lib.Find(r.Context(), q)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*news.Media{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"media": list})
	return nil
}

func mediaQuery(r *http.Request) (news.MediaQuery, error) {
	v := r.URL.Query()
	q := news.MediaQuery{Text: strings.TrimSpace(v.Get("q"))}
	limit, err := httpx.Int(v, "limit", 50, 1, 500)
	if err != nil {
		return q, err
	}
	q.Limit = limit
	if s := v.Get("story"); s != "" {
		id, ok := httpx.ID(s)
		if !ok {
			return q, invalid("story", "稿件编号应为数字。")
		}
		q.StoryID = id
	}
	for _, d := range []struct {
		key string
		t   *time.Time
		add int
	}{{"from", &q.From, 0}, {"to", &q.To, 1}} {
		if s := v.Get(d.key); s != "" {
			t, err := time.ParseInLocation("2006-01-02", s, news.Shanghai)
			if err != nil {
				return q, invalid(d.key, "日期格式应为 YYYY-MM-DD。")
			}
			*d.t = t.AddDate(0, 0, d.add)
		}
	}
	return q, nil
}

// apiPaste is POST /api/admin/paste: {"html": "…"} (or {"text": "…"}) as
// the clipboard holds it → {"markdown": "…", "local_images": […]}.
func (a *Admin) apiPaste(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		HTML string `json:"html"`
		Text string `json:"text"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, paste.MaxInput+1<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return news.Errorf(news.EINVALID, "请求不是有效的 JSON：%v", err)
	}
	res := paste.Result{}
	if in.HTML != "" {
		res = paste.HTML(in.HTML)
	} else {
		res.Markdown = paste.Text(in.Text)
	}
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}

// apiDocx is POST /api/admin/docx: a .docx becomes a draft owned by the
// caller, its pictures photos of the library.
func (a *Admin) apiDocx(w http.ResponseWriter, r *http.Request) error {
	s, local, err := a.draftFromDocx(w, r)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/admin/stories/"+strconv.FormatInt(s.ID, 10))
	out := struct {
		*news.Story
		LocalImages []string `json:"local_images,omitempty"`
	}{s, local}
	httpx.WriteJSON(w, http.StatusCreated, out)
	return nil
}

func (a *Admin) draftFromDocx(w http.ResponseWriter, r *http.Request) (*news.Story, []string, error) {
	data, name, err := readUpload(w, r, maxDocx, "文件太大（不超过 64 MB），请压缩其中的图片后再上传。")
	if err != nil {
		return nil, nil, err
	}
	doc, err := paste.Docx(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, err
	}
	u := userOf(r)
	s := &news.Story{Kind: news.KindStory, Source: "本报讯", Title: doc.Title, Body: doc.Markdown}
	if s.Title == "" {
		s.Title = strings.TrimSpace(strings.TrimSuffix(path.Base(strings.ReplaceAll(name, `\`, "/")), path.Ext(name)))
	}
	if s.Title == "" {
		s.Title = "未命名稿件"
	}
	var ids []int64
	if len(doc.Images) > 0 {
		lib, err := a.library()
		if err != nil {
			return nil, nil, err
		}
		for i, im := range doc.Images {
			m := &news.Media{Caption: im.Caption, Alt: im.Alt, UploadedBy: u.ID}
			if err := lib.Add(r.Context(), im.Data, m); err != nil {
				return nil, nil, news.Errorf(news.EINVALID, "文档中的第 %d 张图片不能使用：%s", i+1, news.ErrorMessage(err))
			}
			ids = append(ids, m.ID)
			s.Photos = append(s.Photos, news.Photo{Media: m.ID, Src: m.URL, Caption: m.Caption, Alt: m.Alt})
		}
	}
	if err := a.cfg.Desk.Create(r.Context(), u, s); err != nil {
		return nil, nil, err
	}
	if len(ids) > 0 {
		if err := a.cfg.Media.Use(r.Context(), s.ID, ids); err != nil {
			return nil, nil, err
		}
	}
	return s, doc.LocalImages, nil
}

// resolvePhotos completes the photos of s that name pictures of the library.
func (a *Admin) resolvePhotos(ctx context.Context, s *news.Story) error {
	if a.cfg.Media == nil || len(s.Photos) == 0 {
		return nil
	}
	return a.cfg.Media.Resolve(ctx, s.Photos)
}

// apiDescribeMedia is PUT /api/admin/media/{id} with any of {"caption",
// "credit","alt"}: the uploader or an editor changes how the library
// describes the photo; answers the record.
func (a *Admin) apiDescribeMedia(w http.ResponseWriter, r *http.Request) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	id, err := mediaID(r)
	if err != nil {
		return err
	}
	var in media.Text
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := lib.Describe(r.Context(), userOf(r), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
}

// apiDeleteMedia is DELETE /api/admin/media/{id}: the uploader or an editor
// removes the photo (204); 409 while a live or scheduled story uses it.
func (a *Admin) apiDeleteMedia(w http.ResponseWriter, r *http.Request) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	id, err := mediaID(r)
	if err != nil {
		return err
	}
	if err := lib.Delete(r.Context(), userOf(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// mediaID reads the {id} of a media route, strictly.
func mediaID(r *http.Request) (int64, error) {
	id, ok := httpx.ID(chi.URLParam(r, "id"))
	if !ok {
		return 0, news.Errorf(news.ENOTFOUND, "没有这张照片。")
	}
	return id, nil
}

// libraryPage is /admin/library: the media library, found by caption or
// credit, each photo with its text to change and a delete button (for its
// uploader and the editors).
func (a *Admin) libraryPage(w http.ResponseWriter, r *http.Request) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	u := userOf(r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	list, err := lib.Find(r.Context(), news.MediaQuery{Text: q, Limit: 60})
	if err != nil {
		return err
	}
	return a.render(w, r, "library", "图片库", &libraryData{Query: q, Media: list, user: u})
}

type libraryData struct {
	Query string
	Media []*news.Media
	Error string
	user  *news.User
}

// May reports whether the user may change or delete photo m.
func (d *libraryData) May(m *news.Media) bool {
	return m.UploadedBy == d.user.ID || d.user.Role.CanEditAny()
}

// describeMediaForm is the library page's 保存说明.
func (a *Admin) describeMediaForm(w http.ResponseWriter, r *http.Request) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	id, err := mediaID(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	caption, credit, alt := f.Get("caption"), f.Get("credit"), f.Get("alt")
	msg := "照片说明已保存。"
	if _, err := lib.Describe(r.Context(), userOf(r), id, media.Text{Caption: &caption, Credit: &credit, Alt: &alt}); err != nil {
		if news.ErrorCode(err) != news.EINVALID {
			return err
		}
		msg = news.ErrorMessage(err)
	}
	http.Redirect(w, r, "/admin/library?msg="+urlQuery(msg)+"#media-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// deleteMediaForm is the library page's 删除 (with its confirmation box).
func (a *Admin) deleteMediaForm(w http.ResponseWriter, r *http.Request) error {
	lib, err := a.library()
	if err != nil {
		return err
	}
	id, err := mediaID(r)
	if err != nil {
		return err
	}
	if r.PostForm.Get("confirm") != "1" {
		return news.Errorf(news.EINVALID, "请勾选“确认删除”后再删除。")
	}
	msg := "照片已删除。"
	if err := lib.Delete(r.Context(), userOf(r), id); err != nil {
		if news.ErrorCode(err) != news.ECONFLICT {
			return err
		}
		msg = news.ErrorMessage(err)
	}
	http.Redirect(w, r, "/admin/library?msg="+urlQuery(msg), http.StatusSeeOther)
	return nil
}
