package web

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
)

// rootPool returns the system roots plus the certificates in files, or nil
// (meaning the system roots) when no file is named, and the contents of
// the files it read.
func rootPool(files ...string) (*x509.CertPool, [][]byte, error) {
	var pool *x509.CertPool
	var read [][]byte
	for _, f := range files {
		if f == "" {
			continue
		}
		if pool == nil {
			var err error
			if pool, err = x509.SystemCertPool(); err != nil {
				// Without system roots, the named files alone are trusted.
				pool = x509.NewCertPool()
			}
		}
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, fmt.Errorf("reading CA certificates: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, nil, fmt.Errorf("reading CA certificates from %s: no PEM certificate found", f)
		}
		read = append(read, pem)
	}
	return pool, read, nil
}

// trustKey identifies connect-to rules and extra CA certificates: "" for
// none, else a hash of the rules in order and of each CA file's contents.
func trustKey(rules connectRules, cas [][]byte) string {
	if len(rules) == 0 && len(cas) == 0 {
		return ""
	}
	h := sha256.New()
	for _, r := range rules {
		fmt.Fprintf(h, "connect-to %s\n", r)
	}
	for _, pem := range cas {
		fmt.Fprintf(h, "ca %x\n", sha256.Sum256(pem))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// transportConfig is what both of a Client's transports share.
type transportConfig struct {
	opts  Options
	roots *x509.CertPool
	rules connectRules
}

// newTransport derives the transport for one security level from the base:
// insecure skips certificate verification, as the Go command's GOINSECURE
// client does.
func (c transportConfig) newTransport(base *http.Transport, insecure bool) *http.Transport {
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
	if c.roots != nil {
		t.TLSClientConfig.RootCAs = c.roots
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
	t, ok := c.secure.(*http.Transport)
	if !ok || t.DialContext == nil {
		return nil, fmt.Errorf("the transport %T connects for itself", c.secure)
	}
	return t.DialContext(ctx, network, addr)
}

// RootCAs returns the certificate roots the client verifies https servers
// against: the system roots plus the CA files when there are any, else
// the base transport's roots. It is nil when those are the system roots
// as they are, and for a RoundTripper that is not an *http.Transport,
// whose roots are its own.
func (c *Client) RootCAs() *x509.CertPool {
	if t, ok := c.secure.(*http.Transport); ok && t.TLSClientConfig != nil {
		return t.TLSClientConfig.RootCAs
	}
	return nil
}
