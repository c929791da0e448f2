package paste

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"newsroom/internal/news"
)

// Document is a word-processor file made into a draft: its headline (when
// the file starts with one), its body as Markdown, and its pictures in the
// order they appear.
type Document struct {
	Title    string
	Markdown string
	Images   []Image
	// LocalImages are images the file only linked to (not embedded).
	LocalImages []string
}

// Image is a picture embedded in a document.
type Image struct {
	Name    string // its name inside the file, e.g. media/image1.png
	Data    []byte
	Alt     string // the picture's description (alt text), when the author gave one
	Caption string // the caption paragraph under it (Word's 题注 style), when there is one
}

// Limits on what Docx reads, so that a crafted file cannot make it read
// without end (a zip's sizes are claims; the readers are capped anyway).
const (
	MaxDocxXML    = 32 << 20  // word/document.xml, uncompressed
	MaxDocxImages = 100 << 20 // all embedded pictures together
	MaxDocxImage  = 30 << 20  // one picture
)

var (
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
	zipMagic = []byte("PK\x03\x04")

	errLegacy  = news.Errorf(news.EINVALID, "这是旧版 Word（.doc）或 WPS（.wps）文件，暂不能直接导入：请在 WPS 或 Word 中“另存为”Word 文档（.docx）后再上传，或打开文件全选复制后粘贴到正文。")
	errNotDocx = news.Errorf(news.EINVALID, "这不是 Word 文档（.docx）文件，请选择 .docx 文件。")
	errBroken  = news.Errorf(news.EINVALID, "这个 Word 文档（.docx）已损坏或不完整，无法读取，请在 WPS 或 Word 中重新保存后再上传。")
)

// Docx reads a .docx file. A .doc or .wps file (the old binary formats)
// and anything else that is not a .docx answer a news.Error in Chinese.
func Docx(r io.ReaderAt, size int64) (*Document, error) {
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	switch {
	case n == 8 && bytes.Equal(head, oleMagic):
		return nil, errLegacy
	case n < 4 || !bytes.Equal(head[:4], zipMagic):
		return nil, errNotDocx
	}
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, errBroken
	}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[f.Name] = f
	}
	docFile := files["word/document.xml"]
	if docFile == nil {
		return nil, errNotDocx
	}
	rels, err := readRels(files["word/_rels/document.xml.rels"])
	if err != nil {
		return nil, errBroken
	}
	styles, _ := readStyles(files["word/styles.xml"])          // optional part
	numbering, _ := readNumbering(files["word/numbering.xml"]) // optional part
	body, err := readLimited(docFile, MaxDocxXML)
	if err != nil {
		return nil, errBroken
	}
	p := &docxParser{rels: rels, styles: styles, numbering: numbering}
	if err := p.parse(body); err != nil {
		return nil, errBroken
	}

	doc := &Document{}
	var b strings.Builder
	budget := int64(MaxDocxImages)
	images := map[string]int{} // target → index in doc.Images
	first := true
	for i, para := range p.paras {
		text := strings.TrimSpace(para.text.String())
		if first && text != "" {
			first = false
			if para.title || para.centered && utf8.RuneCountInString(text) <= 40 && len(para.images) == 0 {
				doc.Title = text
				continue
			}
		}
		if para.caption && i > 0 && len(p.paras[i-1].images) > 0 && text != "" {
			for _, im := range p.paras[i-1].images {
				if k, ok := images[im.target]; ok && doc.Images[k].Caption == "" {
					doc.Images[k].Caption = text
				}
			}
			continue
		}
		for _, im := range para.images {
			if im.external {
				doc.LocalImages = append(doc.LocalImages, im.target)
				continue
			}
			if _, ok := images[im.target]; ok {
				continue
			}
			f := files[im.target]
			if f == nil {
				continue
			}
			data, err := readLimited(f, min(MaxDocxImage, budget))
			if err != nil {
				return nil, news.Errorf(news.EINVALID, "文档中的图片太大（每张不超过 %d MB，合计不超过 %d MB），请压缩图片后再上传，或只导入文字后单独上传照片。", MaxDocxImage>>20, MaxDocxImages>>20)
			}
			budget -= int64(len(data))
			images[im.target] = len(doc.Images)
			doc.Images = append(doc.Images, Image{Name: strings.TrimPrefix(im.target, "word/"), Data: data, Alt: im.alt})
		}
		b.WriteString(para.html())
	}
	res := HTML(b.String())
	doc.Markdown = res.Markdown
	return doc, nil
}

func readLimited(f *zip.File, limit int64) ([]byte, error) {
	if f == nil {
		return nil, errors.New("missing part")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", f.Name, limit)
	}
	return data, nil
}

type rel struct {
	target   string // a part name (word/media/image1.png) or, when external, a URL
	external bool
}

func readRels(f *zip.File) (map[string]rel, error) {
	rels := map[string]rel{}
	if f == nil {
		return rels, nil
	}
	data, err := readLimited(f, 4<<20)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Rels []struct {
			ID         string `xml:"Id,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	for _, r := range doc.Rels {
		if r.TargetMode == "External" {
			rels[r.ID] = rel{target: r.Target, external: true}
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("word", t)
		}
		rels[r.ID] = rel{target: t}
	}
	return rels, nil
}

// readStyles maps style ids to their lower-cased names ("heading 2",
// "title", "caption"): Chinese Word names its style ids "2", "a3", ….
func readStyles(f *zip.File) (map[string]string, error) {
	styles := map[string]string{}
	if f == nil {
		return styles, nil
	}
	data, err := readLimited(f, 8<<20)
	if err != nil {
		return styles, err
	}
	var doc struct {
		Styles []struct {
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
		} `xml:"style"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return styles, err
	}
	for _, s := range doc.Styles {
		styles[s.ID] = strings.ToLower(s.Name.Val)
	}
	return styles, nil
}

// readNumbering maps a list's numId to the format of its first level
// ("decimal", "bullet", "chineseCounting", …).
func readNumbering(f *zip.File) (map[string]string, error) {
	formats := map[string]string{}
	if f == nil {
		return formats, nil
	}
	data, err := readLimited(f, 8<<20)
	if err != nil {
		return formats, err
	}
	var doc struct {
		Abstract []struct {
			ID  string `xml:"abstractNumId,attr"`
			Lvl []struct {
				Ilvl   string `xml:"ilvl,attr"`
				NumFmt struct {
					Val string `xml:"val,attr"`
				} `xml:"numFmt"`
			} `xml:"lvl"`
		} `xml:"abstractNum"`
		Num []struct {
			ID       string `xml:"numId,attr"`
			Abstract struct {
				Val string `xml:"val,attr"`
			} `xml:"abstractNumId"`
		} `xml:"num"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return formats, err
	}
	abs := map[string]string{}
	for _, a := range doc.Abstract {
		for _, l := range a.Lvl {
			if l.Ilvl == "0" {
				abs[a.ID] = l.NumFmt.Val
			}
		}
	}
	for _, n := range doc.Num {
		formats[n.ID] = abs[n.Abstract.Val]
	}
	return formats, nil
}

type docxImage struct {
	target   string
	external bool
	alt      string
}

// docxPara is one paragraph of the document, as HTML for the paste cleaner.
type docxPara struct {
	inner    strings.Builder // the runs as HTML
	text     strings.Builder // the plain text
	style    string          // the style's name
	list     string          // the list format, when numbered
	centered bool
	title    bool // Title or Heading 1 style: the story's headline
	caption  bool
	images   []docxImage
}

func (p *docxPara) html() string {
	inner := p.inner.String()
	switch {
	case strings.HasPrefix(p.style, "heading 1") || strings.HasPrefix(p.style, "heading 2") || p.style == "title" || p.style == "subtitle":
		return "<h2>" + inner + "</h2>\n"
	case strings.HasPrefix(p.style, "heading"):
		return "<h3>" + inner + "</h3>\n"
	case p.list == "decimal":
		return "<ol><li>" + inner + "</li></ol>\n"
	case p.list == "bullet":
		return "<ul><li>" + inner + "</li></ul>\n"
	case strings.Contains(p.style, "quote"):
		return "<blockquote><p>" + inner + "</p></blockquote>\n"
	}
	return "<p>" + inner + "</p>\n"
}

type docxParser struct {
	rels      map[string]rel
	styles    map[string]string
	numbering map[string]string
	paras     []*docxPara
}

// parse walks word/document.xml. Elements are matched by local name: the
// WordprocessingML namespace is the same in every producer.
func (d *docxParser) parse(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		para         *docxPara
		inPPr, inRPr bool
		bold, em     bool
		inText       bool
		skip         int // depth inside deleted text, field codes, footnote marks
		href         string
		alt          string
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "p":
				para = &docxPara{}
			case "pPr":
				inPPr = true
			case "pStyle":
				if para != nil && inPPr {
					para.style = d.styles[attrVal(t, "val")]
					if para.style == "" {
						para.style = strings.ToLower(attrVal(t, "val"))
					}
					switch {
					case para.style == "title" || para.style == "heading 1" || para.style == "heading1":
						para.title = true
					case strings.Contains(para.style, "caption"):
						para.caption = true
					case strings.HasPrefix(para.style, "heading") && !strings.HasPrefix(para.style, "heading "):
						para.style = "heading " + strings.TrimPrefix(para.style, "heading") // pandoc's ids: Heading2
					}
				}
			case "numId":
				if para != nil && inPPr {
					if v := attrVal(t, "val"); v != "0" {
						para.list = d.numbering[v]
						if para.list == "" {
							para.list = "bullet"
						}
					}
				}
			case "jc":
				if para != nil && inPPr {
					para.centered = attrVal(t, "val") == "center"
				}
			case "r":
				bold, em = false, false
			case "rPr":
				inRPr = true
			case "b":
				if inRPr && !inPPr {
					bold = onOff(attrVal(t, "val"))
				}
			case "em":
				if inRPr && !inPPr {
					em = attrVal(t, "val") != "none"
				}
			case "t":
				inText = true
			case "tab":
				if para != nil && !inPPr {
					para.inner.WriteString(" ")
					para.text.WriteString(" ")
				}
			case "br", "cr":
				if para != nil && attrVal(t, "type") != "page" && attrVal(t, "type") != "column" {
					para.inner.WriteString("<br>")
					para.text.WriteString("\n")
				}
			case "hyperlink":
				if r, ok := d.rels[relID(t, "id")]; ok && r.external {
					href = r.target
				}
			case "docPr":
				alt = attrVal(t, "descr")
			case "blip", "imagedata":
				id := relID(t, "embed")
				if id == "" {
					id = relID(t, "link")
				}
				if id == "" {
					id = relID(t, "id")
				}
				if r, ok := d.rels[id]; ok && para != nil {
					para.images = append(para.images, docxImage{target: r.target, external: r.external, alt: alt})
				}
				alt = ""
			case "del", "instrText", "delText", "footnoteReference", "endnoteReference", "commentReference":
				skip = 1
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "p":
				if para != nil {
					d.paras = append(d.paras, para)
				}
				para = nil
			case "pPr":
				inPPr = false
			case "rPr":
				inRPr = false
			case "t":
				inText = false
			case "hyperlink":
				href = ""
			}
		case xml.CharData:
			if !inText || skip > 0 || para == nil {
				continue
			}
			s := html.EscapeString(string(t))
			para.text.Write(t)
			if href != "" {
				s = `<a href="` + html.EscapeString(href) + `">` + s + `</a>`
			}
			if em {
				s = `<span style="text-emphasis:dot">` + s + `</span>`
			}
			if bold {
				s = "<b>" + s + "</b>"
			}
			para.inner.WriteString(s)
		}
	}
}

func onOff(v string) bool { return v != "0" && v != "false" && v != "off" && v != "none" }

func attrVal(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// relID is an r:… attribute (a relationship id), told apart from w:id.
func relID(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && strings.Contains(a.Name.Space, "relationships") {
			return a.Value
		}
	}
	return ""
}
