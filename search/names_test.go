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
