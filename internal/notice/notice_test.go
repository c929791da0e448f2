package notice

import (
	"strings"
	"testing"
	"time"

	"newsroom/internal/news"
)

func TestCreditCode(t *testing.T) {
	for _, c := range []string{
		"91350100M000100Y43", // the example of GB 32100-2015
		"91110000600037341L",
		"91141100MA0L1B2C3B",
	} {
		if msg := CheckCreditCode(c); msg != "" {
			t.Errorf("%s: %s", c, msg)
		}
	}
	if got := NormalizeCreditCode(" ９１３５０１００ｍ０００１００ｙ４３ "); got != "91350100M000100Y43" {
		t.Errorf("normalize: %q", got)
	}
	for code, want := range map[string]string{
		"":                    "请填写",
		"91350100M000100Y4":   "18 位",
		"91350100M000100Y44":  "校验位",
		"91350100M000100I43":  "不是有效字符",
		"913501O0M000100Y43":  "不是有效字符",
		"9135A100M000100Y43":  "行政区划",
		"91350100M000100Y433": "18 位",
	} {
		if msg := CheckCreditCode(code); !strings.Contains(msg, want) {
			t.Errorf("%q: got %q, want it to mention %q", code, msg, want)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]int64{"1000万元": 1_000_000_000, "500.5万元": 500_500_000, "3000000元": 300_000_000,
		"人民币200万元": 200_000_000, "１,０００万元": 1_000_000_000, "12.34元": 1234} {
		if got, ok := ParseMoney(in); !ok || got != want {
			t.Errorf("%s: %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"1000", "一千万元", "10万美元", "-5万元", ""} {
		if _, ok := ParseMoney(in); ok {
			t.Errorf("%q parsed", in)
		}
	}
}

// good returns a valid notice of kind k.
func good(k Kind) *news.Story {
	s := &news.Story{Kind: news.KindNotice, Title: "公告", Body: "正文。", Notice: &news.NoticeInfo{}}
	n := s.Notice
	n.Kind = string(k)
	switch k {
	case Gov:
		n.Issuers, n.IssuedOn, n.DocNumber = []string{"吕梁市人民政府"}, "2023-05-08", "吕政发〔2023〕12号"
		n.Attachments = []news.Attachment{{Title: "实施细则", URL: "/files/x.pdf"}}
		n.Phones, n.Email = []string{"0358-8253111", "12345 政务服务热线"}, "llstszx@163.com"
	case Tender:
		n.Issuers, n.ProjectName, n.BidDeadline, n.Contact = []string{"吕梁市教育局"}, "校舍维修", "2023-07-10 09:30", "王先生"
		n.Phones, n.Budget = []string{"13812345678"}, "120万元"
	case CapitalReduction, Deregistration, Liquidation, Merger:
		n.Company, n.CreditCode, n.Contact, n.Phones = "吕梁示例有限公司", "91350100m000100y43", "李女士", []string{"0358-1234567"}
		if k == CapitalReduction {
			n.CapitalBefore, n.CapitalAfter, n.ResolutionDate = "1000万元", "500万元", "2023-06-01"
		}
		if k == Merger {
			n.ResolutionDate, n.Parties = "2023-06-01", []string{"吕梁另一有限公司"}
		}
	case Lost:
		n.Holder, n.LostItem, n.LostNumber = "张三", "营业执照副本", "91350100M000100Y43"
	case Correction:
		n.Corrects, n.Issuers = "llrb-2023-000001", []string{"吕梁示例有限公司"}
	}
	return s
}

func TestValidateGood(t *testing.T) {
	for _, k := range Kinds {
		s := good(k)
		Prepare(s)
		if err := Validate(s); err != nil {
			t.Errorf("%s: %v %v", k, err, news.ErrorFields(err))
		}
		if len(s.Notice.Issuers) == 0 {
			t.Errorf("%s: no issuers after Prepare", k)
		}
		if s.Section != Section {
			t.Errorf("%s: section %q", k, s.Section)
		}
	}
	s := good(CapitalReduction)
	Prepare(s)
	if s.Notice.CreditCode != "91350100M000100Y43" || s.Notice.Issuers[0] != "吕梁示例有限公司" {
		t.Errorf("prepare: %+v", s.Notice)
	}
}

func TestValidateBad(t *testing.T) {
	cases := []struct {
		kind  Kind
		edit  func(n *news.NoticeInfo)
		field string
	}{
		{Gov, func(n *news.NoticeInfo) { n.Kind = "ad" }, "kind"},
		{Gov, func(n *news.NoticeInfo) { n.Issuers = nil }, "issuers"},
		{Gov, func(n *news.NoticeInfo) { n.IssuedOn = "" }, "signed_date"},
		{Gov, func(n *news.NoticeInfo) { n.IssuedOn = "2023-02-30" }, "signed_date"},
		{Gov, func(n *news.NoticeInfo) { n.DocNumber = "第12号" }, "doc_number"},
		{Gov, func(n *news.NoticeInfo) { n.Attachments[0].URL = "/files/x.doc" }, "attachments"},
		{Gov, func(n *news.NoticeInfo) { n.Phones = []string{"12"} }, "phones"},
		{Gov, func(n *news.NoticeInfo) { n.Email = "not-an-email" }, "email"},
		{Gov, func(n *news.NoticeInfo) { n.PeriodStart, n.PeriodEnd = "2023-06-10", "2023-06-01" }, "period_end"},
		{Tender, func(n *news.NoticeInfo) { n.ProjectName = "" }, "project_name"},
		{Tender, func(n *news.NoticeInfo) { n.BidDeadline = "下周一" }, "bid_deadline"},
		{Tender, func(n *news.NoticeInfo) { n.Budget = "很多" }, "budget"},
		{Tender, func(n *news.NoticeInfo) { n.Phones = nil }, "phones"},
		{CapitalReduction, func(n *news.NoticeInfo) { n.CreditCode = "91350100M000100Y44" }, "credit_code"},
		{CapitalReduction, func(n *news.NoticeInfo) { n.Company, n.Issuers = "", nil }, "company"},
		{CapitalReduction, func(n *news.NoticeInfo) { n.CapitalAfter = "2000万元" }, "capital_after"},
		{CapitalReduction, func(n *news.NoticeInfo) { n.CapitalBefore = "1000" }, "capital_before"},
		{CapitalReduction, func(n *news.NoticeInfo) { n.CapitalAfter = "" }, "capital_after"},
		{CapitalReduction, func(n *news.NoticeInfo) { n.ResolutionDate = "" }, "resolution_date"},
		{CapitalReduction, func(n *news.NoticeInfo) { n.Contact = "" }, "contact"},
		{Deregistration, func(n *news.NoticeInfo) { n.CreditCode = "" }, "credit_code"},
		{Liquidation, func(n *news.NoticeInfo) { n.Phones = []string{"电话"} }, "phones"},
		{Merger, func(n *news.NoticeInfo) { n.Parties = nil }, "parties"},
		{Lost, func(n *news.NoticeInfo) { n.LostItem = "" }, "lost_item"},
		{Lost, func(n *news.NoticeInfo) { n.LostNumber = "" }, "lost_number"},
		{Lost, func(n *news.NoticeInfo) { n.Holder, n.Issuers = "", nil }, "holder"},
		{Lost, func(n *news.NoticeInfo) { n.CreditCode = "123" }, "credit_code"},
		{Correction, func(n *news.NoticeInfo) { n.Corrects = "" }, "corrects"},
		{Correction, func(n *news.NoticeInfo) { n.Corrects = "2023-1" }, "corrects"},
	}
	for _, c := range cases {
		s := good(c.kind)
		c.edit(s.Notice)
		Prepare(s)
		err := Validate(s)
		f := news.ErrorFields(err)
		if news.ErrorCode(err) != news.EINVALID || f[c.field] == "" {
			t.Errorf("%s/%s: got %v %v", c.kind, c.field, err, f)
			continue
		}
		if !strings.Contains(news.ErrorMessage(err), "公告") {
			t.Errorf("%s/%s: message %q", c.kind, c.field, news.ErrorMessage(err))
		}
	}
}

func day(s string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", s, news.Shanghai)
	return t
}

func TestDeadlines(t *testing.T) {
	for _, c := range []struct{ pub, want string }{
		{"2023-01-15 08:00", "2023-03-01"}, // across February of a common year
		{"2024-01-15 08:00", "2024-02-29"}, // leap day
		{"2024-01-16 23:59", "2024-03-01"},
		{"2023-12-20 06:00", "2024-02-03"}, // across the year end
		{"2023-06-08 06:00", "2023-07-23"},
		{"2023-01-31 06:00", "2023-03-17"},
	} {
		if got := AddDays(day(c.pub), ClaimDays(CapitalReduction)); got != c.want {
			t.Errorf("%s + 45: %s, want %s", c.pub, got, c.want)
		}
	}
	// A publication late in the evening UTC is the next day in Shanghai.
	if got := AddDays(time.Date(2024, 1, 14, 17, 0, 0, 0, time.UTC), 45); got != "2024-02-29" {
		t.Errorf("UTC evening: %s", got)
	}
	if ClaimDays(Gov) != 0 || ClaimDays(Lost) != 0 || ClaimDays(Deregistration) != 45 || ClaimDays(Merger) != 45 {
		t.Error("claim days")
	}

	n := &news.NoticeInfo{}
	n.PeriodStart, n.ClaimDeadline = "2024-01-15", "2024-02-29"
	for now, want := range map[string]Status{
		"2024-01-14 12:00": {State: "pending", DaysLeft: 46},
		"2024-01-15 08:00": {State: "open", DaysLeft: 45},
		"2024-02-28 23:59": {State: "open", DaysLeft: 1},
		"2024-02-29 23:59": {State: "open", DaysLeft: 0},
		"2024-03-01 00:00": {State: "closed"},
	} {
		got := StatusAt(n, day(now))
		if got.State != want.State || got.DaysLeft != want.DaysLeft {
			t.Errorf("%s: %+v, want %+v", now, got, want)
		}
	}
	if st := StatusAt(n, day("2024-02-20 09:00")); st.Label != "公示中" || !strings.Contains(st.Text, "还剩 9 天") {
		t.Errorf("text: %+v", st)
	}
	if st := StatusAt(n, day("2024-03-02 09:00")); st.Label != "已截止" {
		t.Errorf("closed label: %+v", st)
	}
	if st := StatusAt(&news.NoticeInfo{}, day("2024-03-02 09:00")); st.State != "none" {
		t.Errorf("no period: %+v", st)
	}
}

func TestSeal(t *testing.T) {
	pub := day("2024-01-15 06:00")
	s := good(CapitalReduction)
	s.Title, s.Body = "吕梁示例有限公司减资公告", "经股东会决议，本公司注册资本由1000万元减至500万元。\n\n请债权人自本公告之日起四十五日内申报债权。"
	s.Edition, s.Page = "2024-01-15", 3
	rec, err := Seal(s, pub, 123)
	if err != nil {
		t.Fatal(err)
	}
	n := s.Notice
	if n.Number != "LLRB-2024-000123" || rec.Number != n.Number {
		t.Errorf("number %q", n.Number)
	}
	if n.ClaimDeadline != "2024-02-29" || n.PeriodStart != "2024-01-15" || n.PeriodEnd != "2024-02-29" || rec.End != "2024-02-29" {
		t.Errorf("period %+v", n.NoticeFields)
	}
	if len(n.Fingerprint) != 64 || n.Fingerprint != Fingerprint(rec.Canonical) {
		t.Errorf("fingerprint %q", n.Fingerprint)
	}
	wantStart := "newsroom-notice-v1\nnumber: LLRB-2024-000123\nkind: capital-reduction\npublished: 2024-01-15\nedition: 2024-01-15\npage: 3\ntitle: 吕梁示例有限公司减资公告\n"
	if !strings.HasPrefix(rec.Canonical, wantStart) || !strings.HasSuffix(rec.Canonical, "body:\n经股东会决议，本公司注册资本由1000万元减至500万元。\n请债权人自本公告之日起四十五日内申报债权。\n") {
		t.Errorf("canonical text:\n%s", rec.Canonical)
	}
	if !strings.Contains(rec.Canonical, "\ncredit_code: 91350100M000100Y43\ncapital_before: 1000万元\ncapital_after: 500万元\n") {
		t.Errorf("fields out of order:\n%s", rec.Canonical)
	}
	pubAt := pub
	s.PublishedAt = &pubAt
	if !Verify(s) {
		t.Error("Verify of the sealed notice failed")
	}
	// The canonical text is a fixed point of NormalizeText, and spacing
	// changes do not change the fingerprint.
	if NormalizeText(rec.Canonical) != rec.Canonical {
		t.Error("canonical text not normalized")
	}
	messy := strings.ReplaceAll(strings.ReplaceAll(rec.Canonical, "\n", "\r\n\r\n"), ": ", ":\u3000 ")
	if Fingerprint(NormalizeText(messy)) != n.Fingerprint {
		t.Error("spacing changed the fingerprint")
	}
	// NFC: a decomposed character hashes like the composed one.
	if Fingerprint(NormalizeText("e\u0301")) != Fingerprint(NormalizeText("\u00e9")) {
		t.Error("NFC")
	}
	// Tampering: one character of the body, of a field, or the date.
	for name, tamper := range map[string]func(s *news.Story){
		"body":    func(s *news.Story) { s.Body = strings.Replace(s.Body, "500万元", "600万元", 1) },
		"capital": func(s *news.Story) { s.Notice.CapitalAfter = "600万元" },
		"title":   func(s *news.Story) { s.Title += "（修订）" },
		"date":    func(s *news.Story) { d := pub.Add(24 * time.Hour); s.PublishedAt = &d },
	} {
		c := *s
		nn := *s.Notice
		c.Notice = &nn
		tamper(&c)
		if Verify(&c) {
			t.Errorf("tampered %s still verifies", name)
		}
	}
	if LooseKey("第一段。\n第二段。") != LooseKey("第一段。 第二段。") {
		t.Error("loose key should ignore white space")
	}
	// A sealed notice cannot be sealed again.
	if _, err := Seal(s, pub, 124); news.ErrorCode(err) != news.ECONFLICT {
		t.Errorf("second seal: %v", err)
	}
}

func TestSealChecksDates(t *testing.T) {
	s := good(Tender)
	if _, err := Seal(s, day("2023-06-25 06:00"), 1); news.ErrorFields(err)["bid_deadline"] == "" {
		t.Errorf("tender under 20 days: %v", err)
	}
	if s.Notice.Number != "" {
		t.Error("number kept after a failed seal")
	}
	s = good(Tender) // 2023-06-20 + 20 = 2023-07-10
	if _, err := Seal(s, day("2023-06-20 06:00"), 1); err != nil {
		t.Errorf("tender exactly 20 days: %v", err)
	}
	s = good(CapitalReduction)
	if _, err := Seal(s, day("2023-05-30 06:00"), 1); news.ErrorFields(err)["resolution_date"] == "" {
		t.Errorf("resolution after publication: %v", err)
	}
	s = good(Gov)
	s.Notice.PeriodEnd = "2023-06-01"
	if _, err := Seal(s, day("2023-06-08 06:00"), 1); news.ErrorFields(err)["period_end"] == "" {
		t.Errorf("period over before publication: %v", err)
	}
	s = good(Gov)
	s.Notice.PeriodEnd = "2023-06-18"
	if _, err := Seal(s, day("2023-06-08 06:00"), 7); err != nil || s.Notice.PeriodStart != "2023-06-08" || s.Notice.Number != "LLRB-2023-000007" {
		t.Errorf("gov period: %v %+v", err, s.Notice)
	}
}
