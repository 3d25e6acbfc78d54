package web

import (
	"net/http"
	"time"

	"github.com/gofetch/fetch/trace"
)

// Defaults used when the matching Options field is zero.
const (
	DefaultConnectTimeout        = 10 * time.Second
	DefaultTLSHandshakeTimeout   = 10 * time.Second
	DefaultResponseHeaderTimeout = 30 * time.Second
	DefaultBodyTimeout           = 60 * time.Second
	DefaultMaxPageBytes          = 10 << 20
)

// Options configure a Client. The zero value is usable: system roots,
// proxy from the environment, no netrc, default timeouts and bound.
// Nothing is read from the process environment here: the caller passes
// values such as SSL_CERT_FILE and NETRC in.
type Options struct {
	// CACertFile names a PEM file whose certificates are trusted in
	// addition to the system roots (--cacert).
	CACertFile string
	// SSLCertFile is the value of SSL_CERT_FILE, trusted the same way.
	SSLCertFile string
	// ConnectTo holds curl-style HOST:PORT:TOHOST:TOPORT rules (see
	// ParseConnectTo). TLS is still verified for HOST.
	ConnectTo []string
	// Netrc names a netrc file supplying credentials for https requests.
	// Empty means none; a file that does not exist supplies none.
	Netrc string
	// GOAUTH is the Go command's GOAUTH setting, deciding where https
	// requests get credentials from (see package goauth); empty means
	// netrc, the Go command's default.
	GOAUTH string

	// ConnectTimeout bounds establishing a TCP connection,
	// TLSHandshakeTimeout the TLS handshake, ResponseHeaderTimeout the
	// wait for response headers once the request is written, and
	// BodyTimeout reading the whole body once headers arrived. Zero means
	// the default; a negative value means no limit.
	ConnectTimeout        time.Duration
	TLSHandshakeTimeout   time.Duration
	ResponseHeaderTimeout time.Duration
	BodyTimeout           time.Duration

	// MaxPageBytes bounds how much of a body is read. At the bound the
	// body simply ends (io.EOF), because a go-import tag sits in <head>
	// and a page that large is either broken or hostile; it is not an
	// error, but Response.Truncated reports it. Zero means
	// DefaultMaxPageBytes; negative means no bound.
	MaxPageBytes int64

	// Version is fetch's version, sent in the User-Agent header.
	Version string

	// Transport is the base the client sends requests through; nil means
	// a clone of http.DefaultTransport. An *http.Transport is cloned and
	// given the options above; its Proxy, its TLS settings other than
	// roots and verification, and its DialContext (which then owns the
	// connect timeout) are kept, with connect-to rules applied around
	// them. Any other RoundTripper is used as is, for tests: it cannot
	// honour ConnectTo, the CA files, the connect and TLS timeouts, or
	// skip certificate verification in Insecure mode, so New refuses
	// ConnectTo and CA files with it.
	Transport http.RoundTripper

	// Trace receives events; nil discards them.
	Trace trace.Func
}

// UserAgent returns the User-Agent header a Client sends for version.
func UserAgent(version string) string {
	if version == "" {
		version = "devel"
	}
	return "fetch/" + version + " (+https://github.com/gofetch/fetch)"
}

// orDefault returns d when v is zero, no limit (0) when v is negative, and
// v otherwise, so the net/http fields receive their own "no limit" value.
func orDefault[T time.Duration | int64](v, d T) T {
	switch {
	case v == 0:
		return d
	case v < 0:
		return 0
	}
	return v
}
