package admin

import (
	"html/template"
	"math"
	"net/http"
	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/sergi/go-diff/diffmatchpatch"
)

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
	Revisions   []news.Revision
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

// versionParam reads the revision number in query parameter name: absent
// (false) or a strict positive number (else EINVALID).
func versionParam(r *http.Request, name string) (int, bool, error) {
	s, ok := r.URL.Query()[name]
	if !ok {
		return 0, false, nil
	}
	v, good := httpx.ID(s[0])
	if len(s) != 1 || !good || v > math.MaxInt32 {
		return 0, false, &news.Error{Code: news.EINVALID, Message: name + " 应为修订号。", Fields: map[string]string{name: "应为修订号"}}
	}
	return int(v), true, nil
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
	va, okA, err := versionParam(r, "a")
	if err != nil {
		return nil, err
	}
	vb, okB, err := versionParam(r, "b")
	if err != nil {
		return nil, err
	}
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
	v64, ok := httpx.ID(r.PostFormValue("version"))
	if !ok || v64 > math.MaxInt32 {
		return news.Errorf(news.EINVALID, "请选择要恢复的修订。")
	}
	v := int(v64)
	var note *news.Correction
	if n := strings.TrimSpace(r.PostFormValue("correction")); n != "" {
		note = &news.Correction{Kind: r.PostFormValue("correction_kind"), Note: n}
	}
	s, err := a.cfg.Desk.Restore(r.Context(), userOf(r), id, v, note)
	if err != nil && s == nil {
		return err
	}
	msg := "已将修订 " + strconv.Itoa(v) + " 的内容恢复为一次新的修订。"
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
		revs = []news.Revision{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"revisions": revs})
	return nil
}

func (a *Admin) apiRevision(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(r)
	if err != nil {
		return err
	}
	v, ok := httpx.ID(chi.URLParam(r, "version"))
	if !ok || v > math.MaxInt32 {
		return news.Errorf(news.ENOTFOUND, "没有这次修订。")
	}
	rev, err := a.cfg.Desk.Revision(r.Context(), userOf(r), id, int(v))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rev)
	return nil
}

func (a *Admin) apiDiff(w http.ResponseWriter, r *http.Request) error {
	d, err := a.compare(r)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"a": d.OldV, "b": d.NewV, "deleted": d.Deleted, "inserted": d.Inserted,
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
	httpx.WriteJSON(w, http.StatusOK, s)
	return nil
}
