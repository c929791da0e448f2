package site

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/afero"

	"newsroom/internal/content"
)

// copyStatic copies the theme's and the site's static/ folders into out,
// the site's last so that it overrides the theme. The hugo command does
// this itself; Hugo used as a library does not.
func copyStatic(root, out string) error {
	return copyStaticTo(root, afero.NewBasePathFs(afero.NewOsFs(), out))
}

// copyStaticTo copies the static folders into the root of dest.
func copyStaticTo(root string, dest afero.Fs) error {
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
