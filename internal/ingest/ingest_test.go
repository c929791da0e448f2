package ingest

import (
	"testing"
	"time"

	"newsroom/internal/importer"
	"newsroom/internal/news"
)

func TestInferPage(t *testing.T) {
	for _, c := range []struct {
		path string
		want Page
	}{
		{"2023-06-08_01_要闻.txt", Page{"2023-06-08", 1, "要闻"}},
		{"20230608-01.txt", Page{"2023-06-08", 1, ""}},
		{"archive/2023-06-08/01.txt", Page{"2023-06-08", 1, ""}},
		{"archive/2023/06/08/12.pdf", Page{"2023-06-08", 12, ""}},
		{"2023-06-08/A03_第03版_时政.txt", Page{"2023-06-08", 3, "时政"}},
		{"ll_20230608_p4.txt", Page{"2023-06-08", 4, ""}},
		{"000_e58c90808f211c85.txt", Page{}},
		{"2023-13-40_01.txt", Page{}},
	} {
		if got := InferPage(c.path); got != c.want {
			t.Errorf("InferPage(%q) = %+v, want %+v", c.path, got, c.want)
		}
	}
}

func TestStoryOfUntitledAndNoticeWithoutIssuer(t *testing.T) {
	s, notes := StoryOf(importer.Item{Kind: "notice", Body: "正文。", Date: "2023-06-08", Page: 2})
	if s.Title != Untitled || s.Kind != news.KindStory || s.Section != "要闻" || len(notes) != 1 {
		t.Fatalf("StoryOf = %+v, notes %q", s, notes)
	}
	if err := s.Validate(); err != nil {
		t.Fatalf("mapped story does not validate: %v", err)
	}
}

func TestEditionTimeIsSixInTheMorningInPageOrderNeverLater(t *testing.T) {
	now := time.Date(2026, 12, 7, 3, 0, 0, 0, news.Shanghai)
	got := EditionTime("2023-06-08", 2, now)
	if want := time.Date(2023, 6, 8, 6, 0, 2, 0, news.Shanghai); !got.Equal(want) {
		t.Errorf("EditionTime = %v, want %v", got, want)
	}
	// Today's edition before 06:00, or a bad date: now.
	if got := EditionTime("2026-12-07", 0, now); !got.Equal(now) {
		t.Errorf("edition of today before 06:00: %v, want now %v", got, now)
	}
	if got := EditionTime("2023-13-40", 0, now); !got.Equal(now) {
		t.Errorf("bad date: %v, want now", got)
	}
}
