package news

import (
	"strings"
	"testing"
)

func TestControlChar(t *testing.T) {
	for _, s := range []string{"吕梁日报", "a b", "全角　空格", "emoji 😀", ""} {
		if r, bad := ControlChar(s, false); bad {
			t.Errorf("%q: refused for U+%04X", s, r)
		}
	}
	for _, s := range []string{"a\x00b", "a\x1bb", "a\x7fb", "a\u0085b", "a\u2028b", "a\u202eb", "a\u2066b", "a\rb"} {
		if _, bad := ControlChar(s, true); !bad {
			t.Errorf("%q: accepted", s)
		}
	}
	if _, bad := ControlChar("第一段\n\n\t第二段", true); bad {
		t.Error("newlines and tabs refused in a body")
	}
	if _, bad := ControlChar("标题\n", false); !bad {
		t.Error("a newline accepted in a one-line field")
	}
	s := &Story{Title: "标题", Body: "正文\u0000", Tags: []string{"标签"}, Kind: KindStory,
		Notice: &NoticeInfo{Issuers: []string{"单位\u0007"}}}
	err := s.Validate()
	if f := ErrorFields(err); f["body"] == "" || f["notice"] == "" || !strings.Contains(f["body"], "U+0000") {
		t.Errorf("control characters in body and notice: %v", err)
	}
}
