package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// ErrNoPdftotext is returned (wrapped) by ExtractPDF when the pdftotext
// program (package poppler-utils) is not installed.
var ErrNoPdftotext = errors.New("importer: pdftotext not found on PATH; install poppler-utils (e.g. apt-get install poppler-utils)")

// ExtractPDF returns the text of the PDF at path by running
// `pdftotext -enc UTF-8 path -` (poppler-utils). It fails with an error
// wrapping ErrNoPdftotext when pdftotext is not on PATH.
//
// It does not pass -layout: that mode keeps the physical layout, so the
// columns of a newspaper page come out side by side on the same lines and
// their stories interleave. The default (reading order) mode gives one
// column after the other, lines broken at the column width, which is the
// input Parse is built for.
func ExtractPDF(ctx context.Context, path string) (string, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", fmt.Errorf("%w (%v)", ErrNoPdftotext, err)
	}
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-enc", "UTF-8", path, "-")
	cmd.Stdout = &out
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("importer: pdftotext %s: %w", path, ctx.Err())
		}
		return "", fmt.Errorf("importer: pdftotext %s: %v: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	return out.String(), nil
}
