// Package testbed runs real servers on loopback for fetch's tests, so that
// nothing a test does reaches the internet and nothing it checks is a fake.
//
// A Bed holds a throwaway certificate authority, a vanity web server (TLS
// and plain HTTP) that answers every host name from a directory tree, the
// real git http-backend, the real hg serve (behind a TLS proxy), an HTTP
// proxy that sends every host to the bed, and a log of every request.
//
// A Go test starts one with New and points the code under test at it:
//
//	b := testbed.New(t)
//	b.WriteWWW("example.org/pkg/foo.html", `<meta name="go-import" content="example.org/pkg/foo git ${TESTBED_GIT}/foo.git">`)
//	repo, err := b.AddGitRepo("foo", map[string]string{"foo.go": "package foo\n"})
//	client := b.Client() // trusts the CA; every host's :443 and :80 reach the bed
//
// A testscript test passes Setup and Commands to testscript.Run. Scripts
// write pages as txtar files under www/, create repositories with gitrepo
// and hgrepo, run fetch with --connect-to HOST:443:$TESTBED_HTTPS and check
// traffic with the requests command; Env lists the variables they see.
// Tests needing git or hg call RequireGit or RequireHg (scripts use the
// [exec:git] and [exec:hg] conditions).
//
// # Pages
//
// A request for http(s)://HOST/P maps to the stem WWW/HOST/P (port dropped,
// host lower-cased); a path ending in "/" (and "/" itself) maps to
// WWW/HOST/P/index. The query string plays no part. Files next to the stem
// make the response, read anew for every request:
//
//	STEM.html      the body, as text/html; the page exists if any of these files does
//	STEM.status    the status code (default 200, or 302 with STEM.location)
//	STEM.location  the redirect target, sent as Location
//	STEM.headers   "Key: value" lines ("#" comments), replacing defaults such as Content-Type
//	STEM.auth      "user:pass" lines: other requests get 401 with WWW-Authenticate
//	STEM           without STEM.html, served as is (type by extension, Range
//	               supported): archives, module proxy files, checksum files
//
// So example.org/pkg is WWW/example.org/pkg.html and its subpage
// example.org/pkg/foo is WWW/example.org/pkg/foo.html. In .html, .location
// and .headers files ${TESTBED_GIT}, ${TESTBED_HG}, ${TESTBED_HTTPS},
// ${TESTBED_HTTP} and ${TESTBED_CLOSED} are replaced by the bed's values. A
// missing page is a plain-text 404, unless its path is a git request for a
// repository the bed serves: then git answers, as on a forge.
//
// # Reaching the bed by host name
//
// Go code uses Client, Transport or Dialer; fetch uses --connect-to (see
// ConnectTo). git's curl can pin a host to an address but not to another
// port, so a git or hg command that must reach a host name is given
// https_proxy=http://$TESTBED_PROXY, or the test names the servers directly
// with ${TESTBED_GIT} and ${TESTBED_HG}.
package testbed

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Bed is a set of loopback servers sharing one certificate authority and
// one request log. Its exported fields are fixed by Start; do not change them.
type Bed struct {
	// Dir is the directory the bed lives in.
	Dir string
	// WWW is the page tree the vanity server serves (Dir/www); the package
	// documentation says how requests map to files.
	WWW string
	// RequestLog is the file every request is appended to (Dir/requests.log).
	RequestLog string
	// CACertFile is the PEM file of the CA certificate (Dir/ca.pem).
	CACertFile string
	// HTTPSAddr and HTTPAddr are the vanity server's listeners, 127.0.0.1:PORT.
	HTTPSAddr, HTTPAddr string
	// ProxyAddr is an HTTP proxy, 127.0.0.1:PORT: CONNECT HOST:PORT tunnels
	// to where Dialer would connect (every host's 443 and 80 to the vanity
	// server), and absolute http:// URLs are answered by the vanity server.
	ProxyAddr string

	internal string // Dir/.testbed: scratch space and server logs
	gitRoot  string // Dir/git: bare repositories served by git http-backend
	hgRoot   string // Dir/hg: repositories served by hg serve

	ca        *ca
	expand    *strings.Replacer
	closedFD  closedPort
	closedStr string
	servers   []*httptest.Server
	gitSrv    *httptest.Server
	hgSrv     *httptest.Server
	plainSrvs struct{ git, hg *httptest.Server } // the same servers over plain http
	gitCGI    http.Handler
	gitErr    error // why git http-backend cannot run, if it cannot
	gitLog    *os.File
	hg        hgServer

	mod modState // module proxy layout and checksum database (modproxy.go)

	gitRepos repoSet[*GitRepo]
	hgRepos  repoSet[*HgRepo]

	logMu    sync.Mutex
	logFile  *os.File
	requests []string

	mu         sync.Mutex
	gitUsers   map[string]map[string]string
	transports []*http.Transport

	closeOnce sync.Once
	closeErr  error
}

// New starts a Bed in a fresh temporary directory and closes it when the
// test ends. It fails the test if the bed cannot start.
func New(t testing.TB) *Bed {
	t.Helper()
	b, err := Start(t.TempDir())
	if err != nil {
		t.Fatalf("starting testbed: %v", err)
	}
	// Registered after TempDir's own cleanup, so it runs first: servers and
	// hg serve stop before their directory is removed.
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("closing testbed: %v", err)
		}
	})
	return b
}

// Start creates the bed's layout in dir (www, git, hg, ca.pem,
// requests.log, .testbed) and starts its servers. hg serve itself starts
// only when a Mercurial repository is first requested. The caller must Close
// the bed.
func Start(dir string) (_ *Bed, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("testbed: directory %q: %w", dir, err)
	}
	dir = abs
	b := &Bed{
		Dir:        dir,
		WWW:        filepath.Join(dir, "www"),
		RequestLog: filepath.Join(dir, "requests.log"),
		CACertFile: filepath.Join(dir, "ca.pem"),
		internal:   filepath.Join(dir, ".testbed"),
		gitRoot:    filepath.Join(dir, "git"),
		hgRoot:     filepath.Join(dir, "hg"),
		gitUsers:   make(map[string]map[string]string),
	}
	defer func() {
		if err != nil {
			b.Close()
		}
	}()
	for _, d := range []string{b.WWW, b.gitRoot, b.hgRoot, filepath.Join(b.internal, "home")} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			return nil, fmt.Errorf("testbed: %w", err)
		}
	}
	if b.ca, err = newCA(); err != nil {
		return nil, err
	}
	if err := os.WriteFile(b.CACertFile, b.ca.pem, 0o666); err != nil {
		return nil, fmt.Errorf("testbed: writing CA certificate: %w", err)
	}
	if err := os.WriteFile(b.hgrcFile(), []byte(b.hgrc()), 0o666); err != nil {
		return nil, fmt.Errorf("testbed: writing hgrc: %w", err)
	}
	b.logFile, err = os.OpenFile(b.RequestLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666)
	if err != nil {
		return nil, fmt.Errorf("testbed: opening request log: %w", err)
	}
	if b.closedFD, b.closedStr, err = reserveClosedPort(); err != nil {
		return nil, err
	}
	tlsConfig, err := b.ca.serverConfig()
	if err != nil {
		return nil, err
	}
	b.gitCGI, b.gitErr = b.newGitCGI()

	https := b.newServer(b.serveVanity, tlsConfig)
	plain := b.newServer(b.serveVanity, nil)
	b.gitSrv = b.newServer(b.serveGit, tlsConfig)
	b.hgSrv = b.newServer(b.serveHg, tlsConfig)
	b.plainSrvs.git = b.newServer(b.serveGit, nil)
	b.plainSrvs.hg = b.newServer(b.serveHg, nil)
	proxy := b.newServer(b.serveProxy, nil)
	b.HTTPSAddr = https.Listener.Addr().String()
	b.HTTPAddr = plain.Listener.Addr().String()
	b.ProxyAddr = proxy.Listener.Addr().String()
	b.expand = strings.NewReplacer(
		"${TESTBED_GIT}", b.GitBase(),
		"${TESTBED_HG}", b.HgBase(),
		"${TESTBED_GIT_HTTP}", b.GitPlainBase(),
		"${TESTBED_HG_HTTP}", b.HgPlainBase(),
		"${TESTBED_HTTPS}", b.HTTPSAddr,
		"${TESTBED_HTTP}", b.HTTPAddr,
		"${TESTBED_CLOSED}", b.closedStr,
	)
	// Only now that every field handlers read is set may requests arrive.
	for _, srv := range b.servers {
		if srv.TLS != nil {
			srv.StartTLS()
		} else {
			srv.Start()
		}
	}
	return b, nil
}

// newServer makes a logged loopback server, listening but not yet
// serving; a nil cfg makes it plain HTTP.
func (b *Bed) newServer(h http.HandlerFunc, cfg *tls.Config) *httptest.Server {
	srv := httptest.NewUnstartedServer(b.logged(h))
	srv.TLS = cfg
	// Handshake failures are expected (tests that do not trust the CA);
	// they must not clutter test output.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	b.servers = append(b.servers, srv)
	return srv
}

// Close stops every server and hg serve, waiting for requests in flight
// (and the git processes serving them) to finish. It is safe to call more
// than once.
func (b *Bed) Close() error {
	b.closeOnce.Do(func() {
		b.mu.Lock()
		transports := b.transports
		b.mu.Unlock()
		for _, srv := range b.servers {
			srv.Close()
		}
		var errs []error
		errs = append(errs, b.hg.stop())
		if b.closedFD != nil {
			errs = append(errs, b.closedFD.Close())
		}
		for _, f := range []*os.File{b.logFile, b.gitLog} {
			if f != nil {
				errs = append(errs, f.Close())
			}
		}
		for _, t := range transports {
			t.CloseIdleConnections()
		}
		b.closeErr = errors.Join(errs...)
	})
	return b.closeErr
}

// GitBase is the base URL of the git server, https://127.0.0.1:PORT.
// Repository NAME is served at GitBase()/NAME.git and GitBase()/NAME.
func (b *Bed) GitBase() string { return "https://" + b.gitSrv.Listener.Addr().String() }

// HgBase is the base URL of the TLS proxy in front of hg serve,
// https://127.0.0.1:PORT. Repository NAME is served at HgBase()/NAME.
func (b *Bed) HgBase() string { return "https://" + b.hgSrv.Listener.Addr().String() }

// GitPlainBase is the git server over plain http, http://127.0.0.1:PORT,
// for tests of what fetch does with insecure transports.
func (b *Bed) GitPlainBase() string { return "http://" + b.plainSrvs.git.Listener.Addr().String() }

// HgPlainBase is hg serve over plain http, http://127.0.0.1:PORT.
func (b *Bed) HgPlainBase() string { return "http://" + b.plainSrvs.hg.Listener.Addr().String() }

// ClosedAddr is a loopback address, 127.0.0.1:PORT, where nothing listens:
// connections to it are refused for as long as the bed runs.
func (b *Bed) ClosedAddr() string { return b.closedStr }

// Env returns the NAME=value pairs a test adds to the environment of the
// programs it runs against the bed:
//
//	TESTBED_CACERT    the CA certificate file
//	TESTBED_HTTPS     vanity server TLS address (127.0.0.1:PORT)
//	TESTBED_HTTP      vanity server plain HTTP address
//	TESTBED_CLOSED    an address that refuses connections
//	TESTBED_PROXY     HTTP proxy address routing every host to the bed; opt in
//	                  with https_proxy=http://$TESTBED_PROXY (git, hg, Go)
//	TESTBED_GIT       git server base URL (https://127.0.0.1:PORT)
//	TESTBED_HG        hg server base URL (https://127.0.0.1:PORT)
//	TESTBED_GIT_HTTP, TESTBED_HG_HTTP  the same servers over plain http
//	TESTBED_WWW       the page tree
//	TESTBED_REQUESTS  the request log file
//	SSL_CERT_FILE, GIT_SSL_CAINFO  the CA, so Go programs and git trust it
//	GIT_CONFIG_NOSYSTEM=1, GIT_CONFIG_GLOBAL=/dev/null  no git config leaks in
//	HGRCPATH          an hgrc that trusts the CA (web.cacerts) and sets ui.username
//
// git needs nothing else: with HOME pointing nowhere (testscript uses
// /no-home) it simply finds no user configuration.
func (b *Bed) Env() []string {
	return []string{
		"TESTBED_CACERT=" + b.CACertFile,
		"TESTBED_HTTPS=" + b.HTTPSAddr,
		"TESTBED_HTTP=" + b.HTTPAddr,
		"TESTBED_CLOSED=" + b.closedStr,
		"TESTBED_PROXY=" + b.ProxyAddr,
		"TESTBED_GIT=" + b.GitBase(),
		"TESTBED_HG=" + b.HgBase(),
		"TESTBED_GIT_HTTP=" + b.GitPlainBase(),
		"TESTBED_HG_HTTP=" + b.HgPlainBase(),
		"TESTBED_WWW=" + b.WWW,
		"TESTBED_REQUESTS=" + b.RequestLog,
		"SSL_CERT_FILE=" + b.CACertFile,
		"GIT_SSL_CAINFO=" + b.CACertFile,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
		"HGRCPATH=" + b.hgrcFile(),
	}
}

// RequireGit skips the test when the git command is not installed.
func RequireGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed (Debian package git)")
	}
}

// RequireHg skips the test when the hg command is not installed.
func RequireHg(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("hg"); err != nil {
		t.Skip("hg not installed (Debian package mercurial)")
	}
}
