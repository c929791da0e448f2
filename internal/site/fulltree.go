package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// fullBuild tracks a full rebuild so that publishes made while it runs are
// replayed into the new tree before it goes live.
type fullBuild struct {
	tree     string
	recycled bool                  // tree is an old tree being overwritten (see newTree)
	changed  map[string]bool       // parts (and hot) re-rendered meanwhile
	removed  map[string]string     // content keys withdrawn meanwhile, with their month
	touched  map[string]bool       // months publishes marked out of date meanwhile
	parts    map[string]*partState // state of the parts in the new tree

	// The new tree's files are written by one goroutine of their own, so
	// that a worker goes on to its next render instead of waiting for the
	// disk with the archive's lock held (the other worker then waited for
	// the lock). Removals go through it too, so that they happen in order
	// with the writes. Only that goroutine touches dirs and writeErr until
	// done is closed.
	writes   chan treeFile
	done     chan struct{}
	dirs     map[string]bool // directories known to exist in tree
	writeErr error           // the first failed write
	closing  sync.Once
}

// treeFile is one file waiting to be written into the new tree, or one to
// delete from it.
type treeFile struct {
	path string
	data []byte
	src  string // a file on disk to copy instead of data (planFile.src)
	op   treeOp
}

type treeOp int

const (
	writeFile  treeOp = iota
	removeFile        // a file, unless a folder stands there by now
	removeDir         // a folder and all it holds
)

// pendingWrites bounds the files rendered but not yet written (a few
// batches' worth, tens of megabytes), so a slow disk slows the renders
// down instead of filling memory.
const pendingWrites = 2048

func newFullBuild(tree string, recycled bool) *fullBuild {
	f := &fullBuild{
		tree: tree, recycled: recycled,
		changed: map[string]bool{}, removed: map[string]string{}, touched: map[string]bool{},
		parts:  map[string]*partState{},
		writes: make(chan treeFile, pendingWrites), done: make(chan struct{}), dirs: map[string]bool{},
	}
	go func() {
		defer close(f.done)
		for w := range f.writes {
			if f.writeErr == nil {
				f.writeErr = f.writeNow(w)
			}
		}
	}()
	return f
}

// write queues a file for the new tree. Nobody reads the tree before the
// swap, so a file needs neither a temporary file nor a rename, and each
// directory is created once: half the system calls of writeAtomic. The
// caller holds a.mu; errors are reported by finish.
func (f *fullBuild) write(path string, data []byte) {
	f.writes <- treeFile{path: path, data: data}
}

// copy queues a file for the new tree whose content is the file src on
// disk, read when it is written (a linked output: outputFs.link).
func (f *fullBuild) copy(path, src string) {
	f.writes <- treeFile{path: path, src: src}
}

// remove queues the removal of a file (removeFile) or a folder (removeDir)
// of the new tree, and of the folders that leaves empty.
func (f *fullBuild) remove(path string, op treeOp) {
	f.writes <- treeFile{path: path, op: op}
}

func (f *fullBuild) writeNow(w treeFile) error {
	if w.op != writeFile {
		return f.removeNow(w.path, w.op)
	}
	if w.src != "" {
		data, err := os.ReadFile(w.src)
		if err != nil {
			return err
		}
		w.data = data
	}
	err := f.writeNowOnce(w.path, w.data)
	if err != nil && f.recycled && clearWay(f.tree, w.path) {
		// An old tree may hold a file where this build wants a folder,
		// or the reverse.
		f.dirs = map[string]bool{}
		err = f.writeNowOnce(w.path, w.data)
	}
	return err
}

func (f *fullBuild) writeNowOnce(path string, data []byte) error {
	dir := filepath.Dir(path)
	if !f.dirs[dir] {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		f.dirs[dir] = true
	}
	return os.WriteFile(path, data, 0o644)
}

func (f *fullBuild) removeNow(path string, op treeOp) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) || err == nil && info.IsDir() && op == removeFile {
		// Gone, or a folder a write put where the file was.
		return nil
	}
	if err != nil {
		return err
	}
	if !info.IsDir() {
		if err := os.Remove(path); err != nil {
			return err
		}
	} else {
		if err := os.RemoveAll(path); err != nil {
			return err
		}
		for p := range f.dirs {
			if p == path || strings.HasPrefix(p, path+string(filepath.Separator)) {
				delete(f.dirs, p)
			}
		}
	}
	removeEmptyDirs(f.tree, filepath.Dir(path), func(dir string) { delete(f.dirs, dir) })
	return nil
}

// clearWay removes what stands in the way of writing a file at path in
// tree: a file where one of its folders should be, or a folder where the
// file should be. It reports whether it removed anything.
func clearWay(tree, path string) bool {
	rel, err := filepath.Rel(tree, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	cleared := false
	dir := tree
	parts := strings.Split(rel, string(filepath.Separator))
	for _, name := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, name)
		info, err := os.Lstat(dir)
		if err != nil {
			break // missing: MkdirAll makes the rest
		}
		if !info.IsDir() {
			cleared = os.Remove(dir) == nil
			break
		}
	}
	if info, err := os.Lstat(path); err == nil && info.IsDir() {
		cleared = os.RemoveAll(path) == nil || cleared
	}
	return cleared
}

// finish waits until every queued file is written and reports the first
// write that failed. No write may be queued after it; calling it again
// only reports the same.
func (f *fullBuild) finish() error {
	f.closing.Do(func() { close(f.writes) })
	<-f.done
	if f.writeErr != nil {
		return fmt.Errorf("write the new tree: %w", f.writeErr)
	}
	return nil
}

// defaultRecycleAfter is how long the tree before the live one must have
// been out of service before a full build takes it over: by then no
// reader is still being sent one of its files.
const defaultRecycleAfter = time.Minute

func (a *Archive) recycleAfter() time.Duration {
	if a.recycle != 0 {
		return a.recycle
	}
	return defaultRecycleAfter
}

// newTree makes the folder a full build renders into. When there is one,
// the tree before the live one (kept for readers that were still on it,
// and removed as soon as this build goes live) is taken over and
// overwritten in place: on ext4, creating a file and a folder for every
// page and deleting the old tree's were a fifth of a rebuild's CPU
// (BENCHMARKS.md). Files the new build does not write are swept away
// before the swap (see sweep). The caller holds a.mu.
func (a *Archive) newTree(builds string) (tree string, recycled bool, err error) {
	tree, err = newBuildDir(builds)
	if err != nil {
		return "", false, err
	}
	// MkdirTemp picked a fresh name; os.Rename will not replace a folder.
	if old := a.spareTree(builds); old != "" && os.Remove(tree) == nil {
		if err := os.Rename(old, tree); err == nil {
			// Trees of older versions were made 0700.
			return tree, true, os.Chmod(tree, 0o755)
		}
		if err := os.Mkdir(tree, 0o755); err != nil {
			return "", false, err
		}
	}
	return tree, false, nil
}

// spareTree returns the newest tree older than the live one, if the live
// one went live at least recycleAfter ago; "" otherwise.
func (a *Archive) spareTree(builds string) string {
	if a.live == "" {
		return ""
	}
	info, err := os.Lstat(a.PublicLink())
	if err != nil || time.Since(info.ModTime()) < a.recycleAfter() {
		return ""
	}
	entries, err := os.ReadDir(builds)
	if err != nil {
		return ""
	}
	live := filepath.Base(a.live)
	var older []string
	for _, e := range entries {
		if e.IsDir() && e.Name() < live && !strings.HasSuffix(e.Name(), ".tmp") {
			older = append(older, e.Name())
		}
	}
	if len(older) == 0 {
		return ""
	}
	sort.Strings(older)
	return filepath.Join(builds, older[len(older)-1])
}

// sweep queues the removal of every file of a recycled tree that no part
// of the new build owns. It runs once every part has rendered; pages that
// replays add or remove later are written or removed through the same
// queue, after the sweep's removals.
func (a *Archive) sweep(full *fullBuild) error {
	return filepath.WalkDir(full.tree, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed meanwhile
			}
			return fmt.Errorf("sweep the recycled tree: %w", err)
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(full.tree, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "sitemap.xml" || isMedia(rel) {
			return nil // the sitemap index, written before the swap; pictures (isMedia)
		}
		a.mu.Lock()
		defer a.mu.Unlock()
		if st := full.parts[a.owner(rel)]; st != nil {
			if _, ok := st.Outputs[rel]; ok {
				return nil
			}
		}
		full.remove(p, removeFile)
		return nil
	})
}
