package admin

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// TestStrictInput sends what issue 22 found accepted: lax ids, negative
// limits, trailing garbage after a JSON body, control characters, lists
// without bounds and bodies of any size. Each is refused with the status
// named; what is well formed still passes.
func TestStrictInput(t *testing.T) {
	ta := newTestAdmin(t)
	s := ta.story(t, news.StateDraft)
	call := func(role news.Role, method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ta.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+ta.tokens[role])
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	long := func(n int) string { return strings.Repeat("长", n) }
	big := strings.Repeat("字", 1<<20) // 3 MiB of UTF-8
	cases := []struct {
		method, path, body string
		want               int
	}{
		// Ids: one story, one URL.
		{"GET", fmt.Sprintf("/api/admin/stories/%d", s.ID), "", 200},
		{"GET", fmt.Sprintf("/api/admin/stories/%dabc", s.ID), "", 404},
		{"GET", fmt.Sprintf("/api/admin/stories/%%20%d", s.ID), "", 404},
		{"GET", fmt.Sprintf("/api/admin/stories/%de3", s.ID), "", 404},
		{"GET", fmt.Sprintf("/api/admin/stories/0%d", s.ID), "", 404},
		{"GET", fmt.Sprintf("/api/admin/stories/+%d", s.ID), "", 404},
		{"GET", "/api/admin/stories/99999999999999999999", "", 404},
		{"GET", fmt.Sprintf("/api/admin/stories/%d/revisions/1", s.ID), "", 200},
		{"GET", fmt.Sprintf("/api/admin/stories/%d/revisions/1x", s.ID), "", 404},
		// Query parameters: strict numbers within bounds, known names.
		{"GET", "/api/admin/stories?limit=5", "", 200},
		{"GET", "/api/admin/stories?limit=-1", "", 400},
		{"GET", "/api/admin/stories?limit=0", "", 400},
		{"GET", "/api/admin/stories?limit=1001", "", 400},
		{"GET", "/api/admin/stories?limit=1e3", "", 400},
		{"GET", "/api/admin/stories?limit=", "", 400},
		{"GET", "/api/admin/stories?state=bogus", "", 400},
		{"GET", "/api/admin/stories?state=draft", "", 200},
		{"GET", "/api/admin/audit?limit=-1", "", 400},
		{"GET", "/api/admin/audit?story=1x", "", 400},
		{"GET", "/api/admin/audit?action=bogus", "", 400},
		{"GET", "/api/admin/audit?user=" + url.QueryEscape(long(33)), "", 400},
		{"GET", "/api/admin/audit?user=" + url.QueryEscape("a\x00b"), "", 400},
		{"GET", fmt.Sprintf("/api/admin/audit?story=%d&action=create&limit=10", s.ID), "", 200},
		{"GET", fmt.Sprintf("/api/admin/stories/%d/diff?a=1e3", s.ID), "", 400},
		// One JSON value per body.
		{"POST", "/api/admin/stories", `{"title":"一个值","body":"正文。"}`, 201},
		{"POST", "/api/admin/stories", `{"title":"一个值","body":"正文。"} garbage`, 400},
		{"POST", "/api/admin/stories", `{"title":"两个值"}{"title":"两个值"}`, 400},
		{"POST", "/api/admin/stories", `{"title":"多余字段","bogus":1}`, 400},
		// Control characters: none in text fields; newlines and tabs in the body.
		{"POST", "/api/admin/stories", `{"title":"标题\u0000"}`, 400},
		{"POST", "/api/admin/stories", `{"title":"标题\u202e反向"}`, 400},
		{"POST", "/api/admin/stories", `{"title":"标题","tags":["标\u0007签"]}`, 400},
		{"POST", "/api/admin/stories", `{"title":"标题","body":"第一段\u001b[31m"}`, 400},
		{"POST", "/api/admin/stories", `{"title":"标题","photos":[{"src":"/a.jpg","caption":"说明\u0000"}]}`, 400},
		{"POST", "/api/admin/stories", `{"title":"标题","body":"第一段。\n\n\t第二段。"}`, 201},
		// Limits on every list and string.
		{"POST", "/api/admin/stories", `{"title":"` + long(121) + `"}`, 400},
		{"POST", "/api/admin/stories", `{"title":"标题","tags":[` + tagList(21) + `]}`, 400},
		{"POST", "/api/admin/stories", `{"title":"标题","photos":[` + photoList(51) + `]}`, 400},
		{"POST", "/api/admin/stories", `{"title":"标题","photos":[` + photoList(3) + `]}`, 201},
		{"POST", "/api/admin/stories", `{"title":"标题","repost":{"source":"` + long(121) + `"}}`, 400},
		{"POST", "/api/admin/stories", `{"title":"标题","page_name":"` + long(41) + `"}`, 400},
		{"POST", fmt.Sprintf("/api/admin/stories/%d/return", s.ID), `{"comment":"` + long(501) + `"}`, 409}, // a draft cannot be returned: the state is checked first
		// Bounded bodies.
		{"POST", "/api/admin/stories", `{"title":"标题","body":"` + big + `"}`, 413},
		{"PUT", "/api/admin/workflow", `{"default":["editor"],"sections":{` + sectionList(201) + `}}`, 400},
	}
	for _, c := range cases {
		if got, body := call(news.RoleAdmin, c.method, c.path, c.body); got != c.want {
			t.Errorf("%s %s %.80q: %d, want %d (%.200s)", c.method, c.path, c.body, got, c.want, body)
		}
	}

	// A return comment and a withdrawal reason are bounded too.
	sub := ta.story(t, news.StateSubmitted)
	if got, _ := call(news.RoleAdmin, "POST", fmt.Sprintf("/api/admin/stories/%d/return", sub.ID), `{"comment":"`+long(501)+`"}`); got != 400 {
		t.Errorf("a 501-character return comment: %d, want 400", got)
	}
	if got, _ := call(news.RoleAdmin, "POST", fmt.Sprintf("/api/admin/stories/%d/return", sub.ID), `{"comment":"请\u0000补充"}`); got != 400 {
		t.Errorf("a return comment with NUL: %d, want 400", got)
	}
	if cur, err := ta.desk.Get(context.Background(), ta.users[news.RoleAdmin], sub.ID); err != nil || cur.State != news.StateSubmitted {
		t.Fatalf("a refused return changed the story: %v %v", cur.State, err)
	}

	// Forms are bounded as well, the login form most tightly; an
	// oversized form is refused as such, not read as a form with fields
	// missing.
	form := func(path, cookie string, v url.Values) int {
		t.Helper()
		req, _ := http.NewRequest("POST", ta.srv.URL+path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
		}
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := form("/admin/login", "", url.Values{"name": {"admin1"}, "password": {strings.Repeat("x", 100_000)}}); got != http.StatusRequestEntityTooLarge {
		t.Errorf("a 100 KB login form: %d, want 413", got)
	}
	if got := form("/admin/login", "", url.Values{"name": {"admin1"}, "password": {"wrong password"}}); got != http.StatusUnauthorized {
		t.Errorf("a wrong login: %d, want 401", got)
	}
	if got := form("/admin/stories", ta.cookies[news.RoleReporter], url.Values{"kind": {"story"}, "title": {"大表单"}, "body": {big}}); got != http.StatusRequestEntityTooLarge {
		t.Errorf("a 9 MB story form: %d, want 413", got)
	}
	// A chunked body (no length announced) is cut at the limit too.
	req, _ := http.NewRequest("POST", ta.srv.URL+"/api/admin/stories", io.MultiReader(strings.NewReader(`{"title":"标题","body":"`), strings.NewReader(big), strings.NewReader(`"}`)))
	req.Header.Set("Authorization", "Bearer "+ta.tokens[news.RoleAdmin])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if req.ContentLength > 0 || resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a chunked 3 MB body (length %d): %d, want 413", req.ContentLength, resp.StatusCode)
	}
}

func tagList(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"标签%d"`, i)
	}
	return strings.Join(parts, ",")
}

func photoList(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`{"src":"/p%d.jpg","caption":"图%d"}`, i, i)
	}
	return strings.Join(parts, ",")
}

func sectionList(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`"栏目%d":["editor"]`, i)
	}
	return strings.Join(parts, ",")
}

// TestFormIDsAreStrict: the assign form's owner and the story form's
// photo_media are ids read strictly (httpx.ID), like the routes' ids: "3x",
// "-1" or "1e3" answer 400 in Chinese (the story form comes back with the
// text), never a story assigned to nobody or a photo row without its photo.
func TestFormIDsAreStrict(t *testing.T) {
	ta := newTestAdmin(t)
	s := ta.story(t, news.StateDraft)
	for _, owner := range []string{"", "3x", "-1", "1e3", " "} {
		status, body, _ := ta.postNoticeForm(t, news.RoleAdmin, fmt.Sprintf("/admin/stories/%d/assign", s.ID), url.Values{"owner": {owner}})
		if status != http.StatusBadRequest || !strings.Contains(body, "请选择要把稿件指派给谁") {
			t.Errorf("assign to %q: %d, want 400 with a Chinese message", owner, status)
		}
	}
	cur, _ := ta.desk.Get(context.Background(), ta.users[news.RoleAdmin], s.ID)
	if cur.OwnerID != s.OwnerID {
		t.Fatalf("a refused assignment changed the owner to %d", cur.OwnerID)
	}
	form := url.Values{"kind": {"story"}, "title": {"带图的稿件"}, "body": {"正文要留下。"}, "section": {"本地"},
		"photo_media": {"12abc"}, "photo_src": {"/media/2026/12/x.jpg"}, "photo_caption": {"图片说明"}}
	status, body, _ := ta.postNoticeForm(t, news.RoleReporter, "/admin/stories", form)
	if status != http.StatusBadRequest || !strings.Contains(body, "图库编号有误") || !strings.Contains(body, "正文要留下。") {
		t.Errorf("a photo row with media 12abc: %d, want 400 with the form and its text", status)
	}
	form.Set("version", strconv.Itoa(s.Version))
	form.Set("photo_media", "-3")
	if status, _, _ := ta.postNoticeForm(t, news.RoleReporter, fmt.Sprintf("/admin/stories/%d", s.ID), form); status != http.StatusBadRequest {
		t.Errorf("saving with media -3: %d, want 400", status)
	}
	if status, _, _ := ta.postNoticeForm(t, news.RoleReporter, "/admin/preview", form); status != http.StatusBadRequest {
		t.Errorf("previewing with media -3: %d, want 400", status)
	}
}
