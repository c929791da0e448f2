package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCutMatchesGse checks that cutGse (cut's route without the weights of
// function words) segments every Chinese run of the fixture corpus (and of
// every shifted window of it, for more contexts) exactly as gse's
// CutDAGNoHMM does.
func TestCutMatchesGse(t *testing.T) {
	a := testAnalyzer(t)
	var c cutter
	var runs [][]rune
	for _, d := range loadCorpus(t) {
		rs := fold(d.Title + "。" + d.Body).joinHan().runes
		for i := 0; i < len(rs); {
			if !isHan(rs[i]) {
				i++
				continue
			}
			j := i
			for j < len(rs) && isHan(rs[j]) {
				j++
			}
			runs = append(runs, rs[i:j])
			for k := i + 1; k < j && k < i+4; k++ {
				runs = append(runs, rs[k:j]) // other starting contexts
			}
			i = j
		}
	}
	runs = append(runs, []rune("南京市长江大桥"), []rune("乒乓球拍卖完了"), []rune("吕梁市离石区"), []rune("𠀀𠀁中文"))
	checked := 0
	for _, run := range runs {
		var want []int
		for _, w := range a.seg.CutDAGNoHMM(string(run)) {
			want = append(want, utf8.RuneCountInString(w))
		}
		got := a.cutGse(run, &c)
		if !slices.Equal(got, want) {
			t.Errorf("cut(%s) = %v, gse %v", string(run), got, want)
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d runs checked", checked)
	}
}

// TestCutFunctionWords checks the one place where cut leaves gse's route: a
// single-character function word weighs as the word it is, so the word
// after it is not cut to join the function word's neighbour (和/平稳, not
// 和平/稳, as a newspaper's segmentation has it), while content characters
// keep gse's weight (省人大/常委会, not 省/人大常委会).
func TestCutFunctionWords(t *testing.T) {
	a := testAnalyzer(t)
	var c cutter
	for _, tc := range []struct{ run, want, gse string }{
		{"爆炸和平稳有序", "爆炸/和/平稳/有序", "爆炸/和平/稳/有序"},
		{"是不许可的", "是/不/许可/的", "是/不许/可/的"},
		{"省人大常委会主任", "省人大/常委会/主任", "省人大/常委会/主任"},
	} {
		show := func(lens []int) string {
			rs := []rune(tc.run)
			var parts []string
			k := 0
			for _, n := range lens {
				parts = append(parts, string(rs[k:k+n]))
				k += n
			}
			return strings.Join(parts, "/")
		}
		if got := show(a.cut([]rune(tc.run), &c)); got != tc.want {
			t.Errorf("cut(%s) = %s, want %s", tc.run, got, tc.want)
		}
		if got := show(a.cutGse([]rune(tc.run), &c)); got != tc.gse {
			t.Errorf("cutGse(%s) = %s, want %s", tc.run, got, tc.gse)
		}
	}
}
