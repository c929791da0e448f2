package admin

import (
	"fmt"
	"net/http"

	"newsroom/internal/desk"
	"newsroom/internal/httpx"
)

// apiAdopt is POST /api/admin/adopt (admins): every content file no story
// owns becomes a story of the desk (desk.AdoptFiles); answers
// {"adopted","known","failed"}.
func (a *Admin) apiAdopt(w http.ResponseWriter, r *http.Request) error {
	rep, err := a.cfg.Desk.AdoptFiles(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rep)
	return nil
}

// adoptFiles is the story list's 收录文件稿件 button (admins): it adopts
// the files and shows what it took in.
func (a *Admin) adoptFiles(w http.ResponseWriter, r *http.Request) error {
	rep, err := a.cfg.Desk.AdoptFiles(r.Context(), userOf(r))
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("已收录 %d 篇只存在于文件中的稿件（归属 %s），现在可以像其他稿件一样更正或撤稿；%d 篇原已在稿件库中。", rep.Count, desk.ArchiveUser, rep.Known)
	if rep.Verifiable > 0 {
		msg += fmt.Sprintf("其中 %d 则公告已按原编号登记到核验档案。", rep.Verifiable)
	}
	if len(rep.Unverified) > 0 {
		msg += fmt.Sprintf("另有 %d 则公告的指纹与文件内容不符或编号已被占用，未登记到核验档案，详见服务器日志。", len(rep.Unverified))
		for f, why := range rep.Unverified {
			a.cfg.Log.Warn("adopt: notice not verifiable", "file", f, "err", why)
		}
	}
	if len(rep.Failed) > 0 {
		msg += fmt.Sprintf("另有 %d 个文件无法读取，详见服务器日志。", len(rep.Failed))
		for f, why := range rep.Failed {
			a.cfg.Log.Warn("adopt: file skipped", "file", f, "err", why)
		}
	}
	http.Redirect(w, r, "/admin/stories?owner="+desk.ArchiveUser+"&msg="+urlQuery(msg), http.StatusSeeOther)
	return nil
}
