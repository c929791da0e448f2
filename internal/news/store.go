package news

import (
	"context"
	"time"
)

// The storage seam. The desk (internal/desk) decides; a store (the SQLite
// database in internal/sqlite, wired in cmd/newsroom) keeps what it decided.
// A store never calls back into the desk: a change of state is a value,
// Change, which the desk computes inside a transaction (Store.WithTx) from
// the story as it is then, and the store applies.

// Store is everything the desk keeps: stories with their revisions and
// sign-offs, users with their sessions and tokens, the review setting, the
// audit log, the notice archive and the import log.
type Store interface {
	StoryStore
	UserStore
	SettingStore
	AuditLog
	NoticeArchive
	ImportLog
	AutosaveStore
	PlacementStore
	// WithTx runs fn in one transaction: if fn returns an error, nothing
	// fn did through tx is kept. Transactions are not nested: fn uses tx,
	// never the Store.
	WithTx(ctx context.Context, fn func(tx Tx) error) error
}

// Tx is what the desk does inside one transaction.
type Tx interface {
	// Story returns story id as it is now, with the sign-offs of its
	// current round.
	Story(ctx context.Context, id int64) (*Story, error)
	// StoryPath returns where story id's content file lives, "" if it has
	// none.
	StoryPath(ctx context.Context, id int64) (string, error)
	// Workflow returns the review setting (DefaultWorkflow when unset).
	Workflow(ctx context.Context) (WorkflowConfig, error)
	// UpdateStory saves an edit of s made from version base as a new
	// revision and returns the story as it now is. A story changed since
	// base is an ECONFLICT error.
	UpdateStory(ctx context.Context, s *Story, base int, userID int64) (*Story, error)
	// Apply stores change c of story s made by userID, records it in the
	// story's history, and updates s to match (state, times, sign-offs,
	// schedule, URL).
	Apply(ctx context.Context, s *Story, userID int64, c Change) error
	// NextNoticeSeq returns the next free sequence number of the notices
	// published in year.
	NextNoticeSeq(ctx context.Context, year int) (int, error)
	// AddNotice records a published notice for verification, as the
	// seq-th of its year.
	AddNotice(ctx context.Context, rec *NoticeRecord, seq int) error
	// ReserveNotice takes notice number, the seq-th of year, for story
	// storyID without recording it for verification: a number printed on
	// a notice the archive cannot vouch for, never to be given again.
	ReserveNotice(ctx context.Context, storyID int64, number string, year, seq int) error
	// NoticeByNumber returns the record of the published notice numbered
	// number (ENOTFOUND if none).
	NoticeByNumber(ctx context.Context, number string) (*NoticeRecord, error)
	// SetPlacement replaces the stories placed on place (in order) and
	// records the change, with detail, in the audit log.
	SetPlacement(ctx context.Context, place string, ids []int64, userID int64, detail string) error
	// Unplace takes story id off the places named (every place when none
	// is) and returns the places it was on.
	Unplace(ctx context.Context, id int64, places ...string) ([]string, error)
}

// PlacementStore keeps the editors' placement of stories on the reader
// site's pages (news.Placement).
type PlacementStore interface {
	// Placements returns the stories placed on each place, in order;
	// places without stories are absent.
	Placements(ctx context.Context) (map[string][]int64, error)
}

// Change is a change of a story's state, as the desk decided it.
type Change struct {
	Action Action  // recorded in the story's history and the audit log
	From   []State // the states it may start from (ECONFLICT otherwise); empty: any
	To     State
	Detail string // the history's note: a return comment, a reason, a level …
	// Text stores the story's editable fields as they are now (a
	// withdrawal record, a sealed notice, a correction link).
	Text bool
	// Signoff records a sign-off of this round; VoidSignoffs ends the
	// round (a return).
	Signoff      *Signoff
	VoidSignoffs bool
	// Schedule sets the embargo (by the user of the change);
	// ClearSchedule drops it.
	Schedule      *time.Time
	ClearSchedule bool
	// Publish places the story: its slug, content path and date.
	Publish *Publication
	// Owner hands the story to another user (an assignment); 0 keeps
	// the owner.
	Owner int64
}

// Publication is where and when a story is published.
type Publication struct {
	Slug string
	Path string // content path, as content.RelPath gives it
	At   time.Time
}

// StoryStore keeps stories, their revisions and their history.
type StoryStore interface {
	// CreateStory stores a new draft owned by userID, as its first
	// revision, and sets s's ID, state, owner and times.
	CreateStory(ctx context.Context, s *Story, userID int64) error
	Story(ctx context.Context, id int64) (*Story, error)
	Stories(ctx context.Context, f StoryFilter) ([]Story, error)
	// CountStories counts the stories f selects, ignoring its Limit and
	// Offset.
	CountStories(ctx context.Context, f StoryFilter) (int, error)
	StoryPath(ctx context.Context, id int64) (string, error)
	Events(ctx context.Context, storyID int64) ([]Event, error)
	// RecordEvent adds an entry to a story's history outside a change
	// (a restore, for example).
	RecordEvent(ctx context.Context, storyID, userID int64, action Action, detail string) error
	Revisions(ctx context.Context, storyID int64) ([]Revision, error)
	Revision(ctx context.Context, storyID int64, version int) (*Revision, error)
	// DueStories returns the scheduled stories due at now, earliest first.
	DueStories(ctx context.Context, now time.Time) ([]DueStory, error)
	// CorrectedStories lists the live stories with correction notes, most
	// recently corrected first.
	CorrectedStories(ctx context.Context, limit int) ([]CorrectedStory, error)
	// StoryIDByPath returns the story whose content file is at path (as
	// content.RelPath gives it), 0 if none.
	StoryIDByPath(ctx context.Context, path string) (int64, error)
	// AdoptStory stores s, read from the content file at path, as a story
	// owned by ownerID in the state the file shows, with path, slug and
	// dates kept; byID is who took it in. It stores nothing and reports
	// false when a story already owns path.
	AdoptStory(ctx context.Context, s *Story, path string, ownerID, byID int64) (bool, error)
}

// UserStore keeps users, their login sessions and their API tokens.
type UserStore interface {
	CreateUser(ctx context.Context, u *User, password string) error
	// SetPassword replaces a user's password and ends all their sessions
	// and API tokens; mustChange makes it a one-time password.
	SetPassword(ctx context.Context, userID int64, password string, mustChange bool) error
	CountUsers(ctx context.Context) (int, error)
	User(ctx context.Context, id int64) (*User, error)
	UserByName(ctx context.Context, name string) (*User, error)
	Users(ctx context.Context) ([]User, error)
	// SetRole changes a user's role.
	SetRole(ctx context.Context, userID int64, role Role) error
	// SetDisabled disables or re-enables a user; disabling ends the user's
	// sessions and tokens.
	SetDisabled(ctx context.Context, userID int64, disabled bool) error
	// Authenticate returns the user whose name and password match; one
	// EUNAUTHORIZED error for any mismatch, EUNAVAILABLE when too many
	// password checks are waiting.
	Authenticate(ctx context.Context, name, password string) (*User, error)
	CreateSession(ctx context.Context, userID int64, ttl time.Duration) (secret string, err error)
	// SessionUser returns the user of a live session of an enabled user.
	SessionUser(ctx context.Context, secret string) (*User, error)
	DeleteSession(ctx context.Context, secret string) error
	// Sessions lists a user's live sessions, newest first.
	Sessions(ctx context.Context, userID int64) ([]Session, error)
	// DeleteSessions ends all of a user's sessions (log out everywhere).
	DeleteSessions(ctx context.Context, userID int64) error
	CreateToken(ctx context.Context, userID int64, scope string) (token string, err error)
	// TokenUser returns the enabled user an API token belongs to, and the token.
	TokenUser(ctx context.Context, token string) (*User, *Token, error)
	// Tokens lists the API tokens of a user (userID 0: of everybody).
	Tokens(ctx context.Context, userID int64) ([]Token, error)
	// RevokeToken deletes an API token by id.
	RevokeToken(ctx context.Context, id int64) error
}

// SettingStore keeps the admins' settings.
type SettingStore interface {
	Workflow(ctx context.Context) (WorkflowConfig, error)
	// SetWorkflow stores the review setting and records the change.
	SetWorkflow(ctx context.Context, w WorkflowConfig, userID int64) error
}

// AuditLog answers the audit log.
type AuditLog interface {
	Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

// NoticeArchive finds published notices (for /verify/ and corrections).
type NoticeArchive interface {
	NoticeByNumber(ctx context.Context, number string) (*NoticeRecord, error)
	// NoticesByFingerprint returns the notices whose canonical text has
	// the SHA-256 fingerprint fp.
	NoticesByFingerprint(ctx context.Context, fp string) ([]NoticeRecord, error)
	// NoticesByLooseKey returns the notices whose body or canonical text
	// has the white-space-free key.
	NoticesByLooseKey(ctx context.Context, key string) ([]NoticeRecord, error)
}

// ImportLog remembers which e-paper items were imported, so that importing
// a page again adds nothing twice.
type ImportLog interface {
	// ImportedStory reports whether the item with key was imported, and
	// the story it became (0 when that story no longer exists).
	ImportedStory(ctx context.Context, key string) (int64, bool, error)
	// RecordImport remembers that the item with key became storyID; a key
	// already recorded is an ECONFLICT error.
	RecordImport(ctx context.Context, key string, storyID int64, file string) error
	CountImports(ctx context.Context) (int, error)
}

// StoryFilter selects stories for a list. The zero value of each field
// selects everything.
type StoryFilter struct {
	OwnerID int64   // 0: anyone's
	Owner   string  // the owner's user name ("importer": imports); "": anyone's
	States  []State // empty: any state
	Section string  // 栏目
	Edition string  // e-paper date YYYY-MM-DD
	Page    int     // e-paper page (版次)
	// Query is a substring the title or the body contains (drafts
	// included); matched literally, character for character.
	Query  string
	Limit  int // 0: 100
	Offset int // stories skipped, for paging
}

// Event is one entry of a story's history.
type Event struct {
	At     time.Time
	User   string
	Action string
	Detail string
}

// Revision is one saved version of a story's text.
type Revision struct {
	Version int       `json:"version"`
	User    string    `json:"user"`
	At      time.Time `json:"at"`
	Story   *Story    `json:"story,omitempty"` // the text of that version (the editable fields)
}

// AuditFilter selects entries of the audit log.
type AuditFilter struct {
	User     string    // user name; "" for anyone
	Action   string    // one of LoggedActions; "" for any
	From, To time.Time // zero: open
	StoryID  int64     // 0: any story
	Limit    int       // 0: 200
}

// AuditEntry is one entry of the audit log.
type AuditEntry struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	User    string    `json:"user"`
	Role    Role      `json:"role"`
	Action  string    `json:"action"`
	Detail  string    `json:"detail,omitempty"`
	StoryID int64     `json:"story_id,omitempty"`
	Title   string    `json:"title,omitempty"`
}

// DueStory is a scheduled story whose time has come.
type DueStory struct {
	ID     int64
	At     time.Time // the embargo time
	UserID int64     // who scheduled it
}

// CorrectedStory is a live story with its correction notes, for the
// public corrections page.
type CorrectedStory struct {
	Title       string
	URL         string
	Corrections []Correction
}

// NoticeRecord is what the archive keeps about a published notice to
// verify it (internal/notice seals it).
type NoticeRecord struct {
	StoryID     int64     `json:"id"`
	Number      string    `json:"number"`
	Fingerprint string    `json:"fingerprint"`
	Kind        string    `json:"kind"` // notice.Kind
	Title       string    `json:"title"`
	Issuers     []string  `json:"issuers,omitempty"`
	URL         string    `json:"url"`
	PublishedAt time.Time `json:"published_at"`
	Edition     string    `json:"edition,omitempty"`
	Page        int       `json:"page,omitempty"`
	PageName    string    `json:"page_name,omitempty"`
	// Canonical is the canonical text, exactly as fingerprinted.
	Canonical string `json:"canonical_text"`
	// BodyKey and TextKey are the white-space-free keys of the body and
	// of the canonical text: what a pasted text is matched against
	// besides the fingerprint.
	BodyKey     string   `json:"-"`
	TextKey     string   `json:"-"`
	PeriodStart string   `json:"period_start,omitempty"`
	End         string   `json:"period_end,omitempty"` // claim, bid or period deadline
	Corrects    string   `json:"corrects,omitempty"`
	CorrectedBy []string `json:"corrected_by,omitempty"`
	// Withdrawn is set when the notice was withdrawn (撤回): it stays in
	// the archive, marked, with the reason.
	Withdrawn *Withdrawal `json:"withdrawn,omitempty"`
}

// Info returns the fields of the notice a period status needs.
func (r *NoticeRecord) Info() *NoticeInfo {
	n := &NoticeInfo{}
	n.PeriodStart, n.PeriodEnd = r.PeriodStart, r.End
	return n
}
