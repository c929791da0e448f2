package importer

import (
	"archive/zip"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

const encPage = "本报讯（记者 王晓明）近日，我市召开春季农业生产工作会议，部署全年粮食生产任务。\n" +
	"会议要求，各地要抓好春耕备耕，确保粮食播种面积稳定在１２万亩以上。\n春耕备耕会议召开\n"

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeDetects(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		want string
		text string
	}{
		{"utf8", []byte(encPage), EncUTF8, encPage},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, encPage...), EncUTF8, encPage},
		{"gbk", encode(t, simplifiedchinese.GBK, encPage), EncGBK, encPage},
		// 𠀀 (U+20000) exists only in GB18030's four-byte area
		{"gb18030", encode(t, simplifiedchinese.GB18030, encPage+"𠀀\n"), EncGB18030, encPage + "𠀀\n"},
		{"big5", encode(t, traditionalchinese.Big5, "本報訊 記者報道，會議要求各地抓好春耕備耕，確保糧食生產。\n"), EncBig5, "本報訊 記者報道，會議要求各地抓好春耕備耕，確保糧食生產。\n"},
		{"utf16le", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), encPage), EncUTF16LE, encPage},
		{"utf16be", encode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM), encPage), EncUTF16BE, encPage},
	} {
		got, used, err := Decode(c.b, "")
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if used != c.want || got != c.text {
			t.Errorf("%s: decoded as %s: %q", c.name, used, got)
		}
	}
}

func TestDecodeExplicit(t *testing.T) {
	gbk := encode(t, simplifiedchinese.GBK, encPage)
	if got, used, err := Decode(gbk, "gbk"); err != nil || got != encPage || used != "GBK" {
		t.Errorf("gbk: %q %s %v", got, used, err)
	}
	if got, used, err := Decode(gbk, "GB18030"); err != nil || got != encPage || used != "GB18030" {
		t.Errorf("gb18030: %q %s %v", got, used, err)
	}
	// GBK bytes are not UTF-8: asked for UTF-8, it is an error, not mojibake
	if _, _, err := Decode(gbk, "utf-8"); !errors.Is(err, ErrEncoding) {
		t.Errorf("gbk as utf-8: err = %v", err)
	}
	if _, _, err := Decode([]byte(encPage), "klingon"); !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), "unknown encoding") {
		t.Errorf("unknown encoding: err = %v", err)
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	junk := []byte{0x81, 0x20, 0xFF, 0xFF, 0x80, 0x80, 0xFE, 0x7F, 0x00}
	if _, _, err := Decode(junk, ""); !errors.Is(err, ErrEncoding) {
		t.Errorf("garbage decoded: err = %v", err)
	}
}

// TestDecodeCorpusGBK decodes the original 199801.txt of the 1998 corpus
// (GBK, CRLF) and checks that its text is the one of articles.jsonl.
func TestDecodeCorpusGBK(t *testing.T) {
	zr, err := zip.OpenReader(filepath.Join(corpusDir(), "199801.zip"))
	if err != nil {
		t.Skipf("the 1998 corpus is not here (%v): set NEWSROOM_CORPUS to its folder to run this test", err)
	}
	defer zr.Close()
	if len(zr.File) == 0 {
		t.Fatal("empty zip")
	}
	f, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	text, used, err := Decode(raw, "")
	if err != nil {
		t.Fatal(err)
	}
	if used != EncGBK && used != EncGB18030 {
		t.Errorf("199801.txt detected as %s", used)
	}
	// the first article of articles.jsonl is in the decoded text (its
	// words, joined without the tags)
	pages := loadCorpus(t)
	first := []rune(strings.Split(pages[0][0].Body, "\n\n")[0])
	var joined strings.Builder
	for _, l := range strings.SplitN(text, "\n", 50) {
		for _, tok := range strings.Fields(l) {
			if i := strings.LastIndex(tok, "/"); i > 0 {
				joined.WriteString(strings.Trim(tok[:i], "[]"))
			}
		}
	}
	if want := string(first[:min(10, len(first))]); !strings.Contains(joined.String(), want) {
		t.Errorf("decoded corpus does not contain %q", want)
	}
}
