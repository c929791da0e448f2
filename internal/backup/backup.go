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

	"golang.org/x/sys/unix"

	"newsroom/internal/atomicfile"
)

// SiteFiles are the files and folders of a site folder that an archive
// carries, when they exist; the site root may hold other things (the
// program's source, in the repository).
var SiteFiles = []string{
	"hugo.toml", "search-dict.txt", "content", "static", "themes", "uploads",
	"layouts", "assets", "data", "i18n", "archetypes",
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
}

// Create writes the archive of the site at root (data folder data) to the
// file to, atomically: a failed backup leaves no archive. The content files
// are taken in the same state as the database (db.Snapshot): each is
// hard-linked into a staging folder while writes wait, which takes a moment
// even for a large archive, then packed at leisure.
func Create(ctx context.Context, root, data string, db Snapshotter, to string) (Stats, error) {
	var st Stats
	stage, err := os.MkdirTemp(data, "backup-")
	if err != nil {
		return st, err
	}
	defer os.RemoveAll(stage)
	files := filepath.Join(stage, "site")
	dbCopy := filepath.Join(stage, "newsroom.db")
	err = db.Snapshot(ctx, dbCopy, func() error {
		for _, name := range SiteFiles {
			if err := linkTree(filepath.Join(root, name), filepath.Join(files, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		return nil
	})
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

// linkTree hard-links the file or folder src into dst (a copy where links
// cannot be made, e.g. across file systems). Content files are replaced by
// rename, never changed in place, so a link keeps the file as it was.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			if strings.HasPrefix(d.Name(), ".tmp-") {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		case !d.Type().IsRegular():
			return nil // no links or devices in a site
		case strings.HasPrefix(d.Name(), ".tmp-"):
			return nil // a write in progress
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.Link(p, target); err == nil {
			return nil
		} else if !errors.Is(err, unix.EXDEV) && !errors.Is(err, unix.EPERM) {
			return err
		}
		return copyFile(p, target)
	})
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
