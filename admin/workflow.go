package admin

import (
	"encoding/json"
	"net/http"
	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

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
