package paste

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWord(t *testing.T) {
	got := HTML(readFixture(t, "word.html"))
	want := `本报讯（记者示例）6月3日上午，示例区城市书房在老城区的一座旧粮仓里开门迎客，首批上架图书一万二千册。

书房实行“**刷脸借书**”，读者在门口的自助机上登记后，*二十四小时*都可以借还图书。

## 旧粮仓换了新模样

改造保留了粮仓的木梁和拱顶。设计师说：

“我们想让老人们一进门就认出这是当年交公粮的地方。”

- 一楼为少儿阅览区；
- 二楼为地方文献区。

1. 凭身份证办理借书证；
2. 每人每次限借五册。

## 开放时间

详情见[示例区图书馆网站](https://www.example.cn/library/)，或拨打0358-0000000。

Reading Room是书房的英文名。
`
	if got.Markdown != want {
		t.Errorf("Word paste:\n%s\nwant:\n%s", got.Markdown, want)
	}
	wantImages := []string{
		"file:///C:/Users/reporter/AppData/Local/Temp/msohtmlclip1/01/clip_image002.jpg",
	}
	if strings.Join(got.LocalImages, "\n") != strings.Join(wantImages, "\n") {
		t.Errorf("local images %q, want %q", got.LocalImages, wantImages)
	}
}

func TestWPS(t *testing.T) {
	got := HTML(readFixture(t, "wps.html"))
	want := `示例县今年新建的三座蔬菜大棚已全部投入使用。

大棚采用智能温控，种植户用手机就能开窗通风。

“以前半夜还要起来看温度，现在睡得踏实了。”种植户老李笑着说。

## 订单农业稳收入

合作社与超市签了**全年订单**，价格提前锁定。*每斤高出市价两角*，种植户心里有了底。

（记者 示例 通讯员 示例）
`
	if got.Markdown != want {
		t.Errorf("WPS paste:\n%s\nwant:\n%s", got.Markdown, want)
	}
	if len(got.LocalImages) != 1 || !strings.HasPrefix(got.LocalImages[0], `file:///C:\Users`) {
		t.Errorf("local images %q, want the one file:/// image", got.LocalImages)
	}
}

func TestText(t *testing.T) {
	got := Text("　　第一段。\r\n　　第二段，有两句。　　第三段在同一行。\n\n\n# 不是标题\n1. 不是列表\n")
	want := "第一段。\n\n第二段，有两句。\n\n第三段在同一行。\n\n\\# 不是标题\n\n1\\. 不是列表\n"
	if got != want {
		t.Errorf("Text:\n%q\nwant\n%q", got, want)
	}
}

func TestHTMLCases(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"empty", ``, ``},
		{"only empty paragraphs", `<p>&nbsp;</p><p><o:p></o:p></p><p>　　</p>`, ``},
		{"quote", `<blockquote><p>一段引文。</p><p>第二段引文。</p></blockquote><p>正文。</p>`, "> 一段引文。\n>\n> 第二段引文。\n\n正文。\n"},
		{"html list", `<ol><li>甲</li><li>乙</li></ol><ul><li>丙</li></ul>`, "1. 甲\n2. 乙\n\n- 丙\n"},
		{"markdown characters are text", `<p>a*b_c [d](e) &lt;x&gt; {{&lt; shortcode >}}</p>`, "a\\*b\\_c \\[d\\](e) \\<x\\> {\\{\\< shortcode \\>}}\n"},
		{"bold quote next to a letter", `<p>他说<b>“好”</b>了</p>`, "他说“**好**”了\n"},
		{"bold sentence stays a paragraph", `<p><b>这是一整句加粗的话，并不是小标题。</b></p>`, "**这是一整句加粗的话，并不是小标题。**\n"},
		{"javascript link dropped", `<p><a href="javascript:alert(1)">点我</a></p>`, "点我\n"},
		{"font-weight normal inside b", `<p><b>粗<span style="font-weight:normal">细</span></b>字</p>`, "**粗**细字\n"},
		{"nested bold and emphasis", `<p>甲<b>乙<span style="text-emphasis: filled dot">丙</span>丁</b>戊</p>`, "甲**乙*丙*丁**戊\n"},
		{"latin spaces kept", "<p>Hugo  is\n fast 真的</p>", "Hugo is fast 真的\n"},
		{"table cells become paragraphs", `<table><tr><td>一</td><td>二</td></tr></table>`, "一\n\n二\n"},
		{"remote image", `<p>图<img src="https://example.cn/a.jpg"></p>`, "图\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := HTML(c.in).Markdown; got != c.want {
				t.Errorf("HTML(%q)\n= %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}
