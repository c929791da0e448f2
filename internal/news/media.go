package news

import (
	"context"
	"time"
)

// Media is a picture in the media library: uploaded once (checked, turned
// upright, stripped of its EXIF data, stored under a generated name) and
// used by any number of stories.
type Media struct {
	ID         int64     `json:"id"`
	File       string    `json:"file"` // path under the site's media folder, e.g. 2026/12/3f9a2c1b7d4e5f60.jpg
	URL        string    `json:"url"`  // where the reader site serves it, e.g. /media/2026/12/3f9a2c1b7d4e5f60.jpg
	Width      int       `json:"width"`
	Height     int       `json:"height"`
	Bytes      int64     `json:"bytes"`
	Format     string    `json:"format"` // jpeg | png
	Caption    string    `json:"caption"`
	Credit     string    `json:"credit"` // e.g. 记者 刘亮亮 摄
	Alt        string    `json:"alt"`
	StoryID    int64     `json:"story_id,omitempty"` // the story it was uploaded for, if any
	UploadedBy int64     `json:"uploaded_by"`
	Uploader   string    `json:"uploader,omitempty"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// MediaQuery selects pictures of the media library, newest first.
type MediaQuery struct {
	Text    string    // words found in the caption, credit or alt text
	StoryID int64     // used by (or uploaded for) this story
	From    time.Time // uploaded at or after
	To      time.Time // uploaded before
	Limit   int       // 0: 50
}

// MediaStore keeps the media library's records (the files themselves are
// written by package media).
type MediaStore interface {
	CreateMedia(ctx context.Context, m *Media) error
	MediaByID(ctx context.Context, id int64) (*Media, error)
	FindMedia(ctx context.Context, q MediaQuery) ([]*Media, error)
	// UseMedia records that story uses the pictures ids (for finding a
	// story's photos in the library).
	UseMedia(ctx context.Context, storyID int64, ids []int64) error
	// DescribeMedia fills in the caption, credit and alt text of picture id
	// where its record has none (a photo uploaded bare and described in a
	// story), so that the library finds it by them.
	DescribeMedia(ctx context.Context, id int64, caption, credit, alt string) error
	// SetMediaText replaces the caption, credit and alt text of picture id.
	SetMediaText(ctx context.Context, id int64, caption, credit, alt string) error
	// DeleteMedia removes the record of picture m unless a live or
	// scheduled story uses it (its photos or its text name m.URL): then it
	// removes nothing and returns those stories. Check and removal are one
	// transaction.
	DeleteMedia(ctx context.Context, m *Media) ([]MediaUse, error)
}

// MediaUse is a story that uses a picture.
type MediaUse struct {
	StoryID int64  `json:"id"`
	Title   string `json:"title"`
	State   State  `json:"state"`
}
