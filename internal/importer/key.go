package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Key returns a stable de-duplication key for an item, so that importing
// the same page twice never creates duplicates. It hashes the edition date,
// the page number, the kind, the normalised title and the first 50
// characters of the normalised body (or caption). Normalisation (NFKC,
// letters and digits only) makes the key insensitive to spacing and
// punctuation differences between two extractions of the same page.
func Key(it Item) string {
	body := it.Body
	if body == "" {
		body = it.Caption
	}
	b := []rune(normKey(body))
	if len(b) > 50 {
		b = b[:50]
	}
	h := sha256.New()
	for _, part := range []string{it.Date, strconv.Itoa(it.Page), it.Kind, normKey(it.Title), string(b)} {
		h.Write([]byte(part))
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TextKey returns s up to spacing, punctuation and letter case (NFKC,
// letters and digits only): two texts that differ only in how they were
// extracted or typed have the same key.
func TextKey(s string) string { return normKey(s) }

func normKey(s string) string {
	s = norm.NFKC.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}
