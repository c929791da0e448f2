package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

// maxLevels is the most review levels a chain has (news.WorkflowConfig.Validate).
const maxLevels = 5

// workflowData is the setting page: one row per chain, the default first,
// then each section with its own, then an empty row to add a section.
type workflowData struct {
	Message string
	Config  news.WorkflowConfig
	Rows    []workflowRow
	Roles   []news.Role
	Levels  []int
}

// workflowRow is one chain of the form.
type workflowRow struct {
	Default bool
	Section string
	Levels  []news.Role // maxLevels entries, "" for none
	Proxy   bool
}

func rowsOf(cfg news.WorkflowConfig) []workflowRow {
	row := func(def bool, sec string, c news.Chain, proxy bool) workflowRow {
		lv := make([]news.Role, maxLevels)
		copy(lv, c)
		return workflowRow{Default: def, Section: sec, Levels: lv, Proxy: proxy}
	}
	rows := []workflowRow{row(true, "", cfg.Default, cfg.ProxyDefault)}
	secs := make([]string, 0, len(cfg.Sections))
	for s := range cfg.Sections {
		secs = append(secs, s)
	}
	slices.Sort(secs)
	for _, s := range secs {
		rows = append(rows, row(false, s, cfg.Sections[s], slices.Contains(cfg.Proxy, s)))
	}
	// Sections that keep the default chain but allow 代签.
	for _, s := range cfg.Proxy {
		if _, own := cfg.Sections[s]; !own {
			rows = append(rows, row(false, s, nil, true))
		}
	}
	return append(rows, row(false, "", nil, false))
}

func (a *Admin) workflowForm(w http.ResponseWriter, r *http.Request, status int, cfg news.WorkflowConfig, rows []workflowRow, msg string) error {
	d := &workflowData{Config: cfg, Rows: rows, Message: msg,
		Roles: []news.Role{news.RoleEditor, news.RoleDirector, news.RoleChief}, Levels: []int{0, 1, 2, 3, 4}}
	return a.renderStatus(w, r, status, "workflow", &page{Title: "审核流程", Data: d})
}

func (a *Admin) workflowPage(w http.ResponseWriter, r *http.Request) error {
	if userOf(r).Role != news.RoleAdmin {
		return news.Errorf(news.EFORBIDDEN, "只有管理员可以修改审核流程。")
	}
	cfg, err := a.cfg.Desk.Workflow(r.Context())
	if err != nil {
		return err
	}
	return a.workflowForm(w, r, http.StatusOK, cfg, rowsOf(cfg), "")
}

// saveWorkflow reads the form: row i has sec_i (the section; row 0 is the
// default), lvl_i_0 … lvl_i_4 (the role of each level, empty for none),
// proxy_i (代签 allowed) and del_i (drop the section's own setting).
func (a *Admin) saveWorkflow(w http.ResponseWriter, r *http.Request) error {
	if userOf(r).Role != news.RoleAdmin {
		return news.Errorf(news.EFORBIDDEN, "只有管理员可以修改审核流程。")
	}
	f := r.PostForm
	n, err := strconv.Atoi(f.Get("rows"))
	if err != nil || n < 1 || n > 500 {
		return news.Errorf(news.EINVALID, "表单不完整，请刷新页面后重试。")
	}
	cfg := news.WorkflowConfig{Sections: map[string]news.Chain{}}
	var rows []workflowRow
	var msg string
	for i := range n {
		key := strconv.Itoa(i)
		row := workflowRow{Default: i == 0, Section: strings.TrimSpace(f.Get("sec_" + key)), Proxy: f.Get("proxy_"+key) != "",
			Levels: make([]news.Role, maxLevels)}
		var chain news.Chain
		for j := range maxLevels {
			role := news.Role(f.Get("lvl_" + key + "_" + strconv.Itoa(j)))
			row.Levels[j] = role
			if role != "" {
				chain = append(chain, role)
			}
		}
		if f.Get("del_"+key) != "" {
			continue
		}
		rows = append(rows, row)
		switch {
		case i == 0:
			cfg.Default, cfg.ProxyDefault = chain, row.Proxy
		case row.Section == "" && len(chain) == 0 && !row.Proxy:
			// The empty row for a new section, left empty.
		case row.Section == "":
			msg = "请填写栏目名。"
		default:
			if _, dup := cfg.Sections[row.Section]; dup || slices.Contains(cfg.Proxy, row.Section) {
				msg = "栏目「" + row.Section + "」填了两次。"
			}
			if len(chain) > 0 {
				cfg.Sections[row.Section] = chain
			}
			if row.Proxy {
				cfg.Proxy = append(cfg.Proxy, row.Section)
			}
		}
	}
	if msg == "" {
		err = a.cfg.Desk.SetWorkflow(r.Context(), userOf(r), cfg)
		if news.ErrorCode(err) == news.EINVALID {
			msg = news.ErrorMessage(err)
		} else if err != nil {
			return err
		}
	}
	if msg != "" {
		if len(rows) == 0 || !rows[len(rows)-1].empty() {
			rows = append(rows, workflowRow{Levels: make([]news.Role, maxLevels)})
		}
		return a.workflowForm(w, r, http.StatusBadRequest, cfg, rows, msg)
	}
	http.Redirect(w, r, "/admin/workflow?msg="+urlQuery("审核流程已保存。"), http.StatusSeeOther)
	return nil
}

func (r workflowRow) empty() bool {
	return !r.Default && r.Section == "" && !r.Proxy && slices.Equal(r.Levels, make([]news.Role, maxLevels))
}

func (a *Admin) apiWorkflow(w http.ResponseWriter, r *http.Request) error {
	cfg, err := a.cfg.Desk.Workflow(r.Context())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, cfg)
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
	httpx.WriteJSON(w, http.StatusOK, cfg)
	return nil
}
