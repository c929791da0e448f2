package search

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	bolt "go.etcd.io/bbolt"

	"newsroom/internal/atomicfile"
)

// Document is what the search index knows of one archive item. The caller
// maps its own story, photo and notice types onto it.
type Document struct {
	ID         string    // stable id = the public URL path, e.g. "/stories/2023/06/yijianshi/"
	URL        string    // link for the hit; defaults to ID
	Kind       string    // "story" | "photo" | "notice"
	Title      string    // 主题
	Kicker     string    // 引题
	Subtitle   string    // 副题
	Body       string    // plain text, paragraphs separated by "\n\n"
	Section    string    // e.g. "要闻"
	Tags       []string  // keywords
	Authors    []string  // reporters, photographers
	Source     string    // 本报讯 / 新华社深圳6月7日电
	Date       time.Time // publication date; its location is kept for display and day filters
	Issuers    []string  // notices: 发文机关
	DocNumber  string    // notices: 文号, e.g. 吕政发〔2023〕12号
	CreditCode string    // notices: 统一社会信用代码 (18 chars)
}

// Options configures an Index.
type Options struct {
	// UserDict is the path of an optional user dictionary, one word per
	// line ("word [freq] [pos]"); a missing file means none. Changing it
	// changes the analyzer version, so the index reports NeedsRebuild.
	UserDict string
	// Analyzer, when set, is used instead of loading one from UserDict.
	// Loading the dictionaries takes about a second, so tests and programs
	// that open several indexes share one.
	Analyzer *Analyzer
	// SnippetRunes is the snippet length in characters; 0 means 120.
	SnippetRunes int
	// BodyOf, when set, returns the current body text of a document for
	// its snippet, and the index then keeps no copy of the bodies: the
	// archive's content files already hold them, and the copy was a fifth
	// of the index. Without it the body is stored in the index, deflated.
	// The two kinds of index differ on disk: switching makes Open report
	// NeedsRebuild. It is called from several goroutines at once (the
	// hits of a page in parallel).
	BodyOf func(id string) (body string, ok bool)
	// LockTimeout is how long Open waits for another process that has the
	// index open; 0 means 5 s. Open then fails rather than hang forever.
	LockTimeout time.Duration
}

// Index is a Chinese full-text index of the archive, stored in a directory.
// It is safe for concurrent use.
type Index struct {
	dir     string
	an      *Analyzer
	snippet int
	bodyOf  func(id string) (string, bool)

	mu           sync.RWMutex // guards idx and needsRebuild; Rebuild swaps idx
	idx          *shards
	needsRebuild bool

	rebuildMu sync.Mutex // one Rebuild at a time
}

const (
	// mappingVersion changes with the set of fields and how they are
	// indexed; together with the analyzer version it is written to
	// versionFile, and a mismatch makes Open recreate the index.
	mappingVersion = "newsroom-search/m10"
	versionFile    = "newsroom-search-version"
	// syncedFile holds the time MarkSynced recorded.
	syncedFile   = "newsroom-search-synced"
	batchSize    = 500
	rebuildDepth = 2 // batches a rebuild has in flight at once
	// dateSortField holds the date in UTC as text that sorts in time
	// order, then the document ID.
	dateSortField      = "date_k"
	dateSortLayout     = "20060102150405"
	defaultLockTimeout = 5 * time.Second
)

// field names and boosts: a title match counts three times a body match.
// Only the fields Search reads back (title and body, for the hit and its
// snippet) are stored.
type textField struct {
	name   string
	boost  float64
	store  bool
	pinyin bool // its names and places are found by pinyin too
}

var textFields = []textField{
	{"title", 3, true, true},
	{"kicker", 1.5, false, true},
	{"subtitle", 1.5, false, true},
	{"tags", 1.5, false, true},
	{"body", 1, true, true},
	{"authors", 1, false, true},
	{"source", 0.5, false, false},
	{"issuers", 1, false, true},
	{"docnum", 1, false, false},
	{"credit", 1, false, false},
}

const (
	bigramSuffix = "_bg"
	// bigramBoost makes a match found only through bigrams rank below the
	// same match through dictionary words.
	bigramBoost = 0.5
	// codeBoost puts the notice whose 文号 or credit code is the whole query
	// above everything else.
	codeBoost = 1000
)

// Open opens the index in dir, creating it if needed. If dir holds an index
// from another mapping or analyzer version, or one that cannot be opened,
// Open recreates it empty and NeedsRebuild reports true; it does the same
// for a new index, since an empty index also needs a full load.
func Open(dir string, opts Options) (*Index, error) {
	an := opts.Analyzer
	if an == nil {
		var err error
		if an, err = NewAnalyzer(opts.UserDict); err != nil {
			return nil, err
		}
	}
	ix := &Index{dir: dir, an: an, snippet: opts.SnippetRunes, bodyOf: opts.BodyOf}
	if ix.snippet <= 0 {
		ix.snippet = 120
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	want := ix.version()
	have, verr := os.ReadFile(filepath.Join(dir, versionFile))
	if verr == nil && strings.TrimSpace(string(have)) == want {
		timeout := opts.LockTimeout
		if timeout <= 0 {
			timeout = defaultLockTimeout
		}
		idx, err := openShards(dir, timeout)
		if err == nil {
			ix.idx = idx
			return ix, nil
		}
		if errors.Is(err, bolt.ErrTimeout) {
			// Another process has it open: that index is alive, and
			// recreating it would destroy it under that process.
			return nil, fmt.Errorf("search: index %s is in use by another process: %w", dir, err)
		}
		// corrupt or half-written: fall through and recreate
	}
	if err := ix.recreate(); err != nil {
		return nil, err
	}
	ix.needsRebuild = true
	return ix, nil
}

func (ix *Index) version() string {
	v := mappingVersion
	if pruneBigrams {
		v += "+prune"
	}
	v += fmt.Sprintf("+shards%d", numShards)
	if ix.bodyOf != nil {
		v += "+extbody"
	}
	return v + " " + ix.an.Version()
}

// recreate removes the index files in dir (only ours: the directory may be
// shared with other data) and creates an empty index with a fresh version
// stamp. The caller holds mu or has not published ix yet.
func (ix *Index) recreate() error {
	if ix.idx != nil {
		_ = ix.idx.Close()
		ix.idx = nil
	}
	// An empty index matches no content folder.
	if err := os.Remove(filepath.Join(ix.dir, syncedFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("search: remove sync stamp: %w", err)
	}
	idx, err := createShards(ix.dir)
	if err != nil {
		return err
	}
	// The stamp is written after the index exists: a crash in between
	// leaves no stamp, and the next Open recreates again.
	if err := atomicfile.WriteFile(filepath.Join(ix.dir, versionFile), []byte(ix.version()+"\n"), 0o644); err != nil {
		_ = idx.Close()
		return fmt.Errorf("search: write version: %w", err)
	}
	ix.idx = idx
	return nil
}

// newMapping returns the Bleve mapping. Documents are built field by field
// with our analyzers (IndexAdvanced), so the mapping only has to exist and
// must not index anything dynamically.
func newMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.DefaultMapping.Dynamic = false
	m.DefaultMapping.Enabled = false
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	return m
}

// SyncedAt returns the time MarkSynced last recorded for this index, or
// the zero time if none was (an index from before stamps were kept, or
// one just recreated).
func (ix *Index) SyncedAt() time.Time {
	data, err := os.ReadFile(filepath.Join(ix.dir, syncedFile))
	if err != nil {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(data)))
	if err != nil {
		return time.Time{}
	}
	return t
}

// MarkSynced records that every content file last modified before t is in
// the index as it is on disk, so that a later check need only read the
// files modified since. The stamp is replaced atomically.
func (ix *Index) MarkSynced(t time.Time) error {
	if err := atomicfile.WriteFile(filepath.Join(ix.dir, syncedFile), []byte(t.UTC().Format(time.RFC3339Nano)+"\n"), 0o644); err != nil {
		return fmt.Errorf("search: write sync stamp: %w", err)
	}
	return nil
}

// NeedsRebuild reports whether the index was (re)created empty by Open
// because it was missing, of another version or unreadable, and has not
// been filled by Rebuild since. The caller should then load every document.
func (ix *Index) NeedsRebuild() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.needsRebuild
}

// Close closes the index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx == nil {
		return nil
	}
	err := ix.idx.Close()
	ix.idx = nil
	return err
}

var errClosed = errors.New("search: index closed")

// Put adds or replaces documents, all in one Bleve batch (split every 500
// documents), which is much faster than one write per document.
func (ix *Index) Put(docs ...Document) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.put(docs)
}

func (ix *Index) put(docs []Document) error {
	if ix.idx == nil {
		return errClosed
	}
	for len(docs) > 0 {
		n := min(len(docs), batchSize)
		bds := make([]*document.Document, 0, n)
		for _, d := range docs[:n] {
			bd, err := ix.buildDoc(d)
			if err != nil {
				return err
			}
			bds = append(bds, bd)
		}
		if err := ix.idx.apply(bds, nil); err != nil {
			return fmt.Errorf("search: index batch: %w", err)
		}
		docs = docs[n:]
	}
	return nil
}

// Delete removes documents by ID; unknown IDs are ignored.
func (ix *Index) Delete(ids ...string) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return errClosed
	}
	if err := ix.idx.apply(nil, ids); err != nil {
		return fmt.Errorf("search: delete: %w", err)
	}
	return nil
}

// EachID calls fn with the ID of every document in the index, in no
// particular order, from one snapshot of each shard; it stops at the first
// error fn returns. It reads IDs only, no stored fields.
func (ix *Index) EachID(ctx context.Context, fn func(id string) error) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return errClosed
	}
	if err := ix.idx.eachID(ctx, fn); err != nil {
		return fmt.Errorf("search: list documents: %w", err)
	}
	return nil
}

// Count returns the number of documents in the index.
func (ix *Index) Count() (uint64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return 0, errClosed
	}
	return ix.idx.DocCount()
}

// Rebuild replaces the whole index with docs: it recreates the index empty,
// puts docs in batches of 500, calls progress (if not nil) after each batch
// and clears NeedsRebuild when done. Searches keep working meanwhile and
// see the documents put so far. On error or cancellation the index keeps
// those documents and NeedsRebuild stays true.
func (ix *Index) Rebuild(ctx context.Context, docs []Document, progress func(done, total int)) error {
	return ix.RebuildFrom(ctx, func(yield func(Document, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}, len(docs), progress)
}

// RebuildFrom is Rebuild for an archive too large to hold in memory: it
// reads documents from seq (stopping at the first error it yields) and
// reports progress against total, which may be 0 when unknown.
func (ix *Index) RebuildFrom(ctx context.Context, seq iter.Seq2[Document, error], total int, progress func(done, total int)) error {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	ix.mu.Lock()
	if ix.idx == nil {
		ix.mu.Unlock()
		return errClosed
	}
	err := ix.recreate()
	ix.needsRebuild = true
	ix.mu.Unlock()
	if err != nil {
		return err
	}
	// Up to rebuildDepth batches are in flight at once: Bleve builds a
	// batch's segment and waits for it to be persisted in the calling
	// goroutine, and meanwhile the next batch can be analysed. A document
	// ID seen before in this rebuild waits for the batches in flight, so
	// the later version wins as it would in sequence.
	var (
		mu       sync.Mutex
		done     int
		firstErr error
		wg       sync.WaitGroup
	)
	slots := make(chan struct{}, rebuildDepth)
	failed := func() error {
		mu.Lock()
		defer mu.Unlock()
		return firstErr
	}
	seen := map[string]struct{}{}
	batch := make([]Document, 0, batchSize)
	dup := false
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if dup {
			wg.Wait()
			dup = false
		}
		slots <- struct{}{}
		if err := failed(); err != nil {
			<-slots
			return err
		}
		b := batch
		batch = make([]Document, 0, batchSize)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			err := ix.Put(b...)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			done += len(b)
			if progress != nil && firstErr == nil {
				progress(done, total)
			}
		}()
		return nil
	}
	finish := func(err error) error {
		wg.Wait()
		if err != nil {
			return err
		}
		return failed()
	}
	for d, err := range seq {
		if err != nil {
			return finish(err)
		}
		if err := ctx.Err(); err != nil {
			return finish(err)
		}
		if _, ok := seen[d.ID]; ok {
			dup = true
		}
		seen[d.ID] = struct{}{}
		batch = append(batch, d)
		if len(batch) == batchSize {
			if err := flush(); err != nil {
				return finish(err)
			}
		}
	}
	if err := finish(flush()); err != nil {
		return err
	}
	ix.mu.Lock()
	ix.needsRebuild = false
	ix.mu.Unlock()
	return nil
}

const (
	optWord    = index.IndexField | index.IncludeTermVectors
	optKeyword = index.IndexField
	optStored  = index.StoreField
	// optBigram is optWord: without frequencies and norms (SkipFreqNorm,
	// 3 % of the index) zap allocates every position it decodes, which
	// made phrase queries a third slower, and Bleve scores such a field NaN.
	optBigram = optWord
)

// buildDoc turns a Document into Bleve fields analysed by our analyzers.
func (ix *Index) buildDoc(d Document) (*document.Document, error) {
	if d.ID == "" {
		return nil, fmt.Errorf("search: document without ID")
	}
	url := d.URL
	if url == "" {
		url = d.ID
	}
	bd := document.NewDocument(d.ID)
	values := map[string]string{
		"title":    d.Title,
		"kicker":   d.Kicker,
		"subtitle": d.Subtitle,
		"tags":     strings.Join(d.Tags, "\n"),
		"body":     d.Body,
		"authors":  strings.Join(d.Authors, "\n"),
		"source":   d.Source,
		"issuers":  strings.Join(d.Issuers, "\n"),
		"docnum":   d.DocNumber,
		"credit":   d.CreditCode,
	}
	var analysed []*fieldAnalysis
	for _, f := range textFields {
		v := values[f.name]
		if v == "" {
			continue
		}
		opt := optWord
		if f.store && f.name != "body" {
			opt |= optStored
		}
		fa := &fieldAnalysis{an: ix.an, text: v}
		if f.pinyin {
			analysed = append(analysed, fa)
		}
		bd.AddField(document.NewTextFieldCustom(f.name, nil, []byte(v), opt, wordAnalyzer{fa}))
		bd.AddField(document.NewTextFieldCustom(f.name+bigramSuffix, nil, nil, optBigram, bigramAnalyzer{fa}))
		if f.store && f.name == "body" && ix.bodyOf == nil {
			// The body is stored deflated: Bleve compresses stored
			// fields with snappy, which leaves Chinese text at 84 % of
			// its size; deflate gets it to 65 %.
			bd.AddField(document.NewTextFieldWithIndexingOptions(bodyStored, nil, deflate(v), optStored))
		}
	}
	if len(analysed) > 0 {
		bd.AddField(document.NewTextFieldCustom(pinyinField, nil, nil, optKeyword, pinyinAnalyzer{analysed}))
	}
	keyword := func(name, v string, opt index.FieldIndexingOptions) {
		if v != "" {
			bd.AddField(document.NewTextFieldWithIndexingOptions(name, nil, []byte(v), opt))
		}
	}
	// kind, section and year keep doc values: Search counts them over all
	// hits (facets).
	keyword("kind", d.Kind, optKeyword|optStored|index.DocValues)
	keyword("section", d.Section, optKeyword|optStored|index.DocValues)
	if url != d.ID {
		keyword("url", url, optStored) // most URLs are the ID: not stored twice
	}
	for _, is := range d.Issuers {
		keyword("issuer", is, optKeyword)
	}
	if d.DocNumber != "" {
		keyword("docnum_key", NormalizeDocNumber(d.DocNumber), optKeyword)
	}
	if d.CreditCode != "" {
		keyword("credit_key", NormalizeCreditCode(d.CreditCode), optKeyword)
	}
	if !d.Date.IsZero() {
		for _, t := range dayTerms(d.Date) {
			keyword(dayField, t, optKeyword)
		}
		keyword(yearField, strconv.Itoa(d.Date.Year()), optKeyword|index.DocValues)
		// stored separately as text so the zone offset survives
		keyword("date_s", d.Date.Format(time.RFC3339Nano), optStored)
		// sorted on as one short term: the date field's doc values hold a
		// dozen prefix-coded terms per document, and decoding them for
		// every candidate dominated the cost of a search
		// The ID after the date makes the key unique: documents of the
		// same second sort the same way in every shard and on every page
		// (the shards' hits are merged, and a tie could come back in
		// either order, repeating a hit on the next page).
		keyword(dateSortField, d.Date.UTC().Format(dateSortLayout)+" "+d.ID, optKeyword|index.DocValues)
	}
	return bd, nil
}

// fieldQuery is a Bleve term query or our phraseQuery on one field.
func fieldQuery(field string, terms []string, boost float64) query.Query {
	if len(terms) == 1 {
		q := query.NewTermQuery(terms[0])
		q.SetField(field)
		q.SetBoost(boost)
		return q
	}
	return &phraseQuery{field: field, terms: terms, boost: boost}
}
