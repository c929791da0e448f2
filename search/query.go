package search

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrBadQuery is wrapped by the errors Search returns for queries it refuses:
// too long, too many terms, invalid UTF-8, nothing searchable, bad paging or
// sort. Callers map it to "400 Bad Request", never to a server error.
var ErrBadQuery = errors.New("search: bad query")

const (
	// MaxQueryRunes bounds the query text; longer input is not a search.
	MaxQueryRunes = 200
	// MaxQueryTerms bounds the number of terms and phrases in a query.
	MaxQueryTerms = 20
	// maxUnits bounds the analyzed units across all clauses, so one huge
	// unspaced Chinese string cannot expand into hundreds of sub-queries.
	maxUnits = 48
	// MaxPageSize is the largest page Search returns.
	MaxPageSize = 50
	// maxWindow bounds page*pageSize: deep paging is a slow scan.
	maxWindow = 10000
)

// Clause is one term or "quoted phrase" of a user query.
type Clause struct {
	Text    string // the raw text of the term or phrase, without quotes or '-'
	Phrase  bool   // written in quotes: its words must be adjacent
	Exclude bool   // written with a leading '-': documents matching it are dropped
}

// CodeKind names the identifier a whole query was recognised as.
type CodeKind string

// Identifier kinds recognised by ParseQuery.
const (
	CodeNone       CodeKind = ""
	CodeDocNumber  CodeKind = "docnumber"  // 文号, e.g. 吕政发〔2023〕12号
	CodeCreditCode CodeKind = "creditcode" // 统一社会信用代码, 18 characters
)

// ParsedQuery is the syntax of a user query, before analysis.
type ParsedQuery struct {
	Clauses []Clause
	// Code is the normalised identifier when the whole query is a notice's
	// 文号 or credit code; such a query puts that notice first.
	Code     string
	CodeKind CodeKind
}

// quote pairs: ASCII and full-width quotes, and the Chinese quotes an IME
// produces when the user presses the quote key.
var closeQuote = map[rune]rune{'"': '"', '＂': '＂', '“': '”', '「': '」', '『': '』'}

// ParseQuery splits a user query into clauses. Syntax is lenient, because
// users type it: terms are separated by white space and all must match;
// "…" (or “…”, 「…」) is a phrase; a leading - (or －) excludes; an
// unterminated quote runs to the end. Nothing is a wildcard or a regular
// expression. It fails (wrapping ErrBadQuery) only for input that is not a
// reasonable search: invalid UTF-8, more than MaxQueryRunes characters or
// more than MaxQueryTerms clauses.
func ParseQuery(s string) (*ParsedQuery, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("%w: invalid UTF-8", ErrBadQuery)
	}
	if n := utf8.RuneCountInString(s); n > MaxQueryRunes {
		return nil, fmt.Errorf("%w: %d characters (max %d)", ErrBadQuery, n, MaxQueryRunes)
	}
	pq := &ParsedQuery{}
	if code, kind := recogniseCode(s); kind != CodeNone {
		pq.Code, pq.CodeKind = code, kind
	}
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		if isSpace(r) {
			i++
			continue
		}
		c := Clause{}
		if (r == '-' || r == '－') && i+1 < len(rs) && !isSpace(rs[i+1]) {
			c.Exclude = true
			i++
			r = rs[i]
		}
		if cq, ok := closeQuote[r]; ok {
			j := i + 1
			for j < len(rs) && rs[j] != cq && !(cq != '"' && rs[j] == '"') {
				j++
			}
			c.Text, c.Phrase = strings.TrimSpace(string(rs[i+1:j])), true
			i = j + 1
		} else {
			j := i
			for j < len(rs) && !isSpace(rs[j]) {
				if _, ok := closeQuote[rs[j]]; ok && j > i {
					break // 营商环境"一件事": a quote starts a new clause
				}
				j++
			}
			c.Text = string(rs[i:j])
			i = j
		}
		if c.Text == "" {
			continue
		}
		pq.Clauses = append(pq.Clauses, c)
	}
	if len(pq.Clauses) > MaxQueryTerms {
		return nil, fmt.Errorf("%w: %d terms (max %d)", ErrBadQuery, len(pq.Clauses), MaxQueryTerms)
	}
	return pq, nil
}

func isSpace(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

var (
	docNumberRE  = regexp.MustCompile(`^[\p{Han}a-z0-9]{1,24}〔[0-9]{4}〕[0-9]{1,6}号$`)
	creditCodeRE = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$`)
)

// NormalizeDocNumber returns the canonical form of a 文号: folded (full
// width → half width, traditional → simplified), white space removed and
// every kind of bracket around the year turned into 〔〕, the form
// government style guides prescribe. 吕政发[2023]12号, 吕政发（2023）12号
// and 呂政發〔２０２３〕12號 all become 吕政发〔2023〕12号.
func NormalizeDocNumber(s string) string {
	var b strings.Builder
	for _, r := range Fold(s) {
		switch r {
		case '(', '[', '【', '〔', '〖', '{', '<', '《', '〈':
			b.WriteRune('〔')
		case ')', ']', '】', '〕', '〗', '}', '>', '》', '〉':
			b.WriteRune('〕')
		default:
			if !isSpace(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// NormalizeCreditCode returns the canonical (upper-case, half-width, no
// spaces) form of a 统一社会信用代码.
func NormalizeCreditCode(s string) string {
	var b strings.Builder
	for _, r := range Fold(s) {
		if !isSpace(r) && r != '-' {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// recogniseCode reports whether the whole query is a 文号 or a credit code.
func recogniseCode(s string) (string, CodeKind) {
	s = strings.Trim(strings.TrimSpace(s), `"“”「」`)
	if s == "" {
		return "", CodeNone
	}
	if d := NormalizeDocNumber(s); docNumberRE.MatchString(d) {
		return d, CodeDocNumber
	}
	if c := NormalizeCreditCode(s); creditCodeRE.MatchString(c) {
		return c, CodeCreditCode
	}
	return "", CodeNone
}
