package site

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// load reads the parts' state saved by the last build.
func (a *Archive) load() {
	if a.loaded {
		return
	}
	a.loaded = true
	a.parts = map[string]*partState{}
	a.news = map[string]newsItem{}
	a.dirty = map[string]bool{}
	a.live = a.Current()
	entries, _ := os.ReadDir(filepath.Join(a.Data, "parts"))
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".gob")
		if !ok {
			continue
		}
		var st partState
		f, err := os.Open(filepath.Join(a.Data, "parts", e.Name()))
		if err != nil {
			continue
		}
		if gob.NewDecoder(bufio.NewReader(f)).Decode(&st) == nil {
			a.parts[name] = &st
		}
		f.Close()
	}
	if b, err := os.ReadFile(filepath.Join(a.Data, "parts", "hot.keys")); err == nil {
		a.hot, a.hotEds = map[string]bool{}, map[string]bool{}
		for _, k := range strings.Fields(string(b)) {
			if ed, ok := strings.CutPrefix(k, "edition/"); ok {
				a.hotEds[ed] = true
			} else {
				a.hot[k] = true
			}
		}
	}
	a.hotTerms = a.termsOfKeys(a.hot)
}

func (a *Archive) saveState(name string, st *partState) error {
	dir := filepath.Join(a.Data, "parts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(st); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, name+".gob"), buf.Bytes())
}

func (a *Archive) saveHot() error {
	keys := make([]string, 0, len(a.hot)+len(a.hotEds))
	for k := range a.hot {
		keys = append(keys, k)
	}
	for ed := range a.hotEds {
		keys = append(keys, "edition/"+ed)
	}
	sort.Strings(keys)
	if err := os.MkdirAll(filepath.Join(a.Data, "parts"), 0o755); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(a.Data, "parts", "hot.keys"), []byte(strings.Join(keys, "\n")))
}

// themeSignature changes when the configuration, theme or static files
// change: then every part must be rendered again.
func (a *Archive) themeSignature() string {
	h := fnv.New64a()
	// Every page carries the public address (canonical, feeds, sitemaps).
	fmt.Fprintf(h, "baseURL %s\n", a.BaseURL)
	for _, dir := range []string{"hugo.toml", "themes", "static", "layouts", "assets", "i18n", "data"} {
		filepath.WalkDir(filepath.Join(a.Root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			info, err := d.Info()
			if err == nil {
				// Relative: a site folder moved or restored elsewhere
				// keeps its signature (a million-story full build is
				// half an hour).
				rel, _ := filepath.Rel(a.Root, p)
				fmt.Fprintf(h, "%s %d %d\n", filepath.ToSlash(rel), info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return fmt.Sprintf("%x", h.Sum64())
}
