package discovery

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/gofetch/fetch/internal/web"
)

// TestPlainHTTPError checks which failures of a discovery request are
// offered plain http as a cure: no answer and a redirect to http, but not
// a certificate that did not verify (the server answered), a name that
// does not resolve, an interruption, or a request already insecure.
func TestPlainHTTPError(t *testing.T) {
	refused := fmt.Errorf("https fetch: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})
	tests := []struct {
		name     string
		err      error
		sec      web.SecurityMode
		wrapped  bool
		redirect bool
	}{
		{"no answer", refused, web.SecureOnly, true, false},
		{"a redirect to http", fmt.Errorf("https fetch: %w", &web.InsecureRedirectError{From: "https://a/", To: "http://a/"}), web.SecureOnly, true, true},
		{"already insecure", refused, web.Insecure, false, false},
		{"a certificate", fmt.Errorf("https fetch: %w", &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), web.SecureOnly, false, false},
		{"an unknown host", fmt.Errorf("https fetch: %w", &net.DNSError{Err: "no such host", Name: "nosuch.example", IsNotFound: true}), web.SecureOnly, false, false},
		{"an interruption", fmt.Errorf("https fetch: %w", context.Canceled), web.SecureOnly, false, false},
		{"a timeout", fmt.Errorf("https fetch: %w", context.DeadlineExceeded), web.SecureOnly, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := plainHTTPError(tt.err, "example.org/x", tt.sec)
			var pe *PlainHTTPError
			if got := errors.As(err, &pe); got != tt.wrapped {
				t.Fatalf("plainHTTPError(%v) = %#v; wrapped %v, want %v", tt.err, err, got, tt.wrapped)
			}
			if err.Error() != tt.err.Error() {
				t.Errorf("text changed from %q to %q", tt.err, err)
			}
			if tt.wrapped && (pe.Redirect != tt.redirect || pe.Path != "example.org/x") {
				t.Errorf("PlainHTTPError = %+v, want Redirect %v for example.org/x", pe, tt.redirect)
			}
		})
	}
}
