package news

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is what sort of item a story is.
type Kind string

// The kinds of item the paper publishes.
const (
	KindStory  Kind = "story"  // a news story
	KindPhoto  Kind = "photo"  // a photo story: picture, caption, credit
	KindNotice Kind = "notice" // an official notice (公告, 通知, 声明 …)
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindStory || k == KindPhoto || k == KindNotice }

// Label is the kind's name in the UI.
func (k Kind) Label() string {
	switch k {
	case KindPhoto:
		return "图片新闻"
	case KindNotice:
		return "公告"
	}
	return "新闻"
}

// State is where a story is in its life.
type State string

// The states of a story. A reporter's draft is submitted for review; it is
// in review once the first level signed it off, approved when every level
// of its section's chain did, and then scheduled or published. A reviewer
// may return it to its author with a comment at any point before it is
// published. A published story that got a correction note is corrected
// (still live); a live story can be withdrawn (撤稿). See workflow.go.
const (
	StateDraft     State = "draft"
	StateSubmitted State = "submitted"
	StateInReview  State = "in_review"
	StateReturned  State = "returned"
	StateApproved  State = "approved"
	StateScheduled State = "scheduled"
	StatePublished State = "published"
	StateCorrected State = "corrected"
	StateWithdrawn State = "withdrawn"
)

// States lists every state in workflow order.
var States = []State{StateDraft, StateSubmitted, StateInReview, StateReturned, StateApproved,
	StateScheduled, StatePublished, StateCorrected, StateWithdrawn}

// Live reports whether a story in this state is on the site.
func (s State) Live() bool { return s == StatePublished || s == StateCorrected }

// Label is the state's name in the UI.
func (s State) Label() string {
	switch s {
	case StateDraft:
		return "草稿"
	case StateSubmitted:
		return "待审"
	case StateInReview:
		return "审核中"
	case StateReturned:
		return "已退回"
	case StateApproved:
		return "已审定"
	case StateScheduled:
		return "定时发布"
	case StatePublished:
		return "已发布"
	case StateCorrected:
		return "已更正"
	case StateWithdrawn:
		return "已撤稿"
	}
	return string(s)
}

// Photo is a picture of a story. A photo of the media library names it by
// Media (its id); Src is then the library's address for it, filled in when
// the story is saved. Photos given only by Src (older stories, the demo)
// stay readable and writable.
type Photo struct {
	Media       int64  `json:"media,omitempty"`
	Src         string `json:"src"`
	Caption     string `json:"caption"`
	Credit      string `json:"credit"`                // e.g. 记者 刘亮亮 摄
	Alt         string `json:"alt,omitempty"`         // for readers who cannot see it; the caption when empty
	Placeholder bool   `json:"placeholder,omitempty"` // no real picture exists yet
}

// Repost names the original of a story carried from another outlet (转载).
type Repost struct {
	Source string `json:"source"` // the outlet, e.g. 人民日报
	Title  string `json:"title"`  // the original headline
	Author string `json:"author"`
}

// NoticeInfo holds the fields of an official notice. The fields after Email
// are optional and belong to particular kinds of notice (package
// internal/notice validates them; docs/notices.md lists them).
type NoticeInfo struct {
	Issuers   []string `json:"issuers"`              // 发文机关 or signing bodies
	DocNumber string   `json:"doc_number,omitempty"` // 文号
	IssuedOn  string   `json:"issued_on,omitempty"`  // YYYY-MM-DD; 成文日期 (API: signed_date)
	Phones    []string `json:"phones,omitempty"`
	Email     string   `json:"email,omitempty"`

	NoticeFields `yaml:",inline"`
}

// Story is one item of the paper: a story, a photo story or a notice. The
// JSON names are the admin API's contract.
type Story struct {
	ID       int64       `json:"id"`
	Kind     Kind        `json:"kind"`
	Kicker   string      `json:"kicker"`   // 引题
	Title    string      `json:"title"`    // 主题
	Subtitle string      `json:"subtitle"` // 副题
	Vertical bool        `json:"vertical,omitempty"`
	Authors  []string    `json:"authors"` // bylines as printed: "记者 张娟娟", "通讯员 李明"
	Source   string      `json:"source"`  // 本报讯, 新华社北京6月7日电, 转载 …
	Repost   *Repost     `json:"repost,omitempty"`
	Section  string      `json:"section"` // 栏目, e.g. 要闻
	Tags     []string    `json:"tags"`
	Body     string      `json:"body"` // paragraphs separated by blank lines
	Photos   []Photo     `json:"photos,omitempty"`
	Notice   *NoticeInfo `json:"notice,omitempty"`
	Edition  string      `json:"edition,omitempty"` // e-paper date YYYY-MM-DD
	Page     int         `json:"page,omitempty"`
	PageName string      `json:"page_name,omitempty"`
	// Editor is the 责任编辑 shown at the end of the article: set
	// explicitly, or at publication the user who signed 一审.
	Editor string `json:"editor,omitempty"`

	State       State      `json:"state"`
	OwnerID     int64      `json:"owner_id"`
	Owner       string     `json:"owner,omitempty"`
	Version     int        `json:"version"`
	Slug        string     `json:"slug,omitempty"`
	URL         string     `json:"url,omitempty"` // public URL once published
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	PublishedAt *time.Time `json:"published_at,omitempty"`
	// ImportFile is the e-paper file an imported story came from
	// (newsroom import), "" for a story filed in the admin.
	ImportFile string `json:"import_file,omitempty"`

	// The editorial workflow (see workflow.go): the review chain of the
	// story's section, the sign-offs of the current round, the embargo
	// time of a scheduled story, the correction notes of a published one
	// and the withdrawal (撤稿) of a withdrawn one.
	Chain Chain `json:"chain,omitempty"`
	// Proxy: the story's section allows 代签 (WorkflowConfig.ProxyFor).
	Proxy       bool         `json:"proxy_allowed,omitempty"`
	Signoffs    []Signoff    `json:"signoffs"`
	ScheduledAt *time.Time   `json:"scheduled_at,omitempty"`
	Corrections []Correction `json:"corrections,omitempty"`
	Withdrawn   *Withdrawal  `json:"withdrawn,omitempty"`
}

// Limits on story fields, in characters (and entries, for lists).
const (
	maxHeadline = 120
	maxBody     = 100_000
	maxListItem = 40
	maxListLen  = 20
	maxPhotos   = 50
	maxPhotoSrc = 1000
	maxCaption  = 500
	maxNotice   = 2000 // any one field of a notice (package notice has the stricter rules per kind)
)

// Normalize trims fields and drops empty list entries. It is applied before
// Validate so that a stray space is never an error.
func (s *Story) Normalize() {
	s.Kicker = strings.TrimSpace(s.Kicker)
	s.Title = strings.TrimSpace(s.Title)
	s.Subtitle = strings.TrimSpace(s.Subtitle)
	s.Source = strings.TrimSpace(s.Source)
	s.Section = strings.TrimSpace(s.Section)
	s.Editor = strings.TrimSpace(s.Editor)
	s.Authors = cleanList(s.Authors)
	s.Tags = cleanList(s.Tags)
	s.Body = strings.TrimSpace(strings.ReplaceAll(s.Body, "\r\n", "\n"))
	if s.Kind == "" {
		s.Kind = KindStory
	}
	if s.Repost != nil && *s.Repost == (Repost{}) {
		s.Repost = nil
	}
}

func cleanList(in []string) []string {
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, v := range in {
		v = strings.Join(strings.Fields(v), " ")
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

var editionRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Validate checks what an author may save. A draft may be incomplete except
// for its title; Publishable adds what publishing needs.
func (s *Story) Validate() error {
	fields := map[string]string{}
	if !s.Kind.Valid() {
		fields["kind"] = "类型必须是 story、photo 或 notice"
	}
	if s.Title == "" {
		fields["title"] = "主题（标题）不能为空"
	}
	for name, v := range map[string]string{"kicker": s.Kicker, "title": s.Title, "subtitle": s.Subtitle} {
		if utf8.RuneCountInString(v) > maxHeadline {
			fields[name] = fmt.Sprintf("标题最多 %d 个字", maxHeadline)
		}
		if strings.ContainsAny(v, "\n\r") {
			fields[name] = "标题不能换行"
		}
	}
	if utf8.RuneCountInString(s.Body) > maxBody {
		fields["body"] = fmt.Sprintf("正文最多 %d 个字", maxBody)
	}
	if utf8.RuneCountInString(s.Source) > maxHeadline {
		fields["source"] = "来源太长"
	}
	if utf8.RuneCountInString(s.Section) > maxListItem {
		fields["section"] = "栏目名太长"
	}
	checkList := func(name, label string, list []string) {
		if len(list) > maxListLen {
			fields[name] = fmt.Sprintf("%s最多 %d 个", label, maxListLen)
		}
		for _, v := range list {
			if utf8.RuneCountInString(v) > maxListItem {
				fields[name] = fmt.Sprintf("每个%s最多 %d 个字", label, maxListItem)
			}
		}
	}
	checkList("authors", "署名", s.Authors)
	checkList("tags", "标签", s.Tags)
	if s.Edition != "" {
		if _, err := time.Parse(time.DateOnly, s.Edition); err != nil || !editionRE.MatchString(s.Edition) {
			fields["edition"] = "版面日期格式应为 YYYY-MM-DD"
		}
	}
	if s.Page < 0 || s.Page > 999 {
		fields["page"] = "版次应在 1 到 999 之间"
	}
	if s.Source == "转载" && (s.Repost == nil || s.Repost.Source == "") {
		fields["repost"] = "转载稿件须注明原始来源"
	}
	if s.Kind == KindNotice && (s.Notice == nil || len(s.Notice.Issuers) == 0) {
		fields["notice"] = "公告须注明发布单位"
	}
	if utf8.RuneCountInString(s.Editor) > maxListItem {
		fields["editor"] = "责任编辑姓名太长"
	}
	if utf8.RuneCountInString(s.PageName) > maxListItem {
		fields["page_name"] = "版面名太长"
	}
	if r := s.Repost; r != nil {
		for _, v := range []string{r.Source, r.Title, r.Author} {
			if utf8.RuneCountInString(v) > maxHeadline {
				fields["repost"] = fmt.Sprintf("转载信息每项最多 %d 个字", maxHeadline)
			}
		}
	}
	if len(s.Photos) > maxPhotos {
		fields["photos"] = fmt.Sprintf("图片最多 %d 张", maxPhotos)
	}
	for _, p := range s.Photos {
		if utf8.RuneCountInString(p.Src) > maxPhotoSrc || utf8.RuneCountInString(p.Caption) > maxCaption || utf8.RuneCountInString(p.Credit) > maxHeadline {
			fields["photos"] = fmt.Sprintf("图片地址最多 %d 个字符，说明最多 %d 个字，署名最多 %d 个字", maxPhotoSrc, maxCaption, maxHeadline)
		}
	}
	s.checkText(fields)
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "稿件有需要修改的地方：" + firstField(fields), Fields: fields}
	}
	return nil
}

// checkText refuses control characters in every text field (ControlChar;
// the body may hold newlines and tabs) and overlong notice fields, adding
// what it finds to fields unless the field already has a message.
func (s *Story) checkText(fields map[string]string) {
	bad := func(name string, multiline bool, values ...string) {
		for _, v := range values {
			if r, ok := ControlChar(v, multiline); ok && fields[name] == "" {
				fields[name] = fmt.Sprintf("不能含控制字符（U+%04X）", r)
			}
		}
	}
	bad("kicker", false, s.Kicker)
	bad("title", false, s.Title)
	bad("subtitle", false, s.Subtitle)
	bad("source", false, s.Source)
	bad("section", false, s.Section)
	bad("edition", false, s.Edition)
	bad("page_name", false, s.PageName)
	bad("editor", false, s.Editor)
	bad("authors", false, s.Authors...)
	bad("tags", false, s.Tags...)
	bad("body", true, s.Body)
	if r := s.Repost; r != nil {
		bad("repost", false, r.Source, r.Title, r.Author)
	}
	for _, p := range s.Photos {
		bad("photos", false, p.Src, p.Credit)
		bad("photos", true, p.Caption)
	}
	if s.Notice != nil {
		var all []string
		collectStrings(reflect.ValueOf(s.Notice).Elem(), &all)
		for _, v := range all {
			if utf8.RuneCountInString(v) > maxNotice && fields["notice"] == "" {
				fields["notice"] = fmt.Sprintf("公告的每一项最多 %d 个字", maxNotice)
			}
		}
		bad("notice", false, all...)
	}
}

// collectStrings appends every string held in v (a struct of strings,
// lists of strings and structs of them) to out.
func collectStrings(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			collectStrings(v.Field(i), out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collectStrings(v.Index(i), out)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectStrings(v.Elem(), out)
		}
	}
}

// Publishable checks what publishing needs beyond Validate.
func (s *Story) Publishable() error {
	if err := s.Validate(); err != nil {
		return err
	}
	fields := map[string]string{}
	if s.Body == "" && s.Kind != KindPhoto {
		fields["body"] = "正文不能为空"
	}
	if s.Section == "" {
		fields["section"] = "请选择栏目"
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Message: "稿件还不能发布：" + firstField(fields), Fields: fields}
	}
	return nil
}

// firstField returns one message of fields, the same one every time.
func firstField(fields map[string]string) string {
	for _, k := range []string{"kind", "title", "kicker", "subtitle", "authors", "source", "repost", "section", "tags", "body", "photos", "edition", "page", "page_name", "notice"} {
		if m, ok := fields[k]; ok {
			return m
		}
	}
	for _, m := range fields {
		return m
	}
	return ""
}

// Paragraphs splits the body into its paragraphs.
func (s *Story) Paragraphs() []string {
	var out []string
	for _, p := range strings.Split(s.Body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
