package search

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
)

// numShards is how many Bleve indexes the archive is split into. Bleve
// searches the shards of an alias in parallel, so on two cores an
// expensive query (a common phrase matching a tenth of the archive) takes
// about half the time; documents go to a shard by a hash of their ID, and
// batches are written to the shards in parallel too.
const numShards = 2

// shards is the archive's index: numShards Bleve indexes in subfolders of
// one directory, searched through one alias.
type shards struct {
	parts []bleve.Index
	alias bleve.IndexAlias
}

func shardDir(dir string, i int) string { return filepath.Join(dir, fmt.Sprintf("shard-%d", i)) }

// openShards opens the shards in dir. An error wrapping bolt's timeout
// means another process has them open.
func openShards(dir string, timeout time.Duration) (*shards, error) {
	s := &shards{}
	for i := range numShards {
		idx, err := bleve.OpenUsing(shardDir(dir, i), map[string]interface{}{"bolt_timeout": timeout.String()})
		if err != nil {
			s.Close()
			return nil, err
		}
		s.parts = append(s.parts, idx)
	}
	s.alias = bleve.NewIndexAlias(s.parts...)
	return s, nil
}

// createShards removes any index in dir and creates empty shards.
func createShards(dir string) (*shards, error) {
	if err := removeShards(dir); err != nil {
		return nil, err
	}
	s := &shards{}
	for i := range numShards {
		idx, err := bleve.New(shardDir(dir, i), newMapping())
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("search: create index: %w", err)
		}
		s.parts = append(s.parts, idx)
	}
	s.alias = bleve.NewIndexAlias(s.parts...)
	return s, nil
}

// removeShards deletes the index files in dir, including those of the
// single-index layout of earlier versions, and nothing else: the directory
// may hold other data.
func removeShards(dir string) error {
	names := []string{versionFile, "index_meta.json", "store"}
	// shard folders of any earlier shard count, too
	for i := range 16 {
		names = append(names, filepath.Base(shardDir(dir, i)))
	}
	for _, name := range names {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("search: remove old index: %w", err)
		}
	}
	return nil
}

func (s *shards) shardOf(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(len(s.parts)))
}

// apply writes documents and deletions, each to its shard, the shards in
// parallel; it returns the first error.
func (s *shards) apply(docs []*document.Document, deletes []string) error {
	batches := make([]*bleve.Batch, len(s.parts))
	for i, p := range s.parts {
		batches[i] = p.NewBatch()
	}
	for _, d := range docs {
		if err := batches[s.shardOf(d.ID())].IndexAdvanced(d); err != nil {
			return fmt.Errorf("search: document %q: %w", d.ID(), err)
		}
	}
	for _, id := range deletes {
		batches[s.shardOf(id)].Delete(id)
	}
	errs := make([]error, len(s.parts))
	var wg sync.WaitGroup
	for i, p := range s.parts {
		if batches[i].Size() == 0 {
			continue
		}
		wg.Go(func() { errs[i] = p.Batch(batches[i]) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// DocCount is the number of documents in all shards.
func (s *shards) DocCount() (uint64, error) { return s.alias.DocCount() }

// SearchInContext searches all shards at once and merges their hits.
func (s *shards) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	return s.alias.SearchInContext(ctx, req)
}

// Close closes every shard.
func (s *shards) Close() error {
	var errs []error
	for _, p := range s.parts {
		errs = append(errs, p.Close())
	}
	return errors.Join(errs...)
}

// eachID calls fn with the ID of every document in every shard.
func (s *shards) eachID(ctx context.Context, fn func(id string) error) error {
	for _, p := range s.parts {
		if err := eachShardID(ctx, p, fn); err != nil {
			return err
		}
	}
	return nil
}

func eachShardID(ctx context.Context, p bleve.Index, fn func(id string) error) error {
	adv, err := p.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	all, err := r.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer all.Close()
	for n := 0; ; n++ {
		internal, err := all.Next()
		if err != nil {
			return err
		}
		if internal == nil {
			return nil
		}
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		id, err := r.ExternalID(internal)
		if err != nil {
			return err
		}
		if err := fn(id); err != nil {
			return err
		}
	}
}
