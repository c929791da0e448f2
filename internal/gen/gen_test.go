package gen

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"newsroom/internal/content"
	"newsroom/internal/news"
)

func TestGenerateIsDeterministicAndValid(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if _, err := Generate(a, Options{Stories: 400, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(b, Options{Stories: 400, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	years := map[int]bool{}
	kinds := map[string]int{}
	n := 0
	err := content.Dir{Root: filepath.Join(a, "content")}.Walk(func(it content.Item) error {
		n++
		other, err := os.ReadFile(filepath.Join(b, "content", it.Path))
		if err != nil {
			t.Fatalf("%s missing from the second run", it.Path)
		}
		mine, _ := os.ReadFile(filepath.Join(a, "content", it.Path))
		if !bytes.Equal(mine, other) {
			t.Fatalf("%s differs between two runs with one seed", it.Path)
		}
		s := it.Story
		if err := s.Publishable(); err != nil {
			t.Fatalf("%s is not publishable: %v", it.Path, err)
		}
		years[s.PublishedAt.Year()] = true
		kinds[string(s.Kind)]++
		return nil
	}, func(rel string, err error) { t.Fatalf("%s does not parse: %v", rel, err) })
	if err != nil {
		t.Fatal(err)
	}
	if n != 400 {
		t.Fatalf("wrote %d items, want 400", n)
	}
	if len(years) < 20 {
		t.Fatalf("items span %d years, want 20", len(years))
	}
	if kinds["story"] == 0 || kinds["notice"] == 0 || kinds["photo"] == 0 {
		t.Fatalf("kinds %v: want stories, photos and notices", kinds)
	}
	c := t.TempDir()
	if _, err := Generate(c, Options{Stories: 400, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	same := 0
	content.Dir{Root: filepath.Join(c, "content")}.Walk(func(it content.Item) error {
		mine, _ := os.ReadFile(filepath.Join(c, "content", it.Path))
		if other, err := os.ReadFile(filepath.Join(a, "content", it.Path)); err == nil && bytes.Equal(mine, other) {
			same++
		}
		return nil
	}, nil)
	if same > 0 {
		t.Fatalf("%d files identical across different seeds", same)
	}
}

// TestGeneratePhotos: with Photos, the pictures are real JPEGs under
// static/media/gen/, and every story and photo story leads with one of
// them, captioned and credited; notices have none.
func TestGeneratePhotos(t *testing.T) {
	root := t.TempDir()
	if _, err := Generate(root, Options{Stories: 60, Seed: 3, Photos: 3}); err != nil {
		t.Fatal(err)
	}
	srcs := map[string]bool{}
	for i := range 3 {
		name := fmt.Sprintf("p%05d.jpg", i)
		f, err := os.Open(filepath.Join(root, "static", "media", "gen", name))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := jpeg.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width != 1600 || cfg.Height != 1067 {
			t.Fatalf("%s: %v %+v", name, err, cfg)
		}
		srcs["/media/gen/"+name] = true
	}
	with := 0
	content.Dir{Root: filepath.Join(root, "content")}.Walk(func(it content.Item) error {
		s := it.Story
		if s.Kind == news.KindNotice {
			if len(s.Photos) > 0 {
				t.Errorf("%s: a notice with a photo", it.Path)
			}
			return nil
		}
		if len(s.Photos) != 1 || !srcs[s.Photos[0].Src] || s.Photos[0].Placeholder || s.Photos[0].Caption == "" || s.Photos[0].Credit == "" {
			t.Errorf("%s: lead photo %+v", it.Path, s.Photos)
		}
		with++
		return nil
	}, func(rel string, err error) { t.Fatalf("%s: %v", rel, err) })
	if with == 0 {
		t.Fatal("no story with a photo")
	}
}
