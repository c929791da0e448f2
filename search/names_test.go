package search

import (
	"slices"
	"testing"
)

// TestNamesAndBoundaries checks the cases real news text gets wrong with
// a dictionary alone: a short name inside a longer one, a word inside a
// longer word that divides elsewhere, an unknown word across a boundary.
func TestNamesAndBoundaries(t *testing.T) {
	docs := []Document{
		{ID: "/wangwen/", Kind: "story", Title: "植树", Body: "村支书王文带领大家植树。"},
		{ID: "/wangwenhui/", Kind: "story", Title: "焊工", Body: "老焊工王文辉今年五十岁。"},
		{ID: "/xizhan/", Kind: "story", Title: "春运", Body: "北京西站今天迎来客流高峰。"},
		{ID: "/jingxi/", Kind: "story", Title: "京西", Body: "京西的山区修通了公路。"},
		{ID: "/zhangping/", Kind: "story", Title: "模范", Body: "劳动模范王章平在会上发言。"},
		{ID: "/zhang/", Kind: "story", Title: "书法", Body: "书法家王章，今年八十岁。"},
		{ID: "/yuyan/", Kind: "story", Title: "教学", Body: "学生学习语言和文学。"},
		{ID: "/xiaokang/", Kind: "story", Title: "生活", Body: "人民的小康生活更加宽裕。"},
		{ID: "/bjs/", Kind: "story", Title: "会议", Body: "北京市委召开全会。"},
		{ID: "/renda/", Kind: "story", Title: "人大", Body: "全国人大常委会举行会议。"},
		{ID: "/date/", Kind: "story", Title: "更正", Body: "１月５日本版刊登的文章有误。"},
		{ID: "/marker/", Kind: "story", Title: "测试", Body: "编号 更正后load12x3。"},
		{ID: "/tzb/", Kind: "story", Title: "座谈", Body: "中共中央统战部召开座谈会。"},
		{ID: "/shizf/", Kind: "story", Title: "通知", Body: "南京市政府发出通知。"},
		{ID: "/byline/", Kind: "photo", Title: "雪景", Body: "公园里的雪景。（丁一摄）"},
		{ID: "/byline2/", Kind: "story", Title: "短讯", Body: "全县新修公路三条。（邢海洋朱迪）"},
		{ID: "/sea/", Kind: "story", Title: "海洋", Body: "保护海洋环境。"},
		{ID: "/yanli/", Kind: "story", Title: "心里", Body: "乡亲们打心眼里高兴。"},
		{ID: "/saying/", Kind: "story", Title: "采访", Body: "主任周明说，今年要修路。"},
		{ID: "/list/", Kind: "story", Title: "名单", Body: "获奖的有赵立新、钱根宝、孙明甫。"},
		{ID: "/drawing/", Kind: "story", Title: "漫画", Body: "春节的餐桌。（李明画）"},
		{ID: "/pingwen/", Kind: "story", Title: "供水", Body: "确保供水安全和平稳运行。"},
		{ID: "/pingdeng/", Kind: "story", Title: "待遇", Body: "他们受到不平等的待遇。"},
		{ID: "/zzj/", Kind: "story", Title: "会见", Body: "中共中央政治局常委出席会议。"},
		{ID: "/xuanju/", Kind: "story", Title: "选举", Body: "大会选举孙宏民为县长，李玉成为副县长。"},
		{ID: "/shiyin/", Kind: "story", Title: "访问", Body: "世界银行行长来访。"},
	}
	ix := openTestIndex(t, docs)
	for _, c := range []struct {
		q         string
		want, not []string
	}{
		{"王文", []string{"/wangwen/"}, []string{"/wangwenhui/"}},
		{"王文辉", []string{"/wangwenhui/"}, []string{"/wangwen/"}},
		{"京西", []string{"/jingxi/"}, []string{"/xizhan/"}},
		{"北京", []string{"/xizhan/", "/bjs/"}, nil},
		{"王章", []string{"/zhang/"}, []string{"/zhangping/"}},
		{"言和", nil, []string{"/yuyan/"}},
		{"康生", nil, []string{"/xiaokang/"}},
		{"生活", []string{"/xiaokang/"}, nil},
		{"北京市", nil, []string{"/bjs/"}},
		{"市委", []string{"/bjs/"}, nil},
		{"全国人大", []string{"/renda/"}, nil},
		{"日本", nil, []string{"/date/"}},
		// a common long word at the start is not crossed by a rarer one
		{"中央统战部", nil, []string{"/tzb/"}},
		{"统战部", []string{"/tzb/"}, nil},
		// 南京/市政府, as a newspaper divides it
		{"南京市", nil, []string{"/shizf/"}},
		{"市政府", []string{"/shizf/"}, nil},
		{"南京", []string{"/shizf/"}, nil},
		// a byline in brackets is names: 邢海洋, not 邢/海洋
		{"丁一", []string{"/byline/"}, nil},
		{"邢海洋", []string{"/byline2/"}, []string{"/sea/"}},
		{"海洋", []string{"/sea/"}, []string{"/byline2/"}},
		// 心/眼里 is 心眼/里
		{"心眼", []string{"/yanli/"}, nil},
		{"眼里", nil, []string{"/yanli/"}},
		// 周/明说 is 周明/说
		{"周明", []string{"/saying/"}, nil},
		// names in a list, each between 、: 钱根宝, not 钱根/宝 (根 is a
		// function word in the dictionary), 孙明甫, not 孙明/甫
		{"钱根宝", []string{"/list/"}, nil},
		{"钱根", nil, []string{"/list/"}},
		{"孙明", nil, []string{"/list/"}},
		{"孙明甫", []string{"/list/"}, nil},
		// a drawing's credit: （李明画）
		{"李明", []string{"/drawing/"}, nil},
		// a function word alone is a word: 和/平稳, 不/平等
		{"平稳", []string{"/pingwen/"}, nil},
		{"和平", nil, []string{"/pingwen/"}},
		{"平等", []string{"/pingdeng/"}, nil},
		{"不平", nil, []string{"/pingdeng/"}},
		// a name before 为: 孙宏民/为 (cut 孙宏/民为), 李玉成/为
		{"孙宏民", []string{"/xuanju/"}, nil},
		{"孙宏", nil, []string{"/xuanju/"}},
		{"李玉", nil, []string{"/xuanju/"}},
		{"李玉成", []string{"/xuanju/"}, nil},
		// a common long word is not crossed by a much rarer one:
		// 中共中央/政治局常委, 世界银行/行长
		{"中央政治局", nil, []string{"/zzj/"}},
		{"中共中央", []string{"/zzj/"}, nil},
		{"世界银行", []string{"/shiyin/"}, nil},
		// a lone character before a Latin word is not tied to it
		{"更正后load12x3", []string{"/marker/"}, nil},
	} {
		got := ids(search(t, ix, Query{Q: c.q, PageSize: MaxPageSize}))
		for _, id := range c.want {
			if !slices.Contains(got, id) {
				t.Errorf("%s: missed %s (got %v)", c.q, id, got)
			}
		}
		for _, id := range c.not {
			if slices.Contains(got, id) {
				t.Errorf("%s: found %s", c.q, id)
			}
		}
	}
}
