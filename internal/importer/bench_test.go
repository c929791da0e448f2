package importer

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkParseSize parses the sample page repeated n times as one text
// (an archive dumped as one file): time per page must stay flat as n grows.
func BenchmarkParseSize(b *testing.B) {
	page, err := os.ReadFile("testdata/sample_page.txt")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range benchSizes {
		text := strings.Repeat(string(page)+"\n", n)
		b.Run(fmt.Sprintf("pages=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			var uncertain int
			for b.Loop() {
				_, rep, err := Parse(text, Options{})
				if err != nil {
					b.Fatal(err)
				}
				uncertain = len(rep.Uncertain)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
			b.ReportMetric(float64(uncertain)/float64(n), "uncertain/page")
		})
	}
}

var benchSizes = []int{1, 10, 40, 160, 640}
