package importer

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	phoneRe   = regexp.MustCompile(`0[0-9]{2,3}-[0-9]{7,8}|(?:^|[^0-9])(1[3-9][0-9]{9})(?:[^0-9]|$)`)
	hotlineRe = regexp.MustCompile(`(?:^|[^0-9-])(1[0-9]{4})(?:[^0-9-]|$)`)
	emailRe   = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	docNoRe   = regexp.MustCompile(`[\p{Han}]{1,12}[〔\[【（(][0-9]{4}[〕\]】）)][0-9]{1,4}号`)
)

// finish turns the drafts into Items.
func (p *parser) finish() []Item {
	var out []Item
	for _, d := range p.items {
		if len(d.texts) == 0 && d.credit == "" && d.title == "" && d.sig == nil {
			continue
		}
		it := Item{
			Kind:     KindStory,
			Kicker:   d.kicker,
			Title:    d.title,
			Subtitle: d.subtitle,
			Authors:  append([]string{}, d.authors...),
			Bylines:  append([]string{}, d.bylines...),
			Source:   d.source,
			Body:     strings.Join(d.texts, "\n\n"),
			Date:     p.opts.Date,
			Page:     p.opts.Page,
			PageName: p.opts.PageName,
			Vertical: d.vertical,
		}
		for _, t := range d.trailers {
			inside := trailerRe.FindStringSubmatch(t.lines[0].text)[1]
			if src, ok := parseTrailerSource(inside); ok {
				if it.Source == "" {
					it.Source = src
				} else {
					// a second source note (（新华社稿） after a dateline) is
					// kept with the bylines, as printed
					it.Bylines = append(it.Bylines, src)
				}
				continue
			}
			bl, names, ok := parseNames(inside, false)
			if !ok {
				// names printed without a gap: kept as printed
				bl = []string{cleanBody(inside)}
				p.uncertain("byline 「%s」: names could not be separated", bl[0])
			}
			it.Bylines = append(it.Bylines, bl...)
			it.Authors = append(it.Authors, names...)
		}
		switch {
		case d.photo:
			it.Kind = KindPhoto
			// the caption is the photo's text; it is not also a body
			it.Caption = strings.Join(d.texts, "")
			it.Body = ""
			if d.credit != "" {
				m := creditRe.FindStringSubmatch(d.credit)
				it.Credit = strings.Join(strings.Fields(strings.Trim(d.credit, "（）()")), " ")
				if m != nil {
					it.Authors = append(it.Authors, strings.Fields(m[2])...)
				}
				it.Bylines = append(it.Bylines, it.Credit)
			}
		case d.sig != nil || noticeTitleRe.MatchString(d.title):
			it.Kind = KindNotice
			it.Notice = p.notice(d, it.Body)
		}
		if it.Title == "" {
			what := it.Kind
			p.uncertain("%s 「%s」 has no headline", what, snippet(firstNonEmpty(it.Body, it.Credit), 20))
		}
		out = append(out, it)
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// notice extracts issuers, date, phones, e-mails and document number.
func (p *parser) notice(d *draft, body string) *Notice {
	n := &Notice{Issuers: []string{}, Phones: []string{}, Emails: []string{}}
	if d.sig != nil {
		for _, l := range d.sig.lines {
			n.Issuers = append(n.Issuers, cleanBody(l.text))
		}
		n.IssuedOn = isoDate(d.sig.date)
	} else {
		p.uncertain("notice 「%s」 has no issuer/date signature", snippet(firstNonEmpty(d.title, body), 20))
	}
	seen := map[string]bool{}
	add := func(list *[]string, v string) {
		if v != "" && !seen[v] {
			seen[v] = true
			*list = append(*list, v)
		}
	}
	for _, m := range phoneRe.FindAllStringSubmatch(body, -1) {
		if m[1] != "" {
			add(&n.Phones, m[1])
		} else {
			add(&n.Phones, m[0])
		}
	}
	for _, loc := range hotlineRe.FindAllStringSubmatchIndex(body, -1) {
		num := body[loc[2]:loc[3]]
		before := body[max(0, loc[2]-12):loc[2]]
		after := body[loc[3]:min(len(body), loc[3]+24)]
		if strings.Contains(before, "拨打") || strings.Contains(before, "电话") || strings.Contains(before, "热线") || strings.Contains(after, "热线") {
			add(&n.Phones, num)
		}
	}
	for _, e := range emailRe.FindAllString(body, -1) {
		add(&n.Emails, e)
	}
	n.DocNumber = docNoRe.FindString(body)
	return n
}

var cnDigits = map[rune]int{'〇': 0, '零': 0, '○': 0, 'Ｏ': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// cnNumber converts "2023" / "二〇二三" / "十二" / "二十八" to an int.
func cnNumber(s string) int {
	n, ok := 0, true
	for _, r := range s {
		if r < '0' || r > '9' {
			ok = false
			break
		}
		n = n*10 + int(r-'0')
	}
	if ok {
		return n
	}
	rs := []rune(s)
	if strings.ContainsRune(s, '十') {
		tens, ones := 1, 0
		parts := strings.SplitN(s, "十", 2)
		if parts[0] != "" {
			tens = cnDigits[[]rune(parts[0])[0]]
		}
		if parts[1] != "" {
			ones = cnDigits[[]rune(parts[1])[0]]
		}
		return tens*10 + ones
	}
	n = 0
	for _, r := range rs {
		n = n*10 + cnDigits[r]
	}
	return n
}

// isoDate turns "2023年5月8日" (or in Chinese numerals) into "2023-05-08".
func isoDate(s string) string {
	m := dateRe.FindStringSubmatch(compact(s))
	if m == nil {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", cnNumber(m[1]), cnNumber(m[2]), cnNumber(m[3]))
}
