package news

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Autosave is what one person has typed into the form of one story and not
// saved yet: kept on the server every few seconds while they type, one copy
// per person and story, overwritten each time. It is never a revision and
// never changes the story; saving the form (which still answers 409 on a
// stale base) discards it, and reopening the form offers it back.
type Autosave struct {
	StoryID int64 `json:"story"` // 0: a new story, NewNotice: a new notice, not saved yet
	UserID  int64 `json:"-"`
	// Base is the story's version the form was opened at.
	Base int `json:"base"`
	// Fields are the form's fields by name, as the form holds them (a
	// name repeated, like the photo rows, has several values).
	Fields  FormFields `json:"fields"`
	SavedAt time.Time  `json:"saved_at"`
}

// NewNotice is the StoryID of the autosaved form of a notice not saved yet
// (a new story's is 0): each person has one of each.
const NewNotice int64 = -1

// FormFields are a form's fields by name. In JSON a value is a string or a
// list of strings; it is always answered as a list.
type FormFields map[string][]string

// UnmarshalJSON reads each value as a string or a list of strings.
func (f *FormFields) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := FormFields{}
	for k, v := range raw {
		var one string
		if err := json.Unmarshal(v, &one); err == nil {
			out[k] = []string{one}
			continue
		}
		var many []string
		if err := json.Unmarshal(v, &many); err != nil {
			return fmt.Errorf("field %q: a string or a list of strings", k)
		}
		out[k] = many
	}
	*f = out
	return nil
}

// AutosaveStore keeps the autosaved form of each person and story.
type AutosaveStore interface {
	// PutAutosave stores a, replacing the person's earlier copy for the
	// story.
	PutAutosave(ctx context.Context, a *Autosave) error
	// Autosave returns the person's copy for the story (ENOTFOUND if none).
	Autosave(ctx context.Context, storyID, userID int64) (*Autosave, error)
	// DeleteAutosave drops it; none is not an error.
	DeleteAutosave(ctx context.Context, storyID, userID int64) error
}
