package admin

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"newsroom/internal/news"
)

func testPhoto(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 100, 255})
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, nil)
	return b.Bytes()
}

// multipartBody builds a multipart request body with a file and fields.
func multipartBody(t *testing.T, name string, data []byte, fields map[string]string) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

func (ta *testAdmin) upload(t *testing.T, path, name string, data []byte, fields map[string]string) (int, map[string]any) {
	t.Helper()
	body, ctype := multipartBody(t, name, data, fields)
	req, _ := http.NewRequest("POST", ta.srv.URL+path, body)
	req.Header.Set("Authorization", "Bearer "+ta.tokens[news.RoleReporter])
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (ta *testAdmin) callJSON(t *testing.T, method, path string, in any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(method, ta.srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+ta.tokens[news.RoleReporter])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestMediaAPI(t *testing.T) {
	ta := newTestAdmin(t)
	code, m := ta.upload(t, "/api/admin/media", "照片.jpg", testPhoto(t, 120, 80),
		map[string]string{"caption": "图为城市书房内景。", "credit": "记者 示例 摄", "alt": "书架"})
	if code != http.StatusCreated {
		t.Fatalf("upload: %d %v", code, m)
	}
	for _, k := range []string{"id", "url", "width", "height", "caption", "credit", "alt"} {
		if _, ok := m[k]; !ok {
			t.Errorf("upload answer lacks %q: %v", k, m)
		}
	}
	if m["width"] != 120.0 || m["credit"] != "记者 示例 摄" || !strings.HasPrefix(m["url"].(string), "/media/") {
		t.Errorf("upload answer %v", m)
	}
	id := m["id"].(float64)

	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"notes.jpg", []byte("这不是照片"), "不是照片"},
		{"iphone.jpg", append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...), "HEIC"},
		{"huge.jpg", make([]byte, 3<<20), "太大"},
	} {
		code, out := ta.upload(t, "/api/admin/media", c.name, c.data, nil)
		if code != http.StatusBadRequest || !strings.Contains(out["error"].(string), c.want) {
			t.Errorf("%s: %d %v, want 400 saying %q", c.name, code, out, c.want)
		}
	}

	for _, bad := range []string{"limit=-1", "limit=1e3", "story=1abc", "story=%201", "story=01"} {
		req, _ := http.NewRequest("GET", ta.srv.URL+"/api/admin/media?"+bad, nil)
		req.Header.Set("Authorization", "Bearer "+ta.tokens[news.RoleReporter])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /api/admin/media?%s = %d, want 400", bad, resp.StatusCode)
		}
	}

	req, _ := http.NewRequest("GET", ta.srv.URL+"/api/admin/media?q="+"书房", nil)
	req.Header.Set("Authorization", "Bearer "+ta.tokens[news.RoleReporter])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var found struct{ Media []news.Media }
	json.NewDecoder(resp.Body).Decode(&found)
	resp.Body.Close()
	if len(found.Media) != 1 || found.Media[0].ID != int64(id) {
		t.Errorf("GET /api/admin/media?q=书房 = %+v", found.Media)
	}

	// A story names the photo by its library id; GET and PUT it back unchanged.
	code, s := ta.callJSON(t, "POST", "/api/admin/stories", map[string]any{"title": "带照片的稿件", "body": "正文。", "section": "本地",
		"photos": []map[string]any{{"media": id, "caption": "", "credit": "记者 示例 摄"}}})
	if code != http.StatusCreated {
		t.Fatalf("create: %d %v", code, s)
	}
	ph := s["photos"].([]any)[0].(map[string]any)
	if ph["media"] != id || ph["src"] != m["url"] || ph["caption"] != "图为城市书房内景。" || ph["alt"] != "书架" {
		t.Errorf("photo as stored: %v", ph)
	}
	sid := int64(s["id"].(float64))
	path := "/api/admin/stories/" + strconv.FormatInt(sid, 10)
	code, got := ta.callJSON(t, "GET", path, nil)
	if code != 200 {
		t.Fatal(code)
	}
	delete(got, "id")
	code, put := ta.callJSON(t, "PUT", path, map[string]any{"title": got["title"], "photos": got["photos"], "version": got["version"]})
	if code != 200 {
		t.Errorf("PUT back of the photos as read: %d %v", code, put)
	}
	// A photo uploaded bare is found by the caption a story gave it.
	_, bare := ta.upload(t, "/api/admin/media", "bare.jpg", testPhoto(t, 60, 40), nil)
	if code, out := ta.callJSON(t, "PUT", path, map[string]any{"photos": []map[string]any{{"media": id}, {"media": bare["id"], "caption": "刚采摘的黄瓜。"}}}); code != 200 {
		t.Fatalf("PUT with a bare photo: %d %v", code, out)
	}
	req, _ = http.NewRequest("GET", ta.srv.URL+"/api/admin/media?q="+"黄瓜", nil)
	req.Header.Set("Authorization", "Bearer "+ta.tokens[news.RoleReporter])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	found.Media = nil
	json.NewDecoder(resp.Body).Decode(&found)
	resp.Body.Close()
	if len(found.Media) != 1 || float64(found.Media[0].ID) != bare["id"] {
		t.Errorf("GET /api/admin/media?q=黄瓜 = %+v, want the bare photo described by the story", found.Media)
	}
	code, bad := ta.callJSON(t, "PUT", path, map[string]any{"photos": []map[string]any{{"media": 9999}}})
	if code != http.StatusBadRequest || bad["fields"] == nil {
		t.Errorf("unknown media id: %d %v", code, bad)
	}
}

func TestPasteAPI(t *testing.T) {
	ta := newTestAdmin(t)
	html, err := os.ReadFile(filepath.Join("..", "internal", "paste", "testdata", "wps.html"))
	if err != nil {
		t.Fatal(err)
	}
	code, out := ta.callJSON(t, "POST", "/api/admin/paste", map[string]string{"html": string(html)})
	if code != 200 || !strings.HasPrefix(out["markdown"].(string), "示例县今年新建的三座蔬菜大棚已全部投入使用。\n\n大棚采用") {
		t.Errorf("paste: %d %v", code, out)
	}
	if imgs, _ := out["local_images"].([]any); len(imgs) != 1 {
		t.Errorf("paste reported images %v, want the one file:/// image", out["local_images"])
	}
}

func TestDocxAPI(t *testing.T) {
	ta := newTestAdmin(t)
	data, err := os.ReadFile(filepath.Join("..", "internal", "paste", "testdata", "pandoc.docx"))
	if err != nil {
		t.Fatal(err)
	}
	code, s := ta.upload(t, "/api/admin/docx", "城市书房.docx", data, nil)
	if code != http.StatusCreated {
		t.Fatalf("docx: %d %v", code, s)
	}
	if s["title"] != "旧粮仓变身城市书房" || s["state"] != "draft" || !strings.Contains(s["body"].(string), "## 旧粮仓换了新模样") {
		t.Errorf("draft from docx: %v", s)
	}
	photos, _ := s["photos"].([]any)
	if len(photos) != 1 || photos[0].(map[string]any)["caption"] != "改造后的书房内景" || photos[0].(map[string]any)["media"] == nil {
		t.Errorf("docx photos: %v", s["photos"])
	}
	code, out := ta.upload(t, "/api/admin/docx", "旧稿.doc", append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 100)...), nil)
	if code != http.StatusBadRequest || !strings.Contains(out["error"].(string), "另存为") {
		t.Errorf(".doc: %d %v", code, out)
	}
}
