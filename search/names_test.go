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
