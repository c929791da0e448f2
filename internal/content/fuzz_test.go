package content

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"newsroom/internal/news"
)

// fuzzSeeds are strings that broke the front matter writer or the term
// paths before (issue 22).
var fuzzSeeds = []string{
	"? 吕梁新闻", "吕梁:\t新闻发布", " 首行以空格开头\n第二行", ".inf", "尾随空格  ", "回车\r", "带\x00空字符",
	"../notices/2026/12/20261208-3c1bcb", "../../../../tmp/x", "前文{{% ref \"nonexistent\" %}}后文。", "{{< x >}}",
	"要闻", "AI", "阿卜杜·热合曼", "- 列表", "&lt;", "",
}

// Whatever valid UTF-8 a user types into any field is read back exactly
// (the body as paragraphs of collapsed white space), or refused with
// EINVALID before anything is written.
func FuzzFrontMatterRoundTrip(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, "正文"+s)
	}
	pub := time.Date(2023, 6, 8, 6, 30, 0, 0, news.Shanghai)
	f.Fuzz(func(t *testing.T, field, body string) {
		s := news.Story{
			ID: 1, Kind: news.KindStory, Title: field, Kicker: field, Subtitle: field, Source: field, Section: field,
			Authors: []string{"记者 " + field}, Tags: []string{field, "x"}, Body: body, Edition: "2023-06-08", PageName: field,
			Photos: []news.Photo{{Src: "/x.jpg", Caption: field, Credit: field}},
			Repost: &news.Repost{Source: field, Title: field, Author: field},
		}
		if field == "" {
			s.Tags, s.Section = []string{"x"}, "要闻"
		}
		data, err := Marshal(s, pub)
		if err != nil {
			if e, ok := err.(*news.Error); !ok || e.Code != news.EINVALID {
				t.Fatalf("refused without a clear error: %v", err)
			}
			if utf8.ValidString(field) && utf8.ValidString(body) {
				t.Fatalf("valid UTF-8 refused: %v", err)
			}
			return
		}
		it, err := Parse("stories/2023/06/x.md", data)
		if err != nil {
			t.Fatalf("written but not read: %v\n%s", err, data)
		}
		g := it.Story
		for _, c := range []struct{ got, want string }{
			{g.Title, s.Title}, {g.Kicker, s.Kicker}, {g.Subtitle, s.Subtitle}, {g.Source, s.Source}, {g.Section, s.Section},
			{g.Authors[0], s.Authors[0]}, {g.Tags[0], s.Tags[0]}, {g.PageName, s.PageName}, {g.Photos[0].Caption, field},
			{g.Repost.Title, field},
		} {
			if c.got != c.want {
				t.Fatalf("read back %q, want %q", c.got, c.want)
			}
		}
		if want := strings.Join(s.Paragraphs(), "\n\n"); collapse(g.Body) != collapse(want) {
			t.Fatalf("body read back %q, want %q", g.Body, want)
		}
		m, err := ReadMetaBytes(data)
		if err != nil || !m.Date.Equal(pub) || m.Edition != "2023-06-08" {
			t.Fatalf("ReadMeta = %+v, %v", m, err)
		}
	})
}

func collapse(s string) string {
	var ps []string
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			ps = append(ps, p)
		}
	}
	return strings.Join(ps, "\n\n")
}

// A term key is a safe path segment, the same for the same name, the
// name itself only when the name is plain, and different for different
// names (Hugo folds case: keys compare in lower case).
func FuzzTermKey(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, kb := TermKey(a), TermKey(b)
		if ka != TermKey(a) {
			t.Fatal("not stable")
		}
		for _, k := range []string{ka, kb} {
			if k == "" || k == "." || k == ".." || strings.ContainsAny(k, "/\\.%?#&:; \t\r\n\x00") {
				t.Fatalf("unsafe key %q", k)
			}
		}
		if (ka == a) != plainTerm(a) {
			t.Fatalf("%q: key %q", a, ka)
		}
		if a != b && strings.ToLower(ka) == strings.ToLower(kb) && strings.ToLower(a) != strings.ToLower(b) {
			t.Fatalf("%q and %q share the key %q", a, b, ka)
		}
	})
}

// TestTermKeyPage: a term named page would share /tags/page/2/ with the
// second page of the list of all tags, so it gets a slug.
func TestTermKeyPage(t *testing.T) {
	for _, name := range []string{"page", "Page", "PAGE"} {
		if k := TermKey(name); strings.EqualFold(k, "page") {
			t.Errorf("TermKey(%q) = %q", name, k)
		}
	}
}
