package admin

import (
	"encoding/json"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/sergi/go-diff/diffmatchpatch"

	"newsroom/internal/news"
	"newsroom/internal/sqlite"
)

// now is the admin's clock.
func (a *Admin) now() time.Time { return a.cfg.Clock.Now() }

// actionInput is what a state change may carry: a return comment or a
// withdrawal reason, and the time of a scheduled publish.
type actionInput struct {
	Comment string
	At      string // RFC 3339 (API) or datetime-local in Asia/Shanghai (form)
}

var actionMessages = map[string]string{
	"submit":     "已提交审核。",
	"approve":    "已签署本级审核意见。",
	"publish":    "已签发，读者现在可以看到并搜索到这篇稿件。",
	"schedule":   "已设定定时发布；到时自动发布，此前网站上不会出现。",
	"unschedule": "已取消定时发布。",
	"return":     "已退回给作者。",
	"withdraw":   "已撤稿。",
}

// parseAt reads a publish time: RFC 3339, or the form's datetime-local
// value, which is Asia/Shanghai time.
func parseAt(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, news.Shanghai); err == nil {
			return t, nil
		}
	}
	return time.Time{}, &news.Error{Code: news.EINVALID, Message: "发布时间格式不对，应为 RFC 3339（如 2023-06-08T06:00:00+08:00）。",
		Fields: map[string]string{"at": "时间格式不对"}}
}

// presence remembers who opened which story's edit form in the last two
// minutes, so the form can say who else is editing. It is in memory: a
// restart forgets it, which is harmless (saves are still version-checked).
type presence struct {
	mu    sync.Mutex
	now   func() time.Time
	seen  map[int64]map[string]time.Time
	ttl   time.Duration
	sweep int
}

func newPresence(now func() time.Time) *presence {
	return &presence{now: now, seen: map[int64]map[string]time.Time{}, ttl: 2 * time.Minute}
}

// see records that user has story id open now.
func (p *presence) see(id int64, user string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen[id] == nil {
		p.seen[id] = map[string]time.Time{}
	}
	p.seen[id][user] = p.now()
	if p.sweep++; p.sweep%100 == 0 {
		for sid, m := range p.seen {
			for u, t := range m {
				if p.now().Sub(t) > p.ttl {
					delete(m, u)
				}
			}
			if len(m) == 0 {
				delete(p.seen, sid)
			}
		}
	}
}

// others returns who else opened story id within the last two minutes.
func (p *presence) others(id int64, me string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for u, t := range p.seen[id] {
		if u != me && p.now().Sub(t) <= p.ttl {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

// ---- desk views ----

// stateGroup is the user's own stories in one state.
type stateGroup struct {
	State   news.State   `json:"state"`
	Label   string       `json:"label"`
	Stories []news.Story `json:"stories"`
}

// queue is the review queue of one level.
type queue struct {
	Level   int          `json:"level"`
	Label   string       `json:"label"` // 一审（编辑）
	Role    news.Role    `json:"role"`
	Mine    bool         `json:"mine"` // the user signs this level
	Stories []news.Story `json:"stories"`
}

// deskData is the dashboard: my stories by state, the review queue per
// level, what waits for 签发, what is scheduled, and what was published.
type deskData struct {
	Mine      []stateGroup `json:"mine"`
	Queues    []queue      `json:"queues"`
	Approved  []news.Story `json:"approved"`
	Scheduled []news.Story `json:"scheduled"`
	Published []news.Story `json:"published"`
	Reviewer  bool         `json:"-"`
}

func (a *Admin) desk(r *http.Request) (*deskData, error) {
	ctx, u := r.Context(), userOf(r)
	d := &deskData{Reviewer: u.Role.Reviewer(), Mine: []stateGroup{}, Queues: []queue{}}
	mine, err := a.cfg.Desk.List(ctx, u, sqlite.StoryFilter{OwnerID: u.ID, Limit: 200})
	if err != nil {
		return nil, err
	}
	for _, st := range news.States {
		var g []news.Story
		for _, s := range mine {
			if s.State == st {
				g = append(g, s)
			}
		}
		if len(g) > 0 {
			d.Mine = append(d.Mine, stateGroup{State: st, Label: st.Label(), Stories: g})
		}
	}
	if !d.Reviewer {
		return d, nil
	}
	inReview, err := a.cfg.Desk.List(ctx, u, sqlite.StoryFilter{States: []news.State{news.StateSubmitted, news.StateInReview}, Limit: 500})
	if err != nil {
		return nil, err
	}
	byLevel := map[int][]news.Story{}
	roles := map[int]news.Role{}
	maxLevel := 0
	for _, s := range inReview {
		if lvl := s.Pending(); lvl < len(s.Chain) {
			byLevel[lvl] = append(byLevel[lvl], s)
			roles[lvl] = s.Chain[lvl]
		}
		maxLevel = max(maxLevel, len(s.Chain))
	}
	if w, err := a.cfg.Desk.Workflow(ctx); err == nil {
		maxLevel = max(maxLevel, len(w.Default))
		for i, r := range w.Default {
			if _, ok := roles[i]; !ok {
				roles[i] = r
			}
		}
	}
	for lvl := 0; lvl < maxLevel; lvl++ {
		q := queue{Level: lvl, Role: roles[lvl], Label: news.LevelLabel(lvl) + "（" + roles[lvl].Label() + "）", Stories: byLevel[lvl]}
		for _, s := range q.Stories {
			if s.Chain[lvl] == u.Role || u.Role == news.RoleAdmin {
				q.Mine = true
			}
		}
		q.Mine = q.Mine || roles[lvl] == u.Role || u.Role == news.RoleAdmin
		d.Queues = append(d.Queues, q)
	}
	if d.Approved, err = a.cfg.Desk.List(ctx, u, sqlite.StoryFilter{States: []news.State{news.StateApproved}, Limit: 100}); err != nil {
		return nil, err
	}
	if d.Scheduled, err = a.cfg.Desk.List(ctx, u, sqlite.StoryFilter{States: []news.State{news.StateScheduled}, Limit: 100}); err != nil {
		return nil, err
	}
	if d.Published, err = a.cfg.Desk.List(ctx, u, sqlite.StoryFilter{States: []news.State{news.StatePublished, news.StateCorrected}, Limit: 30}); err != nil {
		return nil, err
	}
	return d, nil
}

func (a *Admin) apiDesk(w http.ResponseWriter, r *http.Request) error {
	d, err := a.desk(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// ---- revisions, diff, restore ----

// revisionText is the text of a revision as it is compared: the editable
// fields, one per line, then the body.
func revisionText(s *news.Story) string {
	var b strings.Builder
	line := func(label, v string) {
		if v != "" {
			b.WriteString(label + "：" + v + "\n")
		}
	}
	line("引题", s.Kicker)
	line("主题", s.Title)
	line("副题", s.Subtitle)
	line("来源", s.Source)
	line("署名", strings.Join(s.Authors, "；"))
	line("栏目", s.Section)
	line("标签", strings.Join(s.Tags, "、"))
	if s.Repost != nil {
		line("转载", s.Repost.Source+" "+s.Repost.Title+" "+s.Repost.Author)
	}
	for _, p := range s.Photos {
		line("图片", p.Src+" "+p.Caption+" "+p.Credit)
	}
	if n := s.Notice; n != nil {
		line("发布单位", strings.Join(n.Issuers, "；"))
		line("文号", n.DocNumber)
	}
	line("版面", s.Edition+" "+s.PageName)
	b.WriteString("\n")
	b.WriteString(s.Body)
	return b.String()
}

// diffSide is one side of a side-by-side diff, as safe HTML.
type diffSide struct {
	Version int
	User    string
	At      time.Time
	HTML    template.HTML
}

// diffResult is a character-level comparison of two revisions.
type diffResult struct {
	Old, New    diffSide
	Deleted     int `json:"deleted"`  // characters
	Inserted    int `json:"inserted"` // characters
	Identical   bool
	StoryID     int64
	StoryTitle  string
	Revisions   []sqlite.Revision
	CanRestore  bool
	Live        bool
	Unified     []diffOp `json:"ops"`
	OldV, NewV  int
	RestoreNote string
}

// diffOp is one piece of a diff in the API: "=", "-" or "+".
type diffOp struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// diffRevisions compares two texts character by character (Chinese has
// no spaces, so words are no unit) with diff-match-patch, then tidies the
// result so that it reads in phrases rather than scattered characters.
func diffRevisions(oldText, newText string) (left, right template.HTML, ops []diffOp, del, ins int) {
	dmp := diffmatchpatch.New()
	diffs := dmp.DiffMain(oldText, newText, false)
	diffs = dmp.DiffCleanupSemantic(diffs)
	var l, r strings.Builder
	esc := func(s string) string { return template.HTMLEscapeString(s) }
	for _, d := range diffs {
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			l.WriteString(esc(d.Text))
			r.WriteString(esc(d.Text))
			ops = append(ops, diffOp{"=", d.Text})
		case diffmatchpatch.DiffDelete:
			l.WriteString("<del>" + esc(d.Text) + "</del>")
			ops = append(ops, diffOp{"-", d.Text})
			del += len([]rune(d.Text))
		case diffmatchpatch.DiffInsert:
			r.WriteString("<ins>" + esc(d.Text) + "</ins>")
			ops = append(ops, diffOp{"+", d.Text})
			ins += len([]rune(d.Text))
		}
	}
	return template.HTML(l.String()), template.HTML(r.String()), ops, del, ins
}

func versionParam(r *http.Request, name string) (int, bool) {
	v, err := strconv.Atoi(r.URL.Query().Get(name))
	return v, err == nil && v > 0
}

// compare builds the diff of versions a and b (defaults: the two newest).
func (a *Admin) compare(r *http.Request) (*diffResult, error) {
	id, err := parseID(r)
	if err != nil {
		return nil, err
	}
	ctx, u := r.Context(), userOf(r)
	s, err := a.cfg.Desk.Get(ctx, u, id)
	if err != nil {
		return nil, err
	}
	revs, err := a.cfg.Desk.Revisions(ctx, u, id)
	if err != nil {
		return nil, err
	}
	va, okA := versionParam(r, "a")
	vb, okB := versionParam(r, "b")
	if !okB {
		vb = s.Version
	}
	if !okA {
		va = max(vb-1, 1)
	}
	ra, err := a.cfg.Desk.Revision(ctx, u, id, va)
	if err != nil {
		return nil, err
	}
	rb, err := a.cfg.Desk.Revision(ctx, u, id, vb)
	if err != nil {
		return nil, err
	}
	res := &diffResult{StoryID: id, StoryTitle: s.Title, Revisions: revs, OldV: va, NewV: vb,
		CanRestore: news.Permit(u, news.ActEdit, s, s.Chain) == nil, Live: s.State.Live()}
	res.Old = diffSide{Version: va, User: ra.User, At: ra.At}
	res.New = diffSide{Version: vb, User: rb.User, At: rb.At}
	res.Old.HTML, res.New.HTML, res.Unified, res.Deleted, res.Inserted = diffRevisions(revisionText(ra.Story), revisionText(rb.Story))
	res.Identical = res.Deleted == 0 && res.Inserted == 0
	return res, nil
}

func (a *Admin) revisionsPage(w http.ResponseWriter, r *http.Request) error {
	return a.diffPage(w, r)
}

func (a *Admin) diffPage(w http.ResponseWriter, r *http.Request) error {
	d, err := a.compare(r)
	if err != nil {
		return err
	}
	return a.render(w, r, "diff", "修订记录："+d.StoryTitle, d)
}

func (a *Admin) restoreRevision(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	v, _ := strconv.Atoi(r.PostFormValue("version"))
	var note *news.Correction
	if n := strings.TrimSpace(r.PostFormValue("correction")); n != "" {
		note = &news.Correction{Kind: r.PostFormValue("correction_kind"), Note: n}
	}
	s, err := a.cfg.Desk.Restore(r.Context(), userOf(r), id, v, note)
	if err != nil && s == nil {
		return err
	}
	msg := "已将第 " + strconv.Itoa(v) + " 版恢复为新的一版。"
	if err != nil {
		msg = news.ErrorMessage(err)
	}
	http.Redirect(w, r, "/admin/stories/"+strconv.FormatInt(id, 10)+"?msg="+urlQuery(msg), http.StatusSeeOther)
	return nil
}

func (a *Admin) apiRevisions(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	revs, err := a.cfg.Desk.Revisions(r.Context(), userOf(r), id)
	if err != nil {
		return err
	}
	if revs == nil {
		revs = []sqlite.Revision{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"revisions": revs})
	return nil
}

func (a *Admin) apiRevision(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	v, err := strconv.Atoi(chi.URLParam(r, "version"))
	if err != nil {
		return news.Errorf(news.ENOTFOUND, "没有这一版。")
	}
	rev, err := a.cfg.Desk.Revision(r.Context(), userOf(r), id, v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rev)
	return nil
}

func (a *Admin) apiDiff(w http.ResponseWriter, r *http.Request) error {
	d, err := a.compare(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"a": d.OldV, "b": d.NewV, "deleted": d.Deleted, "inserted": d.Inserted,
		"ops": d.Unified, "old_html": string(d.Old.HTML), "new_html": string(d.New.HTML)})
	return nil
}

func (a *Admin) apiRestore(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	var in struct {
		Version    int              `json:"version"`
		Correction *news.Correction `json:"correction"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	s, err := a.cfg.Desk.Restore(r.Context(), userOf(r), id, in.Version, in.Correction)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s)
	return nil
}

// ---- audit log ----

// auditData is the audit page: the filter and what it found.
type auditData struct {
	User, Action, From, To string
	Entries                []sqlite.AuditEntry
	Actions                []string
}

var auditActions = []string{"create", "edit", "submit", "approve", "return", "schedule", "unschedule", "publish", "correct", "withdraw", "restore", "workflow"}

// auditFilter reads user, action, from and to (YYYY-MM-DD, Shanghai days,
// both included) and story.
func auditFilter(r *http.Request) (sqlite.AuditFilter, error) {
	q := r.URL.Query()
	f := sqlite.AuditFilter{User: strings.TrimSpace(q.Get("user")), Action: q.Get("action")}
	f.Limit, _ = strconv.Atoi(q.Get("limit"))
	f.StoryID, _ = strconv.ParseInt(q.Get("story"), 10, 64)
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		v := q.Get(name)
		if v == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, v, news.Shanghai)
		if err != nil {
			return f, &news.Error{Code: news.EINVALID, Message: "日期格式应为 YYYY-MM-DD。", Fields: map[string]string{name: "日期格式应为 YYYY-MM-DD"}}
		}
		if name == "to" {
			t = t.AddDate(0, 0, 1)
		}
		*dst = t
	}
	return f, nil
}

func (a *Admin) auditPage(w http.ResponseWriter, r *http.Request) error {
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	entries, err := a.cfg.Desk.Audit(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	return a.render(w, r, "audit", "审计日志", &auditData{User: f.User, Action: f.Action, From: q.Get("from"), To: q.Get("to"),
		Entries: entries, Actions: auditActions})
}

func (a *Admin) apiAudit(w http.ResponseWriter, r *http.Request) error {
	f, err := auditFilter(r)
	if err != nil {
		return err
	}
	entries, err := a.cfg.Desk.Audit(r.Context(), userOf(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
	return nil
}

// ---- workflow setting ----

// workflowData is the setting page.
type workflowData struct {
	JSON    string
	Message string
	Config  news.WorkflowConfig
}

func (a *Admin) workflowPage(w http.ResponseWriter, r *http.Request) error {
	if userOf(r).Role != news.RoleAdmin {
		return news.Errorf(news.EFORBIDDEN, "只有管理员可以修改审核流程。")
	}
	cfg, err := a.cfg.Desk.Workflow(r.Context())
	if err != nil {
		return err
	}
	b, _ := json.MarshalIndent(cfg, "", "  ")
	return a.render(w, r, "workflow", "审核流程", &workflowData{JSON: string(b), Config: cfg})
}

func (a *Admin) saveWorkflow(w http.ResponseWriter, r *http.Request) error {
	if userOf(r).Role != news.RoleAdmin {
		return news.Errorf(news.EFORBIDDEN, "只有管理员可以修改审核流程。")
	}
	text := r.PostFormValue("config")
	var cfg news.WorkflowConfig
	err := json.Unmarshal([]byte(text), &cfg)
	if err != nil {
		err = news.Errorf(news.EINVALID, "不是有效的 JSON：%v", err)
	} else {
		err = a.cfg.Desk.SetWorkflow(r.Context(), userOf(r), cfg)
	}
	if news.ErrorCode(err) == news.EINVALID {
		return a.renderStatus(w, r, http.StatusBadRequest, "workflow", &page{Title: "审核流程",
			Data: &workflowData{JSON: text, Message: news.ErrorMessage(err), Config: cfg}})
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/workflow?msg="+urlQuery("审核流程已保存。"), http.StatusSeeOther)
	return nil
}

func (a *Admin) apiWorkflow(w http.ResponseWriter, r *http.Request) error {
	cfg, err := a.cfg.Desk.Workflow(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cfg)
	return nil
}

func (a *Admin) apiSetWorkflow(w http.ResponseWriter, r *http.Request) error {
	var cfg news.WorkflowConfig
	if err := decode(r, &cfg); err != nil {
		return err
	}
	if err := a.cfg.Desk.SetWorkflow(r.Context(), userOf(r), cfg); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, cfg)
	return nil
}
