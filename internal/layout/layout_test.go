package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "newsroom"

// pkg is what `go list -json` says of a package.
type pkg struct {
	ImportPath   string
	Imports      []string // direct imports of the package's non-test files
	Deps         []string // everything the package needs to build, transitively
	TestImports  []string
	XTestImports []string
}

// listPackages lists every package of the module with its imports, as the
// go command sees them (build tags included, as in `go build ./...`).
func listPackages(t *testing.T) map[string]pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(&out)
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = p
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

func own(path string) bool { return path == module || strings.HasPrefix(path, module+"/") }

// TestImportRules checks the layout's rules on the real import graph.
func TestImportRules(t *testing.T) {
	pkgs := listPackages(t)
	for _, name := range []string{module + "/internal/news", module + "/internal/sqlite", module + "/internal/site",
		module + "/admin", module + "/search", module + "/internal/desk", module + "/cmd/newsroom"} {
		if _, ok := pkgs[name]; !ok {
			t.Fatalf("package %s not found: update this test with the layout", name)
		}
	}
	for _, p := range pkgs {
		for _, v := range violations(p) {
			t.Error(v)
		}
	}
}

// violations returns what p breaks of the layout's rules.
func violations(p pkg) []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, p.ImportPath+": "+fmt.Sprintf(format, args...)) }
	// The domain depends on nothing of the program: every adapter depends
	// on it, never the other way round.
	if p.ImportPath == module+"/internal/news" {
		for _, imp := range slices.Concat(p.Imports, p.TestImports) {
			if own(imp) {
				bad("imports %s; internal/news imports nothing of this program", imp)
			}
		}
	}
	// The admin and search never meet, not even through a third package:
	// the desk reaches the reader side only through its Live interface.
	if p.ImportPath == module+"/admin" && slices.Contains(p.Deps, module+"/search") {
		bad("depends on search; admin talks to internal/desk only")
	}
	if p.ImportPath == module+"/search" && slices.Contains(p.Deps, module+"/admin") {
		bad("depends on admin; search stands alone")
	}
	// Hugo is held in one package; no other package imports it (and no
	// Hugo type leaves internal/site, so nobody else needs to).
	if p.ImportPath != module+"/internal/site" {
		for _, imp := range slices.Concat(p.Imports, p.TestImports, p.XTestImports) {
			if strings.HasPrefix(imp, "github.com/gohugoio/hugo") {
				bad("imports %s; only internal/site imports Hugo", imp)
			}
		}
	}
	// The database is opened by the wiring only: everything else works on
	// the news.Store interfaces. Tests may open the real database (they
	// use real parts, not mocks).
	if p.ImportPath != module+"/cmd/newsroom" && slices.Contains(p.Imports, module+"/internal/sqlite") {
		bad("imports internal/sqlite; only cmd/newsroom (the wiring) does, others use the news.Store interfaces")
	}
	return out
}

// TestViolationsAreFound makes sure the rules above can fail.
func TestViolationsAreFound(t *testing.T) {
	for _, p := range []pkg{
		{ImportPath: module + "/internal/news", Imports: []string{"time", module + "/internal/content"}},
		{ImportPath: module + "/admin", Deps: []string{module + "/internal/desk", module + "/search"}},
		{ImportPath: module + "/search", Deps: []string{module + "/admin"}},
		{ImportPath: module + "/internal/web", Imports: []string{"github.com/gohugoio/hugo/hugolib"}},
		{ImportPath: module + "/internal/desk", Imports: []string{module + "/internal/sqlite"}},
	} {
		if len(violations(p)) != 1 {
			t.Errorf("%s importing %v %v: violations %q, want one", p.ImportPath, p.Imports, p.Deps, violations(p))
		}
	}
	for _, p := range []pkg{
		{ImportPath: module + "/internal/site", Imports: []string{"github.com/gohugoio/hugo/hugolib"}},
		{ImportPath: module + "/cmd/newsroom", Imports: []string{module + "/internal/sqlite"}},
		{ImportPath: module + "/internal/desk", TestImports: []string{module + "/internal/sqlite"}},
	} {
		if v := violations(p); len(v) != 0 {
			t.Errorf("allowed import refused: %q", v)
		}
	}
}
