package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
)

func TestParseConnectTo(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    ConnectTo
		wantErr string
	}{
		{"all four fields are read", "example.org:443:127.0.0.1:8443", ConnectTo{"example.org", "443", "127.0.0.1", "8443"}, ""},
		{"an empty host matches any host", ":443:127.0.0.1:8443", ConnectTo{"", "443", "127.0.0.1", "8443"}, ""},
		{"an empty port matches any port", "example.org::127.0.0.1:8443", ConnectTo{"example.org", "", "127.0.0.1", "8443"}, ""},
		{"an empty target port keeps the original", "example.org:443:mirror.example:", ConnectTo{"example.org", "443", "mirror.example", ""}, ""},
		{"an empty target host keeps the original", "example.org:443::8443", ConnectTo{"example.org", "443", "", "8443"}, ""},
		{"bracketed IPv6 addresses are read whole", "[::1]:443:[fe80::1]:8443", ConnectTo{"::1", "443", "fe80::1", "8443"}, ""},
		{"three fields are refused", "example.org:443:127.0.0.1", ConnectTo{}, `invalid connect-to "example.org:443:127.0.0.1": want HOST:PORT:TOHOST:TOPORT`},
		{"five fields are refused", "a:1:b:2:c", ConnectTo{}, `invalid connect-to "a:1:b:2:c": want HOST:PORT:TOHOST:TOPORT`},
		{"an empty value is refused", "", ConnectTo{}, `invalid connect-to "": want HOST:PORT:TOHOST:TOPORT`},
		{"a port that is not a number is refused", "example.org:https:127.0.0.1:8443", ConnectTo{}, `invalid connect-to "example.org:https:127.0.0.1:8443": port "https" is not a number from 1 to 65535`},
		{"a port out of range is refused", "example.org:443:127.0.0.1:70000", ConnectTo{}, `invalid connect-to "example.org:443:127.0.0.1:70000": port "70000" is not a number from 1 to 65535`},
		{"a signed port is refused", "example.org:+443:127.0.0.1:1", ConnectTo{}, `invalid connect-to "example.org:+443:127.0.0.1:1": port "+443" is not a number from 1 to 65535`},
		{"an unclosed bracket is refused", "[::1:443:a:1", ConnectTo{}, `invalid connect-to "[::1:443:a:1": unclosed [ in IPv6 address`},
		{"an unbracketed IPv6 address is refused", "::1:443:a:1", ConnectTo{}, `invalid connect-to "::1:443:a:1": want HOST:PORT:TOHOST:TOPORT`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConnectTo(tt.in)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if got != tt.want || gotErr != tt.wantErr {
				t.Fatalf("ParseConnectTo(%q) = %+v, %q; want %+v, %q", tt.in, got, gotErr, tt.want, tt.wantErr)
			}
			if err == nil {
				again, err := ParseConnectTo(got.String())
				if err != nil || again != got {
					t.Errorf("ParseConnectTo(%q.String() = %q) = %+v, %v; want the same rule", tt.in, got.String(), again, err)
				}
			}
		})
	}
}

func TestConnectRulesRedirect(t *testing.T) {
	rules := func(ss ...string) connectRules {
		var rs connectRules
		for _, s := range ss {
			r, err := ParseConnectTo(s)
			if err != nil {
				t.Fatal(err)
			}
			rs = append(rs, r)
		}
		return rs
	}
	tests := []struct {
		name   string
		rules  connectRules
		addr   string
		want   string
		wanted bool
	}{
		{"a matching rule replaces host and port", rules("a.test:443:127.0.0.1:1000"), "a.test:443", "127.0.0.1:1000", true},
		{"host names match without regard to case", rules("a.test:443:127.0.0.1:1000"), "A.Test:443", "127.0.0.1:1000", true},
		{"another port does not match", rules("a.test:443:127.0.0.1:1000"), "a.test:80", "a.test:80", false},
		{"another host does not match", rules("a.test:443:127.0.0.1:1000"), "b.test:443", "b.test:443", false},
		{"an empty host matches every host", rules(":80:127.0.0.1:1000"), "b.test:80", "127.0.0.1:1000", true},
		{"an empty port matches every port", rules("a.test::127.0.0.1:"), "a.test:8080", "127.0.0.1:8080", true},
		{"an empty target host keeps the host", rules("a.test:443::1000"), "a.test:443", "a.test:1000", true},
		{"the first matching rule wins", rules("a.test:443:127.0.0.1:1", "a.test:443:127.0.0.1:2"), "a.test:443", "127.0.0.1:1", true},
		{"a later rule applies when earlier ones do not match", rules("b.test:443:127.0.0.1:1", ":443:127.0.0.1:2"), "a.test:443", "127.0.0.1:2", true},
		{"an IPv6 target is joined with brackets", rules("a.test:443:[::1]:1000"), "a.test:443", "[::1]:1000", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.rules.redirect(tt.addr)
			if got != tt.want || ok != tt.wanted {
				t.Errorf("redirect(%q) = %q, %v; want %q, %v", tt.addr, got, ok, tt.want, tt.wanted)
			}
		})
	}
}

// TestConnectToVerifiesTheOriginalName checks that connect-to changes
// where the client connects, never whose certificate it accepts.
func TestConnectToVerifiesTheOriginalName(t *testing.T) {
	ca := newTestCA(t, "fetch test CA")
	ok := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { fmt.Fprint(rw, "hello from ", r.Host) })
	right := startTLS(t, ok, ca.issue(t, "vanity.test"))
	wrong := startTLS(t, ok, ca.issue(t, "other.test"))
	tests := []struct {
		name    string
		server  string
		cafile  string
		wantErr string
	}{
		{"a certificate for the name is verified against the CA", port(t, right), ca.pemFile, ""},
		{"a certificate for another name fails", port(t, wrong), ca.pemFile, "x509: certificate is valid for other.test, not vanity.test"},
		{"a certificate from a CA that is not trusted fails", port(t, right), "", "x509: certificate signed by unknown authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c, err := New(Options{CACertFile: tt.cafile, ConnectTo: []string{"vanity.test:443:127.0.0.1:" + tt.server}, Trace: rec.Emit})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			resp, err := c.Get(context.Background(), mustParse(t, "//vanity.test/x?go-get=1"), SecureOnly)
			if evs := rec.All(); len(evs) < 2 || evs[1].Message != "connect-to: dialing 127.0.0.1:"+tt.server+" for vanity.test:443" {
				t.Errorf("events %+v, want the second to note the connect-to dial", evs)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				if body := readAll(t, resp); body != "hello from vanity.test" {
					t.Errorf("body = %q, want the server to see Host vanity.test", body)
				}
				return
			}
			if err == nil {
				resp.Body.Close()
				t.Fatalf("Get succeeded, want an error containing %q", tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Get error = %q, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestCACertFiles(t *testing.T) {
	ca := newTestCA(t, "fetch test CA")
	srv := startTLS(t, http.NotFoundHandler(), ca.issue(t, "vanity.test"))
	rule := []string{"vanity.test:443:127.0.0.1:" + port(t, srv)}
	empty := writeFile(t, "empty.pem", "not a certificate\n")
	tests := []struct {
		name    string
		opts    Options
		wantErr string
	}{
		{"SSL_CERT_FILE is trusted like --cacert", Options{SSLCertFile: ca.pemFile, ConnectTo: rule}, ""},
		{"both files may be given", Options{CACertFile: ca.pemFile, SSLCertFile: ca.pemFile, ConnectTo: rule}, ""},
		{"a file without certificates is refused", Options{CACertFile: empty}, "reading CA certificates from " + empty + ": no PEM certificate found"},
		{"a missing file is refused", Options{SSLCertFile: empty + ".missing"}, "reading CA certificates: open " + empty + ".missing: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("New error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			resp, err := c.Get(context.Background(), mustParse(t, "//vanity.test/x"), SecureOnly)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			resp.Body.Close()
		})
	}
}

func TestNewRefusesOptionsACustomRoundTripperCannotHonour(t *testing.T) {
	rt := roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, fmt.Errorf("unused") })
	tests := []struct {
		name string
		opts Options
	}{
		{"connect-to rules", Options{Transport: rt, ConnectTo: []string{"a:1:b:2"}}},
		{"a CA file", Options{Transport: rt, CACertFile: newTestCA(t, "x").pemFile}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.opts)
			if err == nil || !strings.Contains(err.Error(), "need Options.Transport to be nil or an *http.Transport") {
				t.Fatalf("New = %v, want a refusal", err)
			}
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestProxy checks that a base transport's proxy is kept, and that a
// request a connect-to rule matches goes straight to the rule's target.
func TestProxy(t *testing.T) {
	ca := newTestCA(t, "fetch test CA")
	srv := startTLS(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { fmt.Fprint(rw, "direct") }), ca.issue(t, "vanity.test"))
	deadProxy := "127.0.0.1:" + closedPort(t)
	base := &http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return url.Parse("http://" + deadProxy) }}
	c, err := New(Options{Transport: base, CACertFile: ca.pemFile, ConnectTo: []string{"vanity.test:443:127.0.0.1:" + port(t, srv)}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{"a request a rule matches bypasses the proxy", "//vanity.test/", ""},
		{"other requests go through the proxy", "https://127.0.0.1:" + port(t, srv) + "/", "proxyconnect tcp: dial tcp " + deadProxy + ": connect: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Get(context.Background(), mustParse(t, tt.url), SecureOnly)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if body := readAll(t, resp); body != "direct" {
					t.Errorf("body = %q, want direct", body)
				}
				return
			}
			if err == nil {
				resp.Body.Close()
				t.Fatalf("Get(%s) succeeded, want a proxy error", tt.url)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Get(%s) error = %q, want it to contain %q", tt.url, err, tt.wantErr)
			}
		})
	}
}

// TestSecureTransportVerifiesWhateverTheBase checks that a base transport
// that skips verification does not make SecureOnly skip it.
func TestSecureTransportVerifiesWhateverTheBase(t *testing.T) {
	srv := startTLS(t, http.NotFoundHandler(), newTestCA(t, "stranger CA").issue(t, "vanity.test"))
	base := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	c, err := New(Options{Transport: base, ConnectTo: []string{"vanity.test:443:127.0.0.1:" + port(t, srv)}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	tests := []struct {
		name   string
		mode   SecurityMode
		wantOK bool
	}{
		{"secure mode verifies", SecureOnly, false},
		{"insecure mode does not", Insecure, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Get(context.Background(), mustParse(t, "https://vanity.test/"), tt.mode)
			if err == nil {
				resp.Body.Close()
			}
			if (err == nil) != tt.wantOK {
				t.Errorf("Get = %v, want success %v", err, tt.wantOK)
			}
		})
	}
}

// TestTrustKey: the key names connect-to rules and CA contents, so the
// discovery cache never serves an answer got under other trust.
func TestTrustKey(t *testing.T) {
	ca := newTestCA(t, "key CA")
	other := newTestCA(t, "other CA")
	pem, err := os.ReadFile(ca.pemFile)
	if err != nil {
		t.Fatal(err)
	}
	copyOf := writeFile(t, "copy.pem", string(pem))
	key := func(o Options) string {
		t.Helper()
		c, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		return c.TrustKey()
	}
	plain := key(Options{})
	if plain != "" {
		t.Errorf("TrustKey without rules or CAs = %q, want empty", plain)
	}
	withCA := key(Options{CACertFile: ca.pemFile})
	rule := key(Options{ConnectTo: []string{"example.org:443:127.0.0.1:1"}})
	rule2 := key(Options{ConnectTo: []string{"example.org:443:127.0.0.1:2"}})
	for name, k := range map[string]string{"CA": withCA, "rule": rule, "other rule": rule2} {
		if k == "" {
			t.Errorf("TrustKey with a %s is empty", name)
		}
	}
	if withCA == rule || rule == rule2 {
		t.Errorf("different trust, same key: CA %q, rule %q, other rule %q", withCA, rule, rule2)
	}
	if k := key(Options{CACertFile: copyOf}); k != withCA {
		t.Errorf("the same CA under another name: key %q, want %q", k, withCA)
	}
	if k := key(Options{CACertFile: other.pemFile}); k == withCA {
		t.Errorf("another CA has the same key %q", k)
	}
	if k := key(Options{SSLCertFile: ca.pemFile}); k != withCA {
		t.Errorf("the CA through SSL_CERT_FILE: key %q, want %q", k, withCA)
	}
}

// TestClientShowsWhereItConnectsAndWhatItTrusts checks what a caller that
// makes its own TLS connections (doctor) reads from the Client instead of
// applying the connect-to rules and loading the CA files a second time:
// the same rule, the same dialer, the same roots as its https requests.
func TestClientShowsWhereItConnectsAndWhatItTrusts(t *testing.T) {
	t.Parallel()
	ca := newTestCA(t, "fetch test CA")
	srv := startTLS(t, http.NotFoundHandler(), ca.issue(t, "vanity.test"))
	to := "127.0.0.1:" + port(t, srv)
	c, err := New(Options{CACertFile: ca.pemFile, ConnectTo: []string{"vanity.test:443:" + to, ":8443:other.test:"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	for _, tc := range []struct {
		addr, want string
		mapped     bool
	}{
		{"vanity.test:443", to, true},
		{"VANITY.test:443", to, true},
		{"vanity.test:80", "vanity.test:80", false},
		{"elsewhere.test:8443", "other.test:8443", true},
	} {
		if got, mapped := c.ConnectTarget(tc.addr); got != tc.want || mapped != tc.mapped {
			t.Errorf("ConnectTarget(%s) = %s, %v; want %s, %v", tc.addr, got, mapped, tc.want, tc.mapped)
		}
	}
	conn, err := c.DialContext(context.Background(), "tcp", "vanity.test:443")
	if err != nil {
		t.Fatalf("DialContext: %v", err)
	}
	defer conn.Close()
	roots := c.RootCAs()
	if roots == nil {
		t.Fatal("RootCAs() = nil with a CA file")
	}
	tc := tls.Client(conn, &tls.Config{ServerName: "vanity.test", RootCAs: roots})
	if err := tc.Handshake(); err != nil {
		t.Errorf("handshake through DialContext, verified with RootCAs: %v", err)
	}

	if p := c.ProxyFor("vanity.test:443"); p != "" {
		t.Errorf("ProxyFor(vanity.test:443) = %q with a connect-to rule for it, want direct", p)
	}
	proxied, err := New(Options{Transport: &http.Transport{Proxy: http.ProxyURL(mustParse(t, "http://u:secret@proxy.test:3128"))}})
	if err != nil {
		t.Fatal(err)
	}
	if p, want := proxied.ProxyFor("vanity.test:443"), "http://u:xxxxx@proxy.test:3128"; p != want {
		t.Errorf("ProxyFor through a proxy = %q, want %q", p, want)
	}
	// With a CA file the transport waits for its first request; ProxyFor
	// must not take that for a RoundTripper of the caller's.
	proxiedCA, err := New(Options{CACertFile: ca.pemFile, Transport: &http.Transport{Proxy: http.ProxyURL(mustParse(t, "http://u:secret@proxy.test:3128"))}})
	if err != nil {
		t.Fatal(err)
	}
	if p, want := proxiedCA.ProxyFor("vanity.test:443"), "http://u:xxxxx@proxy.test:3128"; p != want {
		t.Errorf("ProxyFor through a proxy, with a CA file = %q, want %q", p, want)
	}

	plain, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plain.RootCAs() != nil {
		t.Error("RootCAs() of a client without CA files is not nil (the system roots)")
	}
	custom, err := New(Options{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("unused") })})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := custom.DialContext(context.Background(), "tcp", "vanity.test:443"); err == nil {
		t.Error("DialContext through a RoundTripper that connects for itself did not fail")
	}
}

// TestCACertFilesAreParsedAtTheFirstConnection: New reads a CA file but
// parses its certificates (and loads the system roots) only when a
// connection is made, so a run that makes none does not pay for a
// bundle of hundreds of certificates (issue 15). A file whose one
// CERTIFICATE block is not a certificate passes New and fails the Get.
func TestCACertFilesAreParsedAtTheFirstConnection(t *testing.T) {
	bad := writeFile(t, "bad.pem", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n")
	c, err := New(Options{CACertFile: bad})
	if err != nil {
		t.Fatalf("New parsed the certificates: %v", err)
	}
	defer c.CloseIdleConnections()
	_, err = c.Get(context.Background(), mustParse(t, "https://127.0.0.1:1/x"), SecureOnly)
	if want := "reading CA certificates from " + bad + ": no PEM certificate found"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Get error = %v, want one saying %q", err, want)
	}
}
