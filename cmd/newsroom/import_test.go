package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"newsroom/internal/ingest"
	"newsroom/internal/news"
	"newsroom/internal/sqlite"
)

const samplePage = "../../../shared/seeds/000_e58c90808f211c85.txt"

func sampleText(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(samplePage)
	if os.IsNotExist(err) {
		t.Skip("sample page not present: " + samplePage)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runCmd runs a newsroom command line and returns stdout, stderr and the error.
func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// siteStories returns every story in the site's database.
func siteStories(t *testing.T, site string) []news.Story {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(site, ".newsroom", "newsroom.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, err := db.Stories(context.Background(), news.StoryFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// The headlines, bylines and kinds the sample page must come out with.
var sampleWant = []struct {
	kind, title string
	bylines     []string
}{
	{"story", "“一件事一次办”集成改革全省领跑", []string{"记者 张娟娟"}},
	{"notice", "吕梁市纪委监委关于开设营商环境投诉举报监督专线的公告", nil},
	{"story", "更好担负起新的文化使命 为强国建设民族复兴注入强大精神力量", nil},
	{"story", "张广勇在市区巡视检查高考工作", []string{"记者 刘子璇"}},
	{"photo", "高考首日", []string{"记者 刘亮亮 摄"}},
	{"story", "我市在国家、省职业健康传播作品征集活动中获得优异成绩", []string{"记者 冯凯治"}},
	{"story", "方山县：多彩活动进乡村 移风易俗倡新风", []string{"肖继旺 王泽利 王乾宇"}},
	{"story", "中阳县筑牢防灾减灾防线 护航高质量发展行稳致远", []string{"记者 高茜"}},
}

func TestImportSamplePageAsDraftsOnce(t *testing.T) {
	sampleText(t)
	site := copySite(t)
	args := []string{"import", "--site", site, "--date", "2023-06-08", "--page", "1", "--page-name", "要闻", samplePage}
	out, _, err := runCmd(t, args...)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, want := range []string{"2023-06-08 p1 要闻 000_e58c90808f211c85.txt: 8 items (6 stories, 1 photo, 1 notice), 0 uncertain",
		`dropped doubled banner "倡导移风易俗 弘扬文明新风"`, "created 8 drafts, 0 already imported"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	stories := siteStories(t, site)
	if len(stories) != len(sampleWant) {
		t.Fatalf("%d stories in the database, want %d", len(stories), len(sampleWant))
	}
	byTitle := map[string]news.Story{}
	for _, s := range stories {
		byTitle[s.Title] = s
	}
	for _, w := range sampleWant {
		s, ok := byTitle[w.title]
		if !ok {
			t.Errorf("no story titled %q", w.title)
			continue
		}
		if s.State != news.StateDraft || s.Owner != ingest.UserName {
			t.Errorf("%s: state %s owner %q, want a draft of %q", w.title, s.State, s.Owner, ingest.UserName)
		}
		if string(s.Kind) != w.kind || !slices.Equal(s.Authors, w.bylines) && !(len(s.Authors) == 0 && len(w.bylines) == 0) {
			t.Errorf("%s: kind %s authors %q, want %s %q", w.title, s.Kind, s.Authors, w.kind, w.bylines)
		}
		if s.Edition != "2023-06-08" || s.Page != 1 || s.PageName != "要闻" || s.Section != "要闻" {
			t.Errorf("%s: edition %q page %d %q section %q", w.title, s.Edition, s.Page, s.PageName, s.Section)
		}
		if s.Body == "" && s.Kind != news.KindPhoto {
			t.Errorf("%s: empty body", w.title)
		}
		switch s.Kind {
		case news.KindPhoto:
			if len(s.Photos) != 1 || !s.Photos[0].Placeholder || s.Photos[0].Credit != "记者 刘亮亮 摄" || s.Photos[0].Caption == "" {
				t.Errorf("photo item: photos = %+v", s.Photos)
			}
			if s.Body != "" {
				t.Errorf("photo item: the caption is also the body: %q", s.Body)
			}
		case news.KindNotice:
			if s.Notice == nil || len(s.Notice.Issuers) == 0 || s.Notice.IssuedOn == "" || len(s.Notice.Phones) == 0 || s.Notice.Email == "" {
				t.Errorf("notice item: notice = %+v", s.Notice)
			}
		}
	}
	if s := byTitle["更好担负起新的文化使命 为强国建设民族复兴注入强大精神力量"]; s.Source != "新华社深圳6月7日电" || s.Kicker == "" {
		t.Errorf("Xinhua story: source %q kicker %q", s.Source, s.Kicker)
	}
	// Nothing is published: no content file was written.
	if files, _ := filepath.Glob(filepath.Join(site, "content", "stories", "2023", "06", "2023*.md")); len(files) != 0 {
		t.Errorf("drafts wrote content files: %v", files)
	}

	// The same page again, even under another name: nothing new.
	dir := t.TempDir()
	again := filepath.Join(dir, "2023-06-08_01_要闻.txt")
	if err := os.WriteFile(again, sampleText(t), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, "import", "--site", site, again)
	if err != nil {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "created 0 drafts, 8 already imported") {
		t.Errorf("second import report:\n%s", out)
	}
	if n := len(siteStories(t, site)); n != len(sampleWant) {
		t.Fatalf("second import: %d stories, want still %d", n, len(sampleWant))
	}
}

func TestImportDryRunJSONWritesNothing(t *testing.T) {
	sampleText(t)
	site := copySite(t)
	// A first real import creates the database, so that "unchanged" is
	// measured on an existing one.
	if _, _, err := runCmd(t, "import", "--site", site, "--date", "2023-06-07", "--page", "3", samplePage); err != nil {
		t.Fatal(err)
	}
	before := len(siteStories(t, site))
	out, errOut, err := runCmd(t, "import", "--site", site, "--date", "2023-06-08", "--page", "1", "--dry-run", "--json", samplePage)
	if err != nil {
		t.Fatalf("dry run: %v\n%s", err, errOut)
	}
	var items []map[string]any
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, out)
	}
	if len(items) != 8 {
		t.Fatalf("%d items, want 8", len(items))
	}
	for _, k := range []string{"kind", "kicker", "title", "subtitle", "authors", "source", "body", "date", "page"} {
		if _, ok := items[0][k]; !ok {
			t.Errorf("item JSON lacks %q: %v", k, items[0])
		}
	}
	if items[0]["date"] != "2023-06-08" || items[0]["page"] != 1.0 || items[0]["title"] != sampleWant[0].title {
		t.Errorf("first item: %v", items[0])
	}
	if !strings.Contains(errOut, "8 items") || !strings.Contains(errOut, "nothing written") {
		t.Errorf("report (stderr) = %q", errOut)
	}
	if after := len(siteStories(t, site)); after != before {
		t.Errorf("dry run changed the story count: %d → %d", before, after)
	}
}

// An archive page in GB18030 (what old archives use) is detected and
// decoded, and the report says so; --encoding names an encoding that
// cannot be detected, and an unknown one is refused.
func TestImportGB18030Page(t *testing.T) {
	text := sampleText(t)
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(text)
	if err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "2023-06-08_01_要闻.txt")
	if err := os.WriteFile(page, gb, 0o644); err != nil {
		t.Fatal(err)
	}
	site := copySite(t)
	for _, enc := range []string{"", "gb18030"} {
		args := []string{"import", "--site", site, "--dry-run", "--json", page}
		if enc != "" {
			args = append(args[:1], append([]string{"--encoding", enc}, args[1:]...)...)
		}
		out, errOut, err := runCmd(t, args...)
		if err != nil {
			t.Fatalf("--encoding %q: %v\n%s", enc, err, errOut)
		}
		var items []map[string]any
		if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) != 8 {
			t.Fatalf("--encoding %q: %d items (%v)", enc, len(items), err)
		}
		if items[0]["title"] != sampleWant[0].title {
			t.Errorf("--encoding %q: first title %v", enc, items[0]["title"])
		}
		if !strings.Contains(errOut, "text decoded from GB") {
			t.Errorf("--encoding %q: the report does not say the encoding:\n%s", enc, errOut)
		}
	}
	if _, _, err := runCmd(t, "import", "--site", site, "--dry-run", "--encoding", "klingon", page); err == nil || !strings.Contains(err.Error(), "unknown encoding") {
		t.Errorf("unknown encoding: err = %v", err)
	}
}

func TestImportDirectoryWithABadFile(t *testing.T) {
	text := sampleText(t)
	site := copySite(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "2023-06-08"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "2023-06-08", "01.txt"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i * 7)
	}
	if err := os.WriteFile(filepath.Join(dir, "20230608-02.txt"), garbage, 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCmd(t, "import", "--site", site, dir)
	if err == nil {
		t.Fatalf("import of a folder with a binary file succeeded:\n%s", out)
	}
	if !strings.Contains(err.Error(), "1 of 2 files failed") {
		t.Errorf("error = %v", err)
	}
	if !strings.Contains(out, "20230608-02.txt: not a text file") || !strings.Contains(out, "1 of 2 files failed:") {
		t.Errorf("report does not list the bad file:\n%s", out)
	}
	if !strings.Contains(out, "2023-06-08 p1 01.txt: 8 items") {
		t.Errorf("report lacks the good page (date and page from the folder and file name):\n%s", out)
	}
	if !strings.Contains(errOut, "importing") {
		t.Errorf("no progress bar on stderr: %q", errOut)
	}
	stories := siteStories(t, site)
	if len(stories) != 8 {
		t.Fatalf("%d stories, want the good page's 8", len(stories))
	}
	for _, s := range stories {
		if s.Edition != "2023-06-08" || s.Page != 1 {
			t.Errorf("%s: edition %q page %d", s.Title, s.Edition, s.Page)
		}
	}
}

func TestImportNeedsDateAndPage(t *testing.T) {
	sampleText(t)
	site := copySite(t)
	out, _, err := runCmd(t, "import", "--site", site, samplePage)
	if err == nil || !strings.Contains(out, "cannot tell the edition date and page number") {
		t.Fatalf("import without date and page: err %v\n%s", err, out)
	}
}

func TestImportPublish(t *testing.T) {
	text := sampleText(t)
	site := copySite(t)
	file := filepath.Join(t.TempDir(), "20230609-02.txt")
	if err := os.WriteFile(file, text, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, "import", "--site", site, "--page-name", "要闻", "--publish", file)
	if err != nil {
		t.Fatalf("import --publish: %v\n%s", err, out)
	}
	stories := siteStories(t, site)
	if len(stories) != 8 {
		t.Fatalf("%d stories, want 8", len(stories))
	}
	public := filepath.Join(site, ".newsroom", "public")
	for _, s := range stories {
		if s.State != news.StatePublished || s.URL == "" {
			t.Fatalf("%s: state %s url %q", s.Title, s.State, s.URL)
		}
		if s.PublishedAt == nil || s.PublishedAt.In(news.Shanghai).Format("2006-01-02") != "2023-06-09" {
			t.Errorf("%s: published at %v, want on the edition date", s.Title, s.PublishedAt)
		}
		page, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(s.URL), "index.html"))
		if err != nil {
			t.Fatalf("%s: not on the built site: %v", s.Title, err)
		}
		if !strings.Contains(string(page), s.Title) {
			t.Errorf("%s: page does not show the headline", s.Title)
		}
		if !strings.Contains(string(page), "/edition/2023-06-09/02/") {
			t.Errorf("%s: no link back to its e-paper page", s.Title)
		}
	}
	// The page of the e-paper lists every story of the page.
	sheet, err := os.ReadFile(filepath.Join(public, "edition", "2023-06-09", "02", "index.html"))
	if err != nil {
		t.Fatalf("no e-paper page: %v", err)
	}
	for _, s := range stories {
		if !strings.Contains(string(sheet), s.URL) {
			t.Errorf("e-paper page 2 does not link %s (%s)", s.URL, s.Title)
		}
	}
	edition, err := os.ReadFile(filepath.Join(public, "edition", "2023-06-09", "index.html"))
	if err != nil {
		t.Fatalf("no edition page: %v", err)
	}
	for _, s := range stories {
		if !strings.Contains(string(edition), s.URL) {
			t.Errorf("edition page does not link %s (%s)", s.URL, s.Title)
		}
	}
	if !strings.Contains(string(edition), `id="page-2"`) || !strings.Contains(string(edition), "第02版") {
		t.Errorf("edition page has no section for page 2")
	}
	index, err := os.ReadFile(filepath.Join(public, "edition", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), "/edition/2023-06-09/") || !strings.Contains(string(index), "2023年6月") {
		t.Errorf("edition calendar does not link the new edition")
	}
	// Publishing the same page again changes nothing.
	out, _, err = runCmd(t, "import", "--site", site, "--publish", file)
	if err != nil || !strings.Contains(out, "8 already imported") {
		t.Fatalf("second import: %v\n%s", err, out)
	}
	if n := len(siteStories(t, site)); n != 8 {
		t.Errorf("second import: %d stories", n)
	}
	// The same text printed on another page is imported, with a warning
	// for every item whose text is already published.
	other := filepath.Join(t.TempDir(), "20230610-03.txt")
	if err := os.WriteFile(other, text, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, "import", "--site", site, other)
	if err != nil {
		t.Fatalf("import of the text on another page: %v\n%s", err, out)
	}
	if n := strings.Count(out, "its text is already published as story"); n < 7 {
		t.Errorf("%d already-published warnings, want one per item with a text (7 or 8):\n%s", n, out)
	}
	if !strings.Contains(out, "imported although their text is already published") {
		t.Errorf("summary lacks the already-published count:\n%s", out)
	}
}

// cancelOnWrite cancels a context at the first write that contains a
// string: a signal arriving while the import runs.
type cancelOnWrite struct {
	strings.Builder
	when   string
	cancel context.CancelFunc
}

func (c *cancelOnWrite) Write(p []byte) (int, error) {
	if strings.Contains(string(p), c.when) {
		c.cancel()
	}
	return c.Builder.Write(p)
}

func TestImportStopsCleanlyWhenInterrupted(t *testing.T) {
	text := sampleText(t)
	site := copySite(t)
	dir := t.TempDir()
	for _, d := range []string{"2023-06-01", "2023-06-02", "2023-06-03", "2023-06-04"} {
		if err := os.WriteFile(filepath.Join(dir, d+"_01_要闻.txt"), text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := &cancelOnWrite{when: "created 8 drafts", cancel: cancel}
	err := run(ctx, []string{"import", "--site", site, dir}, strings.NewReader(""), out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("interrupted import: err %v\n%s", err, out.String())
	}
	for _, want := range []string{"done: 1 page, 8 items: 8 new drafts", "interrupted: stopped after 1 of 4 files; 3 not imported"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if n := len(siteStories(t, site)); n != 8 {
		t.Fatalf("%d stories after the interrupted import, want the first page's 8", n)
	}
	// Run again: the imported page is skipped, the rest imported.
	again, _, err := runCmd(t, "import", "--site", site, dir)
	if err != nil || !strings.Contains(again, "done: 4 pages, 32 items: 24 new drafts, 8 already imported") {
		t.Fatalf("second run: %v\n%s", err, again)
	}
	// the page done before is skipped by the journal, not parsed again
	for _, want := range []string{"2023-06-01_01_要闻.txt: imported before (in the journal), not parsed again",
		"1 page skipped: imported whole by an earlier run (the journal)", "pages/s)"} {
		if !strings.Contains(again, want) {
			t.Errorf("second run's report lacks %q:\n%s", want, again)
		}
	}
	if n := len(siteStories(t, site)); n != 32 {
		t.Fatalf("%d stories after the second run, want 32 (no duplicates)", n)
	}
}

func TestImportListsTheItemsItWasUnsureOf(t *testing.T) {
	site := copySite(t)
	file := filepath.Join(t.TempDir(), "2023-06-08_02_综合.txt")
	// an untitled brief: the parser keeps it and says so
	page := "本报讯 今天上午，市交通局召开会议，通报了全市道路整治的进展情况，并部署了下一步工作。\n"
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, "import", "--site", site, "--dry-run", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, want := range []string{"unsure: 1 page with 1 notes and 1 untitled items", "2023-06-08_02_综合.txt: 1 uncertain, 1 untitled", "pages/s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
