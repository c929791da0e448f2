package ingest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"newsroom/internal/importer"
	"newsroom/internal/news"
)

// Untitled is the headline given to an item whose headline was not found.
const Untitled = "（无标题）"

// StoryOf maps an imported item onto a draft story. Notes say what had to
// be changed to make it storable.
func StoryOf(it importer.Item) (*news.Story, []string) {
	var notes []string
	s := &news.Story{
		Kind:     news.Kind(it.Kind),
		Kicker:   headline(it.Kicker, "kicker", &notes),
		Title:    headline(it.Title, "title", &notes),
		Subtitle: headline(it.Subtitle, "subtitle", &notes),
		Vertical: it.Vertical,
		Authors:  slices.Clone(it.Bylines),
		Source:   it.Source,
		Body:     it.Body,
		Edition:  it.Date,
		Page:     it.Page,
		PageName: it.PageName,
		Section:  it.PageName,
	}
	if s.Title == "" {
		s.Title = Untitled
	}
	if s.Section == "" {
		s.Section = "要闻"
	}
	if !s.Kind.Valid() {
		notes = append(notes, fmt.Sprintf("unknown kind %q imported as a story", it.Kind))
		s.Kind = news.KindStory
	}
	if s.Kind == news.KindPhoto {
		s.Photos = []news.Photo{{Src: "/images/placeholder-photo.svg", Caption: it.Caption, Credit: it.Credit, Placeholder: true}}
	}
	if s.Kind == news.KindNotice {
		if it.Notice != nil && len(it.Notice.Issuers) > 0 {
			n := &news.NoticeInfo{Issuers: it.Notice.Issuers, IssuedOn: it.Notice.IssuedOn, Phones: it.Notice.Phones, DocNumber: it.Notice.DocNumber}
			if len(it.Notice.Emails) > 0 {
				n.Email = it.Notice.Emails[0]
			}
			s.Notice = n
		} else {
			notes = append(notes, "notice without an issuer imported as a story")
			s.Kind = news.KindStory
		}
	}
	return s, notes
}

// headline makes a headline storable: one line, at most 120 characters.
func headline(h, name string, notes *[]string) string {
	h = strings.Join(strings.Fields(h), " ")
	if r := []rune(h); len(r) > 120 {
		*notes = append(*notes, fmt.Sprintf("%s longer than 120 characters, cut", name))
		h = string(r[:119]) + "…"
	}
	return h
}

// EditionTime is the publication time of the index-th item of the edition
// of date: an archive page is dated on the day it was printed, 06:00
// Shanghai time plus index seconds (to keep the page order), or now if
// that is later than now.
func EditionTime(date string, index int, now time.Time) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, date, news.Shanghai)
	if err != nil {
		return now
	}
	t = t.Add(6*time.Hour + time.Duration(index)*time.Second)
	if t.After(now) {
		return now
	}
	return t
}
