package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"newsroom/internal/notice"
)

// kindOption is one entry of the notice form's kind select.
type kindOption struct {
	Value string
	Label string
}

// noticeKinds lists the notice kinds with the labels internal/notice gives.
func noticeKinds() []kindOption {
	out := make([]kindOption, 0, len(notice.Kinds))
	for _, k := range notice.Kinds {
		out = append(out, kindOption{Value: string(k), Label: k.Label()})
	}
	return out
}

// noticeFormData is the notice form: the notice as typed, field errors
// (keyed by the API's snake_case names), and on a conflicting save the
// version someone else saved in between.
type noticeFormData struct {
	Story   *news.Story
	Notice  *news.NoticeInfo
	Base    int
	Errors  map[string]string
	Message string
	Current *news.Story // set when the save conflicted
	Kinds   []kindOption
	Others  []string // who else has this notice open (presence)
	// Autosave is the user's autosaved copy of the form, offered back
	// (AutosaveStale: the notice was saved since it was typed); Restored
	// says the form holds it.
	Autosave      *news.Autosave
	AutosaveStale bool
	Restored      bool
}

// FormID is the form's name in the autosave routes and the browser's
// copy: the notice's id, or new.
func (d *noticeFormData) FormID() string {
	if d.Story.ID > 0 {
		return strconv.FormatInt(d.Story.ID, 10)
	}
	return "new"
}

// noticeForm builds the form's data for s, making sure the template always
// has a NoticeInfo to read.
func noticeForm(s *news.Story, base int) *noticeFormData {
	if s.Notice == nil {
		s.Notice = &news.NoticeInfo{}
	}
	return &noticeFormData{Story: s, Notice: s.Notice, Base: base, Kinds: noticeKinds()}
}

// noticeFromForm reads the notice form into the same noticeInput the API
// decodes, so that apply and the desk's validation are shared. Every field
// of the form is set (an emptied field clears it); lists are one entry per
// line, attachments one per line as 「标题 | 网址 | SHA-256」.
func noticeFromForm(r *http.Request) *noticeInput {
	r.ParseForm()
	return noticeFromValues(r.PostForm)
}

// noticeFromValues reads the notice form's fields (a form post, or the
// fields an autosave kept).
func noticeFromValues(f url.Values) *noticeInput {
	str := func(key string) *string {
		v := strings.TrimSpace(f.Get(key))
		return &v
	}
	list := func(key string) *[]string {
		v := splitLines(f.Get(key))
		for i := range v {
			v[i] = strings.TrimSpace(v[i])
		}
		return &v
	}
	in := &noticeInput{
		Kind: str("kind"), Title: str("title"), Subtitle: str("subtitle"), Section: str("section"),
		Edition: str("edition"), PageName: str("page_name"),
		Issuers: list("issuers"), DocNumber: str("doc_number"), SignedDate: str("signed_date"),
		Signature: str("signature"), Addressees: list("addressees"),
		ProjectName: str("project_name"), ProjectNumber: str("project_number"), Agency: str("agency"),
		Budget: str("budget"), BidDeadline: str("bid_deadline"),
		Company: str("company"), CreditCode: str("credit_code"), CapitalBefore: str("capital_before"),
		CapitalAfter: str("capital_after"), ResolutionDate: str("resolution_date"), Parties: list("parties"),
		Holder: str("holder"), LostItem: str("lost_item"), LostNumber: str("lost_number"),
		Contact: str("contact"), Phones: list("phones"), Email: str("email"), Address: str("address"),
		PeriodStart: str("period_start"), PeriodEnd: str("period_end"), Corrects: str("corrects"),
	}
	body := f.Get("body")
	in.Body = &body
	page, _ := strconv.Atoi(strings.TrimSpace(f.Get("page")))
	in.Page = &page
	atts := []news.Attachment{}
	for _, line := range strings.Split(f.Get("attachments"), "\n") {
		parts := strings.Split(line, "|")
		if strings.TrimSpace(line) == "" {
			continue
		}
		a := news.Attachment{Title: strings.TrimSpace(parts[0])}
		if len(parts) > 1 {
			a.URL = strings.TrimSpace(parts[1])
		}
		if len(parts) > 2 {
			a.SHA256 = strings.TrimSpace(parts[2])
		}
		atts = append(atts, a)
	}
	in.Attachments = &atts
	if v, err := strconv.Atoi(f.Get("version")); err == nil {
		in.Version = &v
	}
	return in
}

// newNotice shows an empty notice form.
func (a *Admin) newNotice(w http.ResponseWriter, r *http.Request) error {
	s := &news.Story{Kind: news.KindNotice, Section: notice.Section, Notice: &news.NoticeInfo{}}
	s.Notice.Kind = string(notice.Gov)
	d := noticeForm(s, 0)
	a.offerNoticeAutosave(r, d, news.NewNotice, 0)
	return a.render(w, r, "notice", "登公告", d)
}

// createNotice files the form's notice as a draft and shows its story page.
func (a *Admin) createNotice(w http.ResponseWriter, r *http.Request) error {
	s := &news.Story{Kind: news.KindNotice, Section: notice.Section}
	noticeFromForm(r).apply(s)
	if err := a.cfg.Desk.Create(r.Context(), userOf(r), s); err != nil {
		if news.ErrorCode(err) != news.EINVALID {
			return err
		}
		d := noticeForm(s, 0)
		d.Errors, d.Message = news.ErrorFields(err), news.ErrorMessage(err)
		return a.renderStatus(w, r, http.StatusBadRequest, "notice", &page{Title: "登公告", Data: d})
	}
	a.dropAutosave(r, news.NewNotice)
	http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(s.ID, 10)+"?saved=notice-new&msg="+urlQuery("公告已保存为草稿。"), http.StatusSeeOther)
	return nil
}

// getNotice loads story id for the current user and checks it is a notice.
func (a *Admin) getNotice(r *http.Request, id int64) (*news.Story, error) {
	s, err := a.cfg.Desk.Get(r.Context(), userOf(r), id)
	if err != nil {
		return nil, err
	}
	if s.Kind != news.KindNotice {
		return nil, news.Errorf(news.ENOTFOUND, "公告不存在。")
	}
	return s, nil
}

// editNotice shows the notice form for a notice not yet published.
func (a *Admin) editNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	s, err := a.getNotice(r, id)
	if err != nil {
		return err
	}
	u := userOf(r)
	if err := editPublishedOrForbidden(u, s); err != nil {
		return err
	}
	a.presence.see(id, u.Name)
	d := noticeForm(s, s.Version)
	d.Others = a.presence.others(id, u.Name)
	a.offerNoticeAutosave(r, d, id, s.Version)
	return a.render(w, r, "notice", "修改公告", d)
}

// saveNotice saves the notice form onto notice id, with the form's version
// as the base: a stale one re-renders the form with 409 and the current
// version, a bad field with 400 and the field's message.
func (a *Admin) saveNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	s, err := a.getNotice(r, id)
	if err != nil {
		return err
	}
	in := noticeFromForm(r)
	base := s.Version
	if in.Version != nil {
		base = *in.Version
	}
	in.apply(s)
	updated, err := a.cfg.Desk.UpdateNoted(r.Context(), userOf(r), s, base, nil)
	switch news.ErrorCode(err) {
	case "":
		a.dropAutosave(r, id)
		http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(id, 10)+"?saved=notice-"+strconv.FormatInt(id, 10)+"&msg="+urlQuery("公告已保存。"), http.StatusSeeOther)
		return nil
	case news.EINVALID:
		d := noticeForm(s, base)
		d.Errors, d.Message = news.ErrorFields(err), news.ErrorMessage(err)
		return a.renderStatus(w, r, http.StatusBadRequest, "notice", &page{Title: "修改公告", Data: d})
	case news.ECONFLICT:
		return a.noticeConflict(w, r, s, base, err)
	default:
		if updated != nil {
			http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(id, 10)+"?msg="+urlQuery(news.ErrorMessage(err)), http.StatusSeeOther)
			return nil
		}
		// Refused: the form comes back with what was typed.
		d := noticeForm(s, base)
		d.Message = news.ErrorMessage(err)
		return a.renderStatus(w, r, httpx.Status(err), "notice", &page{Title: "修改公告", Data: d})
	}
}

// editPublishedOrForbidden refuses the notice form to whoever could not
// save it: a published notice is never edited, and a user the desk would
// refuse (a reporter once the notice is in review) is not shown a form.
func editPublishedOrForbidden(u *news.User, s *news.Story) error {
	if s.Notice != nil && s.Notice.Number != "" || s.State.Live() || s.State == news.StateWithdrawn {
		return news.Errorf(news.ECONFLICT, "已发布的公告不能修改；如需更正，请另发更正公告。")
	}
	return news.Permit(u, news.ActEdit, s, s.Chain)
}

// noticeConflict answers a conflicting save: when someone saved in
// between, the form comes back (409) with what this user typed, the
// current version beside it and that version as the new base; a state
// conflict (published meanwhile) is shown as an error page.
func (a *Admin) noticeConflict(w http.ResponseWriter, r *http.Request, mine *news.Story, base int, err error) error {
	cur, gerr := a.getNotice(r, mine.ID)
	if gerr != nil {
		return gerr
	}
	if cur.Version == base {
		// A state conflict (published meanwhile): the form comes back
		// with what was typed and the reason.
		d := noticeForm(mine, base)
		d.Message = news.ErrorMessage(err)
		return a.renderStatus(w, r, http.StatusConflict, "notice", &page{Title: "修改公告", Data: d})
	}
	d := noticeForm(mine, cur.Version)
	d.Current, d.Message = cur, news.ErrorMessage(err)
	d.Others = a.presence.others(mine.ID, userOf(r).Name)
	return a.renderStatus(w, r, http.StatusConflict, "notice", &page{Title: "修改公告", Data: d})
}

// formField is one labelled field of the notice form.
type formField struct {
	Key      string // the form name, the element id and the API field name
	Label    string
	Value    string
	Error    string
	Required bool
	Area     bool   // a textarea of one entry per line
	Type     string // input type: text, date …
	Hint     string
}

// F is a one-line text field for the template; req marks it 必填.
func (d *noticeFormData) F(key, label, value string, req bool) formField {
	return formField{Key: key, Label: label, Value: value, Error: d.Errors[key], Required: req, Type: "text"}
}

// D is a date field (YYYY-MM-DD) for the template.
func (d *noticeFormData) D(key, label, value string, req bool) formField {
	f := d.F(key, label, value, req)
	f.Type = "date"
	return f
}

// L is a list field, one entry per line, for the template.
func (d *noticeFormData) L(key, label string, value []string, req bool) formField {
	f := d.F(key, label, strings.Join(value, "\n"), req)
	f.Area = true
	f.Hint = "每行一个"
	return f
}

// AttachmentLines is the attachments as the form shows them, one per line.
func (d *noticeFormData) AttachmentLines() []string {
	var out []string
	for _, a := range d.Notice.Attachments {
		out = append(out, strings.TrimRight(a.Title+" | "+a.URL+" | "+a.SHA256, " |"))
	}
	return out
}
