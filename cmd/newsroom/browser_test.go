package main

// The reader site in a real browser: Debian's Chromium, driven by chromedp,
// loads the pages served by `newsroom serve` at desktop and phone widths,
// saves full-page screenshots to test-artifacts/browser/, runs axe-core
// (tools/axe, installed by `npm ci`) and checks structure: one <h1> on story
// pages, no horizontal scroll at 320 px, JSON-LD that parses, typography. The
// feeds (sitemap index and its sitemaps, the Google News sitemap, RSS,
// robots.txt) are fetched over HTTP and checked as XML.
//
// Without Chromium or tools/axe/node_modules the test skips, and fails when
// the CI environment variable is set.

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserPage is one page the browser test visits.
type browserPage struct {
	name, path string
	story      bool // a story or notice: exactly one <h1>, NewsArticle JSON-LD
}

var browserWidths = []int64{1280, 375, 320}

func findChromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		p, _ = exec.LookPath(p) // "" when it is not there: no fallback
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserNeeds skips the test (or fails it on CI) when a tool is missing.
func browserNeeds(t *testing.T, ok bool, msg string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("browser test: %s", msg)
	}
	t.Skipf("browser test: %s (set CI=1 to make this a failure)", msg)
}

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	chromium := findChromium()
	browserNeeds(t, chromium != "", "Chromium not found (apt-get install -y chromium fonts-noto-cjk)")
	axeJS, err := os.ReadFile(filepath.Join("..", "..", "tools", "axe", "node_modules", "axe-core", "axe.min.js"))
	browserNeeds(t, err == nil, "axe-core missing: run `npm ci` in tools/axe")

	artifacts := filepath.Join("..", "..", "test-artifacts", "browser")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}

	site := copySite(t)
	fresh := addFreshStory(t, site)
	s := startServer(t, site)

	// Feeds first: cheap, and they need no browser.
	t.Run("feeds", func(t *testing.T) { checkFeeds(t, s.base, fresh) })
	t.Run("repost", func(t *testing.T) {
		page := string(fetch(t, s.base, fresh))
		for _, want := range []string{"转载自《山西日报》", "作者：原作者甲", "原标题：《原题：新闻网站地图的测试》", "责任编辑：测试编辑", "本报讯"} {
			if !strings.Contains(page, want) {
				t.Errorf("reposted story %s lacks %q", fresh, want)
			}
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium (%s): %v", chromium, err)
	}

	pages := []browserPage{
		{name: "home", path: "/"},
		{name: "story", path: "/stories/2023/06/yijianshi-yicibang/", story: true},
		{name: "photo-story", path: "/stories/2023/06/gaokao-shouri/", story: true},
		{name: "notice", path: "/notices/2023/06/yingshang-huanjing-jiandu-zhuanxian/", story: true},
		{name: "column", path: "/columns/" + url.PathEscape("教育") + "/"},
		{name: "month", path: "/stories/2023/06/"},
		{name: "search", path: "/search/?q=" + url.QueryEscape("高考")},
		{name: "404", path: "/no-such-page/"},
		{name: "verify", path: "/verify/?q=LLRB-2023-000009"},
		{name: "edition", path: "/edition/2023-06-08/"},
		{name: "epaper-page", path: "/edition/2023-06-08/01/"},
	}
	// /verify/ is in the paper's look: the theme's header and navigation
	// around the form, and help written for readers.
	if page := string(fetch(t, s.base, "/verify/")); !strings.Contains(page, `class="site-header"`) || !strings.Contains(page, "怎样核验") ||
		!strings.Contains(page, `action="/verify/"`) || strings.Contains(page, "docs/notices.md") {
		t.Errorf("/verify/ is not the theme's page with the form and help:\n%.2000s", page)
	}
	var serious []string
	for _, p := range pages {
		for _, w := range browserWidths {
			serious = append(serious, checkInBrowser(t, bctx, s.base, p, w, string(axeJS), artifacts)...)
		}
	}
	t.Run("large-text", func(t *testing.T) { checkLargeText(t, bctx, s.base, artifacts) })
	t.Run("keyboard", func(t *testing.T) { checkSkipLink(t, bctx, s.base) })
	if len(serious) > 0 {
		t.Errorf("axe found %d serious or critical violations:\n%s", len(serious), strings.Join(serious, "\n"))
	}
}

// addFreshStory writes a reposted story dated one hour ago into the copied
// site, so the Google News sitemap (last 48 hours) has an entry, the current
// month gets an archive page and params.repost is shown. It returns the
// story's URL path.
func addFreshStory(t *testing.T, site string) string {
	t.Helper()
	cst := time.FixedZone("CST", 8*3600)
	d := time.Now().In(cst).Add(-time.Hour).Truncate(time.Minute)
	dir := filepath.Join(site, "content", "stories", d.Format("2006"), d.Format("01"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`---
title: "浏览器测试稿件：新闻网站地图收录最近四十八小时的稿件"
date: %s
columns: ["本地"]
tags: ["测试"]
authors: ["测试记者"]
params:
  id: 0
  kind: story
  source: "本报讯"
  bylines: ["记者 测试记者"]
  editor: "测试编辑"
  repost:
    source: "山西日报"
    title: "原题：新闻网站地图的测试"
    author: "原作者甲"
---
这是浏览器测试在运行时写入的稿件，用来检查新闻网站地图只收录最近四十八小时内发布的稿件。

第二段文字，检查段落首行缩进两个字、段间不留空行、两端对齐。
`, d.Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(dir, "browser-fresh.md"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("/stories/%s/%s/browser-fresh/", d.Format("2006"), d.Format("01"))
}

// pageFacts is what the browser reports about one page.
type pageFacts struct {
	Status      int      `json:"status"`
	H1          int      `json:"h1"`
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	LDJSON      []string `json:"ldjson"`
	Fonts       int      `json:"fonts"`
	Italic      []string `json:"italic"`
	Overflow    []string `json:"overflow"`
	ImgNoAlt    int      `json:"imgNoAlt"`
	Para        struct {
		LineHeight, FontSize, TextIndent, MarginBottom float64
		TextAlign, LineBreak                           string
	} `json:"para"`
	HeadlineMode string            `json:"headlineMode"`
	Meta         map[string]string `json:"meta"`
}

const factsJS = `(() => {
  const px = v => parseFloat(v) || 0;
  const r = {h1: document.querySelectorAll('h1').length,
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    ldjson: [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => s.textContent),
    fonts: document.fonts ? document.fonts.size : 0,
    italic: [], overflow: [], imgNoAlt: document.querySelectorAll('img:not([alt])').length,
    para: null, headlineMode: '', meta: {}};
  for (const el of document.querySelectorAll('body *')) {
    const cs = getComputedStyle(el);
    if (cs.fontStyle === 'italic' && /[\u4e00-\u9fff]/.test(el.textContent)) r.italic.push(el.tagName + '.' + el.className);
    const b = el.getBoundingClientRect();
    if (b.width > 0 && b.right > window.innerWidth + 1 && cs.position !== 'absolute' && cs.position !== 'fixed')
      r.overflow.push(el.tagName + '.' + el.className + ' right=' + Math.round(b.right));
  }
  r.italic = r.italic.slice(0, 10); r.overflow = r.overflow.slice(0, 10);
  const p = document.querySelector('.story-body p');
  if (p) { const cs = getComputedStyle(p);
    r.para = {LineHeight: px(cs.lineHeight), FontSize: px(cs.fontSize), TextIndent: px(cs.textIndent),
      MarginBottom: px(cs.marginBottom), TextAlign: cs.textAlign, LineBreak: cs.lineBreak}; }
  const h = document.querySelector('h1.headline');
  if (h) r.headlineMode = getComputedStyle(h.closest('.story-head') || h).writingMode;
  for (const m of document.querySelectorAll('meta[property], meta[name], meta[http-equiv]'))
    r.meta[m.getAttribute('property') || m.getAttribute('name') || m.getAttribute('http-equiv').toLowerCase() + ':' + m.content] = m.content;
  return r;
})()`

// axeJSRun runs axe-core with the WCAG 2.x A/AA rules and best practices and
// returns the violations.
const axeJSRun = `axe.run(document, {resultTypes: ['violations'],
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : ''))})))`

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkInBrowser loads one page at one width, screenshots it, checks it and
// returns axe's serious and critical violations.
func checkInBrowser(t *testing.T, ctx context.Context, base string, p browserPage, width int64, axeJS, artifacts string) []string {
	t.Helper()
	label := fmt.Sprintf("%s@%d", p.name, width)
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, 800),
		chromedp.Navigate(base+p.path),
	); err != nil {
		t.Errorf("%s: load: %v", label, err)
		return nil
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("%s: screenshot: %v", label, err)
	} else if err := os.WriteFile(filepath.Join(artifacts, fmt.Sprintf("%s-%d.png", p.name, width)), png, 0o644); err != nil {
		t.Error(err)
	}
	f, err := chromedp.Run(ctx, chromedp.Evaluate[pageFacts](factsJS))
	if err != nil {
		t.Errorf("%s: inspect: %v", label, err)
		return nil
	}
	if p.story && f.H1 != 1 {
		t.Errorf("%s: %d <h1> elements, want exactly 1", label, f.H1)
	}
	if !p.story && f.H1 < 1 {
		t.Errorf("%s: no <h1>", label)
	}
	if f.ScrollWidth > f.InnerWidth {
		t.Errorf("%s: horizontal scroll: scrollWidth %d > innerWidth %d; too wide: %v", label, f.ScrollWidth, f.InnerWidth, f.Overflow)
	}
	if f.Fonts != 0 {
		t.Errorf("%s: %d web fonts declared; system fonts only", label, f.Fonts)
	}
	if len(f.Italic) > 0 {
		t.Errorf("%s: italic Chinese text in %v", label, f.Italic)
	}
	if f.ImgNoAlt > 0 {
		t.Errorf("%s: %d <img> without alt", label, f.ImgNoAlt)
	}
	// Baidu's no-transform hint is the Cache-Control header (internal/web);
	// as <meta http-equiv> it is invalid HTML.
	for k := range f.Meta {
		if strings.HasPrefix(k, "cache-control:") {
			t.Errorf("%s: <meta http-equiv=Cache-Control>: invalid HTML, the header says it", label)
		}
	}
	checkLDJSON(t, label, f.LDJSON, p.story)
	if p.story && width == 1280 {
		checkStoryHead(t, label, f)
	}

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeJS+";true")); err != nil {
		t.Errorf("%s: inject axe-core: %v", label, err)
		return nil
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeJSRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Errorf("%s: axe.run: %v", label, err)
		return nil
	}
	var bad []string
	for _, v := range vs {
		line := fmt.Sprintf("%s: [%s] %s: %s\n    %s", label, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n    "))
		if v.Impact == "serious" || v.Impact == "critical" {
			bad = append(bad, line)
		} else {
			t.Logf("axe (not failing): %s", line)
		}
	}
	return bad
}

// checkStoryHead checks story metadata and clreq typography at desktop width.
func checkStoryHead(t *testing.T, label string, f pageFacts) {
	t.Helper()
	for _, k := range []string{"og:title", "og:type", "og:url", "og:description", "og:site_name", "og:image", "og:image:alt", "article:published_time", "article:modified_time", "description"} {
		if f.Meta[k] == "" {
			t.Errorf("%s: meta %s missing", label, k)
		}
	}
	for _, k := range []string{"og:url", "og:image"} {
		if !absURL(f.Meta[k]) {
			t.Errorf("%s: %s %q is not an absolute URL", label, k, f.Meta[k])
		}
	}
	if pt := f.Meta["article:published_time"]; !strings.HasSuffix(pt, "+08:00") {
		t.Errorf("%s: article:published_time %q, want +08:00", label, pt)
	}
	pp := f.Para
	if pp.FontSize == 0 {
		t.Errorf("%s: no .story-body paragraph", label)
		return
	}
	if lh := pp.LineHeight / pp.FontSize; lh < 1.7 || lh > 2.0 {
		t.Errorf("%s: body line-height %.2f, want about 1.8", label, lh)
	}
	if ind := pp.TextIndent / pp.FontSize; ind < 1.95 || ind > 2.05 {
		t.Errorf("%s: first-line indent %.2fem, want 2em", label, ind)
	}
	if pp.MarginBottom != 0 {
		t.Errorf("%s: paragraph margin %.1fpx, want none", label, pp.MarginBottom)
	}
	if pp.TextAlign != "justify" || pp.LineBreak != "strict" {
		t.Errorf("%s: text-align %q line-break %q, want justify and strict", label, pp.TextAlign, pp.LineBreak)
	}
	if strings.HasPrefix(label, "photo-story") && pp.FontSize > 0 && f.HeadlineMode != "vertical-rl" {
		t.Errorf("%s: params.vertical story: headline writing-mode %q, want vertical-rl", label, f.HeadlineMode)
	}
}

var (
	w3cDateTime = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$`)
	cstDateTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$`)
)

func checkLDJSON(t *testing.T, label string, blocks []string, story bool) {
	t.Helper()
	var types []string
	baidu := false
	for i, b := range blocks {
		var v map[string]any
		if err := json.Unmarshal([]byte(b), &v); err != nil {
			t.Errorf("%s: JSON-LD block %d does not parse: %v\n%s", label, i, err, b)
			continue
		}
		typ, _ := v["@type"].(string)
		if typ == "" {
			t.Errorf("%s: JSON-LD block %d has no @type: %s", label, i, b)
		}
		types = append(types, typ)
		if v["@context"] == "https://ziyuan.baidu.com/contexts/cambrian.jsonld" {
			baidu = true
			for _, k := range []string{"@id", "title", "pubDate", "upDate"} {
				if v[k] == nil {
					t.Errorf("%s: Baidu JSON-LD without %s", label, k)
				}
			}
		}
		if typ == "NewsArticle" && v["@context"] == "https://schema.org" {
			for _, k := range []string{"datePublished", "dateModified"} {
				if s, _ := v[k].(string); !cstDateTime.MatchString(s) {
					t.Errorf("%s: NewsArticle %s = %q, want YYYY-MM-DDTHH:MM:SS+08:00", label, k, s)
				}
			}
			for _, k := range []string{"headline", "author", "publisher", "mainEntityOfPage", "image"} {
				if v[k] == nil {
					t.Errorf("%s: NewsArticle without %s", label, k)
				}
			}
			pub, _ := v["publisher"].(map[string]any)
			logo, _ := pub["logo"].(map[string]any)
			if u, _ := logo["url"].(string); !absURL(u) {
				t.Errorf("%s: NewsArticle publisher.logo.url %q, want an absolute URL", label, u)
			}
			page, _ := v["mainEntityOfPage"].(map[string]any)
			if id, _ := page["@id"].(string); !absURL(id) {
				t.Errorf("%s: NewsArticle mainEntityOfPage @id %q, want an absolute URL", label, id)
			}
		}
	}
	if story {
		hasArticle := false
		for _, typ := range types {
			hasArticle = hasArticle || typ == "NewsArticle"
		}
		if !hasArticle || !baidu {
			t.Errorf("%s: want NewsArticle and Baidu cambrian JSON-LD, got types %v (baidu %v)", label, types, baidu)
		}
	}
}

// checkLargeText switches on 大字模式 at 320 px: text grows, nothing scrolls sideways.
func checkLargeText(t *testing.T, ctx context.Context, base, artifacts string) {
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 800), chromedp.Navigate(base+"/stories/2023/06/yijianshi-yicibang/")); err != nil {
		t.Fatal(err)
	}
	type sizes struct{ Root, Body, ScrollWidth, InnerWidth float64 }
	const js = `(() => ({Root: parseFloat(getComputedStyle(document.documentElement).fontSize),
	  Body: parseFloat(getComputedStyle(document.querySelector('.story-body p')).fontSize),
	  ScrollWidth: document.documentElement.scrollWidth, InnerWidth: innerWidth}))()`
	before, err := chromedp.Run(ctx, chromedp.Evaluate[sizes](js))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('label.large-toggle').click(), document.getElementById('large-text').checked`)); err != nil {
		t.Fatal(err)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[sizes](js))
	if err != nil {
		t.Fatal(err)
	}
	if after.Body < before.Body*1.2 {
		t.Errorf("大字模式: body text %.1fpx -> %.1fpx, want at least 20%% larger", before.Body, after.Body)
	}
	if after.ScrollWidth > after.InnerWidth {
		t.Errorf("大字模式 at 320 px: horizontal scroll (%v > %v)", after.ScrollWidth, after.InnerWidth)
	}
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(filepath.Join(artifacts, "story-large-text-320.png"), png, 0o644)
	}
	// Switch it off again: the choice is remembered in localStorage.
	chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('label.large-toggle').click(), true`))
}

// checkSkipLink: the first Tab reaches a visible 跳到正文 link.
func checkSkipLink(t *testing.T, ctx context.Context, base string) {
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 800), chromedp.Navigate(base+"/"), chromedp.KeyEvent("\t")); err != nil {
		t.Fatal(err)
	}
	type focus struct {
		Class, Href, Outline string
		Top                  float64
	}
	f, err := chromedp.Run(ctx, chromedp.Evaluate[focus](`(() => { const a = document.activeElement, cs = getComputedStyle(a);
	  return {Class: a.className, Href: a.getAttribute('href') || '', Outline: cs.outlineStyle, Top: a.getBoundingClientRect().top}; })()`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Class != "skip-link" || f.Href != "#main" || f.Top < 0 {
		t.Errorf("first Tab: focus on %+v, want the visible skip link to #main", f)
	}
	if f.Outline == "none" {
		t.Errorf("focused skip link has no visible outline")
	}
}

// ---- feeds ----

func fetch(t *testing.T, base, path string) []byte {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	return b
}

// wellFormed reads every token, so any XML syntax error is reported, and
// returns the root element's name.
func wellFormed(t *testing.T, path string, b []byte) xml.Name {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(b)))
	var root xml.Name
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok && root.Local == "" {
			root = se.Name
		}
	}
	return root
}

// locOK: the sitemap protocol and RSS want absolute URLs of at most 2048
// characters (serve makes them absolute with its own address when the
// demo's hugo.toml has baseURL "/").
func locOK(loc string) bool {
	return len(loc) <= 2048 && absURL(loc)
}

// absURL reports whether s is an absolute http(s) URL.
func absURL(s string) bool {
	u, err := url.Parse(s)
	return s != "" && err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

const smNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
const newsNS = "http://www.google.com/schemas/sitemap-news/0.9"

type smURL struct {
	Loc        string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
	Lastmod    string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
	Changefreq string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 changefreq"`
	Priority   string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 priority"`
	News       *struct {
		Name     string `xml:"publication>name"`
		Language string `xml:"publication>language"`
		Date     string `xml:"publication_date"`
		Title    string `xml:"title"`
	} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	Other []struct {
		XMLName xml.Name
	} `xml:",any"`
}

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []smURL  `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

// checkURLSet applies the essentials of sitemap.xsd (and the news extension)
// and returns the URLs.
func checkURLSet(t *testing.T, path string, b []byte) []smURL {
	t.Helper()
	if root := wellFormed(t, path, b); root.Space != smNS || root.Local != "urlset" {
		t.Fatalf("%s: root %v, want urlset in %s", path, root, smNS)
	}
	var us urlset
	if err := xml.Unmarshal(b, &us); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(us.URLs) > 50000 {
		t.Errorf("%s: %d URLs, a sitemap holds at most 50,000", path, len(us.URLs))
	}
	freqs := "always hourly daily weekly monthly yearly never"
	for _, u := range us.URLs {
		if !locOK(u.Loc) {
			t.Errorf("%s: bad <loc> %q", path, u.Loc)
		}
		if u.Lastmod != "" && !w3cDateTime.MatchString(u.Lastmod) {
			t.Errorf("%s: <lastmod> %q is not a W3C datetime", path, u.Lastmod)
		}
		if u.Changefreq != "" && !strings.Contains(freqs, u.Changefreq) {
			t.Errorf("%s: bad <changefreq> %q", path, u.Changefreq)
		}
		if u.Priority != "" && !regexp.MustCompile(`^(0(\.\d+)?|1(\.0+)?)$`).MatchString(u.Priority) {
			t.Errorf("%s: bad <priority> %q", path, u.Priority)
		}
		for _, o := range u.Other {
			if o.XMLName.Space == smNS {
				t.Errorf("%s: unexpected <%s> in <url>", path, o.XMLName.Local)
			}
		}
	}
	return us.URLs
}

func checkFeeds(t *testing.T, base, fresh string) {
	// robots.txt names both sitemaps.
	robots := string(fetch(t, base, "/robots.txt"))
	for _, want := range []string{"Sitemap: " + base + "/sitemap.xml", "Sitemap: " + base + "/news-sitemap.xml", "User-agent: *"} {
		if !strings.Contains(robots, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, robots)
		}
	}

	// /sitemap.xml is a sitemap index; every child sitemap is a valid urlset.
	b := fetch(t, base, "/sitemap.xml")
	if root := wellFormed(t, "/sitemap.xml", b); root.Space != smNS || root.Local != "sitemapindex" {
		t.Fatalf("/sitemap.xml: root %v, want sitemapindex in %s", root, smNS)
	}
	var idx struct {
		Sitemaps []struct {
			Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
			Lastmod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap"`
	}
	if err := xml.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Sitemaps) == 0 || len(idx.Sitemaps) > 50000 {
		t.Fatalf("/sitemap.xml lists %d sitemaps", len(idx.Sitemaps))
	}
	all := map[string]bool{}
	for _, sm := range idx.Sitemaps {
		if !locOK(sm.Loc) || !w3cDateTime.MatchString(sm.Lastmod) {
			t.Errorf("/sitemap.xml: bad entry %+v", sm)
			continue
		}
		u, _ := url.Parse(sm.Loc)
		for _, e := range checkURLSet(t, u.Path, fetch(t, base, u.Path)) {
			lu, _ := url.Parse(e.Loc)
			if all[lu.Path] {
				t.Errorf("%s is listed in two sitemaps", lu.Path)
			}
			all[lu.Path] = true
		}
	}
	// Paths as decoded by url.Parse.
	for _, want := range []string{"/", "/stories/", "/stories/2023/06/", "/notices/2023/06/",
		"/stories/2023/06/gaokao-shouri/", "/notices/2023/06/yingshang-huanjing-jiandu-zhuanxian/", fresh,
		"/columns/教育/", "/tags/高考/", "/authors/张娟娟/"} {
		if !all[want] {
			t.Errorf("no sitemap lists %s", want)
		}
	}
	if all["/search/"] {
		t.Error("the search page is in a sitemap")
	}

	// Google News sitemap: the fresh story only (the demo paper is from 2023).
	news := checkURLSet(t, "/news-sitemap.xml", fetch(t, base, "/news-sitemap.xml"))
	if !strings.Contains(string(fetch(t, base, "/news-sitemap.xml")), `xmlns:news="`+newsNS+`"`) {
		t.Error("/news-sitemap.xml does not declare the news namespace")
	}
	if len(news) != 1 || !strings.HasSuffix(news[0].Loc, fresh) {
		t.Fatalf("/news-sitemap.xml: want only %s, got %+v", fresh, news)
	}
	n := news[0].News
	if n == nil || n.Name == "" || n.Language != "zh-cn" || n.Title == "" || !w3cDateTime.MatchString(n.Date) {
		t.Errorf("/news-sitemap.xml: incomplete <news:news>: %+v", n)
	}

	// RSS: home, a column (栏目) and the notices.
	for _, p := range []string{"/index.xml", "/columns/" + url.PathEscape("教育") + "/index.xml", "/notices/index.xml"} {
		checkRSS(t, p, fetch(t, base, p))
	}
}

func checkRSS(t *testing.T, path string, b []byte) {
	t.Helper()
	if root := wellFormed(t, path, b); root.Local != "rss" || root.Space != "" {
		t.Fatalf("%s: root %v, want rss", path, root)
	}
	var rss struct {
		Version string `xml:"version,attr"`
		Channel struct {
			Title string `xml:"title"`
			// <link> and <atom:link rel="self"> share the local name.
			Links []struct {
				XMLName xml.Name
				Value   string `xml:",chardata"`
			} `xml:"link"`
			Description string `xml:"description"`
			Items       []struct {
				Title       string `xml:"title"`
				Link        string `xml:"link"`
				Description string `xml:"description"`
				PubDate     string `xml:"pubDate"`
				GUID        string `xml:"guid"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal(b, &rss); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := rss.Channel
	link := ""
	for _, l := range c.Links {
		if l.XMLName.Space == "" {
			link = strings.TrimSpace(l.Value)
		}
	}
	if rss.Version != "2.0" || c.Title == "" || !locOK(link) || c.Description == "" {
		t.Errorf("%s: version %q channel title %q link %q description %q", path, rss.Version, c.Title, link, c.Description)
	}
	if len(c.Items) == 0 {
		t.Errorf("%s: no <item>", path)
	}
	for _, it := range c.Items {
		if it.Title == "" || !locOK(it.Link) || it.GUID == "" || it.Description == "" {
			t.Errorf("%s: incomplete item %+v", path, it)
		}
		if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
			t.Errorf("%s: pubDate %q is not RFC 822: %v", path, it.PubDate, err)
		}
	}
}
