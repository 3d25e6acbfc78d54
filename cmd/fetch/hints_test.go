package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/policy"
)

// TestHint checks the advice added to a failed source's line, chosen by
// the error's type (never its text), in the command line's words.
func TestHint(t *testing.T) {
	cert := func(err error) error {
		return fmt.Errorf("https fetch: %w", &url.Error{Op: "Get", URL: "https://example.org/x?go-get=1",
			Err: &tls.CertificateVerificationError{Err: err}})
	}
	wrap := func(err error) error { return fmt.Errorf("unrecognized import path %q: %w", "example.org/x", err) }
	status := errors.New("reading https://example.org/x?go-get=1: 401 Unauthorized")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"no error", nil, ""},
		{"an error with no advice", errors.New("git clone: exit status 128"), ""},
		{"an error whose text only looks like one with advice", errors.New("x509: certificate signed by unknown authority; 401 Unauthorized"), ""},
		{"401 without a login", wrap(&fetch.LoginError{Host: "example.org", StatusCode: 401, Netrc: "/home/u/.netrc", Err: status}),
			"example.org wants a login: add one for it to /home/u/.netrc (machine example.org login USER password TOKEN)"},
		{"403 with a port, no netrc file known", wrap(&fetch.LoginError{Host: "example.org:8443", StatusCode: 403, Err: status}),
			"example.org:8443 wants a login: add one for it to the netrc file ($NETRC, else ~/.netrc) (machine example.org:8443 login USER password TOKEN)"},
		{"401 with a refused login", wrap(&fetch.LoginError{Host: "example.org", StatusCode: 401, Netrc: "/n", SentLogin: true, Err: status}),
			"example.org refused the login that /n has for it: check that machine line"},
		{"a page without tags", wrap(&fetch.NoTagError{ImportPath: "example.org/x", Err: errors.New("no go-import meta tags ()")}),
			"to see why, run fetch doctor example.org/x"},
		{"an unknown authority", wrap(cert(x509.UnknownAuthorityError{})),
			"the server's certificate is not trusted: if a private CA signed it, pass that CA's certificate with --cacert FILE (or SSL_CERT_FILE)"},
		{"a certificate for another name", wrap(cert(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "example.org"})),
			"the server's certificate is not for example.org: the server must present one for that name (fetch doctor shows the names it has)"},
		{"an expired certificate", wrap(cert(x509.CertificateInvalidError{Reason: x509.Expired})),
			"the server's certificate has expired or is not valid yet: its owner must renew it (or this machine's clock is wrong)"},
		{"nothing answered over https", wrap(&fetch.PlainHTTPError{Path: "example.org/x", Err: errors.New("connection refused")}),
			"nothing answered over https; if the server speaks only plain http, allow it with --insecure or GOINSECURE=example.org/x"},
		{"a redirect to plain http", wrap(&fetch.PlainHTTPError{Path: "example.org/x", Redirect: true, Err: errors.New("redirected")}),
			"the server redirects to plain http; if you trust the network, allow it with --insecure or GOINSECURE=example.org/x"},
		{"a GOVCS denial", wrap(&policy.DisallowedError{VCS: "bzr", Root: "example.org/x"}),
			"allow it with GOVCS=example.org/x:bzr (before any rules GOVCS holds already)"},
		{"the download limit", fmt.Errorf("downloading: %w", &fetch.LimitError{Limit: fetch.LimitDownload, Max: 64, What: "x is more than the 64 bytes allowed"}),
			"raise it with --max-download SIZE"},
		{"the file count limit", &fetch.LimitError{Limit: fetch.LimitFiles, Max: 3}, "raise it with --max-files N"},
		{"the extracted size limit", &fetch.LimitError{Limit: fetch.LimitExtracted, Max: 3}, "raise it with --max-extract SIZE"},
		{"the expansion ratio", &fetch.LimitError{Limit: fetch.LimitRatio, Max: 200}, "if it is genuine, raise it with --max-ratio N"},
		{"the source's timeout", fmt.Errorf("%w: it took more than 1s in all: %w", fetch.ErrSourceTimeout, errors.New("context deadline exceeded")),
			"allow more with --timeout DURATION (0 for no limit)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hint(tt.err)
			if got != tt.want {
				t.Errorf("hint() = %q\nwant     %q", got, tt.want)
			}
			var pe *fetch.PlainHTTPError
			if strings.Contains(got, "insecure") && !errors.As(tt.err, &pe) {
				t.Errorf("hint() = %q suggests insecure access", got)
			}
		})
	}
}

// TestErrorLineHasHint checks that the hint follows the error on the one
// line a failed source gets, and that the library's error text names no
// field of fetch.Options or fetch.Limits.
func TestErrorLineHasHint(t *testing.T) {
	var out, errw strings.Builder
	c := &cliEnv{}
	p := c.newPrinter(false, &out, &errw)
	le := &fetch.LimitError{Limit: fetch.LimitRatio, Max: 200, What: "gz file expands more than 200 times"}
	p.print(fetch.Result{Source: "https://files.example/z.gz", Status: fetch.StatusError, Error: le.Error(), Err: le})
	want := "fetch: https://files.example/z.gz: gz file expands more than 200 times (the expansion ratio limit); if it is genuine, raise it with --max-ratio N\n"
	if errw.String() != want {
		t.Errorf("stderr = %q\nwant     %q", errw.String(), want)
	}
}
