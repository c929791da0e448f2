package admin

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"newsroom/internal/news"
)

// TestPresenceAPI: the open form's ping keeps its user present and says who
// else has the story open; the story's permissions apply.
func TestPresenceAPI(t *testing.T) {
	ta := newTestAdmin(t)
	s := ta.story(t, news.StateSubmitted)
	ping := func(role news.Role) (int, []string) {
		req, _ := http.NewRequest("POST", ta.srv.URL+"/api/admin/stories/"+strconv.FormatInt(s.ID, 10)+"/presence", nil)
		req.Header.Set("Authorization", "Bearer "+ta.tokens[role])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Others []string }
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out.Others
	}
	if code, others := ping(news.RoleReporter); code != 200 || len(others) != 0 {
		t.Fatalf("first ping: %d %v", code, others)
	}
	if code, others := ping(news.RoleEditor); code != 200 || len(others) != 1 || others[0] != ta.users[news.RoleReporter].Name {
		t.Errorf("editor's ping: %d %v, want the reporter", code, others)
	}
	if _, others := ping(news.RoleReporter); len(others) != 1 || others[0] != ta.users[news.RoleEditor].Name {
		t.Errorf("reporter's ping: %v, want the editor", others)
	}
}

// TestPresenceEndsOnLeave: the form's leave message (sent when the page
// goes away) forgets the person at once, so the others are not told that
// someone who closed the story is still editing it.
func TestPresenceEndsOnLeave(t *testing.T) {
	ta := newTestAdmin(t)
	s := ta.story(t, news.StateSubmitted)
	call := func(method string, role news.Role) (int, []string) {
		req, _ := http.NewRequest(method, ta.srv.URL+"/api/admin/stories/"+strconv.FormatInt(s.ID, 10)+"/presence", nil)
		req.Header.Set("Authorization", "Bearer "+ta.tokens[role])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Others []string }
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out.Others
	}
	call("POST", news.RoleEditor)
	if _, others := call("POST", news.RoleChief); len(others) != 1 {
		t.Fatalf("chief sees %v, want the editor", others)
	}
	if code, _ := call("DELETE", news.RoleEditor); code != http.StatusNoContent {
		t.Fatalf("leave: %d, want 204", code)
	}
	if _, others := call("POST", news.RoleChief); len(others) != 0 {
		t.Errorf("after the editor left, chief still sees %v", others)
	}
}
