package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsroom/internal/news"
)

// testJPEG is a w×h JPEG, red in its top-left quarter and blue elsewhere,
// with an EXIF APP1 segment holding the orientation and a GPS IFD (as a
// phone writes it).
func testJPEG(t testing.TB, w, h, orientation int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 && y < h/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// TIFF, big-endian: IFD0 with Orientation and a GPS IFD pointer; the
	// GPS IFD with a latitude ref "N".
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	binary.Write(&tiff, binary.BigEndian, uint32(8))
	binary.Write(&tiff, binary.BigEndian, uint16(2))
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3})
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{uint16(orientation), 0})
	binary.Write(&tiff, binary.BigEndian, []uint16{0x8825, 4})
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, uint32(8+2+24+4))
	binary.Write(&tiff, binary.BigEndian, uint32(0))
	binary.Write(&tiff, binary.BigEndian, uint16(1))
	binary.Write(&tiff, binary.BigEndian, []uint16{0x0001, 2})
	binary.Write(&tiff, binary.BigEndian, uint32(2))
	tiff.WriteString("N\x00\x00\x00")
	binary.Write(&tiff, binary.BigEndian, uint32(0))
	seg := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	app1 := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(app1[2:], uint16(len(seg)+2))
	j := b.Bytes()
	return append(append(append([]byte{}, j[:2]...), append(app1, seg...)...), j[2:]...)
}

func TestCheckFormats(t *testing.T) {
	webp, err := os.ReadFile(filepath.Join("testdata", "blue-purple-pink.lossy.webp"))
	if err != nil {
		t.Fatal(err)
	}
	var pngb bytes.Buffer
	png.Encode(&pngb, image.NewGray(image.Rect(0, 0, 40, 30)))
	for _, c := range []struct {
		name   string
		data   []byte
		format string // "" when refused
		msg    string
	}{
		{"jpeg", testJPEG(t, 64, 48, 6), "jpeg", ""},
		{"png", pngb.Bytes(), "png", ""},
		{"webp", webp, "webp", ""},
		{"heic", append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...), "", "HEIC"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "", "GIF"},
		{"text named .jpg", []byte("这不是照片"), "", "不是照片"},
		{"empty", nil, "", "空的"},
		{"truncated jpeg", testJPEG(t, 64, 48, 1)[:30], "", "损坏"},
		{"pdf", []byte("%PDF-1.4\n"), "", "不是照片"},
	} {
		t.Run(c.name, func(t *testing.T) {
			info, err := Check(c.data, DefaultLimits)
			if c.format != "" {
				if err != nil || info.Format != c.format {
					t.Fatalf("Check = %+v, %v; want %s", info, err, c.format)
				}
				return
			}
			if news.ErrorCode(err) != news.EINVALID || !strings.Contains(news.ErrorMessage(err), c.msg) {
				t.Fatalf("Check err = %v, want an invalid error saying %q", err, c.msg)
			}
		})
	}
}

// TestCheckLimits: too many bytes, and a PNG whose header claims a huge
// picture (a decompression bomb) are refused before any decoding.
func TestCheckLimits(t *testing.T) {
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1_000_000, MaxSide: 500}
	if _, err := Check(make([]byte, 2<<20), lim); !strings.Contains(news.ErrorMessage(err), "太大") {
		t.Errorf("2 MB against a 1 MB limit: %v", err)
	}
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 10, 10)))
	bomb := b.Bytes()
	binary.BigEndian.PutUint32(bomb[16:], 20000) // IHDR width
	binary.BigEndian.PutUint32(bomb[20:], 20000) // IHDR height
	binary.BigEndian.PutUint32(bomb[29:], crc32.ChecksumIEEE(bomb[12:29]))
	if _, err := Check(bomb, lim); !strings.Contains(news.ErrorMessage(err), "像素太多") {
		t.Errorf("20000×20000 PNG header: %v", err)
	}
	if _, _, err := Prepare(bomb, lim); !strings.Contains(news.ErrorMessage(err), "像素太多") {
		t.Errorf("Prepare of the bomb: %v", err)
	}
}

func TestPrepareOrientationAndEXIF(t *testing.T) {
	for o, want := range map[int]struct {
		w, h int
		red  image.Point // where the red quarter ends up (its corner pixel)
	}{
		1: {64, 48, image.Pt(0, 0)},
		3: {64, 48, image.Pt(63, 47)},
		6: {48, 64, image.Pt(47, 0)},
		8: {48, 64, image.Pt(0, 63)},
	} {
		in := testJPEG(t, 64, 48, o)
		if got := jpegOrientation(in); got != o {
			t.Fatalf("orientation read %d, want %d", got, o)
		}
		p, _, err := Prepare(in, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		if p.Width != want.w || p.Height != want.h || p.Format != "jpeg" {
			t.Errorf("orientation %d: %dx%d %s, want %dx%d jpeg", o, p.Width, p.Height, p.Format, want.w, want.h)
		}
		if bytes.Contains(p.Data, []byte("Exif")) || bytes.Contains(p.Data, []byte{0xff, 0xe1}) {
			t.Errorf("orientation %d: EXIF kept", o)
		}
		img, err := jpeg.Decode(bytes.NewReader(p.Data))
		if err != nil {
			t.Fatal(err)
		}
		r, _, bl, _ := img.At(want.red.X, want.red.Y).RGBA()
		if r>>8 < 200 || bl>>8 > 60 {
			t.Errorf("orientation %d: pixel %v is not red (r=%d b=%d): the picture was not turned upright", o, want.red, r>>8, bl>>8)
		}
	}
}

func TestPrepareScalesAndConverts(t *testing.T) {
	p, _, err := Prepare(testJPEG(t, 1200, 800, 1), Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 30, MaxSide: 600})
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 600 || p.Height != 400 {
		t.Errorf("scaled to %dx%d, want 600x400", p.Width, p.Height)
	}
	webp, _ := os.ReadFile(filepath.Join("testdata", "blue-purple-pink.lossy.webp"))
	p, _, err = Prepare(webp, DefaultLimits)
	if err != nil || p.Format != "jpeg" || !bytes.HasPrefix(p.Data, []byte{0xff, 0xd8}) {
		t.Errorf("opaque WebP: %v, %+v", err, p)
	}
}

// memStore is a news.MediaStore for the library test; the SQLite one is
// tested in internal/sqlite.
type memStore struct{ media []*news.Media }

func (s *memStore) CreateMedia(ctx context.Context, m *news.Media) error {
	m.ID = int64(len(s.media) + 1)
	s.media = append(s.media, m)
	return nil
}
func (s *memStore) MediaByID(ctx context.Context, id int64) (*news.Media, error) {
	return s.media[id-1], nil
}
func (s *memStore) FindMedia(ctx context.Context, q news.MediaQuery) ([]*news.Media, error) {
	return s.media, nil
}
func (s *memStore) UseMedia(ctx context.Context, storyID int64, ids []int64) error { return nil }
func (s *memStore) DescribeMedia(ctx context.Context, id int64, caption, credit, alt string) error {
	return nil
}
func (s *memStore) SetMediaText(ctx context.Context, id int64, caption, credit, alt string) error {
	return nil
}
func (s *memStore) DeleteMedia(ctx context.Context, m *news.Media) ([]news.MediaUse, error) {
	return nil, nil
}

func TestLibraryAdd(t *testing.T) {
	dir := t.TempDir()
	store := &memStore{}
	lib := NewLibrary(dir, "/media/", store, nil, DefaultLimits)
	m := &news.Media{Caption: "图为城市书房", Credit: "记者 示例 摄", Alt: "书架", UploadedBy: 1}
	if err := lib.Add(context.Background(), testJPEG(t, 64, 48, 6), m); err != nil {
		t.Fatal(err)
	}
	if m.ID != 1 || !strings.HasPrefix(m.URL, "/media/") || !strings.HasSuffix(m.File, ".jpg") || m.Width != 48 {
		t.Errorf("recorded %+v", m)
	}
	data, err := os.ReadFile(lib.Path(m))
	if err != nil || int64(len(data)) != m.Bytes {
		t.Errorf("stored file: %v, %d bytes, want %d", err, len(data), m.Bytes)
	}
	if err := lib.Add(context.Background(), []byte("not a picture"), &news.Media{}); news.ErrorCode(err) != news.EINVALID {
		t.Errorf("Add of text: %v", err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 1 {
		t.Errorf("files under the media folder: %q, want the one picture", files)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add(testJPEG(f, 16, 8, 6))
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)))
	f.Add(b.Bytes())
	webp, _ := os.ReadFile(filepath.Join("testdata", "blue-purple-pink.lossy.webp"))
	f.Add(webp)
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 250_000, MaxSide: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Check(data, lim)
		if err != nil {
			if news.ErrorCode(err) != news.EINVALID {
				t.Fatalf("Check error %v is not a user error", err)
			}
			return
		}
		if info.Width*info.Height > lim.MaxPixels || info.Orientation < 1 || info.Orientation > 8 {
			t.Fatalf("Check passed %+v", info)
		}
		p, _, err := Prepare(data, lim)
		if err != nil {
			if news.ErrorCode(err) != news.EINVALID {
				t.Fatalf("Prepare error %v is not a user error", err)
			}
			return
		}
		if max(p.Width, p.Height) > lim.MaxSide {
			t.Fatalf("Prepare kept %dx%d", p.Width, p.Height)
		}
		if _, _, err := image.Decode(bytes.NewReader(p.Data)); err != nil {
			t.Fatalf("Prepare wrote an unreadable picture: %v", err)
		}
	})
}
