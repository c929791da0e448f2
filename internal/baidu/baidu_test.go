package baidu

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"newsroom/internal/news"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A local HTTP server answers the way Baidu's API does (its documented
// JSON), counting down a quota.
func TestPushRespectsQuota(t *testing.T) {
	remain := 2
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") != "tok" || r.URL.Query().Get("site") != "https://www.example.cn" {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":401,"message":"token is not valid"}`)
			return
		}
		body, _ := io.ReadAll(r.Body)
		lines := strings.Fields(string(body))
		got = append(got, lines...)
		if remain <= 0 {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":400,"message":"over quota"}`)
			return
		}
		n := min(len(lines), remain)
		remain -= n
		io.WriteString(w, `{"success":`+itoa(n)+`,"remain":`+itoa(remain)+`}`)
	}))
	defer srv.Close()
	day := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	p := &Pusher{Site: "https://www.example.cn", Token: "tok", Endpoint: srv.URL, Clock: news.ClockFunc(func() time.Time { return day })}
	ctx := context.Background()
	n, err := p.Push(ctx, []string{"/stories/2026/11/a/", "/stories/2026/11/b/"})
	if err != nil || n != 2 {
		t.Fatalf("first push: %d %v", n, err)
	}
	if got[0] != "https://www.example.cn/stories/2026/11/a/" {
		t.Fatalf("sent %v", got)
	}
	// The quota is used up: no request until tomorrow.
	before := len(got)
	if n, err := p.Push(ctx, []string{"/stories/2026/11/c/"}); n != 0 || err != nil || len(got) != before {
		t.Fatalf("pushed past the quota: %d %v", n, err)
	}
	day = day.AddDate(0, 0, 1)
	remain = 5
	if n, err := p.Push(ctx, []string{"/stories/2026/12/d/"}); n != 1 || err != nil {
		t.Fatalf("next day: %d %v", n, err)
	}
	bad := &Pusher{Site: "https://www.example.cn", Token: "wrong", Endpoint: srv.URL}
	if _, err := bad.Push(ctx, []string{"/x/"}); err == nil || !strings.Contains(err.Error(), "token is not valid") {
		t.Fatalf("bad token: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
