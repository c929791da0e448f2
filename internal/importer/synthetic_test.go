package importer

import (
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite the rendered synthetic pages in testdata/synthetic")

// synthStory is a clean story from testdata/synthetic/stories.json, plus
// what Parse must recover from its rendering.
type synthStory struct {
	Kind       string   `json:"kind"`
	Kicker     string   `json:"kicker"`
	Title      string   `json:"title"`
	Subtitle   string   `json:"subtitle"`
	Vertical   bool     `json:"vertical"`
	Source     string   `json:"source"`  // printed before the first paragraph
	Byline     string   `json:"byline"`  // printed in brackets after the source
	Trailer    string   `json:"trailer"` // printed on a line after the story
	Paragraphs []string `json:"paragraphs"`
	Issuers    []string `json:"issuers"`
	Date       string   `json:"date"`
	Credit     string   `json:"credit"`

	Authors  []string `json:"authors"`
	Bylines  []string `json:"bylines"`
	IssuedOn string   `json:"issued_on"`
	Phones   []string `json:"phones"`
	Emails   []string `json:"emails"`
}

// synthPage says how to lay out stories on a page.
type synthPage struct {
	Name        string   `json:"name"`
	Width       int      `json:"width"`  // column width in em
	Layout      string   `json:"layout"` // headlines "before" / "after" each story, or all at the "end"
	Seed        uint64   `json:"seed"`
	Banner      string   `json:"banner"`       // printed doubled after story number BannerAfter
	BannerAfter int      `json:"banner_after"` // 1-based
	Stories     []string `json:"stories"`
}

func loadSynthetic(t *testing.T) (map[string]synthStory, []synthPage) {
	t.Helper()
	var lib map[string]synthStory
	var pages []synthPage
	for f, v := range map[string]any{"stories.json": &lib, "pages.json": &pages} {
		b, err := os.ReadFile(filepath.Join("testdata", "synthetic", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return lib, pages
}

// renderer turns clean stories into "extracted page" text with the
// artefacts of real pdftotext output.
type renderer struct {
	rng   *rand.Rand
	width float64
	lines []string
}

func (r *renderer) emit(l string) {
	r.lines = append(r.lines, l)
	if r.rng.Float64() < 0.5 { // blank lines everywhere
		r.lines = append(r.lines, "")
	}
}

// isClosing are marks a line may not start with (they hang on the line end).
func isClosing(r rune) bool { return strings.ContainsRune("，。、；：？！”’）》…", r) }

// wrap breaks a paragraph into lines of the column width; the first line
// is two em shorter (its indent is lost in extraction). Latin words and
// numbers are not broken, except after '@', '.', '-' as in e-mail addresses.
func (r *renderer) wrap(text string) []string {
	var toks []string
	rs := []rune(text)
	for i := 0; i < len(rs); {
		j := i + 1
		if rs[i] < 0x80 && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i])) {
			for j < len(rs) && rs[j] < 0x80 && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '.' && j+1 < len(rs) && unicode.IsDigit(rs[j+1])) {
				j++
			}
		}
		toks = append(toks, string(rs[i:j]))
		i = j
	}
	var lines []string
	var cur strings.Builder
	capacity := r.width - 2
	for _, tok := range toks {
		w := textWidth(tok)
		first := []rune(tok)[0]
		if textWidth(cur.String())+w > capacity && cur.Len() > 0 && !isClosing(first) {
			lines = append(lines, cur.String())
			cur.Reset()
			capacity = r.width
		}
		cur.WriteString(tok)
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// artefacts adds the spacing artefacts of extraction to one line: digits
// set off from their units ("等 198个"), and, on full lines, justification
// spaces between all characters ("发 展 工 程").
func (r *renderer) artefacts(l string, full bool) string {
	rs := []rune(l)
	var b strings.Builder
	justify := full && r.rng.Float64() < 0.15
	for i, c := range rs {
		if i > 0 {
			p := rs[i-1]
			digitEdge := unicode.IsDigit(p) != unicode.IsDigit(c) && (p >= 0x80 || c >= 0x80)
			switch {
			case justify && (p >= 0x80 || c >= 0x80):
				b.WriteByte(' ')
			case digitEdge && r.rng.Float64() < 0.4:
				b.WriteByte(' ')
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (r *renderer) body(st synthStory) {
	for i, para := range st.Paragraphs {
		if i == 0 && st.Source != "" {
			switch {
			case strings.HasPrefix(st.Source, "据"):
				para = st.Source + "，" + para
			case st.Byline != "":
				para = st.Source + " （" + st.Byline + "） " + para
			default:
				para = st.Source + " " + para
			}
		}
		lines := r.wrap(para)
		for k, l := range lines {
			l = strings.TrimSpace(l)
			r.emit(r.artefacts(l, k < len(lines)-1 && !strings.Contains(l, " ")))
		}
	}
	if st.Trailer != "" {
		r.emit(st.Trailer)
	}
	for _, is := range st.Issuers {
		r.emit(is)
	}
	if st.Date != "" {
		r.emit(st.Date)
	}
	if st.Credit != "" {
		r.emit(st.Credit)
	}
}

// headlines prints the headline group: vertical titles one character per
// line, titles longer than 14 characters broken over two lines.
func (r *renderer) headlines(st synthStory) {
	if st.Vertical {
		for _, c := range st.Title {
			r.lines = append(r.lines, string(c))
		}
		r.lines = append(r.lines, "")
		return
	}
	if st.Kicker != "" {
		r.emit(st.Kicker)
	}
	if t := []rune(st.Title); len(t) > 14 {
		h := (len(t) + 1) / 2
		r.emit(string(t[:h]))
		r.emit(string(t[h:]))
	} else {
		r.emit(st.Title)
	}
	if st.Subtitle != "" {
		r.emit(st.Subtitle)
	}
}

func renderPage(pg synthPage, lib map[string]synthStory) string {
	r := &renderer{rng: rand.New(rand.NewPCG(pg.Seed, 7)), width: float64(pg.Width)}
	var stories []synthStory
	for _, id := range pg.Stories {
		stories = append(stories, lib[id])
	}
	for i, st := range stories {
		switch pg.Layout {
		case "before":
			r.headlines(st)
			r.body(st)
		case "after":
			r.body(st)
			r.headlines(st)
		default:
			r.body(st)
		}
		if pg.Banner != "" && i+1 == pg.BannerAfter {
			r.emit(pg.Banner + pg.Banner)
		}
	}
	if pg.Layout == "end" {
		// all headline groups at the page end, shuffled, vertical ones
		// never next to each other (they would read as one)
		var horiz, vert []synthStory
		for _, st := range stories {
			if st.Vertical {
				vert = append(vert, st)
			} else {
				horiz = append(horiz, st)
			}
		}
		r.rng.Shuffle(len(horiz), func(i, j int) { horiz[i], horiz[j] = horiz[j], horiz[i] })
		for i, st := range horiz {
			r.headlines(st)
			if i < len(vert) {
				r.headlines(vert[i])
			}
		}
	}
	return strings.Join(r.lines, "\n") + "\n"
}

func TestSyntheticPages(t *testing.T) {
	lib, pages := loadSynthetic(t)
	for _, pg := range pages {
		t.Run(pg.Name, func(t *testing.T) {
			text := renderPage(pg, lib)
			golden := filepath.Join("testdata", "synthetic", pg.Name+".txt")
			if *update {
				if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if g, err := os.ReadFile(golden); err != nil || string(g) != text {
				t.Fatalf("rendered page differs from %s (run go test -update): %v", golden, err)
			}
			items, rep, err := Parse(text, Options{Date: "2024-04-01", Page: 3})
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(pg.Stories) {
				for _, it := range items {
					t.Logf("got %s %q: %s", it.Kind, it.Title, snippet(it.Body, 30))
				}
				t.Fatalf("got %d items, want %d", len(items), len(pg.Stories))
			}
			for _, id := range pg.Stories {
				st := lib[id]
				it := findItem(t, items, st.Paragraphs[0][:24])
				checkItem(t, it, wantItem{needle: id, kind: st.Kind, kicker: st.Kicker, title: st.Title, subtitle: st.Subtitle,
					authors: st.Authors, bylines: st.Bylines, source: st.Source, vertical: st.Vertical, credit: st.Credit})
				checkBody(t, it)
				if st.Kind == KindPhoto {
					if want := strings.Join(st.Paragraphs, ""); it.Caption != want {
						t.Errorf("%s: caption = %q, want %q", id, it.Caption, want)
					}
				} else if want := strings.Join(st.Paragraphs, "\n\n"); it.Body != want {
					t.Errorf("%s: body =\n%q\nwant\n%q", id, it.Body, want)
				}
				if st.Kind == KindNotice {
					want := &Notice{Issuers: st.Issuers, IssuedOn: st.IssuedOn, Phones: orEmpty(st.Phones), Emails: orEmpty(st.Emails)}
					if !reflect.DeepEqual(it.Notice, want) {
						t.Errorf("%s: notice = %+v, want %+v", id, it.Notice, want)
					}
				}
			}
			if len(rep.Uncertain) != 0 {
				t.Errorf("uncertain: %q", rep.Uncertain)
			}
			if pg.Banner != "" && (len(rep.Dropped) != 1 || !strings.Contains(rep.Dropped[0], pg.Banner)) {
				t.Errorf("banner not reported as dropped: %q", rep.Dropped)
			}
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
