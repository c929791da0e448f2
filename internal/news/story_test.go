package news

import "testing"

func TestStoryValidate(t *testing.T) {
	ok := Story{Title: "高考首日", Body: "正文。", Section: "要闻"}
	ok.Normalize()
	if err := ok.Publishable(); err != nil {
		t.Fatalf("valid story refused: %v", err)
	}
	cases := map[string]struct {
		s     Story
		field string
	}{
		"no title":       {Story{Body: "x"}, "title"},
		"title newline":  {Story{Title: "a\nb"}, "title"},
		"bad edition":    {Story{Title: "t", Edition: "2023-6-8"}, "edition"},
		"repost no src":  {Story{Title: "t", Source: "转载"}, "repost"},
		"notice no body": {Story{Title: "t", Kind: KindNotice}, "notice"},
		"bad kind":       {Story{Title: "t", Kind: "blog"}, "kind"},
	}
	for name, c := range cases {
		c.s.Normalize()
		err := c.s.Validate()
		if ErrorCode(err) != EINVALID {
			t.Errorf("%s: code %q, want invalid", name, ErrorCode(err))
			continue
		}
		if ErrorFields(err)[c.field] == "" {
			t.Errorf("%s: no message for field %s in %v", name, c.field, ErrorFields(err))
		}
	}
	draft := Story{Title: "只有标题"}
	draft.Normalize()
	if err := draft.Validate(); err != nil {
		t.Errorf("a draft with only a title must save: %v", err)
	}
	if ErrorFields(draft.Publishable())["body"] == "" {
		t.Error("publishing without a body must be refused")
	}
}

func TestErrorHelpers(t *testing.T) {
	if ErrorCode(nil) != "" {
		t.Error("nil error has a code")
	}
	if ErrorCode(errString("disk full")) != EINTERNAL {
		t.Error("plain errors must be internal")
	}
	if ErrorMessage(errString("/secret/path")) == "/secret/path" {
		t.Error("internal messages must not leak")
	}
}

type errString string

func (e errString) Error() string { return string(e) }
