package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"newsroom/internal/httpx"
)

// TestSearchParametersAreBounded: the filters a reader sends are checked
// for length and control characters, and page is a plain number.
func TestSearchParametersAreBounded(t *testing.T) {
	ok := []url.Values{
		{"q": {"高考"}},
		{"section": {strings.Repeat("栏", 40)}},
		{"issuer": {strings.Repeat("单", 100)}},
		{"q": {"高考"}, "page": {"2"}},
	}
	bad := []url.Values{
		{"section": {strings.Repeat("栏", 41)}},
		{"issuer": {strings.Repeat("单", 101)}},
		{"q": {strings.Repeat("字", 201)}},
		{"q": {"高\x00考"}},
		{"section": {"要闻\u202e"}},
		{"q": {"高考"}, "page": {"+2"}},
		{"q": {"高考"}, "page": {"-1"}},
		{"q": {"高考"}, "page": {"1e3"}},
	}
	for _, v := range ok {
		if _, err := parseQuery(httptest.NewRequest("GET", "/api/search?"+v.Encode(), nil)); err != nil {
			t.Errorf("%s refused: %v", v.Encode(), err)
		}
	}
	for _, v := range bad {
		if _, err := parseQuery(httptest.NewRequest("GET", "/api/search?"+v.Encode(), nil)); httpx.Status(err) != 400 {
			t.Errorf("%s: %v, want 400", v.Encode(), err)
		}
	}
}
