package search

import (
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"sync"
)

// bodyStored is the stored field that holds the body, deflated.
const bodyStored = "body_z"

// flate level 1: 65 % of the text for Chinese bodies, against 62 % at the
// default level for three times the time.
const deflateLevel = 1

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, deflateLevel)
	return w
}}

// inflaters are reused: a new flate reader allocates a 32 KB window,
// which for ten hits per search was most of a search's garbage.
var inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// deflate compresses s for storing.
func deflate(s string) []byte {
	var buf bytes.Buffer
	buf.Grow(len(s)*2/3 + 64)
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&buf)
	_, _ = io.WriteString(w, s)
	_ = w.Close()
	deflaters.Put(w)
	return buf.Bytes()
}

// inflate reverses deflate; a value it cannot read gives "".
func inflate(s string) string {
	if s == "" {
		return ""
	}
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	if err := r.(flate.Resetter).Reset(strings.NewReader(s), nil); err != nil {
		return ""
	}
	var b bytes.Buffer
	b.Grow(len(s) * 2)
	if _, err := io.Copy(&b, r); err != nil {
		return ""
	}
	return b.String()
}
