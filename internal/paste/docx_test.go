package paste

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsroom/internal/news"
)

func docxOf(t *testing.T, data []byte) (*Document, error) {
	t.Helper()
	return Docx(bytes.NewReader(data), int64(len(data)))
}

// TestDocxPandoc reads a .docx written by pandoc 2.17 (testdata/pandoc.docx,
// made from Markdown with a heading, bold, lists, a link and a picture with
// its caption).
func TestDocxPandoc(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pandoc.docx"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := docxOf(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "旧粮仓变身城市书房" {
		t.Errorf("title %q", doc.Title)
	}
	want := `本报讯（记者 示例）6月3日上午，示例区城市书房在一座旧粮仓里开门迎客，首批上架图书一万二千册。

书房实行“**刷脸借书**”，读者登记后二十四小时都可以借还图书。

## 旧粮仓换了新模样

改造保留了粮仓的木梁和拱顶。

- 一楼为少儿阅览区；
- 二楼为地方文献区。

1. 凭身份证办理借书证；
2. 每人每次限借五册。

详情见[示例区图书馆网站](https://www.example.cn/library/)。
`
	if doc.Markdown != want {
		t.Errorf("markdown:\n%s\nwant:\n%s", doc.Markdown, want)
	}
	if len(doc.Images) != 1 {
		t.Fatalf("%d images, want 1", len(doc.Images))
	}
	im := doc.Images[0]
	if !bytes.HasPrefix(im.Data, []byte("\x89PNG")) || im.Caption != "改造后的书房内景" || im.Alt != "改造后的书房内景" {
		t.Errorf("image %s: %d bytes, caption %q, alt %q", im.Name, len(im.Data), im.Caption, im.Alt)
	}
}

// wordXML is the document part of a .docx as Chinese Word writes it: style
// ids "1" and "2" named "heading 1" and "heading 2", 着重号 as <w:em
// w:val="dot"/>, a 　　 indent typed in the text, a tracked deletion.
const wordXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>
<w:p><w:pPr><w:jc w:val="center"/><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="44"/></w:rPr><w:t>大棚里的新农人</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">　　示例县的大棚</w:t></w:r><w:r><w:rPr><w:em w:val="dot"/></w:rPr><w:t>全部</w:t></w:r><w:r><w:t>用上了智能温控。</w:t></w:r><w:del w:id="1" w:author="编辑"><w:r><w:delText>删掉的字</w:delText></w:r></w:del><w:r><w:br/><w:t xml:space="preserve">　　种植户说：“</w:t></w:r><w:r><w:rPr><w:b w:val="1"/></w:rPr><w:t>睡得踏实</w:t></w:r><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>。”</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="2"/></w:pPr><w:r><w:t>订单农业</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>第一条</w:t></w:r></w:p>
</w:body></w:document>`

const wordStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/></w:style></w:styles>`

const wordNumbering = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num></w:numbering>`

func zipOf(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDocxWord(t *testing.T) {
	doc, err := docxOf(t, zipOf(t, map[string]string{
		"word/document.xml":  wordXML,
		"word/styles.xml":    wordStyles,
		"word/numbering.xml": wordNumbering,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "大棚里的新农人" {
		t.Errorf("title %q", doc.Title)
	}
	want := "示例县的大棚*全部*用上了智能温控。\n\n种植户说：“**睡得踏实**。”\n\n## 订单农业\n\n1. 第一条\n"
	if doc.Markdown != want {
		t.Errorf("markdown:\n%q\nwant\n%q", doc.Markdown, want)
	}
}

func TestDocxRefused(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"doc", append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 512)...), "另存为"},
		{"text", []byte("这不是文档"), "不是 Word 文档"},
		{"zip without document", zipOf(t, map[string]string{"a.txt": "x"}), "不是 Word 文档"},
		{"broken zip", []byte("PK\x03\x04garbage"), "已损坏"},
		{"broken xml", zipOf(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p>"}), "已损坏"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := docxOf(t, c.data)
			if news.ErrorCode(err) != news.EINVALID || !strings.Contains(news.ErrorMessage(err), c.want) {
				t.Errorf("err = %v, want an invalid error saying %q", err, c.want)
			}
		})
	}
}
