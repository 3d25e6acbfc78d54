package doctor

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/web"
)

// dialTimeout bounds each connection attempt of the network checks, as
// the web client's connect timeout bounds discovery.
const dialTimeout = web.DefaultConnectTimeout

// checkNetwork checks what lies under HTTP: the host's name, a TCP
// connection to port 443 and the TLS certificate. It reports whether the
// page can be asked for: over verified https, or, when insecure access is
// allowed for the path, over whatever answers.
func (d *doctor) checkNetwork(ctx context.Context) bool {
	addr := net.JoinHostPort(d.host, "443")
	target, mapped := d.web.ConnectTarget(addr)
	switch proxy := d.web.ProxyFor(addr); {
	case mapped:
		d.pass(StageNetwork, "dns.resolve", "not looked up: --connect-to sends %s to %s", addr, target)
	case d.dialer() != nil:
		d.pass(StageNetwork, "dns.resolve", "not looked up: the injected transport's dialer decides where %s is", addr)
	case d.opts.Transport != nil && !d.plainTransport():
		// A RoundTripper of some other kind (a test's) connects where it
		// likes: only the HTTP stage can say what answers.
		d.pass(StageNetwork, "dns.resolve", "not looked up: the injected transport connects for itself")
		return true
	case proxy != "":
		// The proxy resolves and connects; what it reaches shows up in
		// the HTTP stage.
		d.pass(StageNetwork, "dns.resolve", "not looked up: requests for %s go through the proxy %s", d.host, proxy)
		return true
	default:
		if !d.checkDNS(ctx) {
			return false
		}
	}
	conn, err := d.dial(ctx, addr)
	if err != nil {
		d.httpsBroken = true
		usable := d.checkPlainHTTP(ctx, err)
		v := Fail
		if usable {
			v = Warn
		}
		fix := fmt.Sprintf("nothing accepts connections on %s: start the https server, or open port 443 in the firewall", addr)
		if d.insecure {
			// The user allows plain http, which did not answer either
			// (else net.http-only names the cause): https is not the
			// point.
			fix = fmt.Sprintf("nothing accepts connections on %s, and plain http on port 80 does not answer either: start the vanity server, or open its port in the firewall", addr)
		}
		d.add(StageNetwork, "tcp.connect", v, fmt.Sprintf("connecting to %s: %v", addr, err), fix,
			follows(causeHTTPOnly))
		return usable
	}
	defer conn.Close()
	via := ""
	if target != addr {
		via = " (at " + target + ")"
	}
	d.pass(StageNetwork, "tcp.connect", "connected to %s%s", addr, via)
	if !d.checkTLS(ctx, conn) {
		d.httpsBroken = true
		return d.insecure
	}
	return true
}

// checkDNS resolves the host and remembers whether it looks private.
func (d *doctor) checkDNS(ctx context.Context) bool {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", d.host)
	if err != nil {
		d.add(StageNetwork, "dns.resolve", Fail, fmt.Sprintf("%s does not resolve: %v", d.host, err),
			fmt.Sprintf("publish an A or AAAA record for %s, or check the resolver (VPN, /etc/resolv.conf); to test a server before DNS points at it, use --connect-to %s:443:ADDRESS:443", d.host, d.host))
		return false
	}
	d.looked = true
	shown := make([]string, 0, len(addrs))
	allPrivate := len(addrs) > 0
	for _, a := range addrs {
		a = a.Unmap()
		shown = append(shown, a.String())
		allPrivate = allPrivate && isPrivateAddr(a)
	}
	if allPrivate {
		d.private = append(d.private, fmt.Sprintf("%s resolves only to private addresses (%s)", d.host, strings.Join(shown, ", ")))
	}
	d.pass(StageNetwork, "dns.resolve", "%s resolves to %s", d.host, strings.Join(shown, ", "))
	return true
}

// isPrivateAddr reports whether a is an address the public cannot reach:
// loopback, RFC 1918 and RFC 4193 private, link-local, or unspecified.
func isPrivateAddr(a netip.Addr) bool {
	a = a.Unmap()
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsUnspecified() {
		return true
	}
	// 100.64.0.0/10, carrier-grade NAT, is where VPNs such as Tailscale
	// put their hosts.
	return netip.MustParsePrefix("100.64.0.0/10").Contains(a)
}

// dialer returns the injected transport's dialer, or nil.
func (d *doctor) dialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	if t, ok := d.opts.Transport.(*http.Transport); ok {
		return t.DialContext
	}
	return nil
}

// plainTransport reports whether the injected transport, if any, is an
// *http.Transport, which the web client configures and dials like its own.
func (d *doctor) plainTransport() bool {
	_, ok := d.opts.Transport.(*http.Transport)
	return d.opts.Transport == nil || ok
}

// dial connects to addr as the web client's https requests do: its
// connect-to rules, then the injected transport's dialer or its own.
func (d *doctor) dial(ctx context.Context, addr string) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	return d.web.DialContext(ctx, "tcp", addr)
}

// checkPlainHTTP asks for the page over plain http when https could not
// connect, because "the server speaks only http" has a different fix than
// "the server is down". It reports whether the diagnosis can go on over
// http (insecure access allowed and a page answered).
func (d *doctor) checkPlainHTTP(ctx context.Context, httpsErr error) bool {
	u, err := discovery.URLForImportPath(d.path)
	if err != nil {
		return false
	}
	u.Scheme = "http"
	resp, err := d.web.Get(ctx, u, web.Insecure)
	if err != nil {
		return false
	}
	resp.Body.Close()
	v, fix := Fail, fmt.Sprintf("serve https on port 443 with a certificate from a public CA: the Go command uses plain http only for paths in GOINSECURE (fetch: --insecure or GOINSECURE=%s)", d.path)
	if d.insecure {
		v = Warn
		fix = d.insecureFix("this server answers only plain http")
	}
	d.add(StageNetwork, "net.http-only", v,
		fmt.Sprintf("nothing answers https (%v), but %s answers %s", shortErr(httpsErr), resp.URL, resp.Status), fix,
		reports(causeHTTPOnly))
	return d.insecure
}

// insecureFix is the fix of a finding that insecure access turned into a
// warning. The user said, with --insecure or GOINSECURE, that they know
// the server is reached without https or without a verified certificate,
// so the fix does not tell them to serve https: it says what every client
// needs to reach the server that way.
func (d *doctor) insecureFix(what string) string {
	return fmt.Sprintf("%s, so every client must allow insecure access to %s: the Go command with GOINSECURE=%s (go env -w GOINSECURE=%s), fetch with --insecure or the same GOINSECURE", what, d.path, d.path, d.path)
}

// shortErr is the last part of a chain of wrapped network errors, which
// names the cause ("connection refused") without repeating the URL.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		return s[i+2:]
	}
	return s
}
