package notice

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"newsroom/internal/news"
)

// Format is the first line of every canonical text; it names the version
// of the rules in docs/notices.md.
const Format = "newsroom-notice-v1"

// collapse returns v in NFC with every run of white space (any Unicode
// space, including the ideographic space U+3000, tabs and line breaks)
// replaced by one ASCII space, trimmed.
func collapse(v string) string {
	v = norm.NFC.String(v)
	return strings.Join(strings.FieldsFunc(v, unicode.IsSpace), " ")
}

// NormalizeText applies the canonical text's normalization to any text:
// NFC, each line's white space collapsed, empty lines dropped, lines ended
// by "\n". A canonical text is unchanged by it, so a pasted copy of one
// whose spacing was disturbed still hashes to the same fingerprint.
func NormalizeText(t string) string {
	t = norm.NFC.String(strings.ReplaceAll(t, "\r\n", "\n"))
	var b strings.Builder
	for _, line := range strings.FieldsFunc(t, func(r rune) bool { return r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' }) {
		if line = collapse(line); line != "" {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Fingerprint is the SHA-256 of text (UTF-8), in lower-case hex.
func Fingerprint(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// LooseKey is the SHA-256 of text in NFC with all white space removed. It
// matches a pasted copy whose line breaks were lost or added (as happens
// when copying from a PDF); the verify page says when only this matched.
func LooseKey(text string) string {
	text = norm.NFC.String(text)
	return Fingerprint(strings.Join(strings.FieldsFunc(text, unicode.IsSpace), ""))
}

// CanonicalText is the text a notice's fingerprint is taken of: the format
// line, then "key: value" lines in the fixed order of docs/notices.md
// (empty fields left out; list fields one line per entry), then "body:"
// and one line per paragraph. Every value is normalized by collapse.
// published is the publication time; its date (Asia/Shanghai) is part of
// the text.
func CanonicalText(s *news.Story, published time.Time) string {
	n := s.Notice
	if n == nil {
		n = &news.NoticeInfo{}
	}
	var b strings.Builder
	b.WriteString(Format + "\n")
	kv := func(k, v string) {
		if v = collapse(v); v != "" {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	kvs := func(k string, vs []string) {
		for _, v := range vs {
			kv(k, v)
		}
	}
	kv("number", n.Number)
	kv("kind", string(KindOf(s)))
	kv("published", published.In(news.Shanghai).Format(time.DateOnly))
	kv("edition", s.Edition)
	if s.Page > 0 {
		kv("page", strconv.Itoa(s.Page))
	}
	kv("title", s.Title)
	kvs("issuers", n.Issuers)
	kv("doc_number", n.DocNumber)
	kv("signed_date", n.IssuedOn)
	kv("signature", n.Signature)
	kvs("addressees", n.Addressees)
	for _, a := range n.Attachments {
		kv("attachment", strings.TrimSpace(a.Title+" | "+a.URL+" | "+a.SHA256))
	}
	kv("project_name", n.ProjectName)
	kv("project_number", n.ProjectNumber)
	kv("agency", n.Agency)
	kv("budget", n.Budget)
	kv("bid_deadline", n.BidDeadline)
	kv("company", n.Company)
	kv("credit_code", n.CreditCode)
	kv("capital_before", n.CapitalBefore)
	kv("capital_after", n.CapitalAfter)
	kv("resolution_date", n.ResolutionDate)
	kvs("parties", n.Parties)
	kv("holder", n.Holder)
	kv("lost_item", n.LostItem)
	kv("lost_number", n.LostNumber)
	kv("contact", n.Contact)
	kvs("phones", n.Phones)
	kv("email", n.Email)
	kv("address", n.Address)
	kv("period_start", n.PeriodStart)
	kv("period_end", n.PeriodEnd)
	kv("claim_deadline", n.ClaimDeadline)
	kv("corrects", n.Corrects)
	b.WriteString("body:\n")
	for _, p := range s.Paragraphs() {
		if p = collapse(p); p != "" {
			b.WriteString(p + "\n")
		}
	}
	return b.String()
}

// RecordOf is the verification record of s, a notice sealed already (by
// Seal, when it was published) and read back from its content file, as
// when files are taken into another desk, with its sequence number. It
// fails when the notice has no number of this paper's form and year, or
// when its fingerprint is not that of its text (the file was changed
// after it was sealed): such a notice must not be vouched for, but its
// number, of this paper's form, is still returned (seq > 0) so that it is
// never given to another notice.
func RecordOf(s *news.Story) (*news.NoticeRecord, int, error) {
	n := s.Notice
	if s.Kind != news.KindNotice || n == nil || n.Number == "" || s.PublishedAt == nil {
		return nil, 0, errors.New("not a published notice with a number")
	}
	published := *s.PublishedAt
	var seq int
	if _, err := fmt.Sscanf(n.Number[max(0, len(n.Number)-6):], "%06d", &seq); err != nil || seq < 1 ||
		Number(published.In(news.Shanghai).Year(), seq) != n.Number {
		return nil, 0, fmt.Errorf("number %s is not of the form %s of its year of publication", n.Number, Number(published.In(news.Shanghai).Year(), 1))
	}
	text := CanonicalText(s, published)
	if Fingerprint(text) != n.Fingerprint {
		return nil, seq, fmt.Errorf("notice %s: its fingerprint is not that of its text", n.Number)
	}
	return &news.NoticeRecord{
		StoryID: s.ID, Number: n.Number, Fingerprint: n.Fingerprint, Kind: string(KindOf(s)), Title: s.Title,
		Issuers: n.Issuers, URL: s.URL, PublishedAt: published, Edition: s.Edition, Page: s.Page,
		PageName: s.PageName, Canonical: text, BodyKey: LooseKey(strings.Join(s.Paragraphs(), "\n")),
		TextKey: LooseKey(text), PeriodStart: n.PeriodStart, End: EndOf(n), Corrects: n.Corrects,
	}, seq, nil
}

// Seal readies a notice for publication at published as the seq-th notice
// of that year: it assigns the number, computes the period and the claim
// deadline, checks the rules that depend on the publication date, and
// computes the canonical text and fingerprint, which it stores in
// s.Notice. It returns the record to keep.
func Seal(s *news.Story, published time.Time, seq int) (*news.NoticeRecord, error) {
	Prepare(s)
	if err := Validate(s); err != nil {
		return nil, err
	}
	n := s.Notice
	k := KindOf(s)
	pub := published.In(news.Shanghai)
	pubDate := pub.Format(time.DateOnly)
	f := map[string]string{}
	if n.Number != "" {
		return nil, news.Errorf(news.ECONFLICT, "公告已有编号 %s，不能再次发布。", n.Number)
	}
	n.Number = Number(pub.Year(), seq)
	if d := ClaimDays(k); d > 0 {
		n.ClaimDeadline = AddDays(pub, d)
		if n.PeriodStart == "" {
			n.PeriodStart = pubDate
		}
		if n.PeriodEnd == "" {
			n.PeriodEnd = n.ClaimDeadline
		}
	}
	if n.PeriodEnd != "" && n.PeriodStart == "" {
		n.PeriodStart = pubDate
	}
	maps.Copy(f, CheckDates(s, published))
	if len(f) > 0 {
		n.Number, n.ClaimDeadline = "", ""
		return nil, invalid(f)
	}
	text := CanonicalText(s, published)
	n.Fingerprint = Fingerprint(text)
	return &news.NoticeRecord{
		StoryID: s.ID, Number: n.Number, Fingerprint: n.Fingerprint, Kind: string(k), Title: s.Title,
		Issuers: n.Issuers, URL: s.URL, PublishedAt: published, Edition: s.Edition, Page: s.Page,
		PageName: s.PageName, Canonical: text, BodyKey: LooseKey(strings.Join(s.Paragraphs(), "\n")),
		TextKey: LooseKey(text), PeriodStart: n.PeriodStart, End: EndOf(n), Corrects: n.Corrects,
	}, nil
}

// CheckDates checks the rules of notice s that depend on its publication
// date, as if it were published at published: a 公示 period must not have
// ended, a resolution must not be dated after publication, and a tender's
// bid deadline must be at least MinTenderDays away. It returns the
// problems by field (nil when there are none).
func CheckDates(s *news.Story, published time.Time) map[string]string {
	n := s.Notice
	if s.Kind != news.KindNotice || n == nil {
		return nil
	}
	pub := published.In(news.Shanghai)
	pubDate := pub.Format(time.DateOnly)
	f := map[string]string{}
	if n.PeriodEnd != "" && n.PeriodEnd < pubDate {
		f["period_end"] = "公示截止日期（" + n.PeriodEnd + "）早于刊发日期（" + pubDate + "）"
	}
	if n.ResolutionDate != "" && n.ResolutionDate > pubDate {
		f["resolution_date"] = "决议日期不能晚于刊发日期（" + pubDate + "）"
	}
	if KindOf(s) == Tender && len(n.BidDeadline) >= 10 {
		if min := AddDays(pub, MinTenderDays); n.BidDeadline[:10] < min {
			f["bid_deadline"] = fmt.Sprintf("投标截止时间距刊发不得少于 %d 日（最早 %s）", MinTenderDays, min)
		}
	}
	if len(f) == 0 {
		return nil
	}
	return f
}

// Verify recomputes the fingerprint of a published notice from its content
// and reports whether it still matches the one it was published with.
func Verify(s *news.Story) bool {
	if s.Notice == nil || s.Notice.Fingerprint == "" || s.PublishedAt == nil {
		return false
	}
	return Fingerprint(CanonicalText(s, *s.PublishedAt)) == s.Notice.Fingerprint
}
