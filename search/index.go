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

	mu           sync.RWMutex // guards idx, gen, needsRebuild and stale; a rebuild swaps idx
	idx          *shards
	gen          string // the live generation's folder in dir, "" for the layout before generations
	needsRebuild bool
	stale        bool // idx is of another mapping or analyzer version

	// A rebuild writes a new generation while idx keeps answering; the
	// documents put and deleted meanwhile are recorded in changed (the
	// latest version of each, nil for a deletion) and replayed into the
	// new generation before it becomes the live one.
	changeMu sync.Mutex
	changed  map[string]*Document // nil when no rebuild runs

	rebuildMu sync.Mutex // one Rebuild at a time
}

const (
	// mappingVersion changes with the set of fields and how they are
	// indexed; together with the analyzer version it is written to
	// versionFile, and a mismatch makes Open recreate the index.
	mappingVersion = "newsroom-search/m10"
	versionFile    = "newsroom-search-version"
	// currentFile names the live generation: the folder in the index
	// directory that holds its shards and version stamp. It is replaced
	// atomically, which is what makes the switch to a rebuilt index
	// atomic. Without it the shards are in the index directory itself
	// (indexes made before generations).
	currentFile = "newsroom-search-current"
	genPrefix   = "gen-"
	// syncedFile holds the time MarkSynced recorded.
	syncedFile = "newsroom-search-synced"
	batchSize  = 500
	// rebuildBatch is the size of a rebuild's batches. Each batch makes a
	// segment in each shard, and the cost per document of a segment's
	// dictionaries, and of merging segments later, falls with their size:
	// at 20,000 real articles 2,000 took 17 % less CPU time than 500, at
	// twice the peak memory (2.9 GB against 1.5 GB; BENCHMARKS.md).
	rebuildBatch = 2000
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

// Open opens the index in dir, creating it if needed. An index of another
// mapping or analyzer version is opened as it is and keeps answering
// (Stale and NeedsRebuild report true) until a rebuild replaces it; one
// that cannot be opened, or none, is created empty and NeedsRebuild
// reports true, since an empty index also needs a full load.
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
	ix.gen = currentGen(dir)
	gdir := ix.genDir(ix.gen)
	have, verr := os.ReadFile(filepath.Join(gdir, versionFile))
	if verr == nil {
		timeout := opts.LockTimeout
		if timeout <= 0 {
			timeout = defaultLockTimeout
		}
		idx, err := openShards(gdir, timeout)
		if err == nil {
			ix.idx = idx
			if strings.TrimSpace(string(have)) != ix.version() {
				// another mapping or analyzer: it answers until the
				// rebuild (in the background) replaces it
				ix.stale, ix.needsRebuild = true, true
			}
			ix.removeOtherGens()
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

// currentGen returns the live generation named in dir, or "" for the
// layout without generations.
func currentGen(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, currentFile))
	if err != nil {
		return ""
	}
	g := strings.TrimSpace(string(data))
	if !strings.HasPrefix(g, genPrefix) || strings.ContainsAny(g, `/\`) {
		return ""
	}
	return g
}

// genDir is the folder of generation g.
func (ix *Index) genDir(g string) string {
	if g == "" {
		return ix.dir
	}
	return filepath.Join(ix.dir, g)
}

// newGen creates an empty generation with this index's version stamp; it
// is not live until setCurrent names it.
func (ix *Index) newGen() (string, *shards, error) {
	g := genPrefix + strconv.FormatInt(time.Now().UnixNano(), 36)
	gdir := ix.genDir(g)
	if err := os.MkdirAll(gdir, 0o755); err != nil {
		return "", nil, fmt.Errorf("search: %w", err)
	}
	s, err := createShards(gdir)
	if err != nil {
		_ = os.RemoveAll(gdir)
		return "", nil, err
	}
	if err := atomicfile.WriteFile(filepath.Join(gdir, versionFile), []byte(ix.version()+"\n"), 0o644); err != nil {
		_ = s.Close()
		_ = os.RemoveAll(gdir)
		return "", nil, fmt.Errorf("search: write version: %w", err)
	}
	return g, s, nil
}

// setCurrent makes generation g the live one on disk, atomically.
func (ix *Index) setCurrent(g string) error {
	if err := atomicfile.WriteFile(filepath.Join(ix.dir, currentFile), []byte(g+"\n"), 0o644); err != nil {
		return fmt.Errorf("search: switch to the new index: %w", err)
	}
	return nil
}

// removeOtherGens deletes every generation but the live one (left by a
// rebuild that was interrupted, or replaced), and the files of the layout
// without generations once a generation is live. Failures only leave
// disk space taken.
func (ix *Index) removeOtherGens() {
	entries, err := os.ReadDir(ix.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), genPrefix) && e.Name() != ix.gen {
			_ = os.RemoveAll(filepath.Join(ix.dir, e.Name()))
		}
	}
	if ix.gen != "" {
		_ = removeShards(ix.dir)
	}
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

// recreate replaces an index that cannot be opened with an empty new
// generation (and removes the index files it finds, only ours: the
// directory may be shared with other data). The caller has not published
// ix yet.
func (ix *Index) recreate() error {
	// An empty index matches no content folder.
	if err := os.Remove(filepath.Join(ix.dir, syncedFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("search: remove sync stamp: %w", err)
	}
	// The version stamp is written after the shards exist and the
	// generation is named after that: a crash in between leaves the old
	// state, and the next Open recreates again.
	g, idx, err := ix.newGen()
	if err != nil {
		return err
	}
	if err := ix.setCurrent(g); err != nil {
		_ = idx.Close()
		return err
	}
	ix.idx, ix.gen = idx, g
	ix.removeOtherGens()
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

// NeedsRebuild reports whether the index was created empty by Open because
// it was missing or unreadable, or is of another mapping or analyzer
// version (see Stale), and has not been rebuilt since. The caller should
// then load every document (RebuildFrom).
func (ix *Index) NeedsRebuild() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.needsRebuild
}

// Stale reports whether the index that answers is of another mapping or
// analyzer version: it holds the whole archive as it was analysed before,
// and answers (a query analysed the new way may miss what only the new
// analysis finds) until RebuildFrom has built and switched to the new
// one, so a server need not wait for the rebuild to serve search.
func (ix *Index) Stale() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.stale
}

// Close closes the index. A rebuild still running fails.
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
	if ix.idx == nil {
		return errClosed
	}
	if err := ix.put(ix.idx, docs, batchSize); err != nil {
		return err
	}
	ix.record(docs, nil)
	return nil
}

// record notes documents put and IDs deleted while a rebuild runs, for it
// to replay into the new generation.
func (ix *Index) record(docs []Document, deleted []string) {
	ix.changeMu.Lock()
	defer ix.changeMu.Unlock()
	if ix.changed == nil {
		return
	}
	for i := range docs {
		d := docs[i]
		ix.changed[d.ID] = &d
	}
	for _, id := range deleted {
		ix.changed[id] = nil
	}
}

// put writes docs to the shards s, in Bleve batches of size documents.
func (ix *Index) put(s *shards, docs []Document, size int) error {
	for len(docs) > 0 {
		n := min(len(docs), size)
		bds := make([]*document.Document, 0, n)
		for _, d := range docs[:n] {
			bd, err := ix.buildDoc(d)
			if err != nil {
				return err
			}
			bds = append(bds, bd)
		}
		if err := s.apply(bds, nil); err != nil {
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
	ix.record(nil, ids)
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

// Rebuild replaces the whole index with docs: it builds a new index (a new
// generation in the index directory) in batches of 2,000, calls progress
// (if not nil) after each batch, then switches to it and clears
// NeedsRebuild and Stale. The index that was there keeps answering
// searches until the switch, and documents put or deleted meanwhile go to
// it and are replayed into the new one before the switch, so none is
// lost. On error or cancellation the new index is dropped and the old one
// stays, NeedsRebuild unchanged. The disk holds both while it runs.
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
func (ix *Index) RebuildFrom(ctx context.Context, seq iter.Seq2[Document, error], total int, progress func(done, total int)) (err error) {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	ix.mu.RLock()
	closed := ix.idx == nil
	ix.mu.RUnlock()
	if closed {
		return errClosed
	}
	g, next, err := ix.newGen()
	if err != nil {
		return err
	}
	ix.changeMu.Lock()
	ix.changed = map[string]*Document{}
	ix.changeMu.Unlock()
	switched := false
	defer func() {
		ix.changeMu.Lock()
		ix.changed = nil
		ix.changeMu.Unlock()
		if !switched {
			_ = next.Close()
			_ = os.RemoveAll(ix.genDir(g))
		}
	}()
	if err := ix.fill(ctx, next, seq, total, progress); err != nil {
		return err
	}
	// Replay what was published meanwhile, first without holding
	// anything (it may be many documents), then, with writes held, what
	// came in during that.
	if err := ix.replay(next); err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx == nil {
		return errClosed
	}
	if err := ix.replay(next); err != nil {
		return err
	}
	if err := ix.setCurrent(g); err != nil {
		return err
	}
	switched = true
	old := ix.idx
	ix.idx, ix.gen = next, g
	ix.needsRebuild, ix.stale = false, false
	_ = old.Close()
	ix.removeOtherGens()
	return nil
}

// replay writes the documents put and deleted since the rebuild began (or
// since the last replay) into next.
func (ix *Index) replay(next *shards) error {
	ix.changeMu.Lock()
	changed := ix.changed
	ix.changed = map[string]*Document{}
	ix.changeMu.Unlock()
	var docs []Document
	var deleted []string
	for id, d := range changed {
		if d == nil {
			deleted = append(deleted, id)
		} else {
			docs = append(docs, *d)
		}
	}
	if err := ix.put(next, docs, batchSize); err != nil {
		return err
	}
	if len(deleted) > 0 {
		if err := next.apply(nil, deleted); err != nil {
			return fmt.Errorf("search: delete: %w", err)
		}
	}
	return nil
}

// fill writes the documents of seq into next.
func (ix *Index) fill(ctx context.Context, next *shards, seq iter.Seq2[Document, error], total int, progress func(done, total int)) error {
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
	batch := make([]Document, 0, rebuildBatch)
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
		batch = make([]Document, 0, rebuildBatch)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			err := ix.put(next, b, len(b))
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
		if len(batch) == rebuildBatch {
			if err := flush(); err != nil {
				return finish(err)
			}
		}
	}
	return finish(flush())
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
