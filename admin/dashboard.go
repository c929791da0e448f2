package admin

import (
	"net/http"
	"newsroom/internal/httpx"
	"newsroom/internal/news"
)

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
	mine, err := a.cfg.Desk.List(ctx, u, news.StoryFilter{OwnerID: u.ID, Limit: 200})
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
	inReview, err := a.cfg.Desk.List(ctx, u, news.StoryFilter{States: []news.State{news.StateSubmitted, news.StateInReview}, Limit: 500})
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
	if d.Approved, err = a.cfg.Desk.List(ctx, u, news.StoryFilter{States: []news.State{news.StateApproved}, Limit: 100}); err != nil {
		return nil, err
	}
	if d.Scheduled, err = a.cfg.Desk.List(ctx, u, news.StoryFilter{States: []news.State{news.StateScheduled}, Limit: 100}); err != nil {
		return nil, err
	}
	if d.Published, err = a.cfg.Desk.List(ctx, u, news.StoryFilter{States: []news.State{news.StatePublished, news.StateCorrected}, Limit: 30}); err != nil {
		return nil, err
	}
	return d, nil
}

func (a *Admin) dashboard(w http.ResponseWriter, r *http.Request) error {
	d, err := a.desk(r)
	if err != nil {
		return err
	}
	return a.render(w, r, "dashboard", "工作台", d)
}

func (a *Admin) apiDesk(w http.ResponseWriter, r *http.Request) error {
	d, err := a.desk(r)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, d)
	return nil
}
