package epaper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // uploads may be PNG
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"newsroom/internal/news"
)

// Limits of an upload: a printed page's PDF is a few megabytes; a scan as
// JPG or PNG is decoded, so its pixels are bounded before decoding.
const (
	MaxUpload     = 60 << 20 // bytes
	maxPixels     = 60_000_000
	screenWidth   = 1400 // the screen image's width in pixels
	renderTimeout = 2 * time.Minute
)

// Kind is what an uploaded file is, judged by its content.
type Kind string

// The files an editor may upload for a page.
const (
	KindPDF  Kind = "pdf"
	KindJPEG Kind = "jpeg"
	KindPNG  Kind = "png"
)

// Sniff says what an upload is by its first bytes, never by its name: a
// PDF, a JPEG or a PNG; anything else is an EINVALID error in Chinese.
func Sniff(data []byte) (Kind, error) {
	switch {
	case len(data) == 0:
		return "", news.Errorf(news.EINVALID, "上传的文件是空的。")
	case len(data) > MaxUpload:
		return "", news.Errorf(news.EINVALID, "文件太大：版面文件最大 %d MB。", MaxUpload>>20)
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return KindPDF, nil
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return KindJPEG, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return KindPNG, nil
	}
	return "", news.Errorf(news.EINVALID, "无法识别的文件：请上传版面的 PDF，或 JPG、PNG 图片。")
}

// ErrNoPoppler means pdftoppm or pdftotext (poppler-utils) is missing.
var ErrNoPoppler = errors.New("epaper: pdftoppm/pdftotext not found on PATH; install poppler-utils")

// Screen makes the page's screen image (JPEG, screenWidth wide) from an
// upload of kind k, and returns it with its size.
func Screen(ctx context.Context, data []byte, k Kind) (jpg []byte, w, h int, err error) {
	var img image.Image
	switch k {
	case KindPDF:
		out, err := renderPDF(ctx, data)
		if err != nil {
			return nil, 0, 0, err
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
		if err != nil {
			return nil, 0, 0, fmt.Errorf("epaper: pdftoppm made no JPEG: %w", err)
		}
		return out, cfg.Width, cfg.Height, nil
	case KindJPEG, KindPNG:
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, 0, 0, news.Errorf(news.EINVALID, "图片已损坏，无法读取：%v", err)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
			return nil, 0, 0, news.Errorf(news.EINVALID, "图片太大：最多 %d 万像素。", maxPixels/10000)
		}
		if img, _, err = image.Decode(bytes.NewReader(data)); err != nil {
			return nil, 0, 0, news.Errorf(news.EINVALID, "图片已损坏，无法读取：%v", err)
		}
	default:
		return nil, 0, 0, news.Errorf(news.EINVALID, "无法识别的文件。")
	}
	img = scaleToWidth(img, screenWidth)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 75}); err != nil {
		return nil, 0, 0, err
	}
	return b.Bytes(), img.Bounds().Dx(), img.Bounds().Dy(), nil
}

// scaleToWidth shrinks img to at most width pixels wide (nearest pixel
// with 2×2 averaging is plenty for a page preview; a scan that is already
// narrower stays as it is).
func scaleToWidth(img image.Image, width int) image.Image {
	b := img.Bounds()
	if b.Dx() <= width {
		return img
	}
	height := b.Dy() * width / b.Dx()
	out := image.NewRGBA(image.Rect(0, 0, width, height))
	for y := 0; y < height; y++ {
		for x := 0; x < width; x++ {
			sx0 := b.Min.X + x*b.Dx()/width
			sy0 := b.Min.Y + y*b.Dy()/height
			sx1 := min(b.Min.X+(x+1)*b.Dx()/width, b.Max.X-1)
			sy1 := min(b.Min.Y+(y+1)*b.Dy()/height, b.Max.Y-1)
			var r, g, bl, a uint32
			for _, p := range [][2]int{{sx0, sy0}, {sx1, sy0}, {sx0, sy1}, {sx1, sy1}} {
				cr, cg, cb, ca := img.At(p[0], p[1]).RGBA()
				r, g, bl, a = r+cr, g+cg, bl+cb, a+ca
			}
			i := out.PixOffset(x, y)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = uint8(r/4>>8), uint8(g/4>>8), uint8(bl/4>>8), uint8(a/4>>8)
		}
	}
	return out
}

// renderPDF renders the PDF's first page with pdftoppm.
func renderPDF(ctx context.Context, pdf []byte) ([]byte, error) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		return nil, ErrNoPoppler
	}
	dir, err := os.MkdirTemp("", "epaper-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, renderTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-f", "1", "-l", "1", "-singlefile", "-jpeg", "-jpegopt", "quality=75",
		"-scale-to-x", fmt.Sprint(screenWidth), "-scale-to-y", "-1", in, filepath.Join(dir, "page"))
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("epaper: pdftoppm: %w", ctx.Err())
		}
		return nil, news.Errorf(news.EINVALID, "PDF 无法读取（文件已损坏或已加密）：%s", strings.TrimSpace(stderr.String()))
	}
	return os.ReadFile(filepath.Join(dir, "page.jpg"))
}
