package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// TestMediaEditAndDelete: the uploader (or an editor) changes a photo's
// caption, credit and alt text in the library, and deletes it, file and
// all; a live story using the photo, among its photos or in its text, stops
// the delete with a Chinese message naming it; other reporters may do
// neither.
func TestMediaEditAndDelete(t *testing.T) {
	ta := newTestAdmin(t)
	ctx := context.Background()
	other := &news.User{Name: "reporter2", Role: news.RoleReporter}
	if err := ta.desk.Store.CreateUser(ctx, other, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	otherToken, err := ta.desk.Store.CreateToken(ctx, other.ID, news.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	call := func(token, method, path, body string) (int, map[string]any) {
		req, _ := http.NewRequest(method, ta.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out := map[string]any{}
		if resp.StatusCode != http.StatusNoContent {
			jsonDecode(t, resp, &out)
		}
		return resp.StatusCode, out
	}
	reporter := ta.tokens[news.RoleReporter]
	upload := func(caption string) (string, string) {
		code, m := ta.upload(t, "/api/admin/media", "照片.jpg", testPhoto(t, 120, 80), map[string]string{"caption": caption, "credit": "记者 示例 摄"})
		if code != http.StatusCreated {
			t.Fatalf("upload: %d %v", code, m)
		}
		return fmt.Sprint(int64(m["id"].(float64))), m["url"].(string)
	}
	id, url := upload("图为城市书房。")
	media := "/api/admin/media/" + id

	code, m := call(reporter, "PUT", media, `{"caption": "图为改建后的城市书房。", "alt": "书架和读者"}`)
	if code != 200 || m["caption"] != "图为改建后的城市书房。" || m["alt"] != "书架和读者" || m["credit"] != "记者 示例 摄" {
		t.Fatalf("describe: %d %v", code, m)
	}
	if _, found := call(reporter, "GET", "/api/admin/media?q=改建后", ""); len(found["media"].([]any)) != 1 {
		t.Errorf("the library does not find the new caption: %v", found)
	}
	if code, m := call(reporter, "PUT", media, `{"credit": "`+strings.Repeat("长", 61)+`"}`); code != http.StatusBadRequest || m["fields"] == nil {
		t.Errorf("a credit too long: %d %v", code, m)
	}
	if code, _ := call(otherToken, "PUT", media, `{"caption": "别人改的"}`); code != http.StatusForbidden {
		t.Errorf("another reporter describing the photo: %d, want 403", code)
	}
	if code, _ := call(ta.tokens[news.RoleEditor], "PUT", media, `{"credit": "记者 示例 摄影"}`); code != 200 {
		t.Errorf("an editor describing the photo: %d, want 200", code)
	}
	if code, _ := call(otherToken, "DELETE", media, ""); code != http.StatusForbidden {
		t.Errorf("another reporter deleting the photo: %d, want 403", code)
	}

	// A published story with the photo, and one with a second photo in
	// its text only.
	id2, url2 := upload("第二张照片。")
	admin := ta.users[news.RoleAdmin]
	publish := func(title string, fields string) int64 {
		code, s := call(reporter, "POST", "/api/admin/stories", `{"title": "`+title+`", "section": "本地", `+fields+`}`)
		if code != http.StatusCreated {
			t.Fatalf("create: %d %v", code, s)
		}
		sid := int64(s["id"].(float64))
		if _, err := ta.desk.Submit(ctx, ta.users[news.RoleReporter], sid); err != nil {
			t.Fatal(err)
		}
		for _, r := range []news.Role{news.RoleEditor, news.RoleDirector, news.RoleChief} {
			if _, err := ta.desk.Approve(ctx, ta.users[r], sid); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := ta.desk.Publish(ctx, admin, sid); err != nil {
			t.Fatal(err)
		}
		return sid
	}
	withPhoto := publish("书房开放", `"body": "正文。", "photos": [{"media": `+id+`}]`)
	publish("文中有图", `"body": "正文。\n\n![第二张](`+url2+` \"第二张照片。\")"`)
	code, m = call(reporter, "DELETE", media, "")
	if code != http.StatusConflict || !strings.Contains(fmt.Sprint(m["error"]), "《书房开放》") {
		t.Fatalf("deleting a photo a live story uses: %d %v", code, m)
	}
	if code, m := call(reporter, "DELETE", "/api/admin/media/"+id2, ""); code != http.StatusConflict || !strings.Contains(fmt.Sprint(m["error"]), "《文中有图》") {
		t.Errorf("deleting a photo in a live story's text: %d %v", code, m)
	}
	if status, _, _ := ta.getPage(t, news.RoleReporter, "/admin"+url); status != 200 {
		t.Fatalf("the photo's file: %d", status)
	}

	// Withdrawn, the story no longer holds it: the photo goes, file too.
	if _, err := ta.desk.Withdraw(ctx, admin, withPhoto, "测试"); err != nil {
		t.Fatal(err)
	}
	if code, m := call(reporter, "DELETE", media, ""); code != http.StatusNoContent {
		t.Fatalf("delete: %d %v", code, m)
	}
	if status, _, _ := ta.getPage(t, news.RoleReporter, "/admin"+url); status != http.StatusNotFound {
		t.Errorf("the deleted photo's file still answers %d", status)
	}
	if code, _ := call(reporter, "PUT", media, `{"caption": "x"}`); code != http.StatusNotFound {
		t.Errorf("describing a deleted photo: %d, want 404", code)
	}
}

func jsonDecode(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: answer is not JSON: %v", resp.Request.URL, err)
	}
}

// TestLibraryPage: the 图片库 page lists photos, changes their text and
// deletes them with a confirmation box, without JavaScript; a reporter
// sees forms only for their own photos.
func TestLibraryPage(t *testing.T) {
	ta := newTestAdmin(t)
	code, m := ta.upload(t, "/api/admin/media", "照片.jpg", testPhoto(t, 120, 80), map[string]string{"caption": "图为城市书房。", "credit": "记者 示例 摄"})
	if code != http.StatusCreated {
		t.Fatalf("upload: %d %v", code, m)
	}
	id := fmt.Sprint(int64(m["id"].(float64)))
	status, page, _ := ta.getPage(t, news.RoleReporter, "/admin/library?q=书房")
	if status != 200 || !strings.Contains(page, "图为城市书房。") || !strings.Contains(page, `action="/admin/library/`+id+`/delete"`) {
		t.Fatalf("library page: %d\n%s", status, page)
	}
	status, _, loc := ta.postNoticeForm(t, news.RoleReporter, "/admin/library/"+id, map[string][]string{"caption": {"图为改建后的书房。"}, "credit": {"记者 示例 摄"}, "alt": {"书架"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/library?msg=") {
		t.Fatalf("describe: %d %s", status, loc)
	}
	if _, page, _ := ta.getPage(t, news.RoleReporter, "/admin/library"); !strings.Contains(page, "图为改建后的书房。") {
		t.Error("the new caption is not shown")
	}
	if status, _, _ := ta.postNoticeForm(t, news.RoleReporter, "/admin/library/"+id+"/delete", nil); status != http.StatusBadRequest {
		t.Errorf("delete without the confirmation box: %d, want 400", status)
	}
	if status, _, _ := ta.postNoticeForm(t, news.RoleReporter, "/admin/library/"+id+"/delete", map[string][]string{"confirm": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("delete: %d", status)
	}
	if _, page, _ := ta.getPage(t, news.RoleReporter, "/admin/library"); strings.Contains(page, "改建后的书房") || strings.Contains(page, "media-"+id) {
		t.Error("the deleted photo is still listed")
	}
}
