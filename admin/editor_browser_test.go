package admin

// The story editor (admin/static/editor, built from tools/editor) in a real
// browser: Debian's Chromium, driven by chromedp. Markdown → editor →
// Markdown is lossless for everything the editor offers; typing with the
// keyboard shortcuts gives the expected Markdown; pasting the Word and WPS
// clipboard fixtures goes through the server's cleaner (internal/paste) and
// keeps its result; 字数 is counted as Chinese editors count it.
//
// Without Chromium the test skips, and fails when CI is set.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"newsroom/internal/paste"
)

func findChromium() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		p, _ = exec.LookPath(p)
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startBrowser starts a headless Chromium, or skips the test (fails on CI).
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test in -short mode")
	}
	chromium := findChromium()
	if chromium == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("browser test: Chromium not found (apt-get install -y chromium fonts-noto-cjk)")
		}
		t.Skip("browser test: Chromium not found (set CI=1 to make this a failure)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium (%s): %v", chromium, err)
	}
	return bctx
}

const editorTestPage = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<link rel="stylesheet" href="/admin/static/editor/editor.css"></head><body>
<label for="body">正文</label><textarea id="body" name="body"></textarea>
<script src="/admin/static/editor/editor.js"></script>
<script>window.ed = NewsroomEditor.attach(document.getElementById("body"), {pasteURL: "/api/admin/paste"});</script>
</body></html>`

// editorServer serves the vendored editor, a page with it, and the paste
// cleaner at the contract's path.
func editorServer(t *testing.T) string {
	mux := http.NewServeMux()
	mux.Handle("/admin/static/", http.StripPrefix("/admin/static/", http.FileServer(http.Dir("static"))))
	mux.HandleFunc("/editor", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(editorTestPage))
	})
	mux.HandleFunc("/api/admin/paste", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ HTML string }
		json.NewDecoder(r.Body).Decode(&in)
		json.NewEncoder(w).Encode(paste.HTML(in.HTML))
	})
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s.URL
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// roundTrips are Markdown documents using everything the editor offers,
// written as the editor writes them.
var roundTrips = []string{
	"第一段。\n\n第二段，有**加粗**和*着重号*。\n",
	"## 小标题\n\n正文。\n\n### 二级小标题\n\n正文。\n",
	"- 一楼为少儿阅览区；\n- 二楼为地方文献区。\n\n1. 凭身份证办理借书证；\n2. 每人每次限借五册。\n",
	"> 引文第一段。\n>\n> 引文第二段。\n\n正文。\n",
	"详情见[示例区图书馆网站](https://www.example.cn/library/)。\n",
	"![书房内景](/media/2026/12/3f9a2c1b7d4e5f60.jpg \"图为改造后的城市书房。\")\n\n正文。\n",
	"**加粗里有*着重号*和[链接](https://example.cn/)**。\n",
	"特殊字符：a\\*b_c \\[d\\] \\<x\\> \\{\\{\\< y \\>}} 5 \\& 6 \\| 7 \\\\ 8\n",
	"\\# 不是标题\n\n1\\. 不是列表\n\n\\- 也不是列表\n",
	"3. 从三开始的编号\n4. 第四条\n",
}

func TestEditorInBrowser(t *testing.T) {
	ctx := startBrowser(t)
	base := editorServer(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1000, 800), chromedp.Navigate(base+"/editor"),
		chromedp.WaitVisible(chromedp.CSS(".rich-text"))); err != nil {
		t.Fatal(err)
	}

	t.Run("round trip", func(t *testing.T) {
		for _, md := range roundTrips {
			js, _ := json.Marshal(md)
			got := eval[string](t, ctx, `(() => { ed.setMarkdown(`+string(js)+`); return ed.markdown(); })()`)
			if got != md {
				t.Errorf("Markdown → editor → Markdown:\n%q\ngot\n%q", md, got)
			}
			same := eval[bool](t, ctx, `(() => { const a = NewsroomEditor.parse(`+string(js)+`);
				return a.eq(NewsroomEditor.parse(NewsroomEditor.serialize(a))); })()`)
			if !same {
				t.Errorf("editor → Markdown → editor changed the document for %q", md)
			}
			if v := eval[string](t, ctx, `document.getElementById("body").value`); v != md {
				t.Errorf("the textarea holds %q, want %q", v, md)
			}
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		ctrl := chromedp.KeyModifiers(chromedp.ModifierCtrl)
		ctrlAlt := chromedp.KeyModifiers(chromedp.ModifierCtrl, chromedp.ModifierAlt)
		typ := func(s string) chromedp.Action[chromedp.Void] { // as an IME commits Chinese text
			return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, input.InsertText, input.InsertTextParams{Text: s})
				return err
			})
		}
		eval[bool](t, ctx, `(() => { ed.setMarkdown(""); ed.view.focus(); return true; })()`)
		if err := chromedp.Do(ctx,
			typ("第一段，"), chromedp.KeyEvent("b", ctrl), typ("加粗"), chromedp.KeyEvent("b", ctrl),
			typ("和"), chromedp.KeyEvent("i", ctrl), typ("着重号"), chromedp.KeyEvent("i", ctrl), typ("。"),
			chromedp.KeyEvent("\r"), chromedp.KeyEvent("2", ctrlAlt), typ("小标题"),
			chromedp.KeyEvent("\r"), typ("他说“好”了。"),
		); err != nil {
			t.Fatal(err)
		}
		want := "第一段，**加粗**和*着重号*。\n\n## 小标题\n\n他说“好”了。\n"
		if got := eval[string](t, ctx, `ed.markdown()`); got != want {
			t.Errorf("typed:\n%q\nwant\n%q", got, want)
		}
		// Bold over “好” next to letters: the quotes leave the mark, so the
		// Markdown still reads as bold.
		eval[bool](t, ctx, `(() => { const d = ed.view.state.doc; let from = 0, to = 0;
			d.descendants((n, pos) => { if (n.isText && n.text.includes("“好”")) { from = pos + n.text.indexOf("“"); to = from + 3; } });
			const st = ed.view.state; ed.view.dispatch(st.tr.addMark(from, to, NewsroomEditor.schema.marks.strong.create())); return true; })()`)
		want = "第一段，**加粗**和*着重号*。\n\n## 小标题\n\n他说“**好**”了。\n"
		if got := eval[string](t, ctx, `ed.markdown()`); got != want {
			t.Errorf("bold quotes:\n%q\nwant\n%q", got, want)
		}
		if c := eval[string](t, ctx, `document.querySelector(".rich-status").textContent`); c != "字数 21（不含标点 16）" {
			t.Errorf("status %q", c)
		}
	})

	t.Run("paste", func(t *testing.T) {
		for _, name := range []string{"word.html", "wps.html"} {
			html, err := os.ReadFile(filepath.Join("..", "internal", "paste", "testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			js, _ := json.Marshal(string(html))
			eval[bool](t, ctx, `(() => { ed.setMarkdown(""); ed.view.focus();
				const dt = new DataTransfer(); dt.setData("text/html", `+string(js)+`); dt.setData("text/plain", "x");
				ed.view.dom.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
				return true; })()`)
			want := paste.HTML(string(html)).Markdown
			var got string
			for i := 0; i < 50; i++ {
				if got = eval[string](t, ctx, `ed.markdown()`); got != "" {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if got != want {
				t.Errorf("%s pasted:\n%s\nwant (the server's cleaning):\n%s", name, got, want)
			}
			if msg := eval[string](t, ctx, `document.querySelector(".rich-message").textContent`); msg == "" {
				t.Errorf("%s: no word about the image that did not come along", name)
			}
		}
	})

	t.Run("plain text paste", func(t *testing.T) {
		eval[bool](t, ctx, `(() => { ed.setMarkdown(""); ed.view.focus();
			const dt = new DataTransfer(); dt.setData("text/plain", "　　第一段。\n　　第二段。　　第三段。\n");
			ed.view.dom.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
			return true; })()`)
		if got := eval[string](t, ctx, `ed.markdown()`); got != "第一段。\n\n第二段。\n\n第三段。\n" {
			t.Errorf("plain text paste: %q", got)
		}
	})

	t.Run("count", func(t *testing.T) {
		for text, want := range map[string][2]int{
			"吕梁日报":                  {4, 4},
			"记者 张三报道：Hugo is fast。": {11, 9},
			"2023年6月8日，晴。":          {9, 7},
			"":                      {0, 0},
		} {
			js, _ := json.Marshal(text)
			got := eval[[2]int](t, ctx, `(() => { const c = NewsroomEditor.count(`+string(js)+`); return [c.all, c.noPunct]; })()`)
			if got != want {
				t.Errorf("count(%q) = %v, want %v", text, got, want)
			}
		}
	})

	artifacts := filepath.Join("..", "test-artifacts", "editor")
	os.MkdirAll(artifacts, 0o755)
	for _, w := range []int64{1000, 390} {
		eval[bool](t, ctx, `(() => { ed.setMarkdown(`+jsString(roundTrips[0]+"\n"+roundTrips[1]+"\n"+roundTrips[2])+`); return true; })()`)
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 800)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(90))
		if err == nil {
			os.WriteFile(filepath.Join(artifacts, "editor-"+map[int64]string{1000: "desktop", 390: "phone"}[w]+".png"), png, 0o644)
		}
		if sw := eval[int](t, ctx, `document.documentElement.scrollWidth`); sw > int(w) {
			t.Errorf("at %d px the page scrolls sideways (%d px wide)", w, sw)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
