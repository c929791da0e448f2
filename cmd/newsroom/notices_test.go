package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoticesAPI files, publishes, verifies, corrects and withdraws legal
// notices through the admin API and the public /verify/ page.
func TestNoticesAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	site := copySite(t)
	s := startServer(t, site)
	// An admin files and publishes; three reviewers sign the 三审.
	cli(t, "admin-password-123\n", "user", "add", "--site", site, "--role", "admin", "李总编")
	editor := lastLine(cli(t, "", "token", "create", "--site", site, "李总编"))

	// Invalid fields answer 400 with a message per field.
	bad := map[string]any{
		"kind": "capital-reduction", "title": "减资公告", "body": "正文。",
		"company": "吕梁示例有限公司", "credit_code": "91350100M000100Y44", "contact": "李女士", "phones": []string{"0358-1234567"},
		"capital_before": "1000万元", "capital_after": "2000万元", "resolution_date": "2023-02-30",
	}
	code, body := api(t, "POST", s.base+"/api/admin/notices", editor, bad)
	fields, _ := body["fields"].(map[string]any)
	if code != http.StatusBadRequest || body["code"] != "invalid" || fields["credit_code"] == nil || fields["capital_after"] == nil || fields["resolution_date"] == nil {
		t.Fatalf("invalid notice: %d %v", code, body)
	}
	if code, body := api(t, "POST", s.base+"/api/admin/notices", editor, map[string]any{"kind": "horoscope", "title": "x"}); code != 400 || body["fields"].(map[string]any)["kind"] == nil {
		t.Fatalf("unknown kind: %d %v", code, body)
	}

	good := map[string]any{
		"kind": "capital-reduction", "title": "吕梁示例有限公司减资公告",
		"body":    "经本公司股东会决议，注册资本由1000万元减少至500万元。\n\n请债权人自本公告之日起四十五日内向本公司申报债权。",
		"company": "吕梁示例有限公司", "credit_code": "91350100m000100y43", "contact": "李女士", "phones": []string{"0358-1234567"},
		"capital_before": "1000万元", "capital_after": "500万元", "resolution_date": "2023-05-20",
		"edition": "2023-06-08", "page": 4, "page_name": "公告",
	}
	pub := publishNotice(t, s.base, site, editor, good)
	number, _ := pub["number"].(string)
	fp, _ := pub["fingerprint"].(string)
	pageURL, _ := pub["url"].(string)
	if !strings.HasPrefix(number, "LLRB-") || len(fp) != 64 || !strings.HasPrefix(pageURL, "/notices/") {
		t.Fatalf("published notice lacks number, fingerprint or url: %v", pub)
	}
	n := pub["notice"].(map[string]any)
	if n["claim_deadline"] == "" || n["credit_code"] != "91350100M000100Y43" {
		t.Fatalf("notice fields: %v", n)
	}
	id := int(pub["id"].(float64))

	// Immutable: any edit of a published notice answers 409.
	for _, u := range []string{fmt.Sprintf("%s/api/admin/notices/%d", s.base, id), fmt.Sprintf("%s/api/admin/stories/%d", s.base, id)} {
		if code, body := api(t, "PUT", u, editor, map[string]any{"title": "改过的标题"}); code != http.StatusConflict {
			t.Fatalf("edit of a published notice via %s: %d %v", u, code, body)
		}
	}

	// The page shows the number, fingerprint and the deadline.
	code, page := get(t, http.DefaultClient, s.base+pageURL)
	if code != 200 || !strings.Contains(page, number) || !strings.Contains(page, fp) || !strings.Contains(page, n["claim_deadline"].(string)) {
		t.Fatalf("notice page %d lacks number, fingerprint or deadline", code)
	}

	// Verify by number and by fingerprint (HTML and JSON).
	for _, q := range []string{number, strings.ToLower(number), fp} {
		code, v := verifyJSON(t, s.base+"/verify/?q="+url.QueryEscape(q))
		list, _ := v["notices"].([]any)
		if code != 200 || v["found"] != true || len(list) != 1 || list[0].(map[string]any)["number"] != number {
			t.Fatalf("verify %s: %d %v", q, code, v)
		}
		if rec := list[0].(map[string]any); rec["edition"] != "2023-06-08" || rec["page"].(float64) != 4 {
			t.Fatalf("verify %s: edition/page %v", q, rec)
		}
	}
	if code, html := get(t, http.DefaultClient, s.base+"/verify/?q="+number); code != 200 || !strings.Contains(html, "档案中有此公告") || !strings.Contains(html, fp) {
		t.Fatalf("verify page: %d", code)
	}
	if code, v := verifyJSON(t, s.base+"/verify/?q="+strings.Repeat("0", 64)); code != 404 || v["found"] != false {
		t.Fatalf("unknown fingerprint: %d %v", code, v)
	}
	if code, _ := verifyJSON(t, s.base+"/verify/?q=hello"); code != 400 {
		t.Fatalf("malformed query: %d", code)
	}

	// A pasted text: the body as printed matches; a tampered one does not.
	paste := "经本公司股东会决议，注册资本由1000万元减少至500万元。\r\n请债权人自本公告之日起四十五日内向本公司申报债权。"
	if code, v := verifyText(t, s.base, paste); code != 200 || v["found"] != true {
		t.Fatalf("pasted body: %d %v", code, v)
	}
	if code, v := verifyText(t, s.base, strings.Replace(paste, "500万元", "600万元", 1)); code != 404 || v["found"] != false {
		t.Fatalf("tampered text must not verify: %d %v", code, v)
	}

	// Proof of publication with a QR code.
	code, proof := get(t, http.DefaultClient, s.base+"/verify/proof/"+number+"/")
	// The fingerprint is set in two lines of eight groups of four.
	fpLine1, fpLine2 := strings.Join(groupsOf(fp[:32], 4), " "), strings.Join(groupsOf(fp[32:], 4), " ")
	if code != 200 || !strings.Contains(proof, "登报证明") || !strings.Contains(proof, "<svg") || !strings.Contains(proof, fpLine1) || !strings.Contains(proof, fpLine2) || !strings.Contains(proof, "@media print") {
		t.Fatalf("proof page: %d", code)
	}
	checkProofPDF(t, s.base+"/verify/proof/"+number+"/proof.pdf", number, fp)

	// A 遗失声明's 登报证明 is one clean A4 page: Chinese labels (no
	// canonical keys), the paper, the edition's date and page, the number
	// unbroken; printed once, then served from the stored file.
	lostProof := publishNotice(t, s.base, site, editor, map[string]any{
		"kind": "lost", "title": "遗失声明", "holder": "吕梁示例有限公司", "lost_item": "营业执照副本", "lost_number": "91350100M000100Y43",
		"body":    "吕梁示例有限公司不慎遗失营业执照副本，统一社会信用代码91350100M000100Y43，声明作废。",
		"edition": "2023-06-08", "page": 4, "page_name": "公告",
	})
	lostNumber, lostFP := lostProof["number"].(string), lostProof["fingerprint"].(string)
	text, info := proofPDFText(t, s.base+"/verify/proof/"+lostNumber+"/proof.pdf")
	if text != "" {
		flat := strings.Join(strings.Fields(text), "")
		for _, want := range []string{"登报证明", "吕梁日报", "2023年6月8日", "第04版", "遗失物品", "营业执照副本", "声明作废", lostNumber, lostFP[:32], "统一社会信用代码"} {
			if !strings.Contains(flat, want) {
				t.Errorf("遗失声明 proof lacks %q:\n%s", want, text)
			}
		}
		for _, bad := range []string{"kind:", "credit_code", "lost_item", "newsroom-notice-v1"} {
			if strings.Contains(text, bad) {
				t.Errorf("遗失声明 proof shows the canonical key %q:\n%s", bad, text)
			}
		}
		if !regexp.MustCompile(`(?m)^Pages:\s+1$`).MatchString(info) || !strings.Contains(info, "(A4)") {
			t.Errorf("遗失声明 proof is not one A4 page:\n%s", info)
		}
		// The number and the fingerprint's lines are never broken.
		if !strings.Contains(text, lostNumber) || !strings.Contains(text, strings.Join(groupsOf(lostFP[:32], 4), " ")) {
			t.Errorf("number or fingerprint line broken in the proof:\n%s", text)
		}
		stored, _ := filepath.Glob(filepath.Join(site, ".newsroom", "proofs", lostNumber+"-*.pdf"))
		if len(stored) != 1 {
			t.Fatalf("stored proofs of %s: %v", lostNumber, stored)
		}
		before, _ := os.Stat(stored[0])
		proofPDFText(t, s.base+"/verify/proof/"+lostNumber+"/proof.pdf")
		after, _ := os.Stat(stored[0])
		if !after.ModTime().Equal(before.ModTime()) {
			t.Error("the stored proof was printed again for a second request")
		}
	}

	// Found by its 统一社会信用代码 in search.
	if found := searchAPI(t, s.base, "91350100M000100Y43"); found.Total < 1 || found.Hits[0].URL != pageURL {
		t.Fatalf("search by credit code: %+v", found)
	}

	// A correction is a new notice, linked both ways.
	corr := publishNotice(t, s.base, site, editor, map[string]any{
		"kind": "correction", "title": "吕梁示例有限公司减资公告更正", "issuers": []string{"吕梁示例有限公司"},
		"body": "本公司减资公告中联系人更正为王女士。", "corrects": number,
	})
	corrNumber := corr["number"].(string)
	_, v := verifyJSON(t, s.base+"/verify/?q="+number)
	orig := v["notices"].([]any)[0].(map[string]any)
	if by, _ := orig["corrected_by"].([]any); len(by) != 1 || by[0] != corrNumber || orig["fingerprint"] != fp {
		t.Fatalf("original not linked to its correction (or fingerprint changed): %v", orig)
	}
	if _, page := get(t, http.DefaultClient, s.base+pageURL); !strings.Contains(page, corrNumber) {
		t.Fatal("original page does not link to the correction")
	}
	if _, page := get(t, http.DefaultClient, s.base+corr["url"].(string)); !strings.Contains(page, number) {
		t.Fatal("correction page does not link to the original")
	}
	if code, body := api(t, "POST", s.base+"/api/admin/notices", editor, map[string]any{
		"kind": "correction", "title": "更正", "issuers": []string{"某单位"}, "body": "更正。", "corrects": "LLRB-2023-999999",
	}); code == 201 {
		u := fmt.Sprintf("%s/api/admin/stories/%d", s.base, int(body["id"].(float64)))
		api(t, "POST", u+"/submit", editor, nil)
		for _, signer := range reviewers(t, site) {
			api(t, "POST", u+"/approve", signer, nil)
		}
		if code, body := api(t, "POST", u+"/publish", editor, nil); code != 400 {
			t.Fatalf("correction of an unknown notice: %d %v", code, body)
		}
	}

	// Withdrawal keeps the notice, marked, with the reason.
	if code, body := api(t, "POST", fmt.Sprintf("%s/api/admin/stories/%d/withdraw", s.base, id), editor, map[string]string{"reason": "公司撤回减资决议"}); code != 200 {
		t.Fatalf("withdraw: %d %v", code, body)
	}
	_, v = verifyJSON(t, s.base+"/verify/?q="+number)
	rec := v["notices"].([]any)[0].(map[string]any)
	if w, _ := rec["withdrawn"].(map[string]any); w == nil || w["reason"] != "公司撤回减资决议" {
		t.Fatalf("withdrawn notice: %v", rec)
	}
	if code, page := get(t, http.DefaultClient, s.base+pageURL); code != 200 || !strings.Contains(page, "公司撤回减资决议") || !strings.Contains(page, "注册资本由1000万元减少至500万元") {
		t.Fatalf("withdrawn notice page: %d", code)
	}

	// A 遗失声明 and a government notice with a 文号, found by it.
	lost := publishNotice(t, s.base, site, editor, map[string]any{
		"kind": "lost", "title": "遗失声明", "holder": "吕梁某某商店", "lost_item": "营业执照副本", "lost_number": "91350100M000100Y43",
		"body": "吕梁某某商店遗失营业执照副本，声明作废。",
	})
	if lost["number"] == nil {
		t.Fatalf("lost: %v", lost)
	}
	gov := publishNotice(t, s.base, site, editor, map[string]any{
		"kind": "gov", "title": "吕梁市人民政府关于公布第一批示例名录的通知", "issuers": []string{"吕梁市人民政府"},
		"doc_number": "吕政发〔2023〕12号", "signed_date": "2023-06-01", "addressees": []string{"各县（市、区）人民政府"},
		"attachments": []map[string]string{{"title": "示例名录", "url": "/files/minglu.pdf"}},
		"body":        "现将第一批示例名录予以公布。",
	})
	if found := searchAPI(t, s.base, "吕政发〔2023〕12号"); found.Total < 1 || found.Hits[0].URL != gov["url"] {
		t.Fatalf("search by 文号: %+v", found)
	}
	if code, list := get(t, http.DefaultClient, s.base+"/notices/"); code != 200 || !strings.Contains(list, "遗失声明") {
		t.Fatalf("notices list: %d", code)
	}
}

// publishNotice creates a notice, submits and publishes it, and returns the
// published notice's JSON.
func publishNotice(t *testing.T, base, site, token string, in map[string]any) map[string]any {
	t.Helper()
	code, created := api(t, "POST", base+"/api/admin/notices", token, in)
	if code != http.StatusCreated {
		t.Fatalf("create notice: %d %v", code, created)
	}
	u := fmt.Sprintf("%s/api/admin/stories/%d", base, int(created["id"].(float64)))
	code, body := api(t, "POST", u+"/submit", token, nil)
	if code != 200 {
		t.Fatalf("submit notice: %d %v", code, body)
	}
	for i, signer := range reviewers(t, site) {
		if code, body = api(t, "POST", u+"/approve", signer, nil); code != 200 {
			t.Fatalf("approve notice, level %d: %d %v", i+1, code, body)
		}
	}
	code, pub := api(t, "POST", u+"/publish", token, nil)
	if code != 200 || pub["state"] != "published" {
		t.Fatalf("publish notice: %d %v", code, pub)
	}
	return pub
}

func verifyJSON(t *testing.T, u string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept", "application/json")
	return doJSON(t, req)
}

func verifyText(t *testing.T, base, text string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/verify/", strings.NewReader(url.Values{"text": {text}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return doJSON(t, req)
}

func doJSON(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := jsonUnmarshal(data, &out); err != nil {
		t.Fatalf("%s %s: not JSON (%d): %.200s", req.Method, req.URL, resp.StatusCode, data)
	}
	return resp.StatusCode, out
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// proofPDFText fetches a 登报证明 PDF and returns its text (pdftotext
// -layout) and pdfinfo's report; "" when the tools are missing outside CI.
func proofPDFText(t *testing.T, url string) (text, info string) {
	t.Helper()
	_, errC := exec.LookPath("chromium")
	_, errP := exec.LookPath("pdfinfo")
	if errC != nil || errP != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium and poppler-utils are needed for the proof PDF (.ci/run installs them)")
		}
		t.Log("skipping the proof PDF: chromium or poppler-utils missing")
		return "", ""
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("proof PDF: %d %s %.80q", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
	file := filepath.Join(t.TempDir(), "proof.pdf")
	os.WriteFile(file, data, 0o644)
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	inf, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out), string(inf)
}

func groupsOf(s string, n int) []string {
	var out []string
	for ; len(s) > n; s = s[n:] {
		out = append(out, s[:n])
	}
	return append(out, s)
}

// checkProofPDF fetches the 登报证明 as PDF (printed by headless Chromium)
// and reads its text back with pdftotext: the number and the fingerprint
// must be in it. Without the tools it skips, or fails in CI.
func checkProofPDF(t *testing.T, url, number, fingerprint string) {
	t.Helper()
	_, errC := exec.LookPath("chromium")
	_, errP := exec.LookPath("pdftotext")
	if errC != nil || errP != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium and pdftotext are needed for the proof PDF (.ci/run installs them)")
		}
		t.Log("skipping the proof PDF: chromium or pdftotext missing")
		return
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("proof PDF: %d %s %.80q", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
	file := filepath.Join(t.TempDir(), "proof.pdf")
	os.WriteFile(file, data, 0o644)
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), "")
	if !strings.Contains(text, number) || !strings.Contains(text, fingerprint[:32]) || !strings.Contains(text, "登报证明") {
		t.Fatalf("proof PDF text lacks number, fingerprint or title:\n%s", out)
	}
}
