package admin

import (
	"net/http"
	"strconv"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"newsroom/internal/notice"
)

// noticeInput is a notice in the API, flat: the notice's kind and the
// kind's fields in snake_case next to title and body (docs/api.md). It
// becomes a news.Story of kind notice whose NoticeInfo holds the fields.
type noticeInput struct {
	Kind     *string   `json:"kind"` // gov, tender, capital-reduction, …
	Title    *string   `json:"title"`
	Subtitle *string   `json:"subtitle"`
	Body     *string   `json:"body"`
	Section  *string   `json:"section"`
	Tags     *[]string `json:"tags"`
	Edition  *string   `json:"edition"`
	Page     *int      `json:"page"`
	PageName *string   `json:"page_name"`
	Version  *int      `json:"version"`

	Issuers        *[]string          `json:"issuers"`
	DocNumber      *string            `json:"doc_number"`
	SignedDate     *string            `json:"signed_date"`
	Signature      *string            `json:"signature"`
	Addressees     *[]string          `json:"addressees"`
	Attachments    *[]news.Attachment `json:"attachments"`
	ProjectName    *string            `json:"project_name"`
	ProjectNumber  *string            `json:"project_number"`
	Agency         *string            `json:"agency"`
	Budget         *string            `json:"budget"`
	BidDeadline    *string            `json:"bid_deadline"`
	Company        *string            `json:"company"`
	CreditCode     *string            `json:"credit_code"`
	CapitalBefore  *string            `json:"capital_before"`
	CapitalAfter   *string            `json:"capital_after"`
	ResolutionDate *string            `json:"resolution_date"`
	Parties        *[]string          `json:"parties"`
	Holder         *string            `json:"holder"`
	LostItem       *string            `json:"lost_item"`
	LostNumber     *string            `json:"lost_number"`
	Contact        *string            `json:"contact"`
	Phone          *string            `json:"phone"` // one number; added to phones
	Phones         *[]string          `json:"phones"`
	Email          *string            `json:"email"`
	Address        *string            `json:"address"`
	PeriodStart    *string            `json:"period_start"`
	PeriodEnd      *string            `json:"period_end"`
	Corrects       *string            `json:"corrects"`
}

// apply copies the fields present onto s (a notice).
func (in *noticeInput) apply(s *news.Story) {
	s.Kind = news.KindNotice
	if s.Notice == nil {
		s.Notice = &news.NoticeInfo{}
	}
	n := s.Notice
	setIf(&n.Kind, in.Kind)
	setIf(&s.Title, in.Title)
	setIf(&s.Subtitle, in.Subtitle)
	setIf(&s.Body, in.Body)
	setIf(&s.Section, in.Section)
	setIf(&s.Tags, in.Tags)
	setIf(&s.Edition, in.Edition)
	setIf(&s.PageName, in.PageName)
	setIf(&s.Page, in.Page)
	setIf(&n.Issuers, in.Issuers)
	setIf(&n.DocNumber, in.DocNumber)
	setIf(&n.IssuedOn, in.SignedDate)
	setIf(&n.Signature, in.Signature)
	setIf(&n.Addressees, in.Addressees)
	setIf(&n.Attachments, in.Attachments)
	setIf(&n.ProjectName, in.ProjectName)
	setIf(&n.ProjectNumber, in.ProjectNumber)
	setIf(&n.Agency, in.Agency)
	setIf(&n.Budget, in.Budget)
	setIf(&n.BidDeadline, in.BidDeadline)
	setIf(&n.Company, in.Company)
	setIf(&n.CreditCode, in.CreditCode)
	setIf(&n.CapitalBefore, in.CapitalBefore)
	setIf(&n.CapitalAfter, in.CapitalAfter)
	setIf(&n.ResolutionDate, in.ResolutionDate)
	setIf(&n.Parties, in.Parties)
	setIf(&n.Holder, in.Holder)
	setIf(&n.LostItem, in.LostItem)
	setIf(&n.LostNumber, in.LostNumber)
	setIf(&n.Contact, in.Contact)
	setIf(&n.Phones, in.Phones)
	if in.Phone != nil && *in.Phone != "" {
		n.Phones = append(n.Phones, *in.Phone)
	}
	setIf(&n.Email, in.Email)
	setIf(&n.Address, in.Address)
	setIf(&n.PeriodStart, in.PeriodStart)
	setIf(&n.PeriodEnd, in.PeriodEnd)
	setIf(&n.Corrects, in.Corrects)
}

// noticeJSON is a story in API answers; a published notice adds its
// number, fingerprint, verification URL and period status at the top level.
type noticeJSON struct {
	*news.Story
	Number      string `json:"number,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	VerifyURL   string `json:"verify_url,omitempty"`
	Status      string `json:"notice_status,omitempty"` // 公示中，还剩 N 天… / 已截止…
}

// storyJSON returns what the API answers for s.
func (a *Admin) storyJSON(s *news.Story) any {
	if s == nil || s.Kind != news.KindNotice || s.Notice == nil || s.Notice.Number == "" {
		return s
	}
	out := noticeJSON{Story: s, Number: s.Notice.Number, Fingerprint: s.Notice.Fingerprint,
		VerifyURL: "/verify/?q=" + s.Notice.Number}
	if st := a.cfg.Desk.NoticeStatus(s); st.State != "none" {
		out.Status = st.Text
	}
	return out
}

func (a *Admin) apiCreateNotice(w http.ResponseWriter, r *http.Request) error {
	var in noticeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	s := &news.Story{Kind: news.KindNotice, Section: notice.Section}
	in.apply(s)
	if err := a.cfg.Desk.Create(r.Context(), userOf(r), s); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/admin/stories/"+strconv.FormatInt(s.ID, 10))
	httpx.WriteJSON(w, http.StatusCreated, a.storyJSON(s))
	return nil
}

func (in *noticeInput) base() *int             { return in.Version }
func (in *noticeInput) note() *news.Correction { return nil }

// apiUpdateNotice edits a notice that is not yet published (a published
// one is immutable: the desk answers 409).
func (a *Admin) apiUpdateNotice(w http.ResponseWriter, r *http.Request) error {
	return a.update(w, r, &noticeInput{}, news.KindNotice)
}

func (a *Admin) apiGetNotice(w http.ResponseWriter, r *http.Request) error {
	s, err := a.storyOf(r)
	if err != nil {
		return err
	}
	if s.Kind != news.KindNotice {
		return news.Errorf(news.ENOTFOUND, "公告不存在。")
	}
	httpx.WriteJSON(w, http.StatusOK, a.storyJSON(s))
	return nil
}
