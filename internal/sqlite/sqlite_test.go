package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"newsroom/internal/news"
	"newsroom/internal/password"
)

type fixedClock struct{ t time.Time }

func (c *fixedClock) Now() time.Time { return c.t }

func open(t *testing.T) (*DB, *fixedClock) {
	t.Helper()
	clock := &fixedClock{time.Date(2023, 6, 8, 8, 0, 0, 0, news.Shanghai)}
	db, err := Open(filepath.Join(t.TempDir(), "newsroom.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	db.SetHashParams(password.Params{Time: 1, Memory: 1024, Threads: 1})
	t.Cleanup(func() { db.Close() })
	return db, clock
}

func TestUsersSessionsTokens(t *testing.T) {
	ctx := context.Background()
	db, clock := open(t)
	u := &news.User{Name: "张娟娟", Role: news.RoleReporter}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &news.User{Name: "张娟娟", Role: news.RoleEditor}, "another password"); news.ErrorCode(err) != news.ECONFLICT {
		t.Fatalf("duplicate name: %v", err)
	}
	if err := db.CreateUser(ctx, &news.User{Name: "x", Role: news.RoleEditor}, "short"); news.ErrorCode(err) != news.EINVALID {
		t.Fatalf("short password: %v", err)
	}
	if _, err := db.Authenticate(ctx, "张娟娟", "wrong password!"); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := db.Authenticate(ctx, "nobody", "wrong password!"); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("unknown user: %v", err)
	}
	got, err := db.Authenticate(ctx, "张娟娟", "correct horse battery")
	if err != nil || got.ID != u.ID || got.Role != news.RoleReporter {
		t.Fatalf("login: %v %+v", err, got)
	}
	sess, err := db.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if su, err := db.SessionUser(ctx, sess); err != nil || su.ID != u.ID {
		t.Fatalf("session: %v", err)
	}
	clock.t = clock.t.Add(2 * time.Hour)
	if _, err := db.SessionUser(ctx, sess); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("expired session accepted: %v", err)
	}
	tok, err := db.CreateToken(ctx, u.ID, news.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	if tu, _, err := db.TokenUser(ctx, tok); err != nil || tu.Name != "张娟娟" {
		t.Fatalf("token: %v", err)
	}
	if _, _, err := db.TokenUser(ctx, tok+"x"); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("bad token accepted: %v", err)
	}
}

// TestAccountsCanBeDisabledResetAndTheirAccessEnded: a disabled user can
// neither log in nor use a session or token made before; a password
// change ends sessions and tokens; tokens are listed and revoked by id.
func TestAccountsCanBeDisabledResetAndTheirAccessEnded(t *testing.T) {
	db, _ := open(t)
	ctx := context.Background()
	u := &news.User{Name: "王记者", Role: news.RoleReporter}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	sess, _ := db.CreateSession(ctx, u.ID, time.Hour)
	tok, _ := db.CreateToken(ctx, u.ID, news.ScopeRead)
	if _, tk, err := db.TokenUser(ctx, tok); err != nil || tk.Scope != news.ScopeRead {
		t.Fatalf("read token: %+v %v", tk, err)
	}
	if err := db.SetDisabled(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, "王记者", "correct horse battery"); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("disabled user logged in: %v", err)
	}
	if _, err := db.SessionUser(ctx, sess); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("disabled user's session works: %v", err)
	}
	if _, _, err := db.TokenUser(ctx, tok); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("disabled user's token works: %v", err)
	}
	if err := db.SetDisabled(ctx, u.ID, false); err != nil {
		t.Fatal(err)
	}
	got, err := db.Authenticate(ctx, "王记者", "correct horse battery")
	if err != nil || got.Disabled {
		t.Fatalf("re-enabled user: %+v %v", got, err)
	}
	sess, _ = db.CreateSession(ctx, u.ID, time.Hour)
	tok, _ = db.CreateToken(ctx, u.ID, news.ScopeWrite)
	if list, _ := db.Tokens(ctx, u.ID); len(list) != 1 || list[0].User != "王记者" {
		t.Fatalf("tokens: %+v", list)
	}
	if err := db.SetPassword(ctx, u.ID, "新的密码 staple gun", true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionUser(ctx, sess); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("session survived a password change: %v", err)
	}
	if _, _, err := db.TokenUser(ctx, tok); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("token survived a password change: %v", err)
	}
	if got, err := db.Authenticate(ctx, "王记者", "新的密码 staple gun"); err != nil || !got.MustChangePassword {
		t.Fatalf("one-time password: %+v %v", got, err)
	}
	tok, _ = db.CreateToken(ctx, u.ID, news.ScopeWrite)
	list, _ := db.Tokens(ctx, 0)
	if len(list) != 1 {
		t.Fatalf("tokens of everybody: %+v", list)
	}
	if err := db.RevokeToken(ctx, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TokenUser(ctx, tok); news.ErrorCode(err) != news.EUNAUTHORIZED {
		t.Fatalf("revoked token works: %v", err)
	}
	if err := db.RevokeToken(ctx, list[0].ID); news.ErrorCode(err) != news.ENOTFOUND {
		t.Fatalf("revoking twice: %v", err)
	}
}

func TestStoryVersionsAndTransitions(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	u := &news.User{Name: "reporter", Role: news.RoleReporter}
	if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	s := &news.Story{Title: "  高考首日 ", Body: "正文", Authors: []string{"记者 刘子璇", ""}}
	if err := db.CreateStory(ctx, s, u.ID); err != nil {
		t.Fatal(err)
	}
	if s.Title != "高考首日" || len(s.Authors) != 1 || s.Version != 1 || s.State != news.StateDraft {
		t.Fatalf("created %+v", s)
	}
	edit := *s
	edit.Body = "第二稿"
	updated, err := db.UpdateStory(ctx, &edit, 1, u.ID)
	if err != nil || updated.Version != 2 || updated.Body != "第二稿" {
		t.Fatalf("update: %v %+v", err, updated)
	}
	stale := *s
	stale.Body = "基于旧版本的修改"
	if _, err := db.UpdateStory(ctx, &stale, 1, u.ID); news.ErrorCode(err) != news.ECONFLICT {
		t.Fatalf("stale edit must conflict: %v", err)
	}
	cur, _ := db.Story(ctx, s.ID)
	if cur.Body != "第二稿" {
		t.Fatalf("stale edit overwrote: %q", cur.Body)
	}
	if _, err := transition(ctx, db, s.ID, u.ID, news.Change{From: []news.State{news.StateSubmitted}, To: news.StatePublished, Action: news.ActPublish}, nil); news.ErrorCode(err) != news.ECONFLICT {
		t.Fatalf("publishing a draft must conflict: %v", err)
	}
	sub, err := transition(ctx, db, s.ID, u.ID, news.Change{From: []news.State{news.StateDraft}, To: news.StateSubmitted, Action: news.ActSubmit}, nil)
	if err != nil || sub.State != news.StateSubmitted {
		t.Fatalf("submit: %v", err)
	}
	// A failing write inside the transaction rolls the change back.
	_, err = transition(ctx, db, s.ID, u.ID, news.Change{From: []news.State{news.StateSubmitted}, To: news.StatePublished, Action: news.ActPublish,
		Publish: &news.Publication{Slug: "x", Path: "stories/2023/06/x.md", At: time.Now()}}, func(*news.Story) error { return news.Errorf(news.EINTERNAL, "disk full") })
	if err == nil {
		t.Fatal("apply error swallowed")
	}
	if cur, _ := db.Story(ctx, s.ID); cur.State != news.StateSubmitted || cur.URL != "" {
		t.Fatalf("failed publish left state %s url %q", cur.State, cur.URL)
	}
	pub, err := transition(ctx, db, s.ID, u.ID, news.Change{From: []news.State{news.StateSubmitted}, To: news.StatePublished, Action: news.ActPublish,
		Publish: &news.Publication{Slug: "x", Path: "stories/2023/06/x.md", At: time.Now()}}, nil)
	if err != nil || pub.URL != "/stories/2023/06/x/" {
		t.Fatalf("publish: %v %+v", err, pub)
	}
	list, err := db.Stories(ctx, news.StoryFilter{States: []news.State{news.StatePublished}})
	if err != nil || len(list) != 1 || list[0].Owner != "reporter" {
		t.Fatalf("list: %v %+v", err, list)
	}
	ev, _ := db.Events(ctx, s.ID)
	var actions []string
	for _, e := range ev {
		actions = append(actions, e.Action)
	}
	if len(actions) != 4 || actions[3] != "publish" {
		t.Fatalf("events %v", actions)
	}
}

// transition applies change c to story id in one transaction, as the desk
// does, and runs write (the desk's file write) inside it when set.
func transition(ctx context.Context, db *DB, id, userID int64, c news.Change, write func(*news.Story) error) (*news.Story, error) {
	var out *news.Story
	err := db.WithTx(ctx, func(tx news.Tx) error {
		s, err := tx.Story(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.Apply(ctx, s, userID, c); err != nil {
			return err
		}
		if write != nil {
			if err := write(s); err != nil {
				return err
			}
		}
		out = s
		return nil
	})
	return out, err
}
