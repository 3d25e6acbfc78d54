package testbed_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
)

func TestTLSVerifiesAgainstTheCA(t *testing.T) {
	b := testbed.New(t)
	if err := b.WriteWWW("tls.example/p.html", "over tls"); err != nil {
		t.Fatal(err)
	}
	trusting := b.Client()
	distrusting := &http.Client{Transport: &http.Transport{
		DialContext:     b.Dialer(),
		TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()},
	}}
	tests := []struct {
		name      string
		client    *http.Client
		url       string
		wantTrust bool
	}{
		{"a host name gets a certificate for it, signed by the CA", trusting, "https://tls.example/p", true},
		{"another host name gets its own certificate", trusting, "https://other.example/p", true},
		{"the listener's IP address without SNI gets the loopback certificate", trusting, "https://" + b.HTTPSAddr + "/p", true},
		{"localhost gets a certificate for localhost", trusting, "https://localhost:" + strings.Split(b.HTTPSAddr, ":")[1] + "/p", true},
		{"the git server's certificate verifies", trusting, b.GitBase() + "/", true},
		{"the hg server's certificate verifies", trusting, b.HgBase() + "/", true},
		{"a client without the CA refuses a host name's certificate", distrusting, "https://tls.example/p", false},
		{"a client without the CA refuses the loopback certificate", distrusting, b.GitBase() + "/", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := tt.client.Get(tt.url)
			if err == nil {
				resp.Body.Close()
			}
			var unknown x509.UnknownAuthorityError
			switch {
			case tt.wantTrust && err != nil:
				t.Errorf("GET %s: %v, want the certificate to verify", tt.url, err)
			case !tt.wantTrust && !errors.As(err, &unknown):
				t.Errorf("GET %s: err = %v, want x509.UnknownAuthorityError", tt.url, err)
			}
		})
	}
}

func TestDialerRoutes(t *testing.T) {
	b := testbed.New(t)
	if err := b.WriteWWW("route.example/p.html", "routed"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		routes  []testbed.Route
		url     string
		wantErr string // substring; empty for success
		refused bool   // the error must be a refused connection
	}{
		{name: "port 443 of any host reaches the HTTPS listener", url: "https://route.example/p"},
		{name: "port 80 of any host reaches the HTTP listener", url: "http://route.example/p"},
		{name: "a route to the closed address is refused",
			routes: []testbed.Route{{HostPort: "route.example:443", Addr: b.ClosedAddr()}},
			url:    "https://route.example/p", refused: true},
		{name: "the closed address refuses direct connections", url: "http://" + b.ClosedAddr() + "/", refused: true},
		{name: "a host name on another port is refused without dialing", url: "https://route.example:8443/p", wantErr: "refusing to dial route.example:8443"},
		{name: "a non-loopback address is refused without dialing", url: "http://192.0.2.1/", wantErr: "refusing to dial 192.0.2.1:80: not a loopback address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := b.Client(tt.routes...).Get(tt.url)
			if err == nil {
				resp.Body.Close()
			}
			switch {
			case tt.refused:
				if !errors.Is(err, syscall.ECONNREFUSED) {
					t.Errorf("GET %s: err = %v, want connection refused", tt.url, err)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("GET %s: err = %v, want it to contain %q", tt.url, err, tt.wantErr)
				}
			case err != nil:
				t.Errorf("GET %s: %v", tt.url, err)
			}
		})
	}
}

func TestConnectToWorksWithCurl(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl not installed (Debian package curl)")
	}
	b := testbed.New(t)
	if err := b.WriteWWW("curl.example/pkg.html", "hello curl"); err != nil {
		t.Fatal(err)
	}
	for _, scheme := range []string{"https", "http"} {
		args := []string{"--silent", "--show-error", "--noproxy", "*", "--cacert", b.CACertFile}
		for _, c := range b.ConnectTo("curl.example") {
			args = append(args, "--connect-to", c)
		}
		out, err := runTool(b.Dir, toolEnv(t, b), curl, append(args, scheme+"://curl.example/pkg?go-get=1")...)
		if err != nil || out != "hello curl" {
			t.Errorf("curl %s with --connect-to %q: %v: %s", scheme, b.ConnectTo("curl.example"), err, out)
		}
	}
	want := []string{"GET https://curl.example/pkg?go-get=1", "GET http://curl.example/pkg?go-get=1"}
	if got := b.Requests(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Requests() = %q, want %q", got, want)
	}
}

func TestProxySendsEveryHostToTheBed(t *testing.T) {
	b := testbed.New(t)
	if err := b.WriteWWW("proxied.example/p.html", "via proxy"); err != nil {
		t.Fatal(err)
	}
	proxyURL := &url.URL{Scheme: "http", Host: b.ProxyAddr}
	client := &http.Client{Transport: &http.Transport{
		Proxy:           http.ProxyURL(proxyURL),
		TLSClientConfig: &tls.Config{RootCAs: b.CertPool()},
	}}
	tests := []struct {
		name     string
		url      string
		wantBody string // empty: the request must fail
		wantLog  []string
	}{
		{
			name: "https is tunneled to the HTTPS listener and verified for the host",
			url:  "https://proxied.example/p", wantBody: "via proxy",
			wantLog: []string{"CONNECT proxied.example:443", "GET https://proxied.example/p"},
		},
		{
			name: "plain http is answered by the vanity server",
			url:  "http://proxied.example/p", wantBody: "via proxy",
			wantLog: []string{"GET http://proxied.example/p"},
		},
		{
			name:    "a tunnel to another port of a host name is refused",
			url:     "https://proxied.example:8443/p",
			wantLog: []string{"CONNECT proxied.example:8443"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := b.ResetRequests(); err != nil {
				t.Fatal(err)
			}
			resp, err := client.Get(tt.url)
			if tt.wantBody == "" {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("GET %s through the proxy succeeded, want it refused", tt.url)
				}
			} else {
				if err != nil {
					t.Fatalf("GET %s through the proxy: %v", tt.url, err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(body) != tt.wantBody {
					t.Errorf("body = %q, want %q", body, tt.wantBody)
				}
			}
			if got := b.Requests(); strings.Join(got, "\n") != strings.Join(tt.wantLog, "\n") {
				t.Errorf("Requests() = %q, want %q", got, tt.wantLog)
			}
		})
	}
}
