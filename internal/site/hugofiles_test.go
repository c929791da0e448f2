package site

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Within this package only hugo.go and deploy.go talk to Hugo: the files
// that decide parts and write trees must not depend on Hugo's API.
func TestOnlyTheHugoFilesImportHugo(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"hugo.go": true, "deploy.go": true}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || allowed[name] {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, "github.com/gohugoio/hugo") {
				t.Errorf("%s imports %s; only hugo.go and deploy.go may", name, p)
			}
		}
	}
}
