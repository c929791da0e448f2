package site

import (
	"errors"
	"fmt"
	"io/fs"
	"newsroom/internal/content"
	"os"
	"path/filepath"
)

// contentKey turns "stories/2023/06/x.md" into "stories/2023/06/x" and
// reports the month part ("2023-06") it belongs to (content.KeyOf).
func contentKey(rel string) (key, month string, ok bool) { return content.KeyOf(rel) }

// cachedCatalog returns the cached catalog, walking content/ the first
// time. The maps are never changed in place (see touchCatalog), so a
// caller may keep using them without the lock. The caller holds a.mu.
func (a *Archive) cachedCatalog() (map[string]map[string]fileSig, error) {
	if a.months != nil {
		return a.months, nil
	}
	return a.catalog()
}

// touchCatalog updates the cached catalog for the given content files
// (changed or removed), copying the maps it changes. The caller holds a.mu.
func (a *Archive) touchCatalog(rels []string) {
	if a.months == nil {
		return
	}
	next := make(map[string]map[string]fileSig, len(a.months)+1)
	for k, v := range a.months {
		next[k] = v
	}
	copied := map[string]bool{}
	for _, rel := range rels {
		_, month, ok := contentKey(rel)
		if !ok {
			continue
		}
		if !copied[month] {
			m := make(map[string]fileSig, len(next[month])+1)
			for k, v := range next[month] {
				m[k] = v
			}
			next[month] = m
			copied[month] = true
		}
		if info, err := os.Stat(filepath.Join(a.Root, "content", filepath.FromSlash(rel))); err == nil {
			next[month][rel] = fileSig{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
		} else {
			delete(next[month], rel)
		}
		if len(next[month]) == 0 {
			delete(next, month)
		}
	}
	a.months = next
}

// catalog lists the archive's content files by month part, with their
// signatures, and caches the list. It reads directory entries and file
// sizes only. The caller holds a.mu.
func (a *Archive) catalog() (map[string]map[string]fileSig, error) {
	months := map[string]map[string]fileSig{}
	contentDir := filepath.Join(a.Root, "content")
	for _, top := range []string{"stories", "notices"} {
		base := filepath.Join(contentDir, top)
		err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && p == base {
					return filepath.SkipDir
				}
				return err
			}
			if d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(contentDir, p)
			rel = filepath.ToSlash(rel)
			_, month, ok := contentKey(rel)
			if !ok {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil // removed while walking
			}
			if months[month] == nil {
				months[month] = map[string]fileSig{}
			}
			months[month][rel] = fileSig{Size: info.Size(), ModTime: info.ModTime().UnixNano()}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list content: %w", err)
		}
	}
	a.months = months
	return months, nil
}

// frontMeta reads date, edition and withdrawal from a content file's
// front matter (content.ReadMeta); a file that cannot be read has none.
func frontMeta(file string) fileMeta {
	m, _ := content.ReadMeta(file)
	return fileMetaOf(m)
}

// fileMetaOf is what a part keeps of a content file's catalog fields.
func fileMetaOf(m content.Meta) fileMeta {
	return fileMeta{Date: m.Date, Modified: m.Lastmod, Edition: m.Edition, Page: m.Page, Unlisted: m.Unlisted}
}
