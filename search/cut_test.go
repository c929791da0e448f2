package search

import (
	"slices"
	"testing"
	"unicode/utf8"
)

// TestCutMatchesGse checks that cut segments every Chinese run of the
// fixture corpus (and of every shifted window of it, for more contexts)
// exactly as gse's CutDAGNoHMM does.
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
		got := a.cut(run, &c)
		if !slices.Equal(got, want) {
			t.Errorf("cut(%s) = %v, gse %v", string(run), got, want)
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d runs checked", checked)
	}
}
