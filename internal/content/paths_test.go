package content

import "testing"

func TestKeysFilesAndURLs(t *testing.T) {
	for _, c := range []struct{ rel, key, month string }{
		{"stories/2023/06/x.md", "stories/2023/06/x", "2023-06"},
		{"notices/2026/12/20261208-3c1bcb.md", "notices/2026/12/20261208-3c1bcb", "2026-12"},
		{"stories/2023/06/_index.md", "", ""},
		{"stories/2023/06/.tmp-1.md", "", ""},
		{"stories/2023/06/x.txt", "", ""},
		{"stories/2023/6/x.md", "", ""},
		{"stories/2023/06/a/x.md", "", ""},
		{"stories/2023/06/.md", "", ""},
		{"search/_index.md", "", ""},
		{"stories/x.md", "", ""},
	} {
		key, month, ok := KeyOf(c.rel)
		if key != c.key || month != c.month || ok != (c.key != "") {
			t.Errorf("KeyOf(%q) = %q %q %v", c.rel, key, month, ok)
		}
		if !ok {
			continue
		}
		if url := URLOf(c.rel); url != "/"+c.key+"/" || FileOf(url) != c.rel || FileOfKey(key) != c.rel {
			t.Errorf("%s: URL %s, back %s", c.rel, url, FileOf(url))
		}
	}
}
