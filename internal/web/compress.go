package web

import (
	"bytes"
	"container/list"
	"hash/fnv"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Compression of responses: text (HTML, CSS, JS, XML, JSON, plain text,
// SVG) is sent brotli-, zstd- or gzip-compressed, whichever the client
// prefers among those it accepts (brotli first on a tie: the smallest).
// Pages are files that change only on a publish and are read by many, so
// compressed bodies of cacheable responses (Cache-Control public) are kept
// in a bounded in-memory cache keyed by their content: each version of a
// page is compressed once per encoding, not once per reader. Precompressing
// every file of the live tree at build time would do that work for the
// million archive pages that are seldom read, on every full build.

// minCompress is the smallest body worth compressing: below it the
// encoding's framing eats the gain.
const minCompress = 512

// maxCompress bounds the body buffered for compression; larger responses
// pass through uncompressed.
const maxCompress = 8 << 20

// compressCacheBytes bounds the compressed bodies kept in memory.
const compressCacheBytes = 64 << 20

// encodings in the server's order of preference.
var encodings = []string{"br", "zstd", "gzip"}

// compressible reports whether a Content-Type is text worth compressing.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case mt == "text/event-stream": // a stream must not wait for its end
		return false
	case strings.HasPrefix(mt, "text/"):
		return true
	case mt == "application/json", mt == "application/ld+json", mt == "application/xml",
		mt == "application/rss+xml", mt == "application/atom+xml", mt == "application/javascript",
		mt == "application/manifest+json", mt == "image/svg+xml":
		return true
	}
	return false
}

// chooseEncoding picks the encoding for an Accept-Encoding header: the
// highest q-value among ours, ties broken by our order; "" for identity.
func chooseEncoding(header string) string {
	if header == "" {
		return ""
	}
	best, bestQ := "", 0.0
	q := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		v := 1.0
		if p := strings.TrimSpace(params); strings.HasPrefix(p, "q=") {
			if f, err := strconv.ParseFloat(strings.TrimSpace(p[2:]), 64); err == nil {
				v = f
			}
		}
		q[name] = v
	}
	for _, enc := range encodings {
		v, ok := q[enc]
		if !ok {
			v, ok = q["*"]
		}
		if ok && v > bestQ {
			best, bestQ = enc, v
		}
	}
	return best
}

// compressor compresses responses and keeps the compressed bodies of
// cacheable ones.
type compressor struct {
	zstd  *zstd.Encoder // EncodeAll is safe for concurrent use
	limit int           // bytes of compressed bodies kept
	// Writers are reused: a gzip writer at level 6 allocates and clears
	// about a megabyte of state, and answers that are not cached (search,
	// the API) were each making one; under load that was a fifth of the
	// server's CPU with its garbage collection (BENCHMARKS.md).
	gzips, brotlis sync.Pool

	mu    sync.Mutex
	size  int
	lru   *list.List // of *compressed, most recent first
	items map[compressKey]*list.Element
}

type compressKey struct {
	enc  string
	size int
	sum  uint64
}

type compressed struct {
	key  compressKey
	body []byte
}

func newCompressor(limit int) *compressor {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	if err != nil {
		panic(err) // only for invalid options
	}
	return &compressor{zstd: enc, limit: limit, lru: list.New(), items: map[compressKey]*list.Element{}}
}

// encode compresses body with enc.
func (c *compressor) encode(enc string, body []byte) []byte {
	var buf bytes.Buffer
	switch enc {
	case "br":
		// A middle level: the cache pays it once per file version,
		// while the slowest levels would hold up the first reader.
		w, ok := c.brotlis.Get().(*brotli.Writer)
		if ok {
			w.Reset(&buf)
		} else {
			w = brotli.NewWriterLevel(&buf, 6)
		}
		w.Write(body)
		w.Close()
		c.brotlis.Put(w)
	case "zstd":
		return c.zstd.EncodeAll(body, make([]byte, 0, len(body)/3))
	case "gzip":
		w, ok := c.gzips.Get().(*gzip.Writer)
		if ok {
			w.Reset(&buf)
		} else {
			w, _ = gzip.NewWriterLevel(&buf, 6)
		}
		w.Write(body)
		w.Close()
		c.gzips.Put(w)
	}
	return buf.Bytes()
}

// get returns body compressed with enc, from the cache when cache is set.
func (c *compressor) get(enc string, body []byte, cache bool) []byte {
	if !cache {
		return c.encode(enc, body)
	}
	h := fnv.New64a()
	h.Write(body)
	key := compressKey{enc, len(body), h.Sum64()}
	c.mu.Lock()
	if e, ok := c.items[key]; ok {
		c.lru.MoveToFront(e)
		out := e.Value.(*compressed).body
		c.mu.Unlock()
		return out
	}
	c.mu.Unlock()
	out := c.encode(enc, body)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[key]; !ok && len(out) < c.limit/16 {
		c.items[key] = c.lru.PushFront(&compressed{key, out})
		c.size += len(out)
		for c.size > c.limit {
			last := c.lru.Back()
			old := last.Value.(*compressed)
			c.lru.Remove(last)
			delete(c.items, old.key)
			c.size -= len(old.body)
		}
	}
	return out
}

// handler compresses the responses of h, except the admin's: its pages
// carry session-bound secrets (CSRF tokens) next to text the request put
// there, which compression would let an eavesdropper guess (BREACH).
func (c *compressor) handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p == "/admin" || strings.HasPrefix(p, "/admin/") || strings.HasPrefix(p, "/api/admin/") {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Accept-Encoding")
		enc := chooseEncoding(r.Header.Get("Accept-Encoding"))
		if enc == "" || r.Method == http.MethodHead {
			h.ServeHTTP(w, r)
			return
		}
		// A byte range of a compressed body is not a byte range of the
		// file: answer ranges with the whole, compressed.
		r.Header.Del("Range")
		cw := &compressWriter{ResponseWriter: w, c: c, enc: enc}
		h.ServeHTTP(cw, r)
		cw.finish()
	})
}

// compressWriter buffers a compressible response and writes it
// compressed when the handler is done; anything else passes through.
type compressWriter struct {
	http.ResponseWriter
	c      *compressor
	enc    string
	status int
	buf    *bytes.Buffer // nil: passing through
	passed bool          // headers written, passing through
}

func (cw *compressWriter) WriteHeader(status int) {
	if cw.status != 0 || cw.passed {
		return
	}
	hdr := cw.Header()
	cl, _ := strconv.Atoi(hdr.Get("Content-Length"))
	if status == http.StatusOK || status == http.StatusNotFound || status == http.StatusBadRequest {
		if hdr.Get("Content-Encoding") == "" && compressible(hdr.Get("Content-Type")) && cl <= maxCompress &&
			(hdr.Get("Content-Length") == "" || cl >= minCompress) {
			cw.status, cw.buf = status, &bytes.Buffer{}
			return
		}
	}
	cw.passed = true
	cw.ResponseWriter.WriteHeader(status)
}

func (cw *compressWriter) Write(p []byte) (int, error) {
	if cw.status == 0 && !cw.passed {
		cw.WriteHeader(http.StatusOK)
	}
	if cw.buf == nil {
		return cw.ResponseWriter.Write(p)
	}
	if cw.buf.Len()+len(p) > maxCompress {
		// Too large after all: send what is buffered as it is.
		cw.flushPlain()
		return cw.ResponseWriter.Write(p)
	}
	return cw.buf.Write(p)
}

// flushPlain sends the buffered response uncompressed and passes the rest
// through.
func (cw *compressWriter) flushPlain() {
	buf := cw.buf
	cw.buf, cw.passed = nil, true
	cw.ResponseWriter.WriteHeader(cw.status)
	cw.ResponseWriter.Write(buf.Bytes())
}

// finish writes the buffered response, compressed when it pays.
func (cw *compressWriter) finish() {
	if cw.buf == nil {
		return
	}
	body := cw.buf.Bytes()
	if len(body) < minCompress {
		cw.flushPlain()
		return
	}
	hdr := cw.Header()
	cache := strings.Contains(hdr.Get("Cache-Control"), "public")
	out := cw.c.get(cw.enc, body, cache)
	hdr.Set("Content-Encoding", cw.enc)
	hdr.Set("Content-Length", strconv.Itoa(len(out)))
	if etag := hdr.Get("Etag"); etag != "" {
		hdr.Set("Etag", strings.TrimSuffix(etag, `"`)+"-"+cw.enc+`"`)
	}
	cw.buf = nil
	cw.passed = true
	cw.ResponseWriter.WriteHeader(cw.status)
	cw.ResponseWriter.Write(out)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (cw *compressWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }

var _ io.Writer = (*compressWriter)(nil)
