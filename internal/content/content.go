// Package content reads and writes the Markdown files under a site's
// content/ folder, the published form of every story (see
// docs/content-format.md). Writes are atomic: a reader or a Hugo build sees
// the old file or the new one, never a half-written one.
package content

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"newsroom/internal/atomicfile"
	"newsroom/internal/news"
)

// FrontMatter is the YAML head of a content file.
type FrontMatter struct {
	Title   string     `yaml:"title"`
	Date    time.Time  `yaml:"date"`
	Lastmod *time.Time `yaml:"lastmod,omitempty"`
	Columns []string   `yaml:"columns,omitempty"`
	Tags    []string   `yaml:"tags,omitempty"`
	Authors []string   `yaml:"authors,omitempty"`
	Params  Params     `yaml:"params"`
	// Build keeps a withdrawn story out of every list, feed and sitemap
	// while its page still renders (Hugo's build options).
	Build *BuildOptions `yaml:"build,omitempty"`
}

// BuildOptions are Hugo's per-page build options.
type BuildOptions struct {
	List   BuildOption `yaml:"list,omitempty"`   // always | local | never
	Render BuildOption `yaml:"render,omitempty"` // always | link | never
}

// BuildOption is one of Hugo's words for a build option: a word of ours,
// never a user's text, so it is written plain (list: never).
type BuildOption string

// Params are the newspaper's own front matter fields, kept under Hugo's
// params key so they never clash with Hugo's reserved names.
type Params struct {
	ID       int64            `yaml:"id"`
	Kind     news.Kind        `yaml:"kind"`
	Kicker   string           `yaml:"kicker,omitempty"`
	Subtitle string           `yaml:"subtitle,omitempty"`
	Vertical bool             `yaml:"vertical,omitempty"`
	Source   string           `yaml:"source,omitempty"`
	Bylines  []string         `yaml:"bylines,omitempty"`
	Repost   *news.Repost     `yaml:"repost,omitempty"`
	Edition  string           `yaml:"edition,omitempty"`
	Page     int              `yaml:"page,omitempty"`
	PageName string           `yaml:"page_name,omitempty"`
	Editor   string           `yaml:"editor,omitempty"`
	Photos   []news.Photo     `yaml:"photos,omitempty"`
	Notice   *news.NoticeInfo `yaml:"notice,omitempty"`
	// Corrections are the dated 更正/说明 notes shown at the end of the
	// article; Withdrawn marks a withdrawn story (撤稿): its page shows the
	// reason instead of the text. See docs/content-format.md.
	Corrections []news.Correction `yaml:"corrections,omitempty"`
	Withdrawn   *news.Withdrawal  `yaml:"withdrawn,omitempty"`
	// Terms maps the term keys of columns, tags and authors that are not
	// the names themselves to the names as typed (see TermKey).
	Terms map[string]string `yaml:"terms,omitempty"`
}

// Item is a parsed content file.
type Item struct {
	Path  string     // slash-separated path below content/, e.g. stories/2023/06/x.md
	Story news.Story // Story.URL, Slug, PublishedAt, Kind and State are filled in
	Front FrontMatter
}

// orderedListRE matches a paragraph start that Markdown reads as a list.
var orderedListRE = regexp.MustCompile(`^(\d+)([.)])`)

// NewSlug returns a fresh slug for an item published at t: the date and a
// random suffix, so that it never collides with an existing file even when
// the admin database is replaced.
func NewSlug(t time.Time) string {
	var b [3]byte
	rand.Read(b[:])
	return t.In(news.Shanghai).Format("20060102") + "-" + hex.EncodeToString(b[:])
}

// Marshal renders s as a content file dated at published.
func Marshal(s news.Story, published time.Time) ([]byte, error) {
	if s.Edition != "" {
		if _, err := time.Parse(time.DateOnly, s.Edition); err != nil {
			return nil, news.Errorf(news.EINVALID, "电子版日期须为 YYYY-MM-DD：%q", s.Edition)
		}
	}
	terms := map[string]string{}
	fm := FrontMatter{
		Title:   s.Title,
		Date:    published.In(news.Shanghai).Truncate(time.Second),
		Tags:    termKeys(s.Tags, terms),
		Authors: termKeys(news.BylineNames(s.Authors), terms),
		Params: Params{
			ID: s.ID, Kind: s.Kind, Kicker: s.Kicker, Subtitle: s.Subtitle, Vertical: s.Vertical,
			Source: s.Source, Bylines: s.Authors, Repost: s.Repost, Edition: s.Edition,
			Page: s.Page, PageName: s.PageName, Editor: s.Editor, Photos: s.Photos, Notice: s.Notice,
			Corrections: shanghaiCorrections(s.Corrections),
		},
	}
	if w := s.Withdrawn; w != nil {
		fm.Params.Withdrawn = &news.Withdrawal{At: w.At.In(news.Shanghai).Truncate(time.Second), Reason: w.Reason}
		fm.Build = &BuildOptions{List: "never", Render: "always"}
	}
	if s.Section != "" {
		fm.Columns = termKeys([]string{s.Section}, terms)
	}
	if len(terms) > 0 {
		fm.Params.Terms = terms
	}
	if !s.UpdatedAt.IsZero() && s.UpdatedAt.After(published.Add(time.Minute)) {
		lm := s.UpdatedAt.In(news.Shanghai).Truncate(time.Second)
		fm.Lastmod = &lm
	}
	head, err := encodeFront(fm)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	b.Write(head)
	b.WriteString("---\n")
	for _, p := range s.Paragraphs() {
		b.WriteString(escapeParagraph(p))
		b.WriteString("\n\n")
	}
	if err := checkRoundTrip(fm, b.Bytes()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encodeFront writes front matter with the YAML encoder, every string
// double-quoted with Go's escapes (which are YAML's): a value is never read
// back as another type, a key, a comment or a block, whatever it holds
// (a leading "? ", ": " and tabs, ".inf", leading or trailing spaces,
// line breaks, CR, control characters).
func encodeFront(fm FrontMatter) ([]byte, error) {
	quote := yaml.CustomMarshaler[string](func(s string) ([]byte, error) {
		return []byte(strconv.Quote(s)), nil
	})
	head, err := yaml.MarshalWithOptions(fm, quote)
	if err != nil {
		return nil, fmt.Errorf("encode front matter: %w", err)
	}
	return head, nil
}

// checkRoundTrip reads a content file back as Hugo will and refuses it
// unless the front matter is what was meant: a file that does not read
// back would break every later build of the site.
func checkRoundTrip(want FrontMatter, data []byte) error {
	front, _, err := splitFront(data)
	if err == nil {
		var got FrontMatter
		if err = yaml.Unmarshal(front, &got); err == nil && !reflect.DeepEqual(plainValue(got), plainValue(want)) {
			err = fmt.Errorf("front matter reads back as %+v, not %+v", got, want)
		}
		if err == nil {
			var asHugo map[string]any
			err = yaml.Unmarshal(front, &asHugo)
		}
	}
	if err != nil {
		return news.Errorf(news.EINVALID, "稿件含有无法保存的字符，请检查标题、标签、作者和图片说明等（%v）", err)
	}
	return nil
}

// plainValue is v as JSON values without empty lists and maps, so that
// front matters compare by what they say: a list written empty and read
// back absent, or a time in Asia/Shanghai read back at +08:00, are equal.
func plainValue(v any) any {
	data, _ := json.Marshal(v)
	var out any
	json.Unmarshal(data, &out)
	return prune(out)
}

func prune(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e = prune(e); e == nil {
				delete(v, k)
			} else {
				v[k] = e
			}
		}
		if len(v) == 0 {
			return nil
		}
	case []any:
		for i, e := range v {
			v[i] = prune(e)
		}
		if len(v) == 0 {
			return nil
		}
	}
	return v
}

// shanghaiCorrections prints correction times in the paper's zone.
func shanghaiCorrections(in []news.Correction) []news.Correction {
	if len(in) == 0 {
		return nil
	}
	out := make([]news.Correction, len(in))
	for i, c := range in {
		out[i] = news.Correction{At: c.At.In(news.Shanghai).Truncate(time.Second), Kind: c.Kind, Note: c.Note}
	}
	return out
}

// escapeParagraph keeps a paragraph of plain newspaper text from being read
// as Markdown syntax: a leading "#", "-", "1." or ">" would otherwise turn a
// sentence into a heading or a list, raw HTML would be dropped by Hugo, and
// an entity (&lt;) would show as the character it names. Braces become
// the entity &#123;: Hugo reads "{{<" and "{{%" as shortcodes before any
// Markdown, so shortcode syntax typed into a story would run (or fail the
// build); as an entity it is text that the reader sees as typed.
func escapeParagraph(p string) string {
	p = strings.Join(strings.Fields(strings.ReplaceAll(p, "\n", " ")), " ")
	r := strings.NewReplacer(`\`, `\\`, "&", "&amp;", "{", "&#123;", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)
	p = r.Replace(p)
	if len(p) > 0 && strings.ContainsRune("#-+=|", rune(p[0])) {
		p = `\` + p
	}
	if m := orderedListRE.FindStringSubmatchIndex(p); m != nil {
		p = p[:m[3]] + `\` + p[m[3]:]
	}
	return p
}

// unescapeParagraph reverses escapeParagraph for reading bodies back.
func unescapeParagraph(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' && i+1 < len(p) {
			i++
		}
		b.WriteByte(p[i])
	}
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#123;", "{", "&amp;", "&").Replace(b.String())
}

// Parse reads a content file found at rel (slash-separated, below content/).
func Parse(rel string, data []byte) (Item, error) {
	front, rest, err := splitFront(data)
	if err != nil {
		return Item{}, fmt.Errorf("%s: %w", rel, err)
	}
	var fm FrontMatter
	if err := yaml.Unmarshal(front, &fm); err != nil {
		return Item{}, fmt.Errorf("%s: front matter: %w", rel, err)
	}
	body := string(rest)
	var paras []string
	for _, p := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, unescapeParagraph(strings.Join(strings.Fields(p), " ")))
		}
	}
	p := fm.Params
	if p.Kind == "" {
		p.Kind = news.KindStory
	}
	date := fm.Date
	s := news.Story{
		ID: p.ID, Kind: p.Kind, Kicker: p.Kicker, Title: fm.Title, Subtitle: p.Subtitle,
		Vertical: p.Vertical, Authors: p.Bylines, Source: p.Source, Repost: p.Repost,
		Tags: termNames(fm.Tags, p.Terms), Body: strings.Join(paras, "\n\n"), Photos: p.Photos, Notice: p.Notice,
		Edition: p.Edition, Page: p.Page, PageName: p.PageName, Editor: p.Editor, State: news.StatePublished,
		Slug: strings.TrimSuffix(path.Base(rel), ".md"), URL: URLOf(rel), PublishedAt: &date,
		CreatedAt: date, UpdatedAt: date,
	}
	if fm.Lastmod != nil {
		s.UpdatedAt = *fm.Lastmod
	}
	s.Corrections, s.Withdrawn = p.Corrections, p.Withdrawn
	switch {
	case p.Withdrawn != nil:
		s.State = news.StateWithdrawn
	case len(p.Corrections) > 0:
		s.State = news.StateCorrected
	}
	fm.Tags = termNames(fm.Tags, p.Terms)
	fm.Authors = termNames(fm.Authors, p.Terms)
	fm.Columns = termNames(fm.Columns, p.Terms)
	if len(s.Authors) == 0 {
		s.Authors = fm.Authors
	}
	if len(fm.Columns) > 0 {
		s.Section = fm.Columns[0]
	}
	return Item{Path: rel, Story: s, Front: fm}, nil
}

// Dir is a site's content folder.
type Dir struct{ Root string }

// Write stores data at rel atomically (internal/atomicfile): a crash
// leaves the old file or the new one, and the new one is on disk when
// Write returns.
func (d Dir) Write(rel string, data []byte) error {
	if !validRel(rel) {
		return fmt.Errorf("content path %q is not allowed", rel)
	}
	full := filepath.Join(d.Root, filepath.FromSlash(rel))
	if err := atomicfile.WriteFile(full, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// Remove deletes the file at rel; a missing file is not an error.
func (d Dir) Remove(rel string) error {
	if !validRel(rel) {
		return fmt.Errorf("content path %q is not allowed", rel)
	}
	err := os.Remove(filepath.Join(d.Root, filepath.FromSlash(rel)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Read parses the file at rel.
func (d Dir) Read(rel string) (Item, error) {
	data, err := os.ReadFile(filepath.Join(d.Root, filepath.FromSlash(rel)))
	if err != nil {
		return Item{}, err
	}
	return Parse(rel, data)
}

// Count returns how many story and notice files there are, from their
// names alone (no file is read): a cheap total for progress bars.
func (d Dir) Count() (int, error) {
	n := 0
	err := d.walkFiles(func(string) error { n++; return nil })
	return n, err
}

// Files calls fn with the path (relative to the content folder, with
// slashes) of every story and notice file, in path order, from the names
// alone: no file is read.
func (d Dir) Files(fn func(rel string) error) error {
	return d.walkFiles(func(p string) error {
		rel, _ := filepath.Rel(d.Root, p)
		return fn(filepath.ToSlash(rel))
	})
}

// walkFiles calls fn with the path of every story and notice file, in path
// order.
func (d Dir) walkFiles(fn func(path string) error) error {
	for _, top := range []string{"stories", "notices"} {
		root := filepath.Join(d.Root, top)
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == root {
					return filepath.SkipDir
				}
				return err
			}
			if e.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(d.Root, p)
			if _, _, ok := KeyOf(filepath.ToSlash(rel)); !ok {
				return nil
			}
			return fn(p)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Walk calls fn for every story and notice file, in path order. A file that
// does not parse is passed to bad (if not nil) and skipped, so one broken
// file never hides the rest of the archive.
func (d Dir) Walk(fn func(Item) error, bad func(rel string, err error)) error {
	return d.walkFiles(func(p string) error {
		rel, _ := filepath.Rel(d.Root, p)
		rel = filepath.ToSlash(rel)
		it, err := d.Read(rel)
		if err != nil {
			if bad != nil {
				bad(rel, err)
			}
			return nil
		}
		return fn(it)
	})
}

func validRel(rel string) bool {
	if rel == "" || path.IsAbs(rel) || strings.Contains(rel, "\\") || path.Clean(rel) != rel || strings.HasPrefix(rel, "..") {
		return false
	}
	return strings.HasPrefix(rel, "stories/") || strings.HasPrefix(rel, "notices/")
}
