package importer

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestCorpusMisses prints, for the stories of one layout that do not come
// back right, the article's headline and the items holding its text:
// CORPUS_MISS=3 go test -run CorpusMisses -v (the layout's index).
func TestCorpusMisses(t *testing.T) {
	ls := os.Getenv("CORPUS_MISS")
	if ls == "" {
		t.Skip("set CORPUS_MISS=layout index")
	}
	li := 0
	fmt.Sscan(ls, &li)
	limit := 400
	fmt.Sscan(os.Getenv("CORPUS_MISS_N"), &limit)
	shown := 0
	causes := map[string]int{}
	defer func() { t.Log(causes) }()
	for pi, arts := range loadCorpus(t) {
		if pi%corpusStride() != 0 {
			continue
		}
		text := renderCorpusPage(arts, corpusLayouts[li], uint64(pi*31+li))
		items, _, _ := Parse(text, Options{})
		for _, a := range arts {
			var hOK, tOK bool
			for _, it := range items {
				h, tt := storyRight(it, a)
				if tt {
					hOK, tOK = h, tt
					break
				}
			}
			if hOK && tOK {
				continue
			}
			shown++
			want := normKey(a.Body)
			paras := strings.Split(a.Body, "\n\n")
			cause := "?"
			for _, it := range items {
				h := normKey(it.Kicker + it.Title + it.Subtitle)
				for pi, para := range paras {
					if h != "" && (normKey(para) == h || strings.Contains(h, normKey(para)) && len(normKey(para)) > 6) {
						if pi == 0 {
							cause = "firstpara-in-head"
						} else if cause == "?" {
							cause = "subhead-as-head"
						}
					}
				}
			}
			if cause == "?" && !tOK {
				var nParts int
				for _, it := range items {
					got := normKey(it.Body + it.Caption)
					if len(got) > 6 && strings.Contains(want, got) {
						nParts++
					}
				}
				var kinds []string
				for _, it := range items {
					got := normKey(it.Body + it.Caption)
					if len(got) > 6 && strings.Contains(want, got) && !strings.HasPrefix(want, got) {
						switch {
						case it.Source != "":
							kinds = append(kinds, "lead")
						case it.Kind == KindPhoto:
							kinds = append(kinds, "photo")
						case it.Title == "":
							kinds = append(kinds, "untitled")
						default:
							kinds = append(kinds, "titled")
						}
					}
				}
				switch {
				case nParts > 0:
					cause = "split-other:" + strings.Join(kinds, ",")
				default:
					cause = "merged/other"
				}
			} else if cause == "?" {
				cause = "head-wrong"
			}
			causes[cause]++
			var b strings.Builder
			fmt.Fprintf(&b, "MISS %s/%02d #%d text=%v title=%q body=%q (%d paras)\n", a.Date, a.Page, a.No, tOK, a.Title, snippet(a.Body, 30), strings.Count(a.Body, "\n\n")+1)
			for k, it := range items {
				got := normKey(it.Body + it.Caption)
				if len(got) < 4 {
					continue
				}
				over := strings.Contains(want, got[:min(len(got), 24)]) || strings.Contains(got, want[:min(len(want), 24)])
				if !over {
					continue
				}
				fmt.Fprintf(&b, "   item %d %s [%s|%s|%s] src=%q by=%q %q … %q\n", k, it.Kind, it.Kicker, it.Title, it.Subtitle, it.Source, it.Bylines, snippet(it.Body+it.Caption, 24), tail(it.Body+it.Caption, 12))
			}
			if shown <= limit {
				t.Log(cause, b.String())
			}
		}
	}
}

func tail(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[len(rs)-n:])
}
