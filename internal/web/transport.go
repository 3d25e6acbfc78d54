package web

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
)

// readCAFiles reads the named CA files ("" names none). A file must
// hold at least one PEM certificate block; the certificates themselves
// are parsed later, by rootPool, at the first connection.
func readCAFiles(files ...string) ([]caFile, error) {
	var read []caFile
	for _, f := range files {
		if f == "" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("reading CA certificates: %w", err)
		}
		if !hasCertificate(b) {
			return nil, noCertificate(f)
		}
		read = append(read, caFile{name: f, pem: b})
	}
	return read, nil
}

// caFile is a CA file's name and contents.
type caFile struct {
	name string
	pem  []byte
}

func noCertificate(name string) error {
	return fmt.Errorf("reading CA certificates from %s: no PEM certificate found", name)
}

// hasCertificate reports whether b holds a PEM CERTIFICATE block.
func hasCertificate(b []byte) bool {
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			return false
		}
		if block.Type == "CERTIFICATE" && len(block.Headers) == 0 {
			return true
		}
	}
}

// rootPool returns the system roots plus the certificates of cas.
// Loading the system roots and parsing a bundle of a few hundred
// certificates takes milliseconds, which a run that makes no TLS
// connection (fetch resolve of a known host) should not pay: it is
// called at the first connection.
func rootPool(cas []caFile) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil {
		// Without system roots, the named files alone are trusted.
		pool = x509.NewCertPool()
	}
	for _, f := range cas {
		if !pool.AppendCertsFromPEM(f.pem) {
			return nil, noCertificate(f.name)
		}
	}
	return pool, nil
}

// lazyTransport builds its transport at its first request (see rootPool).
type lazyTransport struct {
	once  sync.Once
	build func() (*http.Transport, error)
	t     *http.Transport
	err   error
	built atomic.Bool
}

func (l *lazyTransport) transport() (*http.Transport, error) {
	l.once.Do(func() {
		l.t, l.err = l.build()
		l.built.Store(true)
	})
	return l.t, l.err
}

// RoundTrip implements http.RoundTripper.
func (l *lazyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t, err := l.transport()
	if err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	return t.RoundTrip(r)
}

// CloseIdleConnections closes the idle connections of the transport, if
// it was built.
func (l *lazyTransport) CloseIdleConnections() {
	if l.built.Load() && l.t != nil {
		l.t.CloseIdleConnections()
	}
}

// trustKey identifies connect-to rules and extra CA certificates: "" for
// none, else a hash of the rules in order and of each CA file's contents.
func trustKey(rules connectRules, cas []caFile) string {
	if len(rules) == 0 && len(cas) == 0 {
		return ""
	}
	h := sha256.New()
	for _, r := range rules {
		fmt.Fprintf(h, "connect-to %s\n", r)
	}
	for _, f := range cas {
		fmt.Fprintf(h, "ca %x\n", sha256.Sum256(f.pem))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// transportConfig is what both of a Client's transports share.
type transportConfig struct {
	opts  Options
	roots func() (*x509.CertPool, error) // nil: the system roots
	rules connectRules
}

// newTransport derives the transport for one security level from the base:
// insecure skips certificate verification, as the Go command's GOINSECURE
// client does. With CA files, the transport is built at its first request.
func (c transportConfig) newTransport(base *http.Transport, insecure bool) http.RoundTripper {
	if c.roots == nil {
		return c.transport(base, insecure, nil)
	}
	return &lazyTransport{build: func() (*http.Transport, error) {
		pool, err := c.roots()
		if err != nil {
			return nil, err
		}
		return c.transport(base, insecure, pool), nil
	}}
}

func (c transportConfig) transport(base *http.Transport, insecure bool, roots *x509.CertPool) *http.Transport {
	t := base.Clone()

	dial := t.DialContext
	if dial == nil {
		d := &net.Dialer{Timeout: orDefault(c.opts.ConnectTimeout, DefaultConnectTimeout)}
		dial = d.DialContext
	}
	if len(c.rules) > 0 {
		rules, next := c.rules, dial
		dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if to, ok := rules.redirect(addr); ok {
				traceFrom(ctx).Emit(noteEvent("connect-to: dialing " + to + " for " + addr))
				addr = to
			}
			return next(ctx, network, addr)
		}
	}
	t.DialContext = dial

	proxy := t.Proxy
	if proxy != nil && len(c.rules) > 0 {
		// A connect-to rule names where to connect; a proxy would
		// connect somewhere else, so matched requests go direct.
		rules, next := c.rules, proxy
		proxy = func(req *http.Request) (*url.URL, error) {
			if _, ok := rules.redirect(hostPort(req.URL)); ok {
				return nil, nil
			}
			return next(req)
		}
	}
	t.Proxy = proxy

	t.TLSHandshakeTimeout = orDefault(c.opts.TLSHandshakeTimeout, DefaultTLSHandshakeTimeout)
	t.ResponseHeaderTimeout = orDefault(c.opts.ResponseHeaderTimeout, DefaultResponseHeaderTimeout)

	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{}
	} else {
		t.TLSClientConfig = t.TLSClientConfig.Clone()
	}
	if roots != nil {
		t.TLSClientConfig.RootCAs = roots
	}
	// Set either way: a base that skips verification must not make the
	// secure transport skip it too.
	t.TLSClientConfig.InsecureSkipVerify = insecure
	return t
}

// defaultBase returns the base used when Options.Transport is nil:
// http.DefaultTransport (proxy from the environment, HTTP/2) without its
// dialer, so that newTransport installs one with ConnectTimeout.
func defaultBase() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = nil
	return t
}

// hostPort returns u's host:port, with the scheme's default port.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// ConnectTarget returns the address a connection for addr (host:port)
// goes to under the client's connect-to rules (first match wins), and
// whether a rule matched; addr itself when none does.
func (c *Client) ConnectTarget(addr string) (string, bool) {
	return c.rules.redirect(addr)
}

// DialContext connects to addr as the client's https requests do: the
// connect-to rules, then the base transport's dialer or the client's own
// (with the connect timeout). It fails when the client was given a
// RoundTripper that is not an *http.Transport, which connects for itself.
func (c *Client) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	t, err := c.httpTransport()
	if err != nil {
		return nil, err
	}
	if t == nil || t.DialContext == nil {
		return nil, fmt.Errorf("the transport %T connects for itself", c.secure)
	}
	return t.DialContext(ctx, network, addr)
}

// httpTransport returns the client's secure *http.Transport, built now if
// it waited for its first request (see rootPool); nil for a RoundTripper
// that is not an *http.Transport.
func (c *Client) httpTransport() (*http.Transport, error) {
	switch t := c.secure.(type) {
	case *http.Transport:
		return t, nil
	case *lazyTransport:
		return t.transport()
	}
	return nil, nil
}

// RootCAs returns the certificate roots the client verifies https servers
// against: the system roots plus the CA files when there are any, else
// the base transport's roots. It is nil when those are the system roots
// as they are, and for a RoundTripper that is not an *http.Transport,
// whose roots are its own. The CA files are parsed now if no request
// has parsed them yet; when they hold no certificate after all, it is nil
// too, and the client's requests fail with that error.
func (c *Client) RootCAs() *x509.CertPool {
	if t, err := c.httpTransport(); err == nil && t != nil && t.TLSClientConfig != nil {
		return t.TLSClientConfig.RootCAs
	}
	return nil
}

// ProxyFor returns the proxy the client's https requests to addr
// (host:port) go through, its password redacted, or "" when they go
// direct: no proxy is configured for addr, a connect-to rule names where
// to connect, or the client was given a RoundTripper that is not an
// *http.Transport, which connects for itself.
func (c *Client) ProxyFor(addr string) string {
	t, err := c.httpTransport()
	if err != nil || t == nil || t.Proxy == nil {
		return ""
	}
	u, err := t.Proxy(&http.Request{URL: &url.URL{Scheme: "https", Host: addr}})
	if err != nil || u == nil {
		return ""
	}
	return u.Redacted()
}
