package news

import "unicode"

// ControlChar returns the first character of s that no field a person
// types may hold, and whether there is one: control characters (NUL,
// escape, backspace …), the Unicode line and paragraph separators, and the
// bidirectional overrides that make text read differently from how it is
// stored. multiline allows newlines and tabs (a body, a comment).
func ControlChar(s string, multiline bool) (rune, bool) {
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case unicode.IsControl(r),
			r == '\u2028', r == '\u2029',
			r >= '\u202a' && r <= '\u202e',
			r >= '\u2066' && r <= '\u2069':
			return r, true
		}
	}
	return 0, false
}
