package search

import (
	"html"
	"sort"
	"strings"
	"unicode/utf8"
)

// Span is a byte range [Start, End) of a field's original text that a query
// matched.
type Span struct{ Start, End int }

// mergeSpans sorts spans and merges overlapping and touching ones, so the
// bigrams 冯成+成定 or the words 吕梁市+离石区 become one mark, not one mark
// per token or character.
func mergeSpans(spans []Span, textLen int) []Span {
	out := make([]Span, 0, len(spans))
	for _, s := range spans {
		if s.Start < 0 || s.End > textLen || s.Start >= s.End {
			continue // stale or foreign offsets: never slice out of range
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		return out[i].End > out[j].End
	})
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.Start <= merged[n-1].End {
			if s.End > merged[n-1].End {
				merged[n-1].End = s.End
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// Highlight returns text HTML-escaped, with every (merged) span wrapped in
// <mark>…</mark>. Spans are byte offsets into text.
func Highlight(text string, spans []Span) string {
	spans = mergeSpans(spans, len(text))
	return render(text, 0, len(text), spans)
}

// render writes text[from:to] escaped, with the spans inside it marked and
// runs of white space (paragraph breaks) collapsed to one space.
func render(text string, from, to int, spans []Span) string {
	var b strings.Builder
	b.Grow((to - from) + 32)
	write := func(s string) {
		lastSpace := false
		for _, r := range s {
			if r == '\n' || r == '\r' || r == '\t' || r == ' ' || r == '\u3000' {
				if !lastSpace {
					b.WriteByte(' ')
				}
				lastSpace = true
				continue
			}
			lastSpace = false
			b.WriteString(html.EscapeString(string(r)))
		}
	}
	pos := from
	for _, s := range spans {
		if s.End <= from || s.Start >= to {
			continue
		}
		st, en := max(s.Start, from), min(s.End, to)
		write(text[pos:st])
		b.WriteString("<mark>")
		write(text[st:en])
		b.WriteString("</mark>")
		pos = en
	}
	write(text[pos:to])
	return b.String()
}

// Snippet returns about maxRunes characters of text around its best passage,
// the window holding the most distinct matched terms (then the most
// matches, then the earliest), HTML-escaped with the matches marked and …
// where text was cut. Without spans it returns the start of the text.
func Snippet(text string, spans []Span, maxRunes int) string {
	if maxRunes <= 0 {
		maxRunes = 120
	}
	spans = mergeSpans(spans, len(text))
	total := utf8.RuneCountInString(text)
	if total <= maxRunes {
		return strings.TrimSpace(render(text, 0, len(text), spans))
	}
	// byte offset of every rune, plus len(text) as a sentinel
	offs := make([]int, 0, total+1)
	for i := range text {
		offs = append(offs, i)
	}
	offs = append(offs, len(text))
	runeAt := func(byteOff int) int { return sort.SearchInts(offs, byteOff) }

	// the folded text of each span, compared by every window below
	keys := make([]string, len(spans))
	for i, t := range spans {
		keys[i] = Fold(text[t.Start:t.End])
	}
	const lead = 30 // context kept before the first match of the window
	bestFrom, bestScore, bestCount := 0, -1, -1
	for _, s := range spans {
		at := runeAt(s.Start)
		from := max(at-lead, 0)
		// Start at the beginning of the sentence when it is close by, so
		// the snippet does not open with half a date.
		for k := at - 1; k >= max(at-lead, 0); k-- {
			if k == 0 {
				from = 0
				break
			}
			if r, _ := utf8.DecodeRuneInString(text[offs[k]:]); strings.ContainsRune("\n。！？；", r) {
				from = k + 1
				break
			}
		}
		to := min(from+maxRunes, total)
		seen := map[string]bool{}
		count := 0
		for i, t := range spans {
			if t.Start >= offs[from] && t.End <= offs[to] {
				seen[keys[i]] = true
				count++
			}
		}
		if len(seen) > bestScore || len(seen) == bestScore && count > bestCount {
			bestFrom, bestScore, bestCount = from, len(seen), count
		}
	}
	from := bestFrom
	to := min(from+maxRunes, total)
	endByte := offs[to]
	// never cut a mark in two
	for _, s := range spans {
		if s.Start < endByte && s.End > endByte {
			endByte = s.End
		}
	}
	out := strings.TrimSpace(render(text, offs[from], endByte, spans))
	if from > 0 {
		out = "…" + out
	}
	if endByte < len(text) {
		out += "…"
	}
	return out
}
