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
			for b.Loop() {
				if _, _, err := Parse(text, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

var benchSizes = []int{1, 10, 40, 160, 640}
