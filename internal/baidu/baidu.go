// Package baidu pushes new and changed page URLs to Baidu's link
// submission API (普通收录 API 提交), so that the search engine most
// Chinese readers use learns of a story minutes after it is published
// instead of at its next crawl.
package baidu

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"newsroom/internal/news"
	"strings"
	"sync"
	"time"
)

// Endpoint is Baidu's submission API.
const Endpoint = "http://data.zz.baidu.com/urls"

// Pusher submits URLs for one site with one token. Baidu grants a daily
// quota of URLs; once an answer says none remain, Pusher stops asking
// until the next day (Asia/Shanghai) and logs what it skipped. It is safe
// for concurrent use.
type Pusher struct {
	Site     string // the site as registered with Baidu, e.g. https://www.example.cn
	Token    string
	Endpoint string // default Endpoint; tests point it at a local server
	Client   *http.Client
	Log      *slog.Logger
	Clock    news.Clock // nil: the wall clock

	mu        sync.Mutex
	exhausted string // the day (YYYY-MM-DD) the quota ran out
}

// answer is Baidu's reply.
type answer struct {
	Success  int      `json:"success"`
	Remain   int      `json:"remain"`
	NotSame  []string `json:"not_same_site"`
	NotValid []string `json:"not_valid"`
	Error    int      `json:"error"`
	Message  string   `json:"message"`
}

func (p *Pusher) today() string {
	var clock news.Clock = news.SystemClock{}
	if p.Clock != nil {
		clock = p.Clock
	}
	return clock.Now().In(news.Shanghai).Format(time.DateOnly)
}

// Push submits paths (e.g. /stories/2023/06/x/) as absolute URLs of the
// site. It returns how many Baidu accepted.
func (p *Pusher) Push(ctx context.Context, paths []string) (int, error) {
	if len(paths) == 0 {
		return 0, nil
	}
	p.mu.Lock()
	if p.exhausted == p.today() {
		p.mu.Unlock()
		p.log().Warn("baidu push skipped: daily quota used up", "urls", len(paths))
		return 0, nil
	}
	p.mu.Unlock()
	var body bytes.Buffer
	for _, path := range paths {
		body.WriteString(strings.TrimSuffix(p.Site, "/") + path + "\n")
	}
	endpoint := p.Endpoint
	if endpoint == "" {
		endpoint = Endpoint
	}
	u := endpoint + "?site=" + url.QueryEscape(p.Site) + "&token=" + url.QueryEscape(p.Token)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, &body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "text/plain")
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("baidu push: %w", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var a answer
	if err := json.Unmarshal(data, &a); err != nil {
		return 0, fmt.Errorf("baidu push: HTTP %d, unreadable answer %q", resp.StatusCode, data)
	}
	if resp.StatusCode != http.StatusOK || a.Error != 0 {
		if strings.Contains(a.Message, "over quota") {
			p.markExhausted()
		}
		return 0, fmt.Errorf("baidu push: HTTP %d: %d %s", resp.StatusCode, a.Error, a.Message)
	}
	if a.Remain <= 0 {
		p.markExhausted()
	}
	p.log().Info("baidu push", "sent", len(paths), "accepted", a.Success, "remain_today", a.Remain,
		"not_same_site", len(a.NotSame), "not_valid", len(a.NotValid))
	return a.Success, nil
}

func (p *Pusher) markExhausted() {
	p.mu.Lock()
	p.exhausted = p.today()
	p.mu.Unlock()
}

func (p *Pusher) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}
