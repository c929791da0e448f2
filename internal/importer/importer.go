// Package importer recovers stories, photos and notices from the text
// extracted from e-paper pages (one PDF page → one text), as produced by
// pdftotext for Chinese city newspapers.
//
// Extracted page text is messy: lines are broken at the column width,
// justified lines carry spaces between characters, numbers are split from
// their units, blank lines appear everywhere, headlines are printed after
// their story (or all together at the end of the page), vertical headlines
// come out one character per line and bold banners are doubled. Parse turns
// such text into a list of Items (story / photo / notice) with their
// headline levels (引题 / 主题 / 副题), bylines, source and cleaned body, and
// a Report that lists what could not be recognised with certainty.
//
// The package is pure parsing: it touches no database and writes no files.
// ExtractPDF is the only function that runs an external program.
package importer

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Options carries the edition metadata that the page text itself does not
// reliably contain, and what the page's layout tells beyond its text. All
// fields are optional; Date, Page and PageName are copied into every Item.
type Options struct {
	Date     string // edition date "YYYY-MM-DD" (optional)
	Page     int    // page number (optional)
	PageName string // e.g. "要闻" (optional)
	// Sizes is the font size of every line of the text (split at "\n"),
	// 0 where unknown, as ExtractPDFText gives it for a PDF: a line set
	// larger than the page's body text is a headline line, and a line in
	// the body's size is text (a subhead), whatever its punctuation.
	Sizes []float64
}

// Item is one piece of content recovered from a page. Its JSON field names
// are a contract: `newsroom import --dry-run --json` prints []Item.
type Item struct {
	Kind     string   `json:"kind"`     // "story" | "photo" | "notice"
	Kicker   string   `json:"kicker"`   // 引题
	Title    string   `json:"title"`    // 主题
	Subtitle string   `json:"subtitle"` // 副题
	Authors  []string `json:"authors"`  // people's names only, e.g. ["张娟娟"]
	Bylines  []string `json:"bylines"`  // as printed with roles, e.g. ["记者 张娟娟"]
	Source   string   `json:"source"`   // "本报讯" | "新华社深圳6月7日电" | ""
	Body     string   `json:"body"`     // cleaned paragraphs separated by "\n\n" (empty for a photo: see Caption)
	Date     string   `json:"date"`     // edition date from Options
	Page     int      `json:"page"`
	PageName string   `json:"page_name,omitempty"`
	Vertical bool     `json:"vertical,omitempty"` // headline was set vertically
	Caption  string   `json:"caption,omitempty"`  // photo: the caption text
	Credit   string   `json:"credit,omitempty"`   // photo: "记者 刘亮亮 摄"
	Notice   *Notice  `json:"notice,omitempty"`
}

// Kinds of Item.
const (
	KindStory  = "story"
	KindPhoto  = "photo"
	KindNotice = "notice"
)

// Notice holds the structured parts of an official notice (公告 / 通告 /
// 通知 / 公示 / 声明 …): who issued it, when, and how to reach them.
type Notice struct {
	Issuers   []string `json:"issuers"`
	IssuedOn  string   `json:"issued_on"` // "2023-05-08"
	Phones    []string `json:"phones"`
	Emails    []string `json:"emails"`
	DocNumber string   `json:"doc_number,omitempty"`
}

// Report says what Parse recognised and what it was unsure about, in plain
// language, for a per-page import report.
type Report struct {
	Items     int      // number of items returned
	Uncertain []string // human-readable lines, e.g. "headline 「…」 could not be attached to a story"
	Dropped   []string // text dropped on purpose, e.g. doubled banner "倡导移风易俗 弘扬文明新风"
}

// Errors returned by Parse for unusable input.
var (
	ErrEmpty      = errors.New("importer: page text is empty")
	ErrBinary     = errors.New("importer: page text is not valid UTF-8 text (binary data?)")
	ErrNotChinese = errors.New("importer: page text contains (almost) no Chinese characters")
)

// Parse recovers the items of one extracted page. It returns an error only
// for unusable input (empty, binary, not Chinese text); everything it cannot
// place with confidence is still returned (as an item with an empty title
// or as a line in Report.Uncertain), never silently dropped.
func Parse(text string, opts Options) ([]Item, Report, error) {
	if err := validate(text); err != nil {
		return nil, Report{}, err
	}
	p := &parser{opts: opts}
	p.lines = prepareLines(text, opts.Sizes, &p.report)
	p.elems = p.segment()
	p.assemble()
	p.attachHeadlines()
	p.markHeadBefore()
	p.joinRoundups()
	p.joinNumbered()
	items := p.finish()
	p.report.Items = len(items)
	return items, p.report, nil
}

func validate(text string) error {
	if strings.TrimSpace(text) == "" {
		return ErrEmpty
	}
	if !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
		return ErrBinary
	}
	var han, letters, ctrl int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			letters++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters++
		case unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' && r != '\f':
			ctrl++
		}
	}
	if ctrl > 0 && ctrl*20 > letters {
		return ErrBinary
	}
	if han < 2 || han*5 < letters {
		return ErrNotChinese
	}
	return nil
}
