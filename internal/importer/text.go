package importer

import (
	"strings"
	"unicode"
)

// isHan reports whether r is a CJK ideograph.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isASCIIWord reports whether r may be part of a Latin word, number, phone
// number, e-mail address or URL.
func isASCIIWord(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("@._-+/:%#&=~", r))
}

func isASCIILetter(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }

// runeWidth is the printed width of r in em: ideographs and full-width
// punctuation are one em, Latin letters and digits about half, curly quotes
// are usually compressed to half an em.
func runeWidth(r rune) float64 {
	switch {
	case r == ' ' || r == '\t':
		return 0
	case strings.ContainsRune("“”‘’", r):
		return 0.5
	case r < 0x80:
		return 0.5
	}
	return 1
}

// textWidth is the printed width of s in em, ignoring spaces (which in
// extracted text are mostly justification artefacts).
func textWidth(s string) float64 {
	var w float64
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// isJustified reports whether a line was stretched to the column width by
// letter spacing, which pdftotext renders as spaces between the characters
// ("发 展 工 程"). Such a line is known to be full width.
func isJustified(s string) bool {
	rs := []rune(strings.TrimSpace(s))
	gaps, chars := 0, 0
	for i, r := range rs {
		if r != ' ' {
			chars++
			continue
		}
		if i > 0 && i+1 < len(rs) && rs[i-1] != ' ' && rs[i+1] != ' ' && (!isASCIIWord(rs[i-1]) || !isASCIIWord(rs[i+1])) {
			gaps++
		}
	}
	return gaps >= 3 && gaps*10 >= chars*3
}

// sentencePunct are the marks that (almost) never occur inside a headline.
const sentencePunct = "，。；！？,;!?"

func hasSentencePunct(s string) bool { return strings.ContainsAny(s, sentencePunct) }

// endsSentence reports whether s ends with sentence-final punctuation,
// possibly followed by closing quotes or brackets (…。” / …！）).
func endsSentence(s string) bool {
	rs := []rune(strings.TrimSpace(s))
	// a note in brackets after the last sentence: …。（均据新华社）
	if n := len(rs); n > 2 && (rs[n-1] == '）' || rs[n-1] == ')') {
		for k := n - 2; k > 0 && n-k <= 40; k-- {
			if rs[k] == '（' || rs[k] == '(' {
				if strings.ContainsRune("。！？!?", rs[k-1]) {
					return true
				}
				break
			}
		}
	}
	for len(rs) > 0 && strings.ContainsRune("”’」』）)》", rs[len(rs)-1]) {
		rs = rs[:len(rs)-1]
	}
	if len(rs) == 0 {
		return false
	}
	return strings.ContainsRune("。！？!?…", rs[len(rs)-1])
}

// joinLines joins the lines of one paragraph. Lines broken at the column
// width join without a space, except between two Latin letters, where the
// break stood for a space ("COVID\n19" is ambiguous and joins with none).
func joinLines(lines []string) string {
	var b strings.Builder
	var last rune
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		first := []rune(l)[0]
		if i > 0 && isASCIILetter(last) && isASCIILetter(first) {
			b.WriteByte(' ')
		}
		b.WriteString(l)
		rs := []rune(l)
		last = rs[len(rs)-1]
	}
	return b.String()
}

// cleanBody normalises spacing in body text: whitespace runs collapse and a
// space survives only between two Latin/digit tokens ("COVID 19"); spaces
// next to CJK characters or CJK punctuation are extraction artefacts
// ("6省 20市" → "6省20市", "发 展" → "发展").
func cleanBody(s string) string {
	rs := []rune(s)
	var out []rune
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !unicode.IsSpace(r) && r != '\u3000' {
			out = append(out, r)
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsSpace(rs[j]) || rs[j] == '\u3000') {
			j++
		}
		if len(out) > 0 && j < len(rs) && isSpaceKeeper(out[len(out)-1]) && isSpaceKeeper(rs[j]) {
			out = append(out, ' ')
		}
		i = j - 1
	}
	return string(out)
}

func isSpaceKeeper(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("%.,)]", r))
}

// cleanHeadline normalises a headline: letter-spaced headlines lose all
// spaces; otherwise a single space is kept between two ideographs (a
// deliberate gap between the two halves of a title) and between Latin
// tokens, and dropped elsewhere.
func cleanHeadline(s string) string {
	s = strings.TrimSpace(s)
	if isJustified(s) {
		return cleanBody(s)
	}
	rs := []rune(s)
	var out []rune
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if !unicode.IsSpace(r) && r != '\u3000' {
			out = append(out, r)
			continue
		}
		j := i
		for j < len(rs) && (unicode.IsSpace(rs[j]) || rs[j] == '\u3000') {
			j++
		}
		if len(out) > 0 && j < len(rs) {
			a, b := out[len(out)-1], rs[j]
			if (isHan(a) || strings.ContainsRune("”’」』》", a)) && (isHan(b) || strings.ContainsRune("“‘「『《", b)) || isSpaceKeeper(a) && isSpaceKeeper(b) {
				out = append(out, ' ')
			}
		}
		i = j - 1
	}
	return string(out)
}

// hanOnly keeps only the ideographs of s (used for word overlap).
func hanOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if isHan(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// bigrams returns the set of ideograph bigrams of s.
func bigrams(s string) map[string]bool {
	rs := []rune(hanOnly(s))
	m := make(map[string]bool, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		m[string(rs[i:i+2])] = true
	}
	return m
}

// snippet shortens s for a report line.
func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}
