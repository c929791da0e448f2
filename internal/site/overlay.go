package site

import (
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/afero"
)

// overlayFs is the disk with one folder (dir) replaced by a memory file
// system: a part's Hugo build reads the site's configuration, theme and
// static files from disk and the part's staged content from memory.
// (afero's CopyOnWriteFs would do, but its files cannot list a directory
// the way Hugo needs, with ReadDir.)
type overlayFs struct {
	disk afero.Fs
	dir  string // absolute, clean
	mem  afero.Fs
}

func newOverlayFs(dir string, mem afero.Fs) *overlayFs {
	return &overlayFs{disk: afero.NewOsFs(), dir: filepath.Clean(dir), mem: mem}
}

func (o *overlayFs) fs(name string) afero.Fs {
	name = filepath.Clean(name)
	if name == o.dir || strings.HasPrefix(name, o.dir+string(filepath.Separator)) {
		return o.mem
	}
	return o.disk
}

func (o *overlayFs) Name() string { return "overlayFs" }

func (o *overlayFs) Create(name string) (afero.File, error) { return o.fs(name).Create(name) }

func (o *overlayFs) Mkdir(name string, perm os.FileMode) error { return o.fs(name).Mkdir(name, perm) }

func (o *overlayFs) MkdirAll(path string, perm os.FileMode) error {
	return o.fs(path).MkdirAll(path, perm)
}

func (o *overlayFs) Open(name string) (afero.File, error) { return o.fs(name).Open(name) }

func (o *overlayFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	return o.fs(name).OpenFile(name, flag, perm)
}

func (o *overlayFs) Remove(name string) error { return o.fs(name).Remove(name) }

func (o *overlayFs) RemoveAll(path string) error { return o.fs(path).RemoveAll(path) }

func (o *overlayFs) Rename(oldname, newname string) error {
	if o.fs(oldname) != o.fs(newname) {
		return &os.LinkError{Op: "rename", Old: oldname, New: newname, Err: os.ErrInvalid}
	}
	return o.fs(oldname).Rename(oldname, newname)
}

func (o *overlayFs) Stat(name string) (os.FileInfo, error) { return o.fs(name).Stat(name) }

// LstatIfPossible implements afero.Lstater, which Hugo uses when walking.
func (o *overlayFs) LstatIfPossible(name string) (os.FileInfo, bool, error) {
	if l, ok := o.fs(name).(afero.Lstater); ok {
		return l.LstatIfPossible(name)
	}
	fi, err := o.fs(name).Stat(name)
	return fi, false, err
}

func (o *overlayFs) Chmod(name string, mode os.FileMode) error { return o.fs(name).Chmod(name, mode) }

func (o *overlayFs) Chown(name string, uid, gid int) error { return o.fs(name).Chown(name, uid, gid) }

func (o *overlayFs) Chtimes(name string, atime, mtime time.Time) error {
	return o.fs(name).Chtimes(name, atime, mtime)
}
