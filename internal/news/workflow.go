package news

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Chain is a section's review chain: the role that signs off each level,
// first level first. The default is 一审 editor → 二审 director → 三审
// chief; a small paper may use one level.
type Chain []Role

// DefaultChain is the 三审 chain used when no setting says otherwise.
var DefaultChain = Chain{RoleEditor, RoleDirector, RoleChief}

// LevelLabel names level i (0-based): 一审, 二审, 三审, then 第N审.
func LevelLabel(i int) string {
	names := []string{"一审", "二审", "三审"}
	if i >= 0 && i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("第%d审", i+1)
}

// Last is the role of the chain's last level ("" for an empty chain).
func (c Chain) Last() Role {
	if len(c) == 0 {
		return ""
	}
	return c[len(c)-1]
}

// Publishers reports whether role r may publish, schedule, withdraw and
// correct stories under this chain: admins, chief editors, and the role of
// the chain's last level (so a one-level chain of editors can publish).
func (c Chain) Publishers(r Role) bool {
	return r == RoleAdmin || r == RoleChief || (r != "" && r == c.Last())
}

// SignedBy reports whether sign-offs cover every level of chain c: at each
// level, a sign-off for the role that level asks for. A live story may
// only move to a section whose chain its sign-offs cover.
func (c Chain) SignedBy(signoffs []Signoff) bool {
	for lvl, r := range c {
		if !slices.ContainsFunc(signoffs, func(g Signoff) bool { return g.Level == lvl && g.Role == r }) {
			return false
		}
	}
	return true
}

// Labels names the levels of the chain with their roles: 一审（编辑）、二审（部门主任）.
func (c Chain) Labels() string {
	parts := make([]string, len(c))
	for i, r := range c {
		parts[i] = LevelLabel(i) + "（" + r.Label() + "）"
	}
	return strings.Join(parts, "、")
}

// has reports whether role r signs some level of the chain.
func (c Chain) has(r Role) bool { return slices.Contains(c, r) }

// lastLevelOf is the highest level r signs, -1 if none.
func (c Chain) lastLevelOf(r Role) int {
	for i := len(c) - 1; i >= 0; i-- {
		if c[i] == r {
			return i
		}
	}
	return -1
}

// WorkflowConfig is the paper's review setting: a default chain and
// chains for particular sections (栏目). It is stored in SQLite and edited
// by admins (/admin/workflow, GET/PUT /api/admin/workflow).
type WorkflowConfig struct {
	Default  Chain            `json:"default"`
	Sections map[string]Chain `json:"sections,omitempty"`
	// ProxyDefault and Proxy allow 代签 (one person signing several
	// levels of a story, or their own story) in the sections without a
	// chain of their own, and in the sections named. Off by default:
	// separation of duties is the rule, 代签 the small paper's exception,
	// marked wherever it happens.
	ProxyDefault bool     `json:"proxy_default,omitempty"`
	Proxy        []string `json:"proxy,omitempty"`
}

// maxSections bounds the sections of a setting that have their own chain.
const maxSections = 200

// DefaultWorkflow is the setting of a new paper: 三审 everywhere.
func DefaultWorkflow() WorkflowConfig {
	return WorkflowConfig{Default: slices.Clone(DefaultChain)}
}

// ChainFor returns the chain of a section.
func (w WorkflowConfig) ChainFor(section string) Chain {
	if c, ok := w.Sections[section]; ok && len(c) > 0 {
		return c
	}
	if len(w.Default) == 0 {
		return DefaultChain
	}
	return w.Default
}

// Review sets the review rules of s's section on it: its chain and
// whether 代签 is allowed.
func (w WorkflowConfig) Review(s *Story) {
	s.Chain, s.Proxy = w.ChainFor(s.Section), w.ProxyFor(s.Section)
}

// ProxyFor reports whether 代签 is allowed in a section.
func (w WorkflowConfig) ProxyFor(section string) bool {
	if slices.Contains(w.Proxy, section) {
		return true
	}
	if _, own := w.Sections[section]; own {
		return false
	}
	return w.ProxyDefault
}

// Validate checks a setting before it is stored: every chain has one to
// five levels, each signed by editor, director or chief.
func (w WorkflowConfig) Validate() error {
	check := func(name string, c Chain) string {
		if len(c) == 0 || len(c) > 5 {
			return fmt.Sprintf("%s：审核层级须为 1 到 5 级", name)
		}
		for _, r := range c {
			if r != RoleEditor && r != RoleDirector && r != RoleChief {
				return fmt.Sprintf("%s：审核角色须为 editor、director 或 chief，不能是 %q", name, r)
			}
		}
		return ""
	}
	if m := check("默认流程", w.Default); m != "" {
		return &Error{Code: EINVALID, Message: m, Fields: map[string]string{"default": m}}
	}
	if len(w.Sections) > maxSections {
		m := fmt.Sprintf("最多为 %d 个栏目单独设定流程", maxSections)
		return &Error{Code: EINVALID, Message: m + "。", Fields: map[string]string{"sections": m}}
	}
	for sec, c := range w.Sections {
		if _, bad := ControlChar(sec, false); bad || utf8.RuneCountInString(sec) > maxListItem {
			m := fmt.Sprintf("栏目名最多 %d 个字，且不能含控制字符", maxListItem)
			return &Error{Code: EINVALID, Message: m + "。", Fields: map[string]string{"sections": m}}
		}
		if strings.TrimSpace(sec) == "" {
			return &Error{Code: EINVALID, Message: "栏目名不能为空。", Fields: map[string]string{"sections": "栏目名不能为空"}}
		}
		if m := check("栏目「"+sec+"」", c); m != "" {
			return &Error{Code: EINVALID, Message: m, Fields: map[string]string{"sections": m}}
		}
	}
	if len(w.Proxy) > maxSections {
		m := fmt.Sprintf("最多为 %d 个栏目允许代签", maxSections)
		return &Error{Code: EINVALID, Message: m + "。", Fields: map[string]string{"proxy": m}}
	}
	for _, sec := range w.Proxy {
		if _, bad := ControlChar(sec, false); bad || utf8.RuneCountInString(sec) > maxListItem || strings.TrimSpace(sec) == "" {
			m := fmt.Sprintf("允许代签的栏目名不能为空，最多 %d 个字，且不能含控制字符", maxListItem)
			return &Error{Code: EINVALID, Message: m + "。", Fields: map[string]string{"proxy": m}}
		}
	}
	return nil
}

// Signoff is one level's sign-off of a story: who, when, at which level.
type Signoff struct {
	Level    int       `json:"level"` // 0-based: 0 is 一审
	Label    string    `json:"label"` // 一审, 二审, 三审 …
	Role     Role      `json:"role"`  // the role the level asks for
	UserID   int64     `json:"user_id"`
	User     string    `json:"user"`
	UserRole Role      `json:"user_role"` // the signer's role: differs from Role when an admin acts
	At       time.Time `json:"at"`
	// Proxy says why the sign-off is a 代签, "" when it is not: an admin
	// signing for another role, a person signing a second level, or their
	// own story (allowed only where the section's setting allows 代签).
	Proxy string `json:"proxy,omitempty"`
}

// Correction kinds shown on the article.
const (
	CorrectionFix  = "更正" // a factual error was fixed
	CorrectionNote = "说明" // a clarification or an addition
)

// Correction is a dated note shown on a published story that was edited.
type Correction struct {
	At   time.Time `json:"at" yaml:"at"`
	Kind string    `json:"kind" yaml:"kind"` // 更正 or 说明
	Note string    `json:"note" yaml:"note"`
}

// Validate checks a correction note typed by an editor.
func (c *Correction) Validate() error {
	c.Note = strings.TrimSpace(c.Note)
	if c.Kind == "" {
		c.Kind = CorrectionFix
	}
	switch {
	case c.Kind != CorrectionFix && c.Kind != CorrectionNote:
		return &Error{Code: EINVALID, Message: "更正类型须为「更正」或「说明」。", Fields: map[string]string{"correction_kind": "须为更正或说明"}}
	case c.Note == "":
		return &Error{Code: EINVALID, Message: "修改已发布的稿件须填写更正或说明，读者会在文末看到。", Fields: map[string]string{"correction": "请填写更正或说明"}}
	case utf8.RuneCountInString(c.Note) > 500:
		return &Error{Code: EINVALID, Message: "更正说明最多 500 个字。", Fields: map[string]string{"correction": "最多 500 个字"}}
	}
	if r, bad := ControlChar(c.Note, true); bad {
		msg := fmt.Sprintf("更正说明不能含控制字符（U+%04X）", r)
		return &Error{Code: EINVALID, Message: msg + "。", Fields: map[string]string{"correction": msg}}
	}
	return nil
}

// Withdrawal records why and when a story was withdrawn (撤稿). The story's
// page stays and says so instead of showing the text.
type Withdrawal struct {
	At     time.Time `json:"at" yaml:"at"`
	Reason string    `json:"reason" yaml:"reason"`
}

// Action is something a user does to a story.
type Action string

// The actions checked by Permit.
const (
	ActEdit       Action = "edit"       // save a change (a correction once live); restore a revision
	ActSubmit     Action = "submit"     // hand a draft to review
	ActApprove    Action = "approve"    // sign off the pending level
	ActReturn     Action = "return"     // send back to the author with a comment
	ActPublish    Action = "publish"    // 签发: publish now (chain complete)
	ActSchedule   Action = "schedule"   // publish at a set time (chain complete)
	ActUnschedule Action = "unschedule" // cancel a scheduled publish
	ActWithdraw   Action = "withdraw"   // 撤稿
)

// Actions lists every story action, for tests and the UI.
var Actions = []Action{ActEdit, ActSubmit, ActApprove, ActReturn, ActPublish, ActSchedule, ActUnschedule, ActWithdraw}

// The other actions the audit log records: they follow from an action
// above (a correction is an edit of a live story) or concern no story.
const (
	ActCreate      Action = "create"       // file a new draft
	ActCorrect     Action = "correct"      // an edit of a live story went live with its note
	ActRestore     Action = "restore"      // an old revision saved as a new one
	ActCorrectedBy Action = "corrected-by" // a notice gained a link to its 更正公告
	ActSetWorkflow Action = "workflow"     // the review setting changed
	ActRestart     Action = "restart"      // a story in review moved to a section of another chain: its review starts again
	ActAssign      Action = "assign"       // an editor handed a story to another user
	ActAdopt       Action = "adopt"        // a story that existed only as a content file was taken into the desk
	ActPlace       Action = "place"        // an editor changed the order of stories on a page (头条, 推荐)

	ActPassword      Action = "password"       // a user changed their password
	ActUserRole      Action = "user-role"      // an admin changed a user's role
	ActUserDisable   Action = "user-disable"   // an admin disabled an account
	ActUserEnable    Action = "user-enable"    // an admin enabled it again
	ActResetPassword Action = "reset-password" // an admin gave a one-time password

	ActEPaperPage  Action = "epaper-page"  // an e-paper page's image or story areas changed
	ActEPaperOrder Action = "epaper-order" // the order of an e-paper page's stories changed
)

// LoggedActions lists what the audit log can be filtered by, in the
// order of a story's life.
var LoggedActions = []Action{ActCreate, ActEdit, ActSubmit, ActApprove, ActReturn, ActRestart, ActSchedule, ActUnschedule,
	ActPublish, ActCorrect, ActWithdraw, ActRestore, ActAssign, ActAdopt, ActPlace, ActSetWorkflow,
	ActPassword, ActUserRole, ActUserDisable, ActUserEnable, ActResetPassword, ActEPaperPage, ActEPaperOrder}

// Label is the action's name in the audit log.
func (a Action) Label() string {
	switch a {
	case ActCreate:
		return "创建"
	case ActEdit:
		return "修改"
	case ActSubmit:
		return "提交审核"
	case ActReturn:
		return "退回"
	case ActPublish:
		return "发布"
	case ActWithdraw:
		return "撤稿"
	case ActApprove:
		return "签署审核"
	case ActSchedule:
		return "定时发布"
	case ActUnschedule:
		return "取消定时"
	case ActCorrect:
		return "更正"
	case ActRestore:
		return "恢复修订"
	case ActAssign:
		return "指派"
	case ActAdopt:
		return "收录"
	case ActPlace:
		return "调整版面排序"
	case ActSetWorkflow:
		return "修改审核流程"
	case ActPassword:
		return "修改密码"
	case ActUserRole:
		return "更改角色"
	case ActUserDisable:
		return "停用账号"
	case ActUserEnable:
		return "启用账号"
	case ActResetPassword:
		return "重置密码"
	case ActRestart:
		return "重新送审"
	case ActEPaperPage:
		return "电子版版面"
	case ActEPaperOrder:
		return "电子版排序"
	}
	return string(a)
}

// SignedBy returns the sign-off of this round that user id gave, if any.
func (s *Story) SignedBy(id int64) (Signoff, bool) {
	for _, g := range s.Signoffs {
		if g.UserID == id {
			return g, true
		}
	}
	return Signoff{}, false
}

// OwnBy reports whether s is u's own story: u owns it, or a byline names u.
// Nobody signs off their own story or notice unless 代签 is allowed.
func (s *Story) OwnBy(u *User) bool {
	return s.OwnerID == u.ID || slices.Contains(BylineNames(s.Authors), u.Name)
}

// ProxyReason says why u's sign-off of the level s waits for is a 代签,
// "" when it is an ordinary one.
func (s *Story) ProxyReason(u *User) string {
	var why []string
	p := s.Pending()
	if p < len(s.Chain) && u.Role != s.Chain[p] {
		why = append(why, u.Role.Label()+"代"+s.Chain[p].Label()+"签")
	}
	if g, ok := s.SignedBy(u.ID); ok {
		why = append(why, "同一人已签"+g.Label)
	}
	if s.OwnBy(u) {
		why = append(why, "本人稿件")
	}
	if len(why) == 0 {
		return ""
	}
	return "代签：" + strings.Join(why, "，")
}

// Pending is the level a story in review waits for: the number of
// sign-offs of the current round.
func (s *Story) Pending() int { return len(s.Signoffs) }

// PendingLabel names the level the story waits for, "" when none.
func (s *Story) PendingLabel() string {
	if (s.State == StateSubmitted || s.State == StateInReview) && s.Pending() < len(s.Chain) {
		return LevelLabel(s.Pending()) + "（" + s.Chain[s.Pending()].Label() + "）"
	}
	return ""
}

// Permit decides whether user u may do action a on story s, whose section
// has review chain c. It answers nil, an EFORBIDDEN error when u's role may
// never do a to this story, or an ECONFLICT error when the role could, but
// not in the story's present state (or not at its present level). The
// desk calls it inside the database transaction that carries the action
// out, so two reviewers cannot sign the same level.
func Permit(u *User, a Action, s *Story, c Chain) error {
	owner := s.OwnerID == u.ID
	role := u.Role
	admin := role == RoleAdmin
	inChain := admin || c.has(role)
	publisher := c.Publishers(role)
	deny := func(format string, args ...any) error { return Errorf(EFORBIDDEN, format, args...) }
	state := func() error {
		return Errorf(ECONFLICT, "稿件当前状态为「%s」，不能执行此操作。", s.State.Label())
	}
	switch a {
	case ActEdit:
		switch {
		case s.State == StateWithdrawn:
			if !owner && !role.Reviewer() {
				return deny("无权修改这篇稿件。")
			}
			return Errorf(ECONFLICT, "稿件已撤稿，不能修改。")
		case s.State.Live():
			if !publisher {
				return deny("已发布的稿件只有%s或管理员可以更正。", signerLabel(c))
			}
		case role.Reviewer():
		case owner:
			if s.State != StateDraft && s.State != StateReturned {
				return Errorf(ECONFLICT, "稿件已提交，记者不能再修改；如需修改，请编辑退回。")
			}
		default:
			return deny("无权修改这篇稿件。")
		}
	case ActSubmit:
		if !owner && !role.Reviewer() {
			return deny("只有作者或编辑可以提交稿件。")
		}
		if s.State != StateDraft && s.State != StateReturned {
			return state()
		}
	case ActApprove:
		// Where 代签 is allowed, a reviewer may also sign a lower level
		// than their own (a director signs 一审 for the editor).
		up := s.Proxy && role.Reviewer() && slices.ContainsFunc(c, role.Outranks)
		if !inChain && !up {
			return deny("本栏目的审核流程中没有「%s」这一级。", role.Label())
		}
		if s.State != StateSubmitted && s.State != StateInReview {
			return state()
		}
		p := s.Pending()
		if p >= len(c) {
			return Errorf(ECONFLICT, "各级审核均已完成。")
		}
		if !admin && c[p] != role && !(s.Proxy && role.Outranks(c[p])) {
			return Errorf(ECONFLICT, "稿件正等待%s（%s），不是你这一级。", LevelLabel(p), c[p].Label())
		}
		if !s.Proxy {
			if g, ok := s.SignedBy(u.ID); ok {
				return deny("你已签署本稿的%s，同一人不能签署两级审核（本栏目未允许代签）。", g.Label)
			}
			if s.OwnBy(u) {
				return deny("不能审核自己的稿件（本栏目未允许代签）。")
			}
		}
	case ActReturn:
		if !inChain {
			return deny("本栏目的审核流程中没有「%s」这一级，不能退回稿件。", role.Label())
		}
		switch s.State {
		case StateSubmitted, StateInReview, StateApproved, StateScheduled:
		default:
			return state()
		}
		p := min(s.Pending(), len(c)-1)
		if !admin && !publisher && c.lastLevelOf(role) < p {
			return Errorf(ECONFLICT, "稿件已进入%s，只有该级或更高一级可以退回。", LevelLabel(p))
		}
	case ActPublish, ActSchedule:
		if !publisher {
			return deny("只有%s或管理员可以签发稿件。", signerLabel(c))
		}
		if s.State != StateApproved && s.State != StateScheduled {
			if s.State == StateSubmitted || s.State == StateInReview || s.State == StateDraft || s.State == StateReturned {
				return Errorf(ECONFLICT, "稿件尚未完成全部审核（%d/%d），不能签发。", min(s.Pending(), len(c)), len(c))
			}
			return state()
		}
		if s.Pending() < len(c) {
			return Errorf(ECONFLICT, "稿件尚未完成全部审核（%d/%d），不能签发。", s.Pending(), len(c))
		}
	case ActUnschedule:
		if !publisher {
			return deny("只有%s或管理员可以取消定时发布。", signerLabel(c))
		}
		if s.State != StateScheduled {
			return state()
		}
	case ActWithdraw:
		if !publisher {
			return deny("只有%s或管理员可以撤稿。", signerLabel(c))
		}
		if !s.State.Live() {
			return state()
		}
	default:
		return Errorf(ENOTFOUND, "没有这个操作：%s", a)
	}
	return nil
}

// signerLabel names who signs a chain off, for messages.
func signerLabel(c Chain) string {
	if c.Last() == "" || c.Last() == RoleChief {
		return RoleChief.Label()
	}
	return RoleChief.Label() + "、" + c.Last().Label()
}
