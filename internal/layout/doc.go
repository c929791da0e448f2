// Package layout holds no code: its test checks the import rules of the
// program's layout (README.md, "Where things are"), so that a package
// that reaches where it must not fails `go test ./...`, not a review.
package layout
