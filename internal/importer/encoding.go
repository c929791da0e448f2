package importer

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// ErrEncoding is returned (wrapped) by Decode when the bytes are not text
// in the encoding asked for, or in none of the encodings it recognises.
var ErrEncoding = errors.New("importer: cannot decode the page text")

// Names of the encodings Decode reports.
const (
	EncUTF8    = "UTF-8"
	EncUTF16LE = "UTF-16LE"
	EncUTF16BE = "UTF-16BE"
	EncGBK     = "GBK"
	EncGB18030 = "GB18030"
	EncBig5    = "Big5"
)

// Decode turns the bytes of an extracted page into text and says which
// encoding it used. Old archives are often GBK or GB18030 (the superset of
// GBK and GB2312), sometimes Big5 or UTF-16.
//
// With name empty (or "auto") the encoding is detected: a byte order mark
// decides; valid UTF-8 is UTF-8; otherwise GB18030 and Big5 are tried and
// the one that decodes without errors into the most common Chinese
// characters wins (GB18030 text that uses only GBK's two-byte codes is
// reported as GBK). With a name ("gbk", "gb18030", "big5", "utf-8",
// "utf-16le", any WHATWG label) that encoding is used, and bytes that are
// not valid in it are an error rather than silently replaced.
func Decode(b []byte, name string) (text, used string, err error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if name != "" && name != "auto" {
		return decodeAs(b, name)
	}
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		b = b[3:]
		if !utf8.Valid(b) {
			return "", "", fmt.Errorf("%w: it starts with a UTF-8 byte order mark but is not valid UTF-8", ErrEncoding)
		}
		return string(b), EncUTF8, nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return decodeWith(b, xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), EncUTF16LE)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return decodeWith(b, xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), EncUTF16BE)
	case utf8.Valid(b):
		return string(b), EncUTF8, nil
	}
	gb, _, gbErr := decodeWith(b, simplifiedchinese.GB18030, EncGB18030)
	big, _, bigErr := decodeWith(b, traditionalchinese.Big5, EncBig5)
	switch {
	case gbErr == nil && (bigErr != nil || commonHan(gb) >= commonHan(big)):
		if gbkOnly(b) {
			return gb, EncGBK, nil
		}
		return gb, EncGB18030, nil
	case bigErr == nil:
		return big, EncBig5, nil
	}
	return "", "", fmt.Errorf("%w: it is neither UTF-8 nor GBK/GB18030 nor Big5; give its encoding (e.g. --encoding gbk)", ErrEncoding)
}

func decodeAs(b []byte, name string) (string, string, error) {
	switch name {
	case "utf8", "utf-8":
		b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
		if !utf8.Valid(b) {
			return "", "", fmt.Errorf("%w: not valid UTF-8", ErrEncoding)
		}
		return string(b), EncUTF8, nil
	case "gbk", "cp936", "gb2312", "gb18030":
		// GB18030 decodes GBK and GB2312 too and knows more characters
		text, _, err := decodeWith(b, simplifiedchinese.GB18030, EncGB18030)
		if err != nil {
			return "", "", err
		}
		return text, strings.ToUpper(name), nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return "", "", fmt.Errorf("%w: unknown encoding %q (try gbk, gb18030, big5, utf-8 or utf-16le)", ErrEncoding, name)
	}
	canon, _ := htmlindex.Name(enc)
	return decodeWith(b, enc, canon)
}

// decodeWith decodes b strictly: a byte sequence that is not valid in enc
// (which x/text would turn into U+FFFD) is an error.
func decodeWith(b []byte, enc encoding.Encoding, name string) (string, string, error) {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", "", fmt.Errorf("%w as %s: %v", ErrEncoding, name, err)
	}
	if bytes.ContainsRune(out, utf8.RuneError) && !bytes.Contains(b, []byte("\xEF\xBF\xBD")) {
		at := bytes.IndexRune(out, utf8.RuneError)
		return "", "", fmt.Errorf("%w as %s: invalid byte sequence near character %d", ErrEncoding, name, utf8.RuneCount(out[:at]))
	}
	return string(bytes.TrimPrefix(out, []byte("\uFEFF"))), name, nil
}

// gbkOnly reports whether b uses no four-byte GB18030 sequences.
func gbkOnly(b []byte) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c < 0x80 {
			continue
		}
		if i+1 < len(b) && b[i+1] >= 0x30 && b[i+1] <= 0x39 {
			return false
		}
		i++
	}
	return true
}

// commonHan counts the characters of s among the most frequent Chinese
// characters: text decoded with the wrong one of two Chinese encodings
// gives valid but rare ideographs.
func commonHan(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) && strings.ContainsRune(frequentHan, r) {
			n++
		}
	}
	return n
}

// frequentHan holds common characters of Chinese news text in both simplified and
// traditional forms.
const frequentHan = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龍國會們這說時來個對為學發經與動業過後現義產"
