package discovery

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/url"

	"github.com/gofetch/fetch/internal/netrc"
	"github.com/gofetch/fetch/internal/web"
)

// LoginError is a discovery page that answered 401 Unauthorized or 403
// Forbidden: the server wants a login it did not get, or refused the one
// the netrc file gave. Its text is the status error's, in the Go
// command's words; its fields say what to do about it.
type LoginError struct {
	// Host is the host[:port] that answered, as a netrc machine line
	// names it.
	Host string
	// StatusCode is 401 or 403.
	StatusCode int
	// Netrc is the netrc file logins are read from (Resolver.Netrc); "" when none is known.
	Netrc string
	// SentLogin reports that the netrc file has a login for Host, which
	// was sent and not accepted.
	SentLogin bool
	// Err is the status error.
	Err error
}

// Error returns the status error's text.
func (e *LoginError) Error() string { return e.Err.Error() }

// Unwrap returns the status error.
func (e *LoginError) Unwrap() error { return e.Err }

// NoTagError is the discovery of ImportPath failing on a page that
// answered 200 OK without a go-import tag for the path (no tag at all,
// only tags for other prefixes, or a page the Go command's reader could
// not read). Its text is the Go command's.
type NoTagError struct {
	// ImportPath is the path whose page it was.
	ImportPath string
	// URL is the page that answered.
	URL string
	// Err is the discovery error.
	Err error
}

// Error returns the discovery error's text.
func (e *NoTagError) Error() string { return e.Err.Error() }

// Unwrap returns the discovery error.
func (e *NoTagError) Unwrap() error { return e.Err }

// loginError wraps statusErr in a *LoginError when the page answered 401
// or 403, naming the netrc file and whether it holds a login for the host
// that answered.
func (r *Resolver) loginError(pg *Page, statusErr error) error {
	var he *web.HTTPError
	if !errors.As(statusErr, &he) || (he.StatusCode != http.StatusUnauthorized && he.StatusCode != http.StatusForbidden) {
		return statusErr
	}
	host := ""
	for _, s := range []string{pg.finalURL, pg.respURL} {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			host = u.Host
			break
		}
	}
	file := r.Netrc
	entries, _ := netrc.Read(file)
	_, sent := netrc.Lookup(entries, host)
	return &LoginError{Host: host, StatusCode: he.StatusCode, Netrc: file, SentLogin: sent, Err: statusErr}
}

// noTagError wraps err in a *NoTagError when the page answered 200 OK.
func noTagError(pg *Page, importPath string, err error) error {
	if pg.statusErr != nil {
		return err
	}
	return &NoTagError{ImportPath: importPath, URL: pg.displayURL(), Err: err}
}

// CertHint says, in one clause, what to do about a certificate that did
// not verify, or returns "" when err holds no such failure. Plain http
// (--insecure) is no cure for a certificate and is never suggested. The
// CLI's error line and the -v trace both use it.
func CertHint(err error) string {
	var verify *tls.CertificateVerificationError
	if !errors.As(err, &verify) {
		return ""
	}
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &host):
		return "the server's certificate is not for " + host.Host + ": the server must present one for that name (fetch doctor shows the names it has)"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "the server's certificate has expired or is not valid yet: its owner must renew it (or this machine's clock is wrong)"
	case errors.As(err, &invalid):
		return "the server's certificate is not valid: its owner must replace it"
	}
	return "the server's certificate is not trusted: if a private CA signed it, pass that CA's certificate with --cacert FILE (or SSL_CERT_FILE)"
}

// PlainHTTPError is discovery that got no usable answer over https in a
// way plain http might cure: nothing answered at all, or the server
// redirected to plain http. It arises only where insecure access was not
// allowed; its text is the request's error, in the Go command's words.
type PlainHTTPError struct {
	// Path is the import path whose page it was: a GOINSECURE pattern
	// naming it would allow plain http for it.
	Path string
	// Redirect reports that the server redirected to plain http; else
	// nothing answered over https.
	Redirect bool
	// Err is the request's error.
	Err error
}

// Error returns the request's error text.
func (e *PlainHTTPError) Error() string { return e.Err.Error() }

// Unwrap returns the request's error.
func (e *PlainHTTPError) Unwrap() error { return e.Err }

// plainHTTPError wraps err, the failure of the request for path's page,
// in a *PlainHTTPError when plain http might cure it: not when insecure
// access was allowed already, nor for a certificate that did not verify
// (the server answered), a name that does not resolve, or a cancelled or
// timed-out request.
func plainHTTPError(err error, path string, sec web.SecurityMode) error {
	var redirect *web.InsecureRedirectError
	var verify *tls.CertificateVerificationError
	var dns *net.DNSError
	switch {
	case sec == web.Insecure, errors.As(err, &verify), errors.As(err, &dns),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return &PlainHTTPError{Path: path, Redirect: errors.As(err, &redirect), Err: err}
}
