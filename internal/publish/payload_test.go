package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/net/html"

	"newsroom/internal/content"
	"newsroom/internal/news"
	"newsroom/internal/site"
	"newsroom/search"
)

// copyTree copies the folder src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// newThemedLive wires a Live on a site with the repository's theme and
// configuration and no stories.
func newThemedLive(t *testing.T) (*Live, *site.Archive, content.Dir) {
	t.Helper()
	root := t.TempDir()
	repo := filepath.Join("..", "..")
	data, err := os.ReadFile(filepath.Join(repo, "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(root, "hugo.toml"), string(data))
	copyTree(t, filepath.Join(repo, "themes"), filepath.Join(root, "themes"))
	copyTree(t, filepath.Join(repo, "static"), filepath.Join(root, "static"))
	for _, f := range []string{"_index.md", "stories/_index.md", "notices/_index.md", "search/_index.md"} {
		data, err := os.ReadFile(filepath.Join(repo, "content", f))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(root, "content", f), string(data))
	}
	ix, err := search.Open(filepath.Join(root, ".newsroom", "index"), search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	a := &site.Archive{Root: root, Data: filepath.Join(root, ".newsroom"), HotMin: 400}
	if _, err := a.BuildAll(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	dir := content.Dir{Root: filepath.Join(root, "content")}
	return &Live{Site: a, Index: ix, Content: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, a, dir
}

// publishStory writes s as it is published and returns it as Update wants it.
func publishStory(t *testing.T, dir content.Dir, s news.Story, slug string) (news.Story, error) {
	t.Helper()
	pub := *s.PublishedAt
	data, err := content.Marshal(s, pub)
	if err != nil {
		return s, err
	}
	rel := content.RelPath(s.Kind, pub, slug)
	it, err := content.Parse(rel, data)
	if err != nil {
		t.Fatalf("%s: written but not read back: %v", slug, err)
	}
	if err := dir.Write(rel, data); err != nil {
		t.Fatal(err)
	}
	return it.Story, nil
}

// The payload corpus (testdata/payloads.json: script injection, front
// matter tricks, shortcode and template syntax, path tricks), each payload
// in every field of a story, published through the real site and index:
// every build succeeds, what was typed reads back as typed and shows as
// text, nothing executes, no term page lands on another page's path, every
// term link resolves, and a normal story still publishes afterwards.
func TestPayloadCorpusPublishesAsInertText(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real theme's site")
	}
	ctx := context.Background()
	var payloads []string
	data, err := os.ReadFile(filepath.Join("testdata", "payloads.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &payloads); err != nil {
		t.Fatal(err)
	}
	if len(payloads) < 100 {
		t.Fatalf("only %d payloads", len(payloads))
	}
	live, archive, dir := newThemedLive(t)
	pub := time.Date(2026, 12, 1, 9, 0, 0, 0, news.Shanghai) // in the past: Hugo leaves out future pages

	// A sealed notice at the path a tag once overwrote.
	notice := news.Story{Kind: news.KindNotice, Title: "遗失声明", Body: "吕梁市某公司遗失公章一枚，声明作废。", PublishedAt: &pub,
		Notice: &news.NoticeInfo{Issuers: []string{"吕梁市某公司"}}, State: news.StatePublished}
	notice, err = publishStory(t, dir, notice, "20261208-3c1bcb")
	if err != nil {
		t.Fatal(err)
	}
	if err := live.Update(ctx, []news.Story{notice}, nil); err != nil {
		t.Fatal(err)
	}
	noticePage := filepath.Join(archive.Current(), "notices", "2026", "12", "20261208-3c1bcb", "index.html")
	if b, err := os.ReadFile(noticePage); err != nil || !bytes.Contains(b, []byte("声明作废")) {
		t.Fatalf("the notice page is not there: %v", err)
	}
	// One story in each column of the navigation, so that its links resolve.
	var cols []news.Story
	for i, c := range []string{"要闻", "时政", "本地", "教育", "卫生健康", "文化"} {
		s, err := publishStory(t, dir, news.Story{Kind: news.KindStory, Title: c + "稿件", Body: c + "。", Section: c, PublishedAt: &pub,
			State: news.StatePublished}, fmt.Sprintf("col%d", i))
		if err != nil {
			t.Fatal(err)
		}
		cols = append(cols, s)
	}
	if err := live.Update(ctx, cols, nil); err != nil {
		t.Fatal(err)
	}
	buildsDir := filepath.Dir(archive.Current())
	before, _ := os.ReadDir(buildsDir)

	var stories []news.Story
	for i, p := range payloads {
		at := pub.Add(time.Duration(i+1) * time.Minute)
		s := news.Story{
			Kind: news.KindStory, Title: p, Kicker: p, Subtitle: p, Source: p, Section: p,
			Authors: []string{"记者 " + p, p}, Tags: []string{p, fmt.Sprintf("标签%d", i)},
			Body:   p + "\n\n第二段" + p,
			Photos: []news.Photo{{Src: "/images/placeholder-photo.svg", Caption: p, Credit: p, Placeholder: true}},
			Repost: &news.Repost{Source: p, Title: p, Author: p}, Edition: "2026-12-08", Page: 2, PageName: p,
			PublishedAt: &at, State: news.StatePublished,
		}
		got, err := publishStory(t, dir, s, fmt.Sprintf("p%03d", i))
		if err != nil {
			var e *news.Error
			if !errors.As(err, &e) || e.Code != news.EINVALID {
				t.Fatalf("payload %d %q: refused without a clear error: %v", i, p, err)
			}
			t.Errorf("payload %d %q refused: %v", i, p, err)
			continue
		}
		for _, f := range []struct{ name, got, want string }{
			{"title", got.Title, p}, {"kicker", got.Kicker, p}, {"subtitle", got.Subtitle, p}, {"source", got.Source, p},
			{"section", got.Section, p}, {"tag", got.Tags[0], p}, {"byline", got.Authors[0], "记者 " + p},
			{"caption", got.Photos[0].Caption, p}, {"repost title", got.Repost.Title, p}, {"page name", got.PageName, p},
		} {
			if f.got != f.want {
				t.Errorf("payload %d: %s reads back as %q, want %q", i, f.name, f.got, f.want)
			}
		}
		stories = append(stories, got)
	}
	// Notices, with the payload in every free-text field of each kind.
	kinds := []string{"gov", "tender", "lost", "capital-reduction"}
	var notices []int
	for i := 0; i < len(payloads); i += 3 {
		p := payloads[i]
		at := pub.Add(time.Duration(i+1)*time.Minute + 30*time.Second)
		n := news.NoticeInfo{Issuers: []string{p}, DocNumber: p, Phones: []string{p}, Email: p, NoticeFields: news.NoticeFields{
			Kind: kinds[i/3%len(kinds)], Signature: p, Addressees: []string{p}, Attachments: []news.Attachment{{Title: p, URL: p}},
			ProjectName: p, ProjectNumber: p, Agency: p, Budget: p, Company: p, CapitalBefore: p, CapitalAfter: p, Parties: []string{p},
			Holder: p, LostItem: p, LostNumber: p, Contact: p, Address: p}}
		s := news.Story{Kind: news.KindNotice, Title: p, Body: p, Notice: &n, PublishedAt: &at, State: news.StatePublished}
		got, err := publishStory(t, dir, s, fmt.Sprintf("n%03d", i))
		if err != nil {
			t.Errorf("notice payload %d %q refused: %v", i, p, err)
			continue
		}
		if got.Notice == nil || got.Notice.Holder != p || got.Notice.Issuers[0] != p || got.Notice.Attachments[0].URL != p {
			t.Errorf("notice payload %d: reads back as %+v", i, got.Notice)
		}
		stories = append(stories, got)
		notices = append(notices, i)
	}
	for len(stories) > 0 {
		n := min(len(stories), 40)
		if err := live.Update(ctx, stories[:n], nil); err != nil {
			t.Fatalf("publishing payloads: %v", err)
		}
		stories = stories[n:]
	}

	tree := archive.Current()
	if b, err := os.ReadFile(noticePage); err != nil || !bytes.Contains(b, []byte("声明作废")) {
		t.Errorf("the notice's page was replaced: %v\n%.300s", err, b)
	}
	if after, _ := os.ReadDir(buildsDir); len(after) != len(before) {
		t.Errorf("builds folder had %d entries, now %d: something was written beside the tree", len(before), len(after))
	}
	for _, top := range []string{"tmp", "etc", "windows"} {
		if _, err := os.Stat(filepath.Join(tree, top)); err == nil {
			t.Errorf("a term page was written at /%s/", top)
		}
	}
	checked := 0
	err = filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(tree, p)
		rel = filepath.ToSlash(rel)
		page, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, msg := range inertProblems(page, tree) {
			t.Errorf("%s: %s", rel, msg)
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every story page shows the payload as typed (shortcodes not run).
	for i, p := range payloads {
		page, err := os.ReadFile(filepath.Join(tree, "stories", "2026", "12", fmt.Sprintf("p%03d", i), "index.html"))
		if err != nil {
			t.Errorf("payload %d: no page: %v", i, err)
			continue
		}
		text := pageText(page)
		if want := shown(p); !strings.Contains(text, want) || !strings.Contains(text, shown("第二段"+p)) {
			t.Errorf("payload %d: page does not show %q as typed", i, want)
		}
	}
	for _, i := range notices {
		if _, err := os.Stat(filepath.Join(tree, "notices", "2026", "12", fmt.Sprintf("n%03d", i), "index.html")); err != nil {
			t.Errorf("notice payload %d: no page: %v", i, err)
		}
	}
	if checked < len(payloads) {
		t.Fatalf("checked only %d pages", checked)
	}

	// A normal story still publishes.
	at := pub.Add(6 * time.Hour)
	normal, err := publishStory(t, dir, news.Story{Kind: news.KindStory, Title: "离石区口袋公园开放", Body: "十二座口袋公园全部建成。",
		Section: "本地", Tags: []string{"城市建设"}, Authors: []string{"记者 张娟娟"}, PublishedAt: &at, State: news.StatePublished}, "normal")
	if err != nil {
		t.Fatal(err)
	}
	if err := live.Update(ctx, []news.Story{normal}, nil); err != nil {
		t.Fatalf("a normal story after the corpus: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(archive.Current(), "stories", "2026", "12", "normal", "index.html"))
	if err != nil || !bytes.Contains(b, []byte("十二座口袋公园全部建成")) {
		t.Fatalf("the normal story is not served: %v", err)
	}
	if _, err := os.Stat(filepath.Join(archive.Current(), "tags", "城市建设", "index.html")); err != nil {
		t.Errorf("a plain tag keeps its URL /tags/城市建设/: %v", err)
	}
	if res, err := live.Index.Search(ctx, search.Query{Q: "口袋公园"}); err != nil || res.Total != 1 {
		t.Fatalf("the normal story is not searchable: %v %+v", err, res)
	}
}

// shown is what a reader sees of typed text in a paragraph or a heading:
// runs of white space are one space, NUL is U+FFFD (HTML and Markdown).
func shown(s string) string {
	s = strings.ReplaceAll(s, "\x00", "\ufffd")
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// pageText is the text of a page as shown (see shown).
func pageText(page []byte) string {
	z := html.NewTokenizer(bytes.NewReader(page))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return shown(b.String())
		case html.TextToken:
			b.Write(z.Text())
			b.WriteByte(' ')
		}
	}
}

// inertProblems lists what in a page could execute or lead out of place:
// event handler attributes, script URLs, elements that run or embed
// content, a script whose content is not the theme's (JSON-LD must parse
// as JSON), and links to term pages that do not exist in tree.
func inertProblems(page []byte, tree string) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(page))
	inScript, scriptType := false, ""
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.TextToken:
			if inScript {
				text := z.Text()
				if scriptType == "application/ld+json" {
					var v any
					if err := json.Unmarshal(text, &v); err != nil {
						out = append(out, fmt.Sprintf("JSON-LD does not parse: %v", err))
					}
				} else if bytes.Contains(text, []byte("alert(")) {
					out = append(out, "a script runs user input")
				}
			}
		case html.EndTagToken:
			inScript = false
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			switch tag {
			case "iframe", "object", "embed", "base", "math", "video", "audio", "details", "svg", "style", "marquee":
				out = append(out, "element <"+tag+">")
			}
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			for k, v := range attrs {
				lv := strings.ToLower(strings.TrimSpace(v))
				if strings.HasPrefix(k, "on") {
					out = append(out, fmt.Sprintf("<%s %s=%q>", tag, k, v))
				}
				if (k == "href" || k == "src" || k == "action" || k == "formaction" || k == "data") &&
					(strings.HasPrefix(lv, "javascript:") || strings.HasPrefix(lv, "vbscript:") || strings.HasPrefix(lv, "data:text/html")) {
					out = append(out, fmt.Sprintf("<%s %s=%q>", tag, k, v))
				}
			}
			if tag == "meta" && strings.EqualFold(attrs["http-equiv"], "refresh") { // Hugo's alias pages
				if _, to, _ := strings.Cut(attrs["content"], "url="); !strings.HasPrefix(to, "/") {
					out = append(out, fmt.Sprintf("meta refresh to %q", to))
				}
			}
			if tag == "script" {
				inScript, scriptType = tt == html.StartTagToken, attrs["type"]
			}
			if href := attrs["href"]; tag == "a" && href != "" {
				if msg := termLinkProblem(href, tree); msg != "" {
					out = append(out, msg)
				}
			}
		}
	}
}

// termLinkProblem says why a link to a column, tag or author page does not
// resolve to a page of tree inside its taxonomy ("" if it does).
func termLinkProblem(href, tree string) string {
	u, err := url.Parse(href)
	if err != nil {
		return fmt.Sprintf("link %q does not parse", href)
	}
	p := u.Path
	var tax string
	for _, t := range []string{"/columns/", "/tags/", "/authors/"} {
		if strings.HasPrefix(p, t) {
			tax = t
		}
	}
	if tax == "" || u.Host != "" {
		return ""
	}
	term, _, _ := strings.Cut(strings.TrimPrefix(p, tax), "/")
	if term == ".." || term == "." || path.Clean(p) != strings.TrimSuffix(p, "/") {
		return fmt.Sprintf("term link %q leaves its taxonomy", href)
	}
	file := filepath.Join(tree, filepath.FromSlash(p))
	if strings.HasSuffix(p, "/") {
		file = filepath.Join(file, "index.html")
	}
	if _, err := os.Stat(file); err != nil {
		return fmt.Sprintf("term link %q does not resolve", href)
	}
	return ""
}
