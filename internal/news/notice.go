package news

// NoticeFields are the optional fields of a notice beyond the basic ones of
// NoticeInfo: the kind of notice and the fields that kind needs, its
// statutory period, and what publishing adds (number, fingerprint, links to
// corrections, withdrawal). They are embedded in NoticeInfo, so in JSON and
// in the content files they sit next to issuers and doc_number.
type NoticeFields struct {
	// Kind is the kind of notice: gov, tender, capital-reduction,
	// deregistration, liquidation, merger, lost or correction. Empty for
	// notices from before kinds existed (read as gov).
	Kind string `json:"kind,omitempty" yaml:"kind,omitempty"`

	// Government documents.
	Signature   string       `json:"signature,omitempty" yaml:"signature,omitempty"`     // 署名, when it differs from the issuers
	Addressees  []string     `json:"addressees,omitempty" yaml:"addressees,omitempty"`   // 主送
	Attachments []Attachment `json:"attachments,omitempty" yaml:"attachments,omitempty"` // 附件 (PDF)

	// Tenders (招标/采购公告).
	ProjectName   string `json:"project_name,omitempty" yaml:"project_name,omitempty"`
	ProjectNumber string `json:"project_number,omitempty" yaml:"project_number,omitempty"`
	Agency        string `json:"agency,omitempty" yaml:"agency,omitempty"` // 采购代理机构
	Budget        string `json:"budget,omitempty" yaml:"budget,omitempty"` // e.g. 120万元
	BidDeadline   string `json:"bid_deadline,omitempty" yaml:"bid_deadline,omitempty"`

	// Company notices (减资, 注销, 清算, 合并/分立).
	Company        string   `json:"company,omitempty" yaml:"company,omitempty"`
	CreditCode     string   `json:"credit_code,omitempty" yaml:"credit_code,omitempty"` // 统一社会信用代码
	CapitalBefore  string   `json:"capital_before,omitempty" yaml:"capital_before,omitempty"`
	CapitalAfter   string   `json:"capital_after,omitempty" yaml:"capital_after,omitempty"`
	ResolutionDate string   `json:"resolution_date,omitempty" yaml:"resolution_date,omitempty"` // YYYY-MM-DD
	Parties        []string `json:"parties,omitempty" yaml:"parties,omitempty"`                 // other companies of a merger

	// 遗失声明.
	Holder     string `json:"holder,omitempty" yaml:"holder,omitempty"`
	LostItem   string `json:"lost_item,omitempty" yaml:"lost_item,omitempty"`
	LostNumber string `json:"lost_number,omitempty" yaml:"lost_number,omitempty"`

	// Contact.
	Contact string `json:"contact,omitempty" yaml:"contact,omitempty"` // 联系人
	Address string `json:"address,omitempty" yaml:"address,omitempty"`

	// Statutory period (YYYY-MM-DD, inclusive). For company notices the
	// end is the creditors' claim deadline, computed at publication.
	PeriodStart   string `json:"period_start,omitempty" yaml:"period_start,omitempty"`
	PeriodEnd     string `json:"period_end,omitempty" yaml:"period_end,omitempty"`
	ClaimDeadline string `json:"claim_deadline,omitempty" yaml:"claim_deadline,omitempty"`

	// Links between a correction (更正公告) and the notice it corrects,
	// by notice number.
	Corrects    string   `json:"corrects,omitempty" yaml:"corrects,omitempty"`
	CorrectedBy []string `json:"corrected_by,omitempty" yaml:"corrected_by,omitempty"`

	// Set at publication: the permanent notice number and the SHA-256
	// fingerprint of the canonical text (docs/notices.md).
	Number      string `json:"number,omitempty" yaml:"number,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty" yaml:"fingerprint,omitempty"`
}

// Attachment is a file attached to a notice, normally a PDF.
type Attachment struct {
	Title  string `json:"title" yaml:"title"`
	URL    string `json:"url" yaml:"url"`
	SHA256 string `json:"sha256,omitempty" yaml:"sha256,omitempty"` // of the file, if known
}
