package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// reviewers returns API tokens of one reviewer per level of the default
// chain (一审 editor, 二审 director, 三审 chief) of site, adding the users the
// first time: nobody signs two levels of a story, nor their own, unless the
// section allows 代签.
func reviewers(t *testing.T, site string) []string {
	t.Helper()
	var tokens []string
	for _, r := range []struct{ role, name string }{{"editor", "一审编辑"}, {"director", "二审主任"}, {"chief", "三审总编"}} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"token", "create", "--site", site, r.name}, strings.NewReader(""), &out, &out); err != nil {
			cli(t, r.role+"-password-123\n", "user", "add", "--site", site, "--role", r.role, r.name)
			out.Reset()
			out.WriteString(cli(t, "", "token", "create", "--site", site, r.name))
		}
		tokens = append(tokens, lastLine(out.String()))
	}
	return tokens
}
