package site

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/afero"
)

// sizing is what an Archive knows of the media library's pictures whose
// sizes are being made (MakeSizes). Archive.mu guards it.
type sizing struct {
	// making counts the MakeSizes calls at work on each picture (its URL
	// path, "/media/2026/12/x.jpg").
	making map[string]int
	// shown are, by part, the pictures whose sizes were being made when
	// the part last rendered: it showed them as they are, and renders
	// again once their sizes are made.
	shown map[string]map[string]bool
	// hotStale: sizes the hot part showed as pictures are made, and no
	// render of it has started since.
	hotStale bool
}

// sizesQuiet is how long the hot part waits, once the sizes of pictures it
// shows are made, for a render that would show them anyway (the next
// publish) before it renders again for them alone. A reporter often
// publishes right after uploading: a render for the sizes at once made
// the next publish wait for it.
const sizesQuiet = 2 * time.Second

// MakeSizes makes, in Hugo's image cache, every size the theme shows of the
// media library's pictures srcs (URL paths, "/media/2026/12/x.jpg"), so that
// no publish waits for image work: it runs when a picture is uploaded, in
// the background. Decoding and scaling a photo into its sizes (JPEG and
// WebP of up to five widths, two list crops) takes a second or more of CPU,
// which a publish of a story with a photo just uploaded used to spend in
// its own render (and, with the upload's own pass running at the same time,
// twice).
//
// While it runs, a render of any part shows these pictures as they are,
// with their width and height but without their sizes (the theme's
// photo-ready.html), instead of making the sizes itself; when it is done,
// the parts that did so are rendered again: the hot part after sizesQuiet
// unless a publish renders it first, the others by the background worker
// (Run). Other paths are ignored.
func (a *Archive) MakeSizes(ctx context.Context, srcs ...string) error {
	var pics []string
	for _, src := range srcs {
		if strings.HasPrefix(src, "/media/") && !strings.Contains(src, "..") && !slices.Contains(pics, src) {
			pics = append(pics, src)
		}
	}
	if len(pics) == 0 {
		return nil
	}
	a.withLock(func() {
		if a.sizes.making == nil {
			a.sizes.making = map[string]int{}
		}
		for _, src := range pics {
			a.sizes.making[src]++
		}
	})
	err := a.renderSizes(ctx, pics)
	var again []string
	a.withLock(func() {
		for _, src := range pics {
			if a.sizes.making[src]--; a.sizes.making[src] <= 0 {
				delete(a.sizes.making, src)
			}
		}
		for part, shown := range a.sizes.shown {
			for src := range shown {
				if a.sizes.making[src] == 0 {
					delete(shown, src)
					if !slices.Contains(again, part) {
						again = append(again, part)
					}
				}
			}
			if len(shown) == 0 {
				delete(a.sizes.shown, part)
			}
		}
		for _, part := range again {
			if part == hotPart {
				a.sizes.hotStale = true
			} else if a.parts[part] != nil {
				a.markDirty(part)
			}
		}
	})
	if len(again) > 0 {
		a.wake()
	}
	if slices.Contains(again, hotPart) {
		if rerr := a.renderHotForSizes(ctx); rerr != nil && err == nil {
			err = rerr
		}
	}
	if err != nil {
		return fmt.Errorf("make sizes of %s: %w", strings.Join(pics, ", "), err)
	}
	return nil
}

// renderHotForSizes renders the hot part again for sizes just made, unless
// a render of it starts within sizesQuiet (see hotStale).
func (a *Archive) renderHotForSizes(ctx context.Context) error {
	timer := time.NewTimer(sizesQuiet)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
		return ctx.Err()
	}
	var stale bool
	a.withLock(func() { stale = a.sizes.hotStale })
	if !stale {
		return nil
	}
	_, err := a.render(ctx, hotPart)
	return err
}

// pendingSizes returns the pictures whose sizes are being made, sorted, and
// notes that part renders with them shown as they are. The caller holds
// a.mu.
func (a *Archive) pendingSizes(part string) []string {
	if part == hotPart {
		a.sizes.hotStale = false // this render shows every size made so far
	}
	if len(a.sizes.making) == 0 {
		return nil
	}
	pics := make([]string, 0, len(a.sizes.making))
	if a.sizes.shown == nil {
		a.sizes.shown = map[string]map[string]bool{}
	}
	if a.sizes.shown[part] == nil {
		a.sizes.shown[part] = map[string]bool{}
	}
	for src := range a.sizes.making {
		pics = append(pics, src)
		a.sizes.shown[part][src] = true
	}
	slices.Sort(pics)
	return pics
}

// renderSizes renders, with the theme's photo-sizes layout, one page per
// picture that shows it, into memory that is thrown away: what stays is
// Hugo's image cache, which every later render reads.
func (a *Archive) renderSizes(ctx context.Context, pics []string) error {
	data, err := filepath.Abs(a.Data)
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(data); err == nil {
		data = real
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	// In memory only, at a path of its own below the data folder (see
	// renderHugoBuild).
	contentDir := filepath.Join(data, "work", "sizes-"+hex.EncodeToString(rnd[:]), "content")
	layer := afero.NewMemMapFs()
	for i, src := range pics {
		page := fmt.Sprintf("---\ntitle: \"photo sizes\"\nlayout: photo-sizes\nparams:\n  photos:\n  - src: %s\n---\n", strconv.Quote(src))
		if err := afero.WriteFile(layer, filepath.Join(contentDir, "sizes", fmt.Sprintf("p%d.md", i)), []byte(page), 0o644); err != nil {
			return err
		}
	}
	extra := map[string]any{
		"contentDir":   contentDir,
		"disableKinds": []string{"home", "section", "taxonomy", "term", "rss", "robotstxt", "404", "sitemap"},
	}
	_, err = renderHugo(ctx, a.Root, newOverlayFs(contentDir, layer), newOutputFs(), "/", extra, a.Log)
	return err
}
