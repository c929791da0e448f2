// Package notice holds the rules of official and legal notices (公告, 公示,
// 声明): their kinds and each kind's fields and validation (including the
// GB 32100-2015 check character of the 统一社会信用代码), statutory periods
// and claim deadlines, notice numbers, and the canonical text whose SHA-256
// fingerprint proves later exactly what was published (docs/notices.md).
//
// A notice is a news.Story of kind notice whose news.NoticeInfo carries the
// fields. The package imports only internal/news, so the desk, the database
// and the reader side can all use it.
package notice

import (
	"fmt"
	"maps"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/width"

	"newsroom/internal/news"
)

// Kind is the kind of a notice (news.NoticeInfo.Kind).
type Kind string

// The kinds of notice.
const (
	Gov              Kind = "gov"               // 政府公告、公示、通知
	Tender           Kind = "tender"            // 招标/采购公告
	CapitalReduction Kind = "capital-reduction" // 减资公告
	Deregistration   Kind = "deregistration"    // 注销公告
	Liquidation      Kind = "liquidation"       // 清算公告
	Merger           Kind = "merger"            // 合并/分立公告
	Lost             Kind = "lost"              // 遗失声明
	Correction       Kind = "correction"        // 更正公告
)

// Kinds lists every kind in display order.
var Kinds = []Kind{Gov, Tender, CapitalReduction, Deregistration, Liquidation, Merger, Lost, Correction}

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case Gov:
		return "政府公告"
	case Tender:
		return "招标采购公告"
	case CapitalReduction:
		return "减资公告"
	case Deregistration:
		return "注销公告"
	case Liquidation:
		return "清算公告"
	case Merger:
		return "合并分立公告"
	case Lost:
		return "遗失声明"
	case Correction:
		return "更正公告"
	}
	return "公告"
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Company reports whether k is a company notice (company name and 统一社会
// 信用代码 required, creditors' claim period).
func (k Kind) Company() bool {
	return k == CapitalReduction || k == Deregistration || k == Liquidation || k == Merger
}

// KindOf returns the kind of notice s; notices without one are gov.
func KindOf(s *news.Story) Kind {
	if s.Notice == nil || s.Notice.Kind == "" {
		return Gov
	}
	return Kind(s.Notice.Kind)
}

// Section is the 栏目 notices are published in.
const Section = "公告"

// Limits, in characters.
const (
	maxName  = 80
	maxField = 200
)

// Prepare normalizes a notice before it is saved: it trims every field,
// folds the credit code, drops empty list entries, puts the notice in the
// 公告 section, and fills Issuers from the company (company notices) or the
// holder (遗失声明) when they are empty, so every notice names who signs it.
func Prepare(s *news.Story) {
	if s.Kind != news.KindNotice {
		return
	}
	if s.Notice == nil {
		s.Notice = &news.NoticeInfo{}
	}
	n := s.Notice
	if n.Kind == "" {
		n.Kind = string(Gov)
	}
	n.Kind = strings.TrimSpace(n.Kind)
	tr := func(p ...*string) {
		for _, v := range p {
			*v = collapse(*v)
		}
	}
	tr(&n.DocNumber, &n.IssuedOn, &n.Email, &n.Signature, &n.ProjectName, &n.ProjectNumber, &n.Agency,
		&n.Budget, &n.BidDeadline, &n.Company, &n.CapitalBefore, &n.CapitalAfter, &n.ResolutionDate,
		&n.Holder, &n.LostItem, &n.LostNumber, &n.Contact, &n.Address, &n.PeriodStart, &n.PeriodEnd, &n.Corrects)
	n.Issuers, n.Phones, n.Addressees, n.Parties = clean(n.Issuers), clean(n.Phones), clean(n.Addressees), clean(n.Parties)
	if n.CreditCode != "" {
		n.CreditCode = NormalizeCreditCode(n.CreditCode)
	}
	n.Corrects = strings.ToUpper(width.Fold.String(n.Corrects))
	var atts []news.Attachment
	for _, a := range n.Attachments {
		a.Title, a.URL, a.SHA256 = collapse(a.Title), strings.TrimSpace(a.URL), strings.ToLower(strings.TrimSpace(a.SHA256))
		if a != (news.Attachment{}) {
			atts = append(atts, a)
		}
	}
	n.Attachments = atts
	if len(n.Issuers) == 0 {
		switch k := Kind(n.Kind); {
		case k.Company() && n.Company != "":
			n.Issuers = []string{n.Company}
		case k == Lost && n.Holder != "":
			n.Issuers = []string{n.Holder}
		}
	}
	if s.Section == "" {
		s.Section = Section
	}
}

func clean(in []string) []string {
	var out []string
	for _, v := range in {
		if v = collapse(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

var (
	dateRE     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dateTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$`)
	// 文号: 机关代字〔年份〕序号号, e.g. 吕政发〔2023〕12号; other brackets
	// are accepted as typed and shown as typed.
	docNumberRE = regexp.MustCompile(`^\p{Han}[\p{Han}A-Za-z0-9]*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号$`)
	// Phones: mobile, landline with area code (and extension), 400/800
	// numbers, five-digit service lines (12345); a note may follow.
	phoneRE  = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|[48]00-?\d{3}-?\d{4}|1\d{4})(\s*[（(]?\p{Han}[^\n]*)?$`)
	numberRE = regexp.MustCompile(`^([A-Z]{2,8})-(\d{4})-(\d{6})$`)
	moneyRE  = regexp.MustCompile(`^(?:人民币)?\s*(\d+(?:\.\d{1,6})?)\s*(万元|元)(?:人民币)?$`)
)

// ParseDate parses a YYYY-MM-DD date in Asia/Shanghai.
func ParseDate(s string) (time.Time, bool) {
	if !dateRE.MatchString(s) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(time.DateOnly, s, news.Shanghai)
	return t, err == nil
}

// ParseMoney reads an amount such as "1000万元", "500.5万元" or
// "3000000元" and returns it in 元 × 100 (fen); false when it has no unit or
// is not a number.
func ParseMoney(s string) (int64, bool) {
	m := moneyRE.FindStringSubmatch(strings.ReplaceAll(width.Fold.String(s), ",", ""))
	if m == nil {
		return 0, false
	}
	intPart, frac, _ := strings.Cut(m[1], ".")
	scale := int64(100) // fen per 元
	if m[2] == "万元" {
		scale = 1_000_000
	}
	var v int64
	for _, c := range intPart {
		v = v*10 + int64(c-'0')
		if v > 1e12 {
			return 0, false
		}
	}
	v *= scale
	for i, d := 0, scale/10; i < len(frac); i, d = i+1, d/10 {
		v += int64(frac[i]-'0') * d
	}
	return v, true
}

// ValidNumber reports whether s has the form of a notice number
// (LLRB-2023-000123).
func ValidNumber(s string) bool { return numberRE.MatchString(s) }

// Prefix starts every notice number: the paper's short code (吕梁日报).
var Prefix = "LLRB"

// Number formats the notice number of the seq-th notice of year.
func Number(year, seq int) string { return fmt.Sprintf("%s-%04d-%06d", Prefix, year, seq) }

// Validate checks a prepared notice: the fields its kind needs, each in
// its form. It returns a *news.Error (code invalid) whose Fields are keyed by
// the API's field names, or nil. Validate does not check title and body,
// which news.Story.Validate and Publishable do.
func Validate(s *news.Story) error {
	if s.Kind != news.KindNotice {
		return nil
	}
	f := map[string]string{}
	n := s.Notice
	if n == nil {
		n = &news.NoticeInfo{}
	}
	k := Kind(n.Kind)
	if !k.Valid() {
		f["kind"] = "公告类型必须是 " + kindList()
		return invalid(f)
	}
	date := func(key, label, v string, required bool) {
		if v == "" {
			if required {
				f[key] = "请填写" + label
			}
			return
		}
		if _, ok := ParseDate(v); !ok {
			f[key] = label + "格式应为 YYYY-MM-DD，且须是真实日期"
		}
	}
	text := func(key, label, v string, required bool, max int) {
		switch {
		case v == "" && required:
			f[key] = "请填写" + label
		case utf8.RuneCountInString(v) > max:
			f[key] = fmt.Sprintf("%s最多 %d 个字", label, max)
		}
	}
	list := func(key, label string, v []string, required bool) {
		if len(v) == 0 && required {
			f[key] = "请至少填写一个" + label
		}
		if len(v) > 20 {
			f[key] = label + "最多 20 个"
		}
		for _, x := range v {
			if utf8.RuneCountInString(x) > maxName {
				f[key] = fmt.Sprintf("每个%s最多 %d 个字", label, maxName)
			}
		}
	}
	creditCode := func(required bool) {
		if n.CreditCode == "" && !required {
			return
		}
		if msg := CheckCreditCode(n.CreditCode); msg != "" {
			f["credit_code"] = msg
		}
	}
	phones := func(required bool) {
		if len(n.Phones) == 0 && required {
			f["phones"] = "请填写联系电话"
		}
		for _, p := range n.Phones {
			if !phoneRE.MatchString(width.Fold.String(p)) {
				f["phones"] = "联系电话「" + p + "」格式不正确（手机 11 位，座机如 0358-8253111）"
				break
			}
		}
	}

	// Fields every kind may carry.
	if n.Email != "" {
		if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || !strings.Contains(n.Email[strings.Index(n.Email, "@"):], ".") {
			f["email"] = "电子邮箱格式不正确"
		}
	}
	text("address", "地址", n.Address, false, maxField)
	text("contact", "联系人", n.Contact, false, maxName)
	phones(false)
	date("period_start", "公示开始日期", n.PeriodStart, false)
	date("period_end", "公示截止日期", n.PeriodEnd, false)
	if a, ok := ParseDate(n.PeriodStart); ok {
		if b, ok := ParseDate(n.PeriodEnd); ok && b.Before(a) {
			f["period_end"] = "公示截止日期不能早于开始日期"
		}
	}
	if n.DocNumber != "" && !docNumberRE.MatchString(n.DocNumber) {
		f["doc_number"] = "文号格式应为「机关代字〔年份〕序号号」，如 吕政发〔2023〕12号"
	}
	list("issuers", "发布单位", n.Issuers, true)

	switch k {
	case Gov:
		date("signed_date", "成文日期", n.IssuedOn, true)
		list("addressees", "主送机关", n.Addressees, false)
		text("signature", "署名", n.Signature, false, maxField)
		for _, a := range n.Attachments {
			switch {
			case a.Title == "":
				f["attachments"] = "每个附件须有标题"
			case !strings.HasSuffix(strings.ToLower(a.URL), ".pdf") || !(strings.HasPrefix(a.URL, "/") || strings.HasPrefix(a.URL, "https://") || strings.HasPrefix(a.URL, "http://")):
				f["attachments"] = "附件「" + a.Title + "」须是 PDF 文件的网址（以 .pdf 结尾）"
			case a.SHA256 != "" && !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(a.SHA256):
				f["attachments"] = "附件「" + a.Title + "」的 SHA-256 应为 64 位十六进制"
			}
		}
	case Tender:
		text("project_name", "项目名称", n.ProjectName, true, maxField)
		text("project_number", "项目编号", n.ProjectNumber, false, maxName)
		text("agency", "代理机构", n.Agency, false, maxName)
		if n.Budget != "" {
			if _, ok := ParseMoney(n.Budget); !ok {
				f["budget"] = "预算金额应写成「120万元」或「1200000元」"
			}
		}
		if n.BidDeadline == "" {
			f["bid_deadline"] = "请填写投标截止时间"
		} else if !dateTimeRE.MatchString(n.BidDeadline) {
			f["bid_deadline"] = "投标截止时间格式应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM"
		} else if _, ok := ParseDate(n.BidDeadline[:10]); !ok {
			f["bid_deadline"] = "投标截止时间不是真实日期"
		}
		text("contact", "联系人", n.Contact, true, maxName)
		phones(true)
	case CapitalReduction, Deregistration, Liquidation, Merger:
		text("company", "公司名称", n.Company, true, maxName)
		creditCode(true)
		text("contact", "联系人", n.Contact, true, maxName)
		phones(true)
		if k == CapitalReduction {
			before, okB := ParseMoney(n.CapitalBefore)
			after, okA := ParseMoney(n.CapitalAfter)
			switch {
			case n.CapitalBefore == "":
				f["capital_before"] = "请填写减资前注册资本"
			case !okB:
				f["capital_before"] = "注册资本应写成「1000万元」或「10000000元」"
			}
			switch {
			case n.CapitalAfter == "":
				f["capital_after"] = "请填写减资后注册资本"
			case !okA:
				f["capital_after"] = "注册资本应写成「500万元」或「5000000元」"
			case after <= 0:
				f["capital_after"] = "减资后注册资本须大于零"
			case okB && after >= before:
				f["capital_after"] = "减资后注册资本须少于减资前（" + n.CapitalBefore + "）"
			}
		}
		date("resolution_date", "决议日期", n.ResolutionDate, k == CapitalReduction || k == Merger)
		if k == Merger {
			list("parties", "合并/分立的其他公司", n.Parties, true)
		}
	case Lost:
		text("holder", "持有人（遗失单位或个人）", n.Holder, true, maxName)
		text("lost_item", "遗失物品", n.LostItem, true, maxName)
		text("lost_number", "遗失证件编号", n.LostNumber, true, maxName)
		creditCode(false)
	case Correction:
		switch {
		case n.Corrects == "":
			f["corrects"] = "请填写被更正公告的编号"
		case !ValidNumber(n.Corrects):
			f["corrects"] = "被更正公告的编号格式应为 " + Prefix + "-2023-000123"
		}
	}
	if len(f) > 0 {
		return invalid(f)
	}
	return nil
}

func kindList() string {
	var s []string
	for _, k := range Kinds {
		s = append(s, string(k))
	}
	return strings.Join(s, "、")
}

// errorKeys is the order in which the error summary names the fields.
var errorKeys = []string{"kind", "issuers", "signed_date", "doc_number", "company", "credit_code", "capital_before",
	"capital_after", "resolution_date", "parties", "project_name", "bid_deadline", "holder", "lost_item",
	"lost_number", "corrects", "contact", "phones", "email", "address", "period_start", "period_end",
	"addressees", "signature", "attachments", "budget", "agency", "project_number", "publish_date"}

// invalid builds the validation error. Its message lists every wrong or
// missing field, in a fixed order, so a reviewer reads all that is to fix
// at once rather than one field per try.
func invalid(f map[string]string) error {
	var msgs []string
	for _, k := range errorKeys {
		if m, ok := f[k]; ok {
			msgs = append(msgs, m)
		}
	}
	var rest []string
	for k, m := range f {
		if !slices.Contains(errorKeys, k) {
			rest = append(rest, m)
		}
	}
	slices.Sort(rest)
	msgs = append(msgs, rest...)
	msg := "公告有需要修改的地方：" + strings.Join(msgs, "；")
	if len(msgs) > 1 {
		msg = fmt.Sprintf("公告有 %d 处需要修改：%s", len(msgs), strings.Join(msgs, "；"))
	}
	return &news.Error{Code: news.EINVALID, Message: msg + "。", Fields: f}
}

// Check is Validate together with the rules that depend on the publication
// date (CheckDates), as if the notice were published at at: what the desk
// checks when a notice is filed, saved, submitted and at each sign-off, so
// that nothing is found first at 签发. All problems come in one error.
func Check(s *news.Story, at time.Time) error {
	if s.Kind != news.KindNotice {
		return nil
	}
	f := map[string]string{}
	if err := Validate(s); err != nil {
		f = maps.Clone(news.ErrorFields(err))
		if _, bad := f["kind"]; bad {
			return err
		}
	}
	for k, m := range CheckDates(s, at) {
		if _, ok := f[k]; !ok {
			f[k] = m
		}
	}
	if len(f) > 0 {
		return invalid(f)
	}
	return nil
}
