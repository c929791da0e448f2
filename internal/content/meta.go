package content

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// Meta is what the site's catalog needs of a content file: when it was
// published, its e-paper edition, and whether lists leave it out.
type Meta struct {
	Date time.Time
	// Lastmod is the last correction's time (front matter lastmod), zero
	// when there is none.
	Lastmod time.Time
	Edition string // YYYY-MM-DD, or "" when the file has none (or not a date)
	// Page is the e-paper page (版次, params.page) from 1 to 999, 0 when
	// the file has none or another value.
	Page int
	// Unlisted is a withdrawn item (build.list: never): its page stays,
	// but no list, feed or sitemap names it.
	Unlisted bool
}

var (
	errNoFrontMatter = errors.New("no YAML front matter")
	errNotClosed     = errors.New("front matter not closed")
)

// splitFront splits a content file into its YAML front matter (without
// the --- lines) and its body. A byte order mark and CRLF line ends are
// accepted, as Hugo does.
func splitFront(data []byte) (front, body []byte, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	switch {
	case bytes.HasPrefix(data, []byte("---\n")):
		data = data[4:]
	case bytes.HasPrefix(data, []byte("---\r\n")):
		data = data[5:]
	default:
		return nil, nil, errNoFrontMatter
	}
	// The closing line is "---" alone; the first line of data cannot be it
	// only if the front matter is empty.
	for i := 0; ; {
		line, rest, found := bytes.Cut(data[i:], []byte("\n"))
		if string(bytes.TrimSuffix(line, []byte("\r"))) == "---" {
			return data[:i], rest, nil
		}
		if !found {
			return nil, nil, errNotClosed
		}
		i = len(data) - len(rest)
	}
}

// metaHead is how much of a file ReadMeta reads first; front matter is
// rarely longer, and a longer one is read to its end.
const metaHead = 4096

// maxFront bounds the front matter ReadMeta reads.
const maxFront = 1 << 20

// ReadMeta reads the catalog's fields from the content file at file (an
// OS path). It reads the front matter only, and parses it with a line
// scanner when it is in the plain block style that Marshal writes, with
// the YAML parser otherwise, so that the answer is always the YAML
// parser's (and Hugo's) reading of the file.
func ReadMeta(file string) (Meta, error) {
	f, err := os.Open(file)
	if err != nil {
		return Meta{}, err
	}
	defer f.Close()
	buf := make([]byte, metaHead)
	n, err := io.ReadFull(f, buf)
	buf = buf[:n]
	for {
		front, _, serr := splitFront(buf)
		if serr == nil {
			return ParseMeta(front)
		}
		if err != nil || serr != errNotClosed { // the whole file is read
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				err = nil
			}
			if err != nil {
				return Meta{}, err
			}
			return Meta{}, serr
		}
		if len(buf) >= maxFront {
			return Meta{}, fmt.Errorf("front matter longer than %d bytes", maxFront)
		}
		more := make([]byte, len(buf))
		var m int
		m, err = io.ReadFull(f, more)
		buf = append(buf, more[:m]...)
	}
}

// ReadMetaBytes is ReadMeta of a content file's contents.
func ReadMetaBytes(data []byte) (Meta, error) {
	front, _, err := splitFront(data)
	if err != nil {
		return Meta{}, err
	}
	return ParseMeta(front)
}

// ParseMeta reads the catalog's fields from front matter (the YAML between
// the --- lines).
func ParseMeta(front []byte) (Meta, error) {
	if raw, ok := scanMeta(front); ok {
		return raw.meta(), nil
	}
	return parseMeta(front)
}

// parseMeta is ParseMeta by the YAML parser alone, read into a map as
// Hugo reads front matter.
func parseMeta(front []byte) (Meta, error) {
	var v map[string]any
	if err := yaml.Unmarshal(front, &v); err != nil {
		return Meta{}, fmt.Errorf("front matter: %w", err)
	}
	params, _ := v["params"].(map[string]any)
	build, _ := v["build"].(map[string]any)
	raw := rawMeta{date: scalarText(v["date"]), lastmod: scalarText(v["lastmod"]), edition: scalarText(params["edition"]), list: scalarText(build["list"])}
	switch p := params["page"].(type) {
	case string:
		raw.page = p
	case uint64:
		raw.page = strconv.FormatUint(p, 10)
	case int64:
		raw.page = strconv.FormatInt(p, 10)
	case int:
		raw.page = strconv.Itoa(p)
	}
	return raw.meta(), nil
}

// scalarText is the text of a string scalar; other values have none.
func scalarText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case time.Time:
		return v.Format(time.RFC3339Nano)
	}
	return ""
}

// rawMeta holds the fields' scalar texts.
type rawMeta struct{ date, lastmod, edition, list, page string }

// dateLayouts are the forms of date that the catalog understands: YAML
// timestamps, as Marshal writes them and as people type them.
var dateLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05Z07:00", "2006-01-02T15:04:05", time.DateOnly}

// parseDate reads a date in one of dateLayouts; zero when it is none.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

func (r rawMeta) meta() Meta {
	var m Meta
	m.Date, m.Lastmod = parseDate(r.date), parseDate(r.lastmod)
	if e := r.edition; len(e) == 10 && e[4] == '-' && e[7] == '-' && digits(e[:4]) && digits(e[5:7]) && digits(e[8:]) {
		m.Edition = e
	}
	m.Unlisted = r.list == "never"
	if n, err := strconv.Atoi(r.page); err == nil && n >= 1 && n <= 999 && r.page == strconv.Itoa(n) {
		m.Page = n
	}
	return m
}

// scanMeta reads date, lastmod, params.edition, params.page and build.list from front matter in
// a strict subset of YAML's block style, in which every line's place in
// the document follows from its indentation: keys are plain words,
// scalars are plain, quoted or flow sequences that end on their line, and
// block scalars (| and >) are skipped by indentation. ok is false for
// anything else (multi-line flow scalars, anchors, aliases, tags, complex
// keys, tabs, indentation indicators, duplicate keys where it matters):
// the caller then asks the YAML parser.
func scanMeta(front []byte) (raw rawMeta, ok bool) {
	var (
		blockCol    = -1 // inside a block scalar whose parent is at this column
		blockIndent = -1 // the block scalar's content column, once known
		scalarLimit = -1 // after a scalar: a deeper line would continue it
		section     string
		childCol    = -1
		started     bool
		topKeys     []string
		seenEdition bool
		seenList    bool
		seenPage    bool
	)
	for len(front) > 0 {
		var line []byte
		line, front, _ = bytes.Cut(front, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if bytes.IndexByte(line, '\r') >= 0 {
			return raw, false
		}
		col := 0
		for col < len(line) && line[col] == ' ' {
			col++
		}
		rest := line[col:]
		blank := len(bytes.Trim(rest, " \t")) == 0
		if blockCol >= 0 {
			if blank {
				continue
			}
			if col > blockCol {
				if blockIndent < 0 {
					blockIndent = col
				} else if col < blockIndent {
					return raw, false
				}
				continue
			}
			blockCol, blockIndent = -1, -1
		}
		if blank || rest[0] == '#' {
			continue
		}
		if rest[0] == '\t' {
			return raw, false
		}
		if scalarLimit >= 0 && col > scalarLimit {
			return raw, false
		}
		scalarLimit = -1
		if col == 0 && (bytes.HasPrefix(rest, []byte("---")) || bytes.HasPrefix(rest, []byte("..."))) {
			return raw, false
		}
		// Sequence entries: "- " (maybe several) before a key or a value.
		pos, dashCol := col, -1
		for len(rest) > 0 && rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ') {
			dashCol = pos
			n := 1
			for n < len(rest) && rest[n] == ' ' {
				n++
			}
			if n < len(rest) && rest[n] == '\t' {
				return raw, false
			}
			pos += n
			rest = rest[n:]
		}
		key, value, isKey := cutKey(rest)
		if !isKey && dashCol < 0 {
			return raw, false
		}
		parent := dashCol // the column a continuation would have to pass
		if isKey {
			parent = pos
		} else {
			value = rest
		}
		kind, text, vok := scanValue(value)
		if !vok {
			return raw, false
		}
		switch kind {
		case valueBlock:
			blockCol = parent
		case valueScalar, valueFlow, valueEscaped:
			scalarLimit = parent
		}
		top := col == 0 && dashCol < 0
		switch {
		case top:
			for _, k := range topKeys {
				if k == key {
					return raw, false
				}
			}
			topKeys = append(topKeys, key)
			section, childCol = "", -1
			switch key {
			case "date", "lastmod":
				if kind != valueScalar {
					return raw, false
				}
				if key == "date" {
					raw.date = text
				} else {
					raw.lastmod = text
				}
			case "params", "build":
				if kind != valueNone {
					return raw, false
				}
				section = key
			}
		case !started:
			return raw, false
		case col == 0: // a compact sequence, the value of the last top-level key
			if section != "" {
				return raw, false
			}
		case section != "":
			if childCol < 0 {
				if dashCol >= 0 {
					return raw, false
				}
				childCol = col
			}
			if col < childCol {
				return raw, false
			}
			if col > childCol || dashCol >= 0 {
				break
			}
			if section == "params" && key == "page" {
				// A plain number the YAML parser might read otherwise
				// (010, 0x1, 1_000) is left to it.
				if kind != valueScalar || seenPage || (value[0] != '"' && value[0] != '\'' && !plainPage(text)) {
					return raw, false
				}
				raw.page, seenPage = text, true
			}
			if (section == "params" && key == "edition") || (section == "build" && key == "list") {
				if kind != valueScalar || (key == "edition" && seenEdition) || (key == "list" && seenList) {
					return raw, false
				}
				if key == "edition" {
					raw.edition, seenEdition = text, true
				} else {
					raw.list, seenList = text, true
				}
			}
		}
		started = true
	}
	return raw, true
}

// cutKey splits "key: value" (or "key:") with a plain word for a key.
func cutKey(s []byte) (key string, value []byte, ok bool) {
	i := 0
	for i < len(s) && (s[i] == '_' || s[i] == '-' && i > 0 || s[i] >= '0' && s[i] <= '9' || s[i]|0x20 >= 'a' && s[i]|0x20 <= 'z') {
		i++
	}
	if i == 0 || i >= len(s) || s[i] != ':' || (i+1 < len(s) && s[i+1] != ' ') {
		return "", nil, false
	}
	value = bytes.TrimLeft(s[i+1:], " ")
	if len(value) > 0 && value[0] == '\t' {
		return "", nil, false
	}
	return string(s[:i]), value, true
}

type valueKind int

const (
	valueNone    valueKind = iota // nothing on the line: a nested block, or null
	valueScalar                   // a scalar that ends on its line
	valueFlow                     // a flow sequence on one line
	valueBlock                    // a block scalar's header (| or >)
	valueEscaped                  // a double-quoted scalar with escapes, on one line
)

// scanValue classifies the value part of a line and, for a scalar whose
// text needs no unescaping, returns the text. ok is false for anything
// scanMeta does not read (see there).
func scanValue(v []byte) (kind valueKind, text string, ok bool) {
	if len(v) == 0 || v[0] == '#' {
		return valueNone, "", true
	}
	switch v[0] {
	case '"':
		end, escaped := 1, false
		for end < len(v) && v[end] != '"' {
			if v[end] == '\\' {
				escaped = true
				end++
			}
			end++
		}
		if end >= len(v) || !onlyComment(v[end+1:]) {
			return 0, "", false
		}
		if escaped {
			return valueEscaped, "", true // the parser knows every escape
		}
		return valueScalar, string(v[1:end]), true
	case '\'':
		end := bytes.IndexByte(v[1:], '\'')
		if end < 0 || !onlyComment(v[end+2:]) {
			return 0, "", false
		}
		return valueScalar, string(v[1 : end+1]), true // '' (a quote) fails onlyComment
	case '[':
		// One line, no nesting; quoted items may hold any of ,[]{}#.
		for i := 1; i < len(v); i++ {
			switch v[i] {
			case '"':
				j := i + 1
				for j < len(v) && v[j] != '"' {
					if v[j] == '\\' {
						j++
					}
					j++
				}
				if j >= len(v) {
					return 0, "", false
				}
				i = j
			case '\'':
				j := bytes.IndexByte(v[i+1:], '\'')
				if j < 0 {
					return 0, "", false
				}
				i += j + 1
			case '[', '{', '&', '*', '!', '?', '#':
				return 0, "", false
			case ']':
				if !onlyComment(v[i+1:]) {
					return 0, "", false
				}
				return valueFlow, "", true
			}
		}
		return 0, "", false
	case '|', '>':
		h := v[1:]
		if len(h) > 0 && (h[0] == '+' || h[0] == '-') {
			h = h[1:]
		}
		if !onlyComment(h) {
			return 0, "", false
		}
		return valueBlock, "", true
	case '{', '&', '*', '!', '%', '@', '`', '?', ':', ',', ']', '}', '-':
		return 0, "", false
	}
	// A plain scalar: up to a comment; ": " would make it a mapping.
	s := v
	if i := bytes.Index(s, []byte(" #")); i >= 0 {
		s = s[:i]
	}
	s = bytes.TrimRight(s, " \t")
	if bytes.Contains(s, []byte(": ")) || bytes.HasSuffix(s, []byte(":")) || bytes.Contains(s, []byte(":\t")) || bytes.Contains(s, []byte("\t#")) {
		return 0, "", false
	}
	t := string(s)
	switch t {
	case "~", "null", "Null", "NULL":
		t = ""
	}
	return valueScalar, t, true
}

// plainPage reports whether a plain scalar is a page number every YAML
// reader takes as the same integer: 1 to 999 without leading zeros.
func plainPage(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 999 && s == strconv.Itoa(n)
}

// onlyComment reports whether what follows a value is spaces and at most
// a comment.
func onlyComment(s []byte) bool {
	t := bytes.TrimLeft(s, " ")
	return len(t) == 0 || (t[0] == '#' && len(t) < len(s))
}

// Taxonomies are the front matter keys of the site's term pages (栏目,
// tags, authors), each also the first segment of its terms' URLs.
var Taxonomies = []string{"columns", "tags", "authors"}

// TermPaths reads the term pages a content file's front matter puts it
// on, as paths below the site ("tags/营商环境", "authors/zhang-x-1a2b3c4d"):
// Hugo makes a term's path from its key in lower case. A file without
// front matter, or whose front matter does not parse, has none.
func TermPaths(data []byte) []string {
	front, _, err := splitFront(data)
	if err != nil {
		return nil
	}
	var fm struct {
		Columns []string `yaml:"columns"`
		Tags    []string `yaml:"tags"`
		Authors []string `yaml:"authors"`
	}
	if yaml.Unmarshal(front, &fm) != nil {
		return nil
	}
	var out []string
	for i, list := range [][]string{fm.Columns, fm.Tags, fm.Authors} {
		for _, key := range list {
			if key = strings.ToLower(strings.TrimSpace(key)); key != "" && !strings.ContainsAny(key, "/\\") {
				out = append(out, Taxonomies[i]+"/"+key)
			}
		}
	}
	return out
}
