package httpsec

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandlerSetsTheHeaders(t *testing.T) {
	h := Policy{CSP: AdminCSP, HTTPS: true}.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/", nil))
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self';", "object-src 'none'", "frame-ancestors 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("CSP allows inline or eval'd scripts: %q", csp)
	}
	if rec.Header().Get("Strict-Transport-Security") == "" || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers: %v", rec.Header())
	}
	rec = httptest.NewRecorder()
	Policy{CSP: SiteCSP}.Handler(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent for a site whose address is not https")
	}
}

func TestIsHTTPSTrustsOnlyALocalProxy(t *testing.T) {
	cases := []struct {
		remote, proto string
		tls           bool
		want          bool
	}{
		{"127.0.0.1:5555", "https", false, true},
		{"[::1]:5555", "https, http", false, true},
		{"127.0.0.1:5555", "", false, false},
		{"203.0.113.9:5555", "https", false, false},
		{"203.0.113.9:5555", "", true, true},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if got := IsHTTPS(r); got != c.want {
			t.Errorf("IsHTTPS(%s, %q, tls=%v) = %v", c.remote, c.proto, c.tls, got)
		}
	}
}
