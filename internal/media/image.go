// Package media checks and stores the pictures reporters upload. A picture
// is judged by its content, never its name: JPEG, PNG and WebP are taken,
// anything else (HEIC from iPhones included) answers a Chinese message the
// reporter can act on. Sizes are checked from the header before anything is
// decoded, so a small file claiming a huge picture is refused cheaply. What
// is stored is re-encoded: turned upright by its EXIF orientation, with all
// EXIF data (camera, time, GPS location) dropped, at most MaxSide pixels on
// its long side, under a generated name.
package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers the WebP decoder

	"newsroom/internal/news"
)

// Limits bound what an upload may be.
type Limits struct {
	MaxBytes  int64 // the file
	MaxPixels int   // width × height, checked before decoding
	MaxSide   int   // the long side of the stored picture; larger ones are scaled down
}

// DefaultLimits: a 50-megapixel phone or camera photo passes, and is stored
// at 3000 px on its long side (enough for a full-width print-quality web
// page; Hugo makes the smaller sizes from it).
var DefaultLimits = Limits{MaxBytes: 30 << 20, MaxPixels: 50_000_000, MaxSide: 3000}

// Info is what Check learns about a picture.
type Info struct {
	Format        string // jpeg | png | webp
	Width, Height int    // as stored in the file, before orientation
	Orientation   int    // EXIF orientation, 1 (upright) to 8
}

func invalid(format string, args ...any) error { return news.Errorf(news.EINVALID, format, args...) }

// sniff names the format of data from its first bytes.
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}):
		return "jpeg"
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case len(data) >= 12 && bytes.Equal(data[:4], []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WEBP")):
		return "webp"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "gif"
	case len(data) >= 12 && bytes.Equal(data[4:8], []byte("ftyp")):
		switch string(data[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			return "heic"
		case "avif", "avis":
			return "avif"
		}
	case bytes.HasPrefix(data, []byte("BM")):
		return "bmp"
	case bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")):
		return "tiff"
	}
	return ""
}

// Check tells whether data is a picture that may be uploaded, reading only
// its header.
func Check(data []byte, lim Limits) (Info, error) {
	if int64(len(data)) > lim.MaxBytes {
		return Info{}, invalid("照片文件太大（%.1f MB），每张不能超过 %d MB，请压缩后再上传。", float64(len(data))/(1<<20), lim.MaxBytes>>20)
	}
	if len(data) == 0 {
		return Info{}, invalid("文件是空的，请重新选择照片。")
	}
	f := sniff(data)
	switch f {
	case "jpeg", "png", "webp":
	case "heic":
		return Info{}, invalid("这是 HEIC 格式的照片（苹果手机的默认格式），暂不能直接使用：请在手机“设置—相机—格式”中选择“兼容性最佳”后重拍，或把照片转成 JPEG 后再上传。")
	case "avif":
		return Info{}, invalid("暂不支持 AVIF 格式的图片，请转成 JPEG 或 PNG 后再上传。")
	case "gif":
		return Info{}, invalid("不支持 GIF 动图，请上传 JPEG、PNG 或 WebP 照片。")
	case "bmp", "tiff":
		return Info{}, invalid("不支持 %s 格式的图片，请转成 JPEG 或 PNG 后再上传。", map[string]string{"bmp": "BMP", "tiff": "TIFF"}[f])
	default:
		return Info{}, invalid("这不是照片文件（支持 JPEG、PNG、WebP 格式），请重新选择。")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Info{}, invalid("照片文件已损坏或不完整，无法读取，请重新导出后再上传。")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, invalid("照片文件已损坏或不完整，无法读取，请重新导出后再上传。")
	}
	if cfg.Width > 30000 || cfg.Height > 30000 || cfg.Width*cfg.Height > lim.MaxPixels {
		return Info{}, invalid("照片像素太多（%d×%d），不能超过 %d 万像素，请缩小后再上传。", cfg.Width, cfg.Height, lim.MaxPixels/10000)
	}
	info := Info{Format: f, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if f == "jpeg" {
		info.Orientation = jpegOrientation(data)
	}
	return info, nil
}

// Prepared is a picture ready to be stored.
type Prepared struct {
	Data          []byte
	Format        string // jpeg | png
	Ext           string // .jpg | .png
	Width, Height int    // upright, as stored
}

// Prepare checks data and re-encodes it for storage: upright, without any
// metadata, scaled down to lim.MaxSide. JPEG and opaque WebP become JPEG;
// PNG and WebP with transparency become PNG.
func Prepare(data []byte, lim Limits) (*Prepared, Info, error) {
	info, err := Check(data, lim)
	if err != nil {
		return nil, info, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, info, invalid("照片文件已损坏或不完整，无法读取，请重新导出后再上传。")
	}
	img = upright(img, info.Orientation)
	b := img.Bounds()
	if long := max(b.Dx(), b.Dy()); lim.MaxSide > 0 && long > lim.MaxSide {
		w, h := b.Dx()*lim.MaxSide/long, b.Dy()*lim.MaxSide/long
		dst := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), img, b, xdraw.Src, nil)
		img = dst
	}
	var out bytes.Buffer
	p := &Prepared{Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if info.Format == "png" || info.Format == "webp" && !opaque(img) {
		p.Format, p.Ext = "png", ".png"
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, img)
	} else {
		p.Format, p.Ext = "jpeg", ".jpg"
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 88})
	}
	if err != nil {
		return nil, info, fmt.Errorf("encode picture: %w", err)
	}
	p.Data = out.Bytes()
	return p, info, nil
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// upright turns img as its EXIF orientation says (2–8), so that the stored
// picture needs no orientation tag.
func upright(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	b := img.Bounds()
	src := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(src, src.Bounds(), img, b.Min, draw.Src)
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // turned 180°
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // turned 90° clockwise to view
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // turned 90° counter-clockwise to view
				dx, dy = y, w-1-x
			}
			si := src.PixOffset(x, y)
			di := dst.PixOffset(dx, dy)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}

// jpegOrientation reads the EXIF orientation (tag 0x0112 of IFD0) from a
// JPEG's APP1 segment; 1 when there is none or it cannot be read.
func jpegOrientation(data []byte) int {
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return 1
		}
		marker := data[i+1]
		if marker == 0xd8 || marker >= 0xd0 && marker <= 0xd7 || marker == 0x01 || marker == 0xff {
			i++ // markers without a length (and fill bytes)
			continue
		}
		if marker == 0xda || marker == 0xd9 { // image data starts: no EXIF before it
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // SHORT
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
