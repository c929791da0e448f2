package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browserSession drives one headless Chromium tab through the admin like a
// person would: open a page, fill fields, press buttons, wait for the next
// page, take numbered screenshots into an artifacts folder.
type browserSession struct {
	t         *testing.T
	ctx       context.Context
	artifacts string
	step      int
}

// newBrowserSession starts Chromium (or skips, or fails in CI, when it is
// missing) with screenshots going to test-artifacts/<name>/.
func newBrowserSession(t *testing.T, name string, timeout time.Duration) *browserSession {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	chromium := findChromium()
	browserNeeds(t, chromium != "", "Chromium not found (apt-get install -y chromium fonts-noto-cjk)")
	artifacts := filepath.Join("..", "..", "test-artifacts", name)
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(t.TempDir()))
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium (%s): %v", chromium, err)
	}
	return &browserSession{t: t, ctx: bctx, artifacts: artifacts}
}

// shot saves a full-page screenshot as NN-name.png.
func (b *browserSession) shot(name string) {
	b.t.Helper()
	b.step++
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.artifacts, fmt.Sprintf("%02d-%s.png", b.step, name)), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// eval runs a JavaScript expression that yields a string.
func (b *browserSession) eval(what, js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// waitFor polls until the JavaScript expression is true on a loaded page
// (a page loaded after a form was sent).
func (b *browserSession) waitFor(what, js string) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool]("(() => { try { return document.readyState === 'complete' && !!("+js+"); } catch (e) { return false; } })()"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: timed out waiting for %s (%v)", what, js, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// open loads a page and waits for its main content.
func (b *browserSession) open(what, url string) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(url)); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	b.waitFor(what, "document.querySelector('main')")
}

// set fills a field and fires its change event (CSS :has() and form state
// follow it as after typing).
func (b *browserSession) set(sel, value string) {
	b.t.Helper()
	b.eval("set "+sel, fmt.Sprintf("(() => { const e = document.querySelector(%q); e.value = %q; e.dispatchEvent(new Event('change', {bubbles: true})); return e.value; })()", sel, value))
}

// send submits a form (by clicking sel) and waits for the next page.
func (b *browserSession) send(what, sel string) {
	b.t.Helper()
	b.eval(what, fmt.Sprintf("(() => { window.__old = true; document.querySelector(%q).click(); return ''; })()", sel))
	b.waitFor(what, "!window.__old && document.querySelector('main')")
}
