package admin

import (
	"net/http"
	"slices"
	"sync"
	"time"

	"newsroom/internal/httpx"
)

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

// leave forgets that user has story id open: they closed the form.
func (p *presence) leave(id int64, user string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.seen[id], user)
	if len(p.seen[id]) == 0 {
		delete(p.seen, id)
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

// apiPresence is POST /api/admin/stories/{id}/presence, sent by the open
// edit form every half minute: it keeps the caller present on the story
// and answers who else is, {"others": [...]}.
func (a *Admin) apiPresence(w http.ResponseWriter, r *http.Request) error {
	s, err := a.storyOf(r)
	if err != nil {
		return err
	}
	u := userOf(r)
	a.presence.see(s.ID, u.Name)
	others := a.presence.others(s.ID, u.Name)
	if others == nil {
		others = []string{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"others": others})
	return nil
}

// apiLeave is DELETE /api/admin/stories/{id}/presence, sent by the edit
// form as the page goes away (a keepalive request on pagehide): the caller
// no longer has the story open, so nobody is told they are editing it.
func (a *Admin) apiLeave(w http.ResponseWriter, r *http.Request) error {
	s, err := a.storyOf(r)
	if err != nil {
		return err
	}
	a.presence.leave(s.ID, userOf(r).Name)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
