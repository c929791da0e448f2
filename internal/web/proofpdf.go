package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"newsroom/internal/atomicfile"
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

// proofs stores the 登报证明 PDFs: each is printed once per version of
// its notice (a withdrawal or a correction makes a new version) and served
// from the file after that, so requests, however many, start at most one
// Chromium at a time and only for a proof not yet printed.
type proofs struct {
	dir      string
	chromium string
	print    chan struct{} // one print at a time

	mu       sync.Mutex
	inflight map[string]*proofCall
}

type proofCall struct {
	done chan struct{}
	err  error
}

func newProofs(dir, chromium string) *proofs {
	return &proofs{dir: dir, chromium: chromium, print: make(chan struct{}, 1), inflight: map[string]*proofCall{}}
}

// proofWait bounds how long a request waits for its turn to print.
const proofWait = 90 * time.Second

// file returns the stored PDF named name, printing page into it first if
// it is not there yet. Concurrent calls for one name share one print.
func (p *proofs) file(ctx context.Context, name string, page func() ([]byte, error)) (string, error) {
	path := filepath.Join(p.dir, name)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	p.mu.Lock()
	c := p.inflight[name]
	if c == nil {
		c = &proofCall{done: make(chan struct{})}
		p.inflight[name] = c
		go func() {
			// Not the request's context: others may wait for this print.
			c.err = p.printTo(path, page)
			p.mu.Lock()
			delete(p.inflight, name)
			p.mu.Unlock()
			close(c.done)
		}()
	}
	p.mu.Unlock()
	select {
	case <-c.done:
		return path, c.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func (p *proofs) printTo(path string, page func() ([]byte, error)) error {
	select {
	case p.print <- struct{}{}:
		defer func() { <-p.print }()
	case <-time.After(proofWait):
		return errProofBusy
	}
	if _, err := os.Stat(path); err == nil {
		return nil // printed meanwhile
	}
	html, err := page()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	data, err := printPDF(ctx, p.chromium, html)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data, 0o644)
}

// errProofBusy means the printer stayed busy too long.
var errProofBusy = errors.New("proof printer busy")

// proofVersion names what a stored proof shows: it changes when the
// notice is withdrawn or corrected, when its page changes, or when the
// proof's layout or the site's address does.
func proofVersion(v verifiedNotice) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n%s\n%s\n%d\n%s\n%v\n%v\n%s\n%s\n", proofLayout, v.Number, v.Fingerprint, v.PublishedAt.UTC().Format(time.RFC3339),
		v.Edition, v.Page, v.PageName, v.Withdrawn != nil, v.CorrectedBy, v.PublicURL, v.PaperName)
	if v.Withdrawn != nil {
		fmt.Fprintf(h, "%s\n", v.Withdrawn.Reason)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// proofLayout changes with verify.html's proof, so stored proofs are
// printed again in the new layout.
var proofLayout = func() string {
	sum := sha256.Sum256([]byte(verifyHTML))
	return hex.EncodeToString(sum[:8])
}()

// proofPDF answers the 登报证明 of a notice as a PDF file, printed once
// and then served from the stored file.
func (s *server) proofPDF(w http.ResponseWriter, r *http.Request) {
	v, ok := s.proofNotice(w, r)
	if !ok {
		return
	}
	if s.proofs == nil {
		http.Error(w, "登报证明 PDF 未开通；请打开登报证明页面，用浏览器的“打印 → 另存为 PDF”。", http.StatusServiceUnavailable)
		return
	}
	name := v.Number + "-" + proofVersion(v) + ".pdf"
	path, err := s.proofs.file(r.Context(), name, func() ([]byte, error) { return s.renderProof(v) })
	switch {
	case errors.Is(err, errNoChromium):
		http.Error(w, "服务器未安装 Chromium，无法生成 PDF；请打开登报证明页面，用浏览器的“打印 → 另存为 PDF”。", http.StatusServiceUnavailable)
		return
	case errors.Is(err, errProofBusy):
		w.Header().Set("Retry-After", "30")
		http.Error(w, "登报证明正在生成，请稍后再试。", http.StatusServiceUnavailable)
		return
	case err != nil:
		if r.Context().Err() == nil {
			s.cfg.Log.Error("proof pdf", "number", v.Number, "err", err)
		}
		http.Error(w, "登报证明 PDF 生成失败，请稍后再试。", http.StatusInternalServerError)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		s.cfg.Log.Error("proof pdf", "number", v.Number, "err", err)
		http.Error(w, "登报证明 PDF 读取失败，请稍后再试。", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, "登报证明 PDF 读取失败，请稍后再试。", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+v.Number+`.pdf"`)
	// Revalidated each time: a withdrawal or correction prints a new one.
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", fi.ModTime(), f)
}
