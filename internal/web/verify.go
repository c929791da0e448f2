package web

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/width"
	"rsc.io/qr"

	"newsroom/internal/httpx"
	"newsroom/internal/news"
	"newsroom/internal/notice"
)

//go:embed verify.html
var verifyHTML string

var verifyTmpl = template.Must(template.New("verify").Funcs(template.FuncMap{
	"cnDate": func(t time.Time) string { return t.In(news.Shanghai).Format("2006年1月2日") },
	"cnTime": func(t time.Time) string { return t.In(news.Shanghai).Format("2006-01-02 15:04") },
	// cnDateOf writes an edition date ("2023-06-08") the Chinese way.
	"cnDateOf": func(d string) string {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return t.Format("2006年1月2日")
		}
		return d
	},
	// fpLines sets a fingerprint as two lines of eight groups of four,
	// each line kept whole: legible, and copied back it is the same.
	"fpLines": func(fp string) template.HTML {
		g := groups(fp, 4)
		var lines []string
		for len(g) > 0 {
			n := min(8, len(g))
			lines = append(lines, "<span>"+template.HTMLEscapeString(strings.Join(g[:n], " "))+"</span>")
			g = g[n:]
		}
		return template.HTML(strings.Join(lines, "<br>"))
	},
}).Parse(verifyHTML))

// groups cuts s into pieces of n bytes (the last may be shorter).
func groups(s string, n int) []string {
	var out []string
	for len(s) > n {
		out = append(out, s[:n])
		s = s[n:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// verifyMarker is where the theme's /verify/ page wants the form and the
// answer, as the search page does for results.
const verifyMarker = "<!--newsroom:verify-->"

var fingerprintRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// verifiedNotice is one notice in a verification answer (HTML and JSON).
type verifiedNotice struct {
	news.NoticeRecord
	KindLabel  string        `json:"kind_label"`
	Status     notice.Status `json:"status"`
	VerifyURL  string        `json:"verify_url"`
	ProofURL   string        `json:"proof_url"`
	PublicURL  string        `json:"-"` // absolute verification URL, in the QR code
	QR         template.HTML `json:"-"`
	PaperName  string        `json:"-"`
	PrintedAt  time.Time     `json:"-"`
	PageLabel  string        `json:"page_label,omitempty"` // 第01版 要闻
	Superseded bool          `json:"corrected"`            // a 更正公告 exists
	Full       fullText      `json:"-"`                    // the notice as printed, for the 登报证明
}

// verifyResult is the verify page's data.
type verifyResult struct {
	Query       string           `json:"query"`
	Searched    bool             `json:"-"`
	Found       bool             `json:"found"`
	Match       string           `json:"match,omitempty"` // number | fingerprint | text | text-loose
	MatchLabel  string           `json:"match_label,omitempty"`
	Fingerprint string           `json:"fingerprint,omitempty"` // of a pasted text
	Error       string           `json:"error,omitempty"`
	Notices     []verifiedNotice `json:"notices"`
	PaperName   string           `json:"-"`
	Text        string           `json:"-"`
}

func (s *server) now() time.Time {
	if s.cfg.Clock != nil {
		return s.cfg.Clock.Now()
	}
	return time.Now()
}

func (s *server) paperName() string {
	if s.cfg.PaperName != "" {
		return s.cfg.PaperName
	}
	return "吕梁日报"
}

// verify answers /verify/: a notice number or fingerprint in ?q=, or a
// pasted text (POST, field text). It says whether the archive holds exactly
// that notice, with when, in which edition and on which page it was
// published, and whether its period runs. JSON with Accept: application/json.
func (s *server) verify(w http.ResponseWriter, r *http.Request) {
	res := verifyResult{PaperName: s.paperName(), Notices: []verifiedNotice{}}
	status := http.StatusOK
	if s.cfg.Notices == nil {
		http.Error(w, "verification is not configured", http.StatusServiceUnavailable)
		return
	}
	var recs []news.NoticeRecord
	var err error
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	text := ""
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if perr := r.ParseForm(); perr != nil {
			res.Error, status = "提交的文本太长或无法读取。", http.StatusBadRequest
		}
		text = r.PostFormValue("text")
		if q == "" {
			q = strings.TrimSpace(r.PostFormValue("q"))
		}
	}
	res.Query, res.Text = q, text
	switch {
	case res.Error != "":
	case strings.TrimSpace(text) != "":
		res.Searched = true
		res.Fingerprint = notice.Fingerprint(notice.NormalizeText(text))
		if recs, err = s.cfg.Notices.NoticesByFingerprint(r.Context(), res.Fingerprint); err == nil && len(recs) > 0 {
			res.Match, res.MatchLabel = "text", "粘贴的文本与公告的规范文本完全一致（指纹相同）"
		} else if err == nil {
			if recs, err = s.cfg.Notices.NoticesByLooseKey(r.Context(), notice.LooseKey(text)); err == nil && len(recs) > 0 {
				res.Match, res.MatchLabel = "text-loose", "粘贴的文本与公告正文（或规范文本）逐字一致，仅空白、换行不同"
			}
		}
	case q != "":
		res.Searched = true
		folded := strings.ToUpper(width.Fold.String(strings.Join(strings.Fields(q), "")))
		switch {
		case notice.ValidNumber(folded):
			var rec *news.NoticeRecord
			rec, err = s.cfg.Notices.NoticeByNumber(r.Context(), folded)
			if news.ErrorCode(err) == news.ENOTFOUND {
				err = nil
			} else if err == nil {
				recs, res.Match, res.MatchLabel = []news.NoticeRecord{*rec}, "number", "按公告编号找到"
			}
		case fingerprintRE.MatchString(strings.ToLower(folded)):
			recs, err = s.cfg.Notices.NoticesByFingerprint(r.Context(), strings.ToLower(folded))
			if len(recs) > 0 {
				res.Match, res.MatchLabel = "fingerprint", "按 SHA-256 指纹找到：档案中的公告与此指纹完全一致"
			}
		default:
			res.Error, status = "请输入公告编号（如 "+notice.Prefix+"-2023-000123）或 64 位十六进制的 SHA-256 指纹；核对全文请粘贴到下方文本框。", http.StatusBadRequest
		}
	}
	if err != nil {
		s.cfg.Log.Error("verify failed", "err", err)
		res.Error, status = "核验暂时不可用，请稍后再试。", http.StatusInternalServerError
	}
	for _, rec := range recs {
		res.Notices = append(res.Notices, s.verified(r, rec))
	}
	res.Found = len(res.Notices) > 0
	if res.Searched && !res.Found && status == http.StatusOK {
		status = http.StatusNotFound
	}
	if wantsJSON(r) {
		httpx.WriteJSON(w, status, res)
		return
	}
	var page bytes.Buffer
	if err := s.renderVerify(&page, res); err != nil {
		s.cfg.Log.Error("verify page", "err", err)
		http.Error(w, "核验页面生成失败。", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(page.Bytes())
}

// renderVerify writes the verify page: the form and the answer inside the
// theme's /verify/ page (the site's header, navigation and footer), or a
// plain page of its own when the site has none.
func (s *server) renderVerify(w io.Writer, res verifyResult) error {
	var shell []byte
	if dir := s.cfg.SiteDir(); dir != "" {
		shell, _ = os.ReadFile(filepath.Join(dir, "verify", "index.html"))
	}
	before, after, ok := bytes.Cut(shell, []byte(verifyMarker))
	if !ok {
		return verifyTmpl.ExecuteTemplate(w, "page", res)
	}
	w.Write(before)
	if err := verifyTmpl.ExecuteTemplate(w, "fragment", res); err != nil {
		return err
	}
	_, err := w.Write(after)
	return err
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// verified adds to a record what the pages show: status today, labels,
// links, the QR code of its verification URL.
func (s *server) verified(r *http.Request, rec news.NoticeRecord) verifiedNotice {
	v := verifiedNotice{NoticeRecord: rec, KindLabel: notice.Kind(rec.Kind).Label(), PaperName: s.paperName(), PrintedAt: s.now(),
		VerifyURL: "/verify/?q=" + rec.Number, ProofURL: "/verify/proof/" + rec.Number + "/",
		Superseded: len(rec.CorrectedBy) > 0}
	if rec.Withdrawn == nil {
		v.Status = notice.StatusAt(rec.Info(), s.now())
	} else {
		v.Status = notice.Status{State: "withdrawn", Label: "已撤回", Text: "本公告已撤回：" + rec.Withdrawn.Reason}
	}
	if rec.Page > 0 {
		v.PageLabel = fmt.Sprintf("第%02d版", rec.Page)
		if rec.PageName != "" {
			v.PageLabel += " " + rec.PageName
		}
	}
	v.PublicURL = s.publicURL(r) + strings.TrimPrefix(v.VerifyURL, "/")
	v.QR = qrSVG(v.PublicURL)
	v.Full = parseCanonical(rec.Canonical)
	return v
}

// publicURL is the site's public address with a trailing slash: the
// configured one, else the request's scheme and host.
func (s *server) publicURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimSuffix(s.cfg.BaseURL, "/") + "/"
	}
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/"
}

// proofNotice finds the notice named in the route of a 登报证明. When
// there is no such notice it answers the request itself and returns ok
// false.
func (s *server) proofNotice(w http.ResponseWriter, r *http.Request) (verifiedNotice, bool) {
	if s.cfg.Notices == nil {
		http.Error(w, "verification is not configured", http.StatusServiceUnavailable)
		return verifiedNotice{}, false
	}
	number := strings.ToUpper(r.PathValue("number"))
	var rec *news.NoticeRecord
	var err error
	if notice.ValidNumber(number) {
		rec, err = s.cfg.Notices.NoticeByNumber(r.Context(), number)
	}
	if rec == nil || err != nil {
		if news.ErrorCode(err) != news.ENOTFOUND && err != nil {
			s.cfg.Log.Error("proof failed", "err", err)
			http.Error(w, "核验暂时不可用，请稍后再试。", http.StatusInternalServerError)
			return verifiedNotice{}, false
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		verifyTmpl.ExecuteTemplate(w, "missing", map[string]string{"Number": number, "PaperName": s.paperName()})
		return verifiedNotice{}, false
	}
	return s.verified(r, *rec), true
}

// renderProof renders the proof of publication (登报证明) of a notice: a
// printable A4 page with the paper, the edition's date and page, the
// notice's full text with Chinese labels, its number, fingerprint and a
// QR code to its verification URL.
func (s *server) renderProof(v verifiedNotice) ([]byte, error) {
	var buf bytes.Buffer
	if err := verifyTmpl.ExecuteTemplate(&buf, "proof", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// proof serves the 登报证明 page; browsers print it or save it as PDF
// (print stylesheet, A4).
func (s *server) proof(w http.ResponseWriter, r *http.Request) {
	v, ok := s.proofNotice(w, r)
	if !ok {
		return
	}
	page, err := s.renderProof(v)
	if err != nil {
		s.cfg.Log.Error("proof page", "err", err)
		http.Error(w, "登报证明生成失败。", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(page)
}

// qrSVG renders text as a QR code (level M) in inline SVG, one square per
// module with a four-module quiet zone.
func qrSVG(text string) template.HTML {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return ""
	}
	n := c.Size + 8
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" class="qr" role="img" aria-label="核验网址二维码：%s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`,
		n, n, template.HTMLEscapeString(text), n, n)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if c.Black(x, y) {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x+4, y+4)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String())
}

// fullText is a notice as the 登报证明 prints it, read back from its
// canonical text: title, paragraphs, the other fields with Chinese labels,
// and the 落款.
type fullText struct {
	Title             string
	Body              []string
	Fields            []labelled
	Signature, Signed string
}

type labelled struct{ Label, Value string }

// canonicalLabels names the canonical text's keys (docs/notices.md) in
// Chinese; "" leaves a key out of the field list because the proof shows
// it elsewhere.
var canonicalLabels = map[string]string{
	"number": "", "kind": "", "published": "", "edition": "", "page": "", "title": "", "issuers": "",
	"signature": "", "signed_date": "",
	"doc_number": "文号", "addressees": "主送", "attachment": "附件",
	"project_name": "项目名称", "project_number": "项目编号", "agency": "采购代理机构", "budget": "预算金额",
	"bid_deadline": "投标截止时间", "company": "公司名称", "credit_code": "统一社会信用代码",
	"capital_before": "原注册资本", "capital_after": "变更后注册资本", "resolution_date": "决议日期",
	"parties": "当事人", "holder": "持有人", "lost_item": "遗失物品", "lost_number": "证件编号",
	"contact": "联系人", "phones": "联系电话", "email": "电子邮箱", "address": "地址",
	"period_start": "公告期起", "period_end": "公告期止", "claim_deadline": "申报截止日期", "corrects": "更正的公告",
}

// parseCanonical reads a canonical text ("key: value" lines, then "body:"
// and one paragraph a line) into the parts the proof prints. Keys it does
// not know are shown as they are rather than dropped.
func parseCanonical(text string) fullText {
	var f fullText
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	inBody := false
	for i, line := range lines {
		switch {
		case i == 0 && line == notice.Format:
		case inBody:
			f.Body = append(f.Body, line)
		case line == "body:":
			inBody = true
		default:
			k, v, _ := strings.Cut(line, ": ")
			switch k {
			case "title":
				f.Title = v
			case "signature":
				f.Signature = v
			case "signed_date":
				f.Signed = v
				if t, err := time.Parse(time.DateOnly, v); err == nil {
					f.Signed = t.Format("2006年1月2日")
				}
			}
			label, known := canonicalLabels[k]
			if !known {
				label = k
			}
			if label != "" {
				f.Fields = append(f.Fields, labelled{label, v})
			}
		}
	}
	return f
}
