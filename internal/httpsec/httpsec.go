// Package httpsec sets the security headers of every answer: a strict
// Content-Security-Policy (scripts only from the site's own files), no
// MIME sniffing, no framing by other sites, a referrer policy, and HSTS
// when the public address is https. The admin and the reader site each get
// a policy of their own.
package httpsec

import (
	"net/http"
	"strings"
)

// AdminCSP is the admin's policy: nothing but its own files, no plugins, no
// <base> tricks, forms posted only to itself, framed only by itself (the
// preview). Styles may be inline because the rich-text editor sets them on
// the elements it draws.
const AdminCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// SiteCSP is the reader site's policy. Scripts come only from the site's
// own files (JSON-LD blocks are data, not scripts); photos may be linked
// from other https hosts (wire photos, a CDN).
const SiteCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: https:; font-src 'self'; connect-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"

// Policy says which headers to send.
type Policy struct {
	CSP   string // Content-Security-Policy
	HTTPS bool   // the public address is https: always send HSTS
}

// Handler adds p's headers to every answer of next. HSTS goes with every
// answer to a request that came over https, and with all of them when the
// public address is https.
func (p Policy) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if p.CSP != "" {
			h.Set("Content-Security-Policy", p.CSP)
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "geolocation=(), microphone=(), payment=(), usb=()")
		if p.HTTPS || IsHTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// IsHTTPS reports whether r reached the public side over https: directly,
// or through a reverse proxy on this machine that says so in
// X-Forwarded-Proto. A proxy elsewhere is not trusted with that header,
// since a client could send it itself.
func IsHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !fromLoopback(r.RemoteAddr) {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

func fromLoopback(addr string) bool {
	host := addr
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		host = addr[:i]
	}
	host = strings.Trim(host, "[]")
	return host == "::1" || strings.HasPrefix(host, "127.")
}
