package site

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/afero"

	"newsroom/internal/content"
)

// copyStatic copies the theme's and the site's static/ folders into out,
// the site's last so that it overrides the theme. The hugo command does
// this itself; Hugo used as a library does not.
func copyStatic(root, out string) error {
	return copyStaticTo(root, afero.NewBasePathFs(afero.NewOsFs(), out), nil)
}

// copyStaticTo copies the static folders into the root of dest, but for
// the files skip says are there already (skip may be nil).
func copyStaticTo(root string, dest afero.Fs, skip func(rel string, size int64) bool) error {
	// Themes from the lowest precedence to the highest, then the site's.
	var dirs []string
	cfg, _ := content.ReadConfig(root)
	for _, t := range slices.Backward(cfg.Themes) {
		dirs = append(dirs, filepath.Join(root, "themes", t, "static"))
	}
	dirs = append(dirs, filepath.Join(root, "static"))
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) && p == dir {
					return filepath.SkipDir
				}
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			target := filepath.Join("/", rel)
			if d.IsDir() {
				return dest.MkdirAll(target, 0o755)
			}
			if skip != nil {
				if info, err := d.Info(); err == nil && skip(filepath.ToSlash(rel), info.Size()) {
					return nil
				}
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return afero.WriteFile(dest, target, data, 0o644)
		})
		if err != nil {
			return fmt.Errorf("copy static files: %w", err)
		}
	}
	return nil
}

// isMedia reports whether an output file is a picture of the media library
// (static/media/, served at /media/) or a size Hugo made of one. Their
// names are unique (the library's generated names; Hugo's sizes are named
// by a hash of the picture and the processing), so a file of that name is
// always the same: every part may write one that is missing, none owns
// them, and none deletes them. Copying and hashing every picture of the
// library on each publish, as for the other static files, grew with the
// library (BENCHMARKS.md), and a month's sizes of its stories' photos,
// which the hot part used to own, never reached the tree.
func isMedia(rel string) bool { return strings.HasPrefix(rel, "media/") }

// mediaThere is a copyStaticTo skip for tree: a picture that is already
// there with its size.
func mediaThere(tree string) func(rel string, size int64) bool {
	return func(rel string, size int64) bool {
		if !isMedia(rel) || tree == "" {
			return false
		}
		info, err := os.Stat(filepath.Join(tree, filepath.FromSlash(rel)))
		return err == nil && info.Size() == size
	}
}
