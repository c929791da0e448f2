package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// errNoChromium means no browser is installed to print the proof.
var errNoChromium = errors.New("chromium not found")

// printPDF turns a self-contained HTML page into A4 PDF with headless
// Chromium, the one tool here that lays out Chinese text and prints it
// exactly as a reader's browser would (no Go PDF library shapes CJK text
// with the system's fonts).
func printPDF(ctx context.Context, chromium string, page []byte) ([]byte, error) {
	if chromium == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				chromium = p
				break
			}
		}
	}
	if chromium == "" {
		return nil, errNoChromium
	}
	dir, err := os.MkdirTemp("", "newsroom-proof-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	html := filepath.Join(dir, "proof.html")
	pdf := filepath.Join(dir, "proof.pdf")
	if err := os.WriteFile(html, page, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--no-pdf-header-footer", "--print-to-pdf="+pdf, "file://"+html)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("print proof to PDF: %w: %s", err, lastLine(out.String()))
	}
	data, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, fmt.Errorf("print proof to PDF: no PDF written (%v)", err)
	}
	return data, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// proofPDF answers the 登报证明 of a notice as a PDF file.
func (s *server) proofPDF(w http.ResponseWriter, r *http.Request) {
	page, number, ok := s.proofPage(w, r)
	if !ok {
		return
	}
	data, err := printPDF(r.Context(), s.cfg.Chromium, page)
	if errors.Is(err, errNoChromium) {
		http.Error(w, "服务器未安装 Chromium，无法生成 PDF；请打开登报证明页面，用浏览器的“打印 → 另存为 PDF”。", http.StatusServiceUnavailable)
		return
	}
	if err != nil {
		s.cfg.Log.Error("proof pdf", "number", number, "err", err)
		http.Error(w, "登报证明 PDF 生成失败，请稍后再试。", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+number+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}
