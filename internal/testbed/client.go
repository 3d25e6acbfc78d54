package testbed

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Route sends connections for HostPort ("example.org:443") to Addr
// ("127.0.0.1:PORT") instead of where the defaults would send them; it is
// the Go form of one --connect-to entry.
type Route struct {
	HostPort string
	Addr     string
}

// Dialer returns a DialContext function for an http.Transport: every host's
// port 443 goes to the HTTPS listener, port 80 to the HTTP listener,
// loopback addresses are dialed as they are, and routes override all of
// that. Anything else (other ports of a host name, IP addresses that are
// not loopback) is refused, so a test can never reach the internet.
func (b *Bed) Dialer(routes ...Route) func(ctx context.Context, network, addr string) (net.Conn, error) {
	table := make(map[string]string, len(routes))
	for _, r := range routes {
		table[strings.ToLower(r.HostPort)] = r.Addr
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		target, err := b.route(table, addr)
		if err != nil {
			return nil, err
		}
		var d net.Dialer
		return d.DialContext(ctx, network, target)
	}
}

func (b *Bed) route(table map[string]string, addr string) (string, error) {
	if to, ok := table[strings.ToLower(addr)]; ok {
		return to, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("testbed: cannot route %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	switch {
	case ip != nil && ip.IsLoopback():
		return addr, nil
	case ip != nil:
		return "", fmt.Errorf("testbed: refusing to dial %s: not a loopback address", addr)
	case strings.EqualFold(host, "localhost"):
		return net.JoinHostPort("127.0.0.1", port), nil
	case port == "443":
		return b.HTTPSAddr, nil
	case port == "80":
		return b.HTTPAddr, nil
	}
	return "", fmt.Errorf("testbed: refusing to dial %s: only ports 443 and 80 of a host name are routed to the bed, and only loopback addresses are dialed", addr)
}

// CertPool returns a pool holding only the bed's CA certificate.
func (b *Bed) CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(b.ca.cert)
	return pool
}

// Transport returns a new transport that trusts only the bed's CA, ignores
// proxy settings and dials through Dialer(routes...). Close closes its idle
// connections.
func (b *Bed) Transport(routes ...Route) *http.Transport {
	t := &http.Transport{
		DialContext:     b.Dialer(routes...),
		TLSClientConfig: &tls.Config{RootCAs: b.CertPool()},
	}
	b.mu.Lock()
	b.transports = append(b.transports, t)
	b.mu.Unlock()
	return t
}

// Client returns a client using Transport(routes...) and the default
// redirect policy.
func (b *Bed) Client(routes ...Route) *http.Client {
	return &http.Client{Transport: b.Transport(routes...)}
}

// ConnectTo returns the curl-style --connect-to values that send each
// host's ports 443 and 80 to the bed: "HOST:443:127.0.0.1:PORT" and
// "HOST:80:127.0.0.1:PORT".
func (b *Bed) ConnectTo(hosts ...string) []string {
	var out []string
	for _, h := range hosts {
		out = append(out, h+":443:"+b.HTTPSAddr, h+":80:"+b.HTTPAddr)
	}
	return out
}

// logged records every request before h answers it.
func (b *Bed) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.record(requestLine(r))
		h.ServeHTTP(w, r)
	})
}

// requestLine renders r as "METHOD scheme://[user@]host/path?query": the
// host as the client sent it, the user name (never the password) when the
// request carried basic auth. A proxy tunnel is "CONNECT host:port".
func requestLine(r *http.Request) string {
	if r.Method == http.MethodConnect {
		return r.Method + " " + r.Host
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if user, _, ok := r.BasicAuth(); ok {
		host = url.User(user).String() + "@" + host
	}
	return r.Method + " " + scheme + "://" + host + r.URL.RequestURI()
}

func (b *Bed) record(line string) {
	b.logMu.Lock()
	defer b.logMu.Unlock()
	b.requests = append(b.requests, line)
	// A failed write only loses the file copy; Requests still has the line.
	b.logFile.WriteString(line + "\n")
}

// Requests returns the requests answered so far, oldest first, one
// "METHOD scheme://[user@]host/path?query" line each (user: the basic auth
// user name, when one was sent) or "CONNECT host:port" for a proxy tunnel.
// RequestLog holds the same lines.
func (b *Bed) Requests() []string {
	b.logMu.Lock()
	defer b.logMu.Unlock()
	return append([]string(nil), b.requests...)
}

// ResetRequests forgets the requests answered so far and empties RequestLog.
func (b *Bed) ResetRequests() error {
	b.logMu.Lock()
	defer b.logMu.Unlock()
	b.requests = nil
	if err := b.logFile.Truncate(0); err != nil {
		return fmt.Errorf("testbed: emptying request log: %w", err)
	}
	return nil
}
