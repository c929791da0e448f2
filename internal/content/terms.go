package content

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

// Taxonomy terms (栏目, tags, authors) are names that anyone who files a
// story types. Hugo makes a term page's path from the term itself, so a
// name like "../notices/2026/12/x" would put a tag listing over another
// page, and punctuation gives links that do not resolve. Front matter
// therefore holds a term key for each name: the name itself when it is
// plain (Han characters, ASCII letters and digits: its URL, /tags/营商环境/,
// is the one it always had), otherwise a slug of lower-case ASCII letters,
// digits and hyphens (the name's pinyin and a hash of the name), with the
// name as typed in params.terms, which the theme shows.

// maxPlainTerm is the longest name used as its own term key, in runes.
const maxPlainTerm = 32

// TermKey returns the taxonomy term written into front matter for name.
func TermKey(name string) string {
	if plainTerm(name) {
		return name
	}
	return termSlug(name)
}

// plainTerm reports whether name is safe as a path segment and a URL as it
// is: every rune a Han character (not a compatibility ideograph, which
// Unicode normalization would change) or an ASCII letter or digit.
func plainTerm(name string) bool {
	if name == "" || utf8.RuneCountInString(name) > maxPlainTerm {
		return false
	}
	if strings.EqualFold(name, "page") {
		// /tags/page/2/ is the second page of the list of all tags.
		return false
	}
	for _, r := range name {
		switch {
		case r < utf8.RuneSelf:
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
				return false
			}
		case !unicode.Is(unicode.Han, r), 0xF900 <= r && r <= 0xFAFF, 0x2F800 <= r && r <= 0x2FA1F:
			return false
		}
	}
	return true
}

// termSlug is a name's pinyin (and ASCII letters and digits), then the
// first 8 hex digits of its SHA-256: readable, and distinct for distinct
// names (plain names never hold a hyphen, so no slug equals one).
func termSlug(name string) string {
	args := pinyin.NewArgs() // Normal style: no tones
	var words []string
	var ascii strings.Builder
	flush := func() {
		if ascii.Len() > 0 {
			words = append(words, ascii.String())
			ascii.Reset()
		}
	}
	for _, r := range name {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			ascii.WriteRune(r)
		case 'A' <= r && r <= 'Z':
			ascii.WriteRune(r + 'a' - 'A')
		case unicode.Is(unicode.Han, r):
			flush()
			if p := pinyin.SinglePinyin(r, args); len(p) > 0 {
				if w := asciiWord(p[0]); w != "" {
					words = append(words, w)
				}
			}
		default:
			flush()
		}
	}
	flush()
	base := ""
	for _, w := range words {
		if len(base)+len(w)+1 > 48 {
			break
		}
		if base != "" {
			base += "-"
		}
		base += w
	}
	if base == "" {
		base = "t"
	}
	sum := sha256.Sum256([]byte(name))
	return base + "-" + hex.EncodeToString(sum[:4])
}

// asciiWord keeps the lower-case ASCII letters and digits of a pinyin
// syllable, with ü as v.
func asciiWord(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			return r
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		case r == 'ü' || r == 'Ü':
			return 'v'
		}
		return -1
	}, s)
}

// termKeys maps names to term keys; names that are not their own key are
// added to names (key → name).
func termKeys(list []string, names map[string]string) []string {
	if len(list) == 0 {
		return nil
	}
	out := make([]string, len(list))
	for i, n := range list {
		out[i] = TermKey(n)
		if out[i] != n {
			names[out[i]] = n
		}
	}
	return out
}

// termNames maps term keys back to the names they stand for.
func termNames(keys []string, names map[string]string) []string {
	if len(keys) == 0 {
		return keys
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		if n, ok := names[k]; ok {
			out[i] = n
		} else {
			out[i] = k
		}
	}
	return out
}
