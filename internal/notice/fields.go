package notice

import (
	"strings"

	"newsroom/internal/news"
)

// Field is one field of a notice with its Chinese label, as reviewers see
// it beside the notice's text.
type Field struct {
	Key      string // the API's name (credit_code …)
	Label    string // 统一社会信用代码 …
	Value    string // lists joined with 、; "" when not filled in
	Required bool   // the kind needs it
}

// fieldLabels names every field of a notice in Chinese, in the order of the
// canonical text (docs/notices.md).
var fieldLabels = []struct{ key, label string }{
	{"issuers", "发布单位"}, {"doc_number", "文号"}, {"signed_date", "成文日期"}, {"signature", "署名"},
	{"addressees", "主送机关"}, {"attachments", "附件"},
	{"project_name", "项目名称"}, {"project_number", "项目编号"}, {"agency", "采购代理机构"}, {"budget", "预算金额"},
	{"bid_deadline", "投标截止时间"},
	{"company", "公司名称"}, {"credit_code", "统一社会信用代码"}, {"capital_before", "减资前注册资本"},
	{"capital_after", "减资后注册资本"}, {"resolution_date", "决议日期"}, {"parties", "合并/分立的其他公司"},
	{"holder", "持有人"}, {"lost_item", "遗失物品"}, {"lost_number", "遗失证件编号"},
	{"contact", "联系人"}, {"phones", "联系电话"}, {"email", "电子邮箱"}, {"address", "地址"},
	{"period_start", "公示开始日期"}, {"period_end", "公示截止日期"}, {"claim_deadline", "债权申报截止日期"},
	{"corrects", "被更正公告编号"},
}

// kindFields are the fields each kind shows even when empty: what it
// requires, and what it commonly carries (docs/notices.md).
var kindFields = map[Kind][]string{
	Gov:              {"issuers", "signed_date", "doc_number"},
	Tender:           {"issuers", "project_name", "bid_deadline", "contact", "phones"},
	CapitalReduction: {"company", "credit_code", "capital_before", "capital_after", "resolution_date", "contact", "phones"},
	Deregistration:   {"company", "credit_code", "contact", "phones"},
	Liquidation:      {"company", "credit_code", "contact", "phones"},
	Merger:           {"company", "credit_code", "parties", "resolution_date", "contact", "phones"},
	Lost:             {"holder", "lost_item", "lost_number"},
	Correction:       {"issuers", "corrects"},
}

// Fields lists the structured fields of notice s with their labels: every
// field its kind needs (empty ones too, so a missing one shows) and every
// other field that is filled in, in the order of the canonical text.
func Fields(s *news.Story) []Field {
	n := s.Notice
	if n == nil {
		n = &news.NoticeInfo{}
	}
	k := KindOf(s)
	var atts []string
	for _, a := range n.Attachments {
		atts = append(atts, strings.TrimRight(a.Title+" "+a.URL, " "))
	}
	values := map[string]string{
		"issuers": strings.Join(n.Issuers, "、"), "doc_number": n.DocNumber, "signed_date": n.IssuedOn,
		"signature": n.Signature, "addressees": strings.Join(n.Addressees, "、"), "attachments": strings.Join(atts, "、"),
		"project_name": n.ProjectName, "project_number": n.ProjectNumber, "agency": n.Agency, "budget": n.Budget,
		"bid_deadline": n.BidDeadline, "company": n.Company, "credit_code": n.CreditCode,
		"capital_before": n.CapitalBefore, "capital_after": n.CapitalAfter, "resolution_date": n.ResolutionDate,
		"parties": strings.Join(n.Parties, "、"), "holder": n.Holder, "lost_item": n.LostItem, "lost_number": n.LostNumber,
		"contact": n.Contact, "phones": strings.Join(n.Phones, "、"), "email": n.Email, "address": n.Address,
		"period_start": n.PeriodStart, "period_end": n.PeriodEnd, "claim_deadline": n.ClaimDeadline, "corrects": n.Corrects,
	}
	need := map[string]bool{}
	for _, key := range kindFields[k] {
		need[key] = true
	}
	var out []Field
	for _, f := range fieldLabels {
		if v := values[f.key]; v != "" || need[f.key] {
			out = append(out, Field{Key: f.key, Label: f.label, Value: v, Required: need[f.key]})
		}
	}
	return out
}
