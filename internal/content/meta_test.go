package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsroom/internal/news"
)

// metaCases are front matters in and out of the scanner's subset; for
// each, ParseMeta must give the YAML parser's answer.
var metaCases = []string{
	"title: x\ndate: 2023-06-08T06:30:00+08:00\nparams:\n  id: 1\n  edition: \"2023-06-08\"\n",
	"date: 2023-06-08\n",
	"date: 2023-06-08T06:30:00+08:00\nlastmod: 2023-06-09T10:20:00+08:00\nparams:\n  corrections:\n  - at: 2023-06-09T10:20:00+08:00\n    kind: 更正\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  lastmod: 2024-01-01\n",
	"date: '2023-06-08 06:00:00+08:00'\n",
	"date: \"2023-06-08T06:30:00Z\" # comment\nparams:\n  edition: 2023-06-09\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  notice:\n    edition: \"2000-01-01\"\n  page: 1\nbuild:\n  list: never\n  render: always\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n    kicker: |-\n      edition: \"2000-01-01\"\n    edition: \"2023-06-08\"\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  kicker: \"a\n  edition: 2000-01-01\"\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  kicker: a\n    edition: 2000-01-01\n",
	"date: 2023-06-08T06:30:00+08:00\nparams: {edition: \"2023-06-08\"}\n",
	"date: 2023-06-08T06:30:00+08:00\ntags:\n- a\n- \"b: c\"\nbuild: {list: never}\n",
	"date: &d 2023-06-08T06:30:00+08:00\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  edition: \"2023-06-08\"\n  edition: \"2023-06-09\"\n",
	"date: 2023-06-08T06:30:00+08:00\ndate: 2024-06-08T06:30:00+08:00\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  bylines: [\"记者 张三\", '李四']\n  photos:\n  - src: /x.jpg\n    caption: \"图\\n为\"\n  edition: \"2023-06-08\"\nbuild:\n  list: \"never\"\n",
	"date: 2023-06-08T06:30:00+08:00\nbuild:\n  list: never # withdrawn\n",
	"date: 2023-06-08T06:30:00+08:00\nbuild:\n  list: ~\n",
	"date: 2023-06-08T06:30:00+08:00\r\nparams:\r\n  edition: \"2023-06-08\"\r\n",
	"date:\t2023-06-08T06:30:00+08:00\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n\tedition: 2023-06-08\n",
	"date: !!str 2023-06-08\n",
	"? date\n: 2023-06-08\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  title: >\n    folded\n\n    text\n  edition: \"2023-06-08\"\n",
	"date: 2023-06-08T06:30:00+08:00\n---\nparams:\n  edition: \"2023-06-08\"\n",
	"",
	"[1, 2]\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  edition: \"2023-06-08\"\n  list: never\nbuild:\n  render: never\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  edition: \"2023-06-08\"\n  page: 4\n  page_name: \"公告\"\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  page: \"12\"\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  page: 010\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  page: 0x10\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  page: 1000\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  page: 3\n  page: 4\n",
	"date: 2023-06-08T06:30:00+08:00\nparams:\n  notice:\n    page: 9\n",
}

func TestParseMetaAgreesWithTheYAMLParser(t *testing.T) {
	scanned := 0
	for _, c := range metaCases {
		want, werr := parseMeta([]byte(c))
		got, gerr := ParseMeta([]byte(c))
		if _, ok := scanMeta([]byte(c)); ok {
			scanned++
		}
		if werr != nil {
			continue // not YAML: Hugo cannot read the file either
		}
		if gerr != nil || !got.Date.Equal(want.Date) || !got.Lastmod.Equal(want.Lastmod) || got.Edition != want.Edition || got.Page != want.Page || got.Unlisted != want.Unlisted {
			t.Errorf("%q:\n got %+v, %v\nwant %+v", c, got, gerr, want)
		}
	}
	if scanned < 8 {
		t.Errorf("the scanner read only %d cases itself", scanned)
	}
}

func TestReadMetaOfMarshalledFiles(t *testing.T) {
	dir := t.TempDir()
	pub := time.Date(2023, 6, 8, 6, 30, 0, 0, news.Shanghai)
	s := sample()
	// A front matter longer than the head ReadMeta reads first.
	s.Photos = nil
	for i := 0; i < 60; i++ {
		s.Photos = append(s.Photos, news.Photo{Src: "/images/x.svg", Caption: strings.Repeat("图说", 20)})
	}
	s.Withdrawn = &news.Withdrawal{At: pub.Add(time.Hour), Reason: "内容与事实不符"}
	s.UpdatedAt = pub.Add(2 * time.Hour) // a correction
	data, err := Marshal(s, pub)
	if err != nil {
		t.Fatal(err)
	}
	if front, _, _ := splitFront(data); len(front) <= metaHead {
		t.Fatalf("front matter of %d bytes does not test reading past the head", len(front))
	}
	file := filepath.Join(dir, "x.md")
	os.WriteFile(file, data, 0o644)
	m, err := ReadMeta(file)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Date.Equal(pub) || !m.Lastmod.Equal(pub.Add(2*time.Hour)) || m.Edition != "2023-06-08" || !m.Unlisted {
		t.Errorf("ReadMeta = %+v", m)
	}
	front, _, _ := splitFront(data)
	if _, ok := scanMeta(front); !ok {
		t.Errorf("Marshal's front matter is outside the scanner's subset:\n%s", front)
	}
	os.WriteFile(file, []byte("---\ntitle: x\n"), 0o644)
	if _, err := ReadMeta(file); err == nil {
		t.Error("an unclosed front matter must be an error")
	}
}

func FuzzParseMeta(f *testing.F) {
	for _, c := range metaCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, c string) {
		want, werr := parseMeta([]byte(c))
		got, gerr := ParseMeta([]byte(c))
		if werr != nil {
			return
		}
		if gerr != nil || !got.Date.Equal(want.Date) || !got.Lastmod.Equal(want.Lastmod) || got.Edition != want.Edition || got.Page != want.Page || got.Unlisted != want.Unlisted {
			t.Errorf("%q:\n got %+v, %v\nwant %+v", c, got, gerr, want)
		}
	})
}

// benchFile writes a typical generated story (internal/gen's shape) and
// returns its path.
func benchFile(b *testing.B) string {
	s := sample()
	s.Body = strings.Repeat("这是正文的一句话，长短如常。", 120)
	data, err := Marshal(s, time.Date(2023, 6, 8, 6, 30, 0, 0, news.Shanghai))
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "x.md")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return file
}

// BenchmarkReadMeta is the catalog's cost per file (a full build reads
// every file once; BENCHMARKS.md).
func BenchmarkReadMeta(b *testing.B) {
	file := benchFile(b)
	for b.Loop() {
		if m, err := ReadMeta(file); err != nil || m.Date.IsZero() {
			b.Fatal(m, err)
		}
	}
}

// BenchmarkReadMetaParser is the same by the YAML parser alone.
func BenchmarkReadMetaParser(b *testing.B) {
	data, _ := os.ReadFile(benchFile(b))
	for b.Loop() {
		front, _, _ := splitFront(data)
		if m, err := parseMeta(front); err != nil || m.Date.IsZero() {
			b.Fatal(m, err)
		}
	}
}
