package testbed

import (
	"io"
	"net"
	"net/http"
)

// serveProxy is an HTTP proxy (plain HTTP at ProxyAddr) for programs that
// cannot be told to connect elsewhere: git's curl can pin a host to an
// address but not to another port, so a test hands git, hg and Go programs
// https_proxy=http://ProxyAddr instead. CONNECT HOST:PORT tunnels to where
// Dialer would connect (HOST:443 to the HTTPS listener, HOST:80 to the HTTP
// listener, loopback as is); a request for an absolute http:// URL is
// answered by the vanity server directly.
func (b *Bed) serveProxy(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		if !r.URL.IsAbs() || r.URL.Scheme != "http" {
			http.Error(w, "testbed proxy: want CONNECT or an absolute http:// URL, got "+r.Method+" "+r.RequestURI, http.StatusBadRequest)
			return
		}
		b.serveVanity(w, r)
		return
	}
	target, err := b.route(nil, r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	up, err := net.Dial("tcp", target)
	if err != nil {
		http.Error(w, "testbed proxy: "+err.Error(), http.StatusBadGateway)
		return
	}
	defer up.Close()
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "testbed proxy: connection cannot be hijacked", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		return
	}
	// Closing the bed closes the upstream server's connections, which ends
	// both copies, so no tunnel outlives the bed for long.
	go func() {
		io.Copy(up, buf)
		if tcp, ok := up.(*net.TCPConn); ok {
			tcp.CloseWrite()
		}
	}()
	io.Copy(conn, up)
}
