// Package backup puts a site into one tar.gz archive while its server runs,
// and restores such an archive into an empty folder: the content files,
// the database, the settings and theme (hugo.toml, search-dict.txt,
// themes/, static/, …) and uploaded media. The built site and the search
// index are left out: they are made again from content/ on the first start
// of the restored site.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"newsroom/internal/atomicfile"
)

// SiteFiles are the files and folders of a site folder that an archive
// carries, when they exist; the site root may hold other things (the
// program's source, in the repository).
var SiteFiles = []string{
	"hugo.toml", "search-dict.txt", "content", "static", "themes", "uploads",
	"layouts", "assets", "data", "i18n", "archetypes", "epaper",
}

// dbName is the database's path in an archive and in a site folder.
const dbName = ".newsroom/newsroom.db"

// Snapshotter copies the database consistently while it is in use: during
// runs while no write can commit (implemented by *sqlite.DB).
type Snapshotter interface {
	Snapshot(ctx context.Context, dst string, during func() error) error
}

// Stats say what an archive holds.
type Stats struct {
	Files int   // files, the database included
	Bytes int64 // their size before compression
	// Held is how long writes to the site waited for the backup (the
	// database copy and the content links).
	Held time.Duration
}

// Create writes the archive of the site at root (data folder data) to the
// file to, atomically: a failed backup leaves no archive. The content files
// are taken in the same state as the database: they are hard-linked into a
// staging folder while the site runs, then, while writes wait
// (db.Snapshot), the folders changed meanwhile are linked again and the
// database is copied; the staging folder is packed at leisure.
func Create(ctx context.Context, root, data string, db Snapshotter, to string) (Stats, error) {
	var st Stats
	stage, err := os.MkdirTemp(data, "backup-")
	if err != nil {
		return st, err
	}
	defer os.RemoveAll(stage)
	files := filepath.Join(stage, "site")
	dbCopy := filepath.Join(stage, "newsroom.db")
	sg := &stager{seen: map[string]dirState{}}
	each := func(sync func(src, dst string) error) error {
		for _, name := range SiteFiles {
			if err := sync(filepath.Join(root, name), filepath.Join(files, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		return nil
	}
	if err := each(sg.sync); err != nil {
		return st, fmt.Errorf("backup: %w", err)
	}
	var began time.Time
	err = db.Snapshot(ctx, dbCopy, func() error {
		began = time.Now()
		return each(sg.resync)
	})
	st.Held = time.Since(began)
	if err != nil {
		return st, fmt.Errorf("backup: %w", err)
	}
	err = atomicfile.Write(to, 0o600, func(w io.Writer) error {
		zw := gzip.NewWriter(w)
		tw := tar.NewWriter(zw)
		err := filepath.WalkDir(files, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == files {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			rel, _ := filepath.Rel(files, p)
			return addFile(tw, p, filepath.ToSlash(rel), d, &st)
		})
		if err != nil {
			return err
		}
		fi, err := os.Lstat(dbCopy)
		if err != nil {
			return err
		}
		if err := addFile(tw, dbCopy, dbName, fs.FileInfoToDirEntry(fi), &st); err != nil {
			return err
		}
		if err := tw.Close(); err != nil {
			return err
		}
		return zw.Close()
	})
	if err != nil {
		return st, fmt.Errorf("backup to %s: %w", to, err)
	}
	return st, nil
}

// stager keeps a copy of site files in a staging folder by hard links
// (a copy where links cannot be made, e.g. across file systems). Content
// files are replaced by rename, never changed in place, so a link keeps a
// file as it was; and a file created, renamed or removed in a folder
// changes the folder's modification time, so after a first full pass only
// the folders whose time moved need linking again.
type stager struct {
	seen map[string]dirState // source folder → its state when listed
}

type dirState struct {
	mtime  time.Time // before it was listed
	listed time.Time
}

// sync stages the file or folder src as dst, in full.
func (g *stager) sync(src, dst string) error {
	fi, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return linkFile(src, dst)
	}
	return g.syncDir(src, dst, fi.ModTime())
}

// resync stages again what changed under src since sync: the files at
// the top, and the folders whose time moved (or that were listed too soon
// after a change for a time stamp to tell).
func (g *stager) resync(src, dst string) error {
	fi, err := os.Stat(src)
	if errors.Is(err, fs.ErrNotExist) {
		return os.RemoveAll(dst)
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return linkFile(src, dst)
	}
	return g.resyncDir(src, dst, fi.ModTime())
}

func (g *stager) resyncDir(src, dst string, mtime time.Time) error {
	st, ok := g.seen[src]
	// File system time stamps are coarse (a few milliseconds): a folder
	// that changed shortly before it was listed may change again within
	// the same tick, unseen.
	if !ok || !mtime.Equal(st.mtime) || st.listed.Sub(st.mtime) < 2*time.Second {
		return g.syncDir(src, dst, mtime)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".tmp-") {
			continue
		}
		p := filepath.Join(src, e.Name())
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		if err := g.resyncDir(p, filepath.Join(dst, e.Name()), fi.ModTime()); err != nil {
			return err
		}
	}
	return nil
}

// syncDir stages folder src (modified at mtime) as dst: every file linked
// afresh, staged files no longer in src removed, subfolders staged again
// unless they were staged before and are quiet since.
func (g *stager) syncDir(src, dst string, mtime time.Time) error {
	g.seen[src] = dirState{mtime: mtime, listed: time.Now()}
	ents, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".tmp-") {
			continue // a write in progress
		}
		p, q := filepath.Join(src, name), filepath.Join(dst, name)
		switch {
		case e.IsDir():
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			// A subfolder staged before and quiet since is left as is.
			if err := g.resyncDir(p, q, fi.ModTime()); err != nil {
				return err
			}
		case e.Type().IsRegular():
			if err := linkFile(p, q); err != nil {
				return err
			}
		default:
			continue // no links or devices in a site
		}
		keep[name] = true
	}
	staged, err := os.ReadDir(dst)
	if err != nil {
		return err
	}
	for _, e := range staged {
		if !keep[e.Name()] {
			if err := os.RemoveAll(filepath.Join(dst, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// linkFile stages file src as dst, replacing what dst was.
func linkFile(src, dst string) error {
	if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	err := os.Link(src, dst)
	if err == nil || !errors.Is(err, unix.EXDEV) && !errors.Is(err, unix.EPERM) {
		return err
	}
	return copyFile(src, dst)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func addFile(tw *tar.Writer, p, name string, d fs.DirEntry, st *Stats) error {
	info, err := d.Info()
	if err != nil {
		return err
	}
	if !info.IsDir() && !info.Mode().IsRegular() {
		return nil
	}
	hdr, err := tar.FileInfoHeader(info, "")
	if err != nil {
		return err
	}
	hdr.Name = name
	hdr.Uname, hdr.Gname, hdr.Uid, hdr.Gid = "", "", 0, 0
	if info.IsDir() {
		hdr.Name += "/"
		return tw.WriteHeader(hdr)
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(tw, f)
	st.Files++
	st.Bytes += n
	return err
}

// Restore unpacks the archive file from into the site folder root, which
// must be empty or not exist yet: a restore never mixes with another
// site. The files go to a staging folder beside root first, which is
// renamed into place once complete, so a failed restore leaves nothing
// behind. The site is built and indexed from content/ on its first start.
func Restore(ctx context.Context, from, root string) (Stats, error) {
	var st Stats
	root = filepath.Clean(root)
	if err := checkEmpty(root); err != nil {
		return st, err
	}
	f, err := os.Open(from)
	if err != nil {
		return st, err
	}
	defer f.Close()
	parent := filepath.Dir(root)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return st, err
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(root)+".restore-")
	if err != nil {
		return st, err
	}
	defer os.RemoveAll(stage) // gone once renamed
	if err := unpack(ctx, f, stage, &st); err != nil {
		return st, fmt.Errorf("restore %s: %w", from, err)
	}
	for _, need := range []string{"hugo.toml", dbName} {
		if _, err := os.Stat(filepath.Join(stage, filepath.FromSlash(need))); err != nil {
			return st, fmt.Errorf("restore %s: not a newsroom backup (no %s in it)", from, need)
		}
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		return st, err
	}
	// Everything unpacked reaches the disk before it takes the site's
	// name: one syncfs instead of an fsync per file.
	if err := syncFS(stage); err != nil {
		return st, err
	}
	// An empty root is replaced; checked again just before, in case
	// something was written into it meanwhile.
	if err := checkEmpty(root); err != nil {
		return st, err
	}
	if err := os.Remove(root); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return st, err
	}
	if err := os.Rename(stage, root); err != nil {
		return st, err
	}
	return st, atomicfile.SyncDir(parent)
}

// checkEmpty refuses a site folder that holds anything.
func checkEmpty(root string) error {
	ents, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if len(ents) > 0 {
		return fmt.Errorf("%s is not empty (it holds %s%s): restore only into an empty or new folder, so that nothing of another site is overwritten or mixed in",
			root, ents[0].Name(), map[bool]string{true: ", …", false: ""}[len(ents) > 1])
	}
	return nil
}

// unpack writes the archive r into dir, refusing any name that would land
// outside it. The caller syncs the file system before dir is renamed into
// place.
func unpack(ctx context.Context, r io.Reader, dir string, st *Stats) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("not a gzip archive: %w", err)
	}
	tr := tar.NewReader(zr)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := path.Clean(hdr.Name)
		if !fs.ValidPath(name) || name == "." {
			return fmt.Errorf("refusing the path %q in the archive", hdr.Name)
		}
		target := filepath.Join(dir, filepath.FromSlash(name))
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, hdr.FileInfo().Mode().Perm()|0o600)
			if err != nil {
				return err
			}
			n, err := io.Copy(out, tr)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			st.Files++
			st.Bytes += n
		default:
			return fmt.Errorf("refusing %q in the archive: not a file or folder", hdr.Name)
		}
	}
}

// syncFS flushes the file system that holds dir.
func syncFS(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
