package content

import (
	"path"
	"strings"
	"time"

	"newsroom/internal/news"
)

// The one mapping between content files, their keys and their public URLs
// (docs/content-format.md): a file stories/2023/06/x.md has the key
// stories/2023/06/x, belongs to the month 2023-06 and is served at
// /stories/2023/06/x/.

// RelPath is where an item of kind k with slug, dated t, lives below content/.
func RelPath(k news.Kind, t time.Time, slug string) string {
	dir := "stories"
	if k == news.KindNotice {
		dir = "notices"
	}
	return path.Join(dir, t.In(news.Shanghai).Format("2006/01"), slug+".md")
}

// URLOf returns the public URL of the content file at rel.
func URLOf(rel string) string {
	return "/" + strings.TrimSuffix(rel, ".md") + "/"
}

// FileOf returns the content file (below content/) served at a public URL
// (/stories/2023/06/x/ → stories/2023/06/x.md).
func FileOf(url string) string { return FileOfKey(strings.Trim(url, "/")) }

// FileOfKey returns the content file of a key (stories/2023/06/x →
// stories/2023/06/x.md).
func FileOfKey(key string) string { return key + ".md" }

// KeyOf reports whether rel (slash-separated, below content/) is a story
// or notice file, and if so its key ("stories/2023/06/x") and the month it
// belongs to ("2023-06"). Files whose name begins with "_" (list pages) or
// "." (temporary files) are not items; Hugo ignores the latter too.
func KeyOf(rel string) (key, month string, ok bool) {
	// stories/YYYY/MM/NAME.md or notices/YYYY/MM/NAME.md, by hand: the
	// catalog calls this for every file of the archive.
	var top string
	switch {
	case strings.HasPrefix(rel, "stories/"):
		top = "stories/"
	case strings.HasPrefix(rel, "notices/"):
		top = "notices/"
	default:
		return "", "", false
	}
	rest := rel[len(top):]
	if len(rest) < len("YYYY/MM/x.md") || rest[4] != '/' || rest[7] != '/' || !digits(rest[:4]) || !digits(rest[5:7]) {
		return "", "", false
	}
	name, isMD := strings.CutSuffix(rest[8:], ".md")
	if !isMD || name == "" || strings.Contains(name, "/") || name[0] == '_' || name[0] == '.' {
		return "", "", false
	}
	return rel[:len(rel)-len(".md")], rest[:4] + "-" + rest[5:7], true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
