package paste

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// md renders Markdown as the site does (Hugo's goldmark: GFM, no raw HTML).
func md(t testing.TB, src string) string {
	t.Helper()
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(src), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

var tagRE = regexp.MustCompile(`</?([a-z0-9]+)`)

// allowedTags are the only elements a cleaned paste may render to.
var allowedTags = map[string]bool{"p": true, "h2": true, "h3": true, "strong": true, "em": true,
	"ul": true, "ol": true, "li": true, "blockquote": true, "a": true}

// checkClean asserts what every cleaned paste must be: Markdown that renders
// to the allowed structure only, with no shortcode, and that cleaning the
// rendered page again gives the same Markdown.
func checkClean(t *testing.T, in string) {
	got := HTML(in).Markdown
	if strings.Contains(got, "{{<") || strings.Contains(got, "{{%") {
		t.Fatalf("HTML(%q) = %q: a Hugo shortcode", in, got)
	}
	page := md(t, got)
	for _, m := range tagRE.FindAllStringSubmatch(page, -1) {
		if !allowedTags[m[1]] {
			t.Fatalf("HTML(%q) = %q renders <%s>:\n%s", in, got, m[1], page)
		}
	}
	if again := HTML(page).Markdown; again != got {
		t.Fatalf("cleaning is not stable for %q:\nfirst  %q\nrendered %q\nagain  %q", in, got, page, again)
	}
}

func TestFixturesRender(t *testing.T) {
	for _, name := range []string{"word.html", "wps.html"} {
		in := readFixture(t, name)
		checkClean(t, in)
		page := md(t, HTML(in).Markdown)
		for _, want := range []string{"<h2>", "<strong>", "<em>"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s renders without %s:\n%s", name, want, page)
			}
		}
		if strings.Contains(page, "**") || strings.Contains(page, "\u3000") {
			t.Errorf("%s renders with stray marks or indents:\n%s", name, page)
		}
	}
}

func FuzzHTML(f *testing.F) {
	for _, s := range []string{
		`<p>一段<b>粗体</b>和<em>强调</em>。</p>`,
		`<p>　　甲。　　乙。<br>丙</p><h2>小标题</h2><ul><li>一</li></ul>`,
		`<blockquote><p>引</p></blockquote><p><a href="https://example.cn/">链接</a></p>`,
		`<p>*_[]{{&lt;#</p><p>1. 2) - + &gt;</p>`,
		`<p>他说<b>“好”</b>了</p>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkClean(t, in)
	})
}
