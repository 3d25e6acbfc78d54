package doctor_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofetch/fetch/doctor"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
	"github.com/gofetch/fetch/trace"
)

// testCA mints certificates for the TLS cases the bed cannot serve: its
// certificates always match the name asked for and are always current.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string // PEM of cert
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "doctor test CA"},
		NotBefore:             time.Now().Add(-48 * time.Hour),
		NotAfter:              time.Now().Add(48 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o666); err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key, file: file}
}

// leaf mints a server certificate for names, valid from notBefore to
// notAfter.
func (ca *testCA) leaf(t *testing.T, names []string, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der, ca.cert.Raw}, PrivateKey: key}
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// tlsServer serves handler over TLS with cert and returns its address.
func tlsServer(t *testing.T, cert tls.Certificate, handler http.Handler) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(handler)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

func pageHandler(content string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<html><head><meta name="go-import" content="%s"></head></html>`, content)
	})
}

func ids(r *doctor.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, string(f.Verdict)+" "+f.ID)
	}
	return out
}

func TestDoctorJudgesCertificates(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	// The repository URL points nowhere, so that a case that gets past
	// TLS ends quickly at the repository.
	repo := "https://" + closedAddr(t) + "/x.git"
	for _, tc := range []struct {
		name      string
		names     []string
		from, to  time.Time
		insecure  bool
		want      string // "verdict id"
		wantNotID string
	}{
		{"a current certificate for the host verifies", []string{"example.org"}, now.Add(-time.Hour), now.Add(30 * 24 * time.Hour), false, "pass tls.certificate", "tls.hostname"},
		{"a certificate for another name fails tls.hostname", []string{"other.example"}, now.Add(-time.Hour), now.Add(30 * 24 * time.Hour), false, "fail tls.hostname", "tls.certificate"},
		{"an expired certificate fails tls.expired and is not called untrusted", []string{"example.org"}, now.Add(-30 * 24 * time.Hour), now.Add(-24 * time.Hour), false, "fail tls.expired", "tls.unknown-authority"},
		{"a certificate that is not valid yet fails tls.expired", []string{"example.org"}, now.Add(24 * time.Hour), now.Add(30 * 24 * time.Hour), false, "fail tls.expired", "tls.certificate"},
		{"a certificate expiring within two days warns tls.expiring", []string{"example.org"}, now.Add(-time.Hour), now.Add(3 * time.Hour), false, "warn tls.expiring", "tls.expired"},
		{"with insecure access a certificate for another name only warns", []string{"other.example"}, now.Add(-time.Hour), now.Add(30 * 24 * time.Hour), true, "warn tls.hostname", "fail tls.hostname"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := tlsServer(t, ca.leaf(t, tc.names, tc.from, tc.to), pageHandler("example.org/foo git "+repo))
			r, err := doctor.Check(context.Background(), "example.org/foo", doctor.Options{
				ConnectTo:  []string{"example.org:443:" + addr, "example.org:80:" + closedAddr(t)},
				CACertFile: ca.file,
				Insecure:   tc.insecure,
				Getenv:     func(string) string { return "" },
			})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(r)
			if !slices.Contains(got, tc.want) {
				t.Errorf("findings %v lack %q", got, tc.want)
			}
			for _, g := range got {
				if strings.HasSuffix(g, " "+tc.wantNotID) || g == tc.wantNotID {
					t.Errorf("findings %v hold %q", got, tc.wantNotID)
				}
			}
		})
	}
}

func TestDoctorNamesTheIssuerOfAnUntrustedCertificate(t *testing.T) {
	ca := newTestCA(t)
	addr := tlsServer(t, ca.leaf(t, []string{"example.org"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour*24*30)), pageHandler("example.org/foo git https://x.invalid/x.git"))
	r, err := doctor.Check(context.Background(), "example.org/foo", doctor.Options{
		ConnectTo: []string{"example.org:443:" + addr, "example.org:80:" + closedAddr(t)},
		Getenv:    func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := r.Find("tls.unknown-authority")
	if !ok || f.Verdict != doctor.Fail || !strings.Contains(f.Seen, `issued by "doctor test CA"`) {
		t.Errorf("tls.unknown-authority = %+v, %v; want a failure naming the issuer", f, ok)
	}
	if !r.Failed() {
		t.Error("report did not fail")
	}
}

// TestDoctorComparesAnonymousAndLoggedInAnswers plays GitLab with
// subgroups (golang/go#34094): an anonymous request gets a two-element
// prefix, a logged-in one the real project.
func TestDoctorComparesAnonymousAndLoggedInAnswers(t *testing.T) {
	ca := newTestCA(t)
	repo := "https://" + closedAddr(t)
	addr := tlsServer(t, ca.leaf(t, []string{"example.org"}, time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour)),
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			content := "example.org/group/sub git " + repo + "/group/sub.git"
			if user, _, ok := r.BasicAuth(); ok && user == "alice" {
				content = "example.org/group/sub/proj git " + repo + "/group/sub/proj.git"
			}
			fmt.Fprintf(w, `<html><head><meta name="go-import" content="%s"></head></html>`, content)
		}))
	netrc := filepath.Join(t.TempDir(), "netrc")
	if err := os.WriteFile(netrc, []byte("machine example.org login alice password s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := doctor.Check(context.Background(), "example.org/group/sub/proj", doctor.Options{
		ConnectTo:  []string{"example.org:443:" + addr},
		CACertFile: ca.file,
		Netrc:      netrc,
		Getenv:     func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := r.Find("meta.anonymous-differs")
	if !ok || f.Verdict != doctor.Warn || !strings.Contains(f.Seen, "example.org/group/sub git") {
		t.Errorf("meta.anonymous-differs = %+v, %v; want a warning quoting the anonymous tag (findings %v)", f, ok, ids(r))
	}
	for _, f := range r.Findings {
		if strings.Contains(f.Seen+f.Fix, "s3cret") {
			t.Errorf("finding %s shows the netrc password: %s", f.ID, f.Seen)
		}
	}
}

// TestDoctorReadsGoModWithAShallowFilteredClone checks the promise that
// the repository is read without fetching its history or its blobs.
func TestDoctorReadsGoModWithAShallowFilteredClone(t *testing.T) {
	testutil.NeedTool(t, "git", "git")
	b := testbed.New(t)
	if _, err := b.AddGitRepo("foo", map[string]string{"go.mod": "module example.org/foo\n", "big/data.txt": "not needed\n"}); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteWWW("example.org/foo.html", `<meta name="go-import" content="example.org/foo git ${TESTBED_GIT}/foo.git">`); err != nil {
		t.Fatal(err)
	}
	var rec testutil.Recorder
	r, err := doctor.Check(context.Background(), "example.org/foo", doctor.Options{
		ConnectTo:  b.ConnectTo("example.org"),
		CACertFile: b.CACertFile,
		Trace:      rec.Emit,
		Getenv:     func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := r.Find("repo.gomod"); !ok || f.Verdict != doctor.Pass {
		t.Fatalf("repo.gomod = %+v, %v (findings %v)", f, ok, ids(r))
	}
	var clone []string
	for _, e := range rec.All() {
		if e.Kind == trace.Command && slices.Contains(e.Args, "clone") {
			clone = e.Args
		}
	}
	for _, want := range []string{"--depth=1", "--filter=blob:none", "--sparse"} {
		if !slices.Contains(clone, want) {
			t.Errorf("clone command %q lacks %s", clone, want)
		}
	}
}

// TestDoctorKeepsHostileTextOutOfFindings serves a page whose tags hold
// a password and a terminal escape sequence: neither reaches a finding.
func TestDoctorKeepsHostileTextOutOfFindings(t *testing.T) {
	b := testbed.New(t)
	page := "<html><head>\n" +
		`<meta name="go-import" content="example.org/foo git https://bob:hunter2@code.invalid/foo.git">` + "\n" +
		"</head><body>\n" +
		"<meta name=\"go-import\" content=\"example.org/foo git https://code.invalid/\x1b[2J\x1b]0;owned\x07.git\">\n" +
		"</body></html>\n"
	if err := b.WriteWWW("example.org/foo.html", page); err != nil {
		t.Fatal(err)
	}
	r, err := doctor.Check(context.Background(), "example.org/foo", doctor.Options{
		ConnectTo:  b.ConnectTo("example.org"),
		CACertFile: b.CACertFile,
		Getenv:     func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := r.Find("meta.after-head"); !ok || f.Verdict != doctor.Warn {
		t.Fatalf("meta.after-head = %+v, %v; want a warning, since a tag the Go command reads serves the path (findings %v)", f, ok, ids(r))
	}
	for _, f := range r.Findings {
		text := f.Seen + f.Fix
		if strings.Contains(text, "hunter2") || strings.ContainsAny(text, "\x1b\x07\n") {
			t.Errorf("finding %s shows a secret or a control character: %q", f.ID, text)
		}
	}
}

// TestDoctorUsesAnInjectedTransport checks that a library caller's
// transport (its dialer and roots) is what the network checks use.
func TestDoctorUsesAnInjectedTransport(t *testing.T) {
	b := testbed.New(t)
	if err := b.WriteWWW("example.org/foo.html", `<meta name="go-import" content="example.org/foo mod https://proxy.invalid/mod">`); err != nil {
		t.Fatal(err)
	}
	r, err := doctor.Check(context.Background(), "example.org/foo", doctor.Options{
		Transport: b.Transport(),
		Getenv:    func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pass dns.resolve", "pass tcp.connect", "pass tls.certificate", "pass meta.match"} {
		if !slices.Contains(ids(r), want) {
			t.Errorf("findings %v lack %q", ids(r), want)
		}
	}
	if f, _ := r.Find("dns.resolve"); !strings.Contains(f.Seen, "injected transport") {
		t.Errorf("dns.resolve says %q, want it to name the injected transport", f.Seen)
	}
}

func TestDoctorReturnsTheErrorOfACancelledContext(t *testing.T) {
	b := testbed.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := doctor.Check(ctx, "example.org/foo", doctor.Options{
		ConnectTo:  b.ConnectTo("example.org"),
		CACertFile: b.CACertFile,
		Getenv:     func(string) string { return "" },
	})
	if !errors.Is(err, context.Canceled) || r != nil {
		t.Errorf("Doctor with a cancelled context = %v, %v; want no report and context.Canceled", r, err)
	}
}

func TestDoctorRefusesMalformedOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts doctor.Options
		want string
	}{
		{"a malformed connect-to rule is an error", doctor.Options{ConnectTo: []string{"example.org:443"}}, "invalid connect-to"},
		{"a missing CA file is an error", doctor.Options{CACertFile: "/nonexistent/ca.pem"}, "reading CA certificates"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Getenv = func(string) string { return "" }
			r, err := doctor.Check(context.Background(), "example.org/foo", tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) || r != nil {
				t.Errorf("Doctor = %v, %v; want an error mentioning %q", r, err, tc.want)
			}
		})
	}
}

// TestDoctorWalksUpAsDiscoveryDoes checks that the walk up the shorter
// paths stops where discovery's does: at a page that did not answer (here
// a redirect to plain http), not at the first page with a tag beyond it,
// which no client would reach.
func TestDoctorWalksUpAsDiscoveryDoes(t *testing.T) {
	ca := newTestCA(t)
	repo := "https://" + closedAddr(t) + "/a.git"
	addr := tlsServer(t, ca.leaf(t, []string{"example.org"}, time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour)),
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/a":
				fmt.Fprintf(w, `<html><head><meta name="go-import" content="example.org/a git %s"></head></html>`, repo)
			case "/a/b":
				http.Redirect(w, r, "http://example.org/elsewhere", http.StatusFound)
			default:
				http.NotFound(w, r)
			}
		}))
	r, err := doctor.Check(context.Background(), "example.org/a/b/c", doctor.Options{
		ConnectTo:  []string{"example.org:443:" + addr, "example.org:80:" + closedAddr(t)},
		CACertFile: ca.file,
		Getenv:     func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := r.Find("meta.path-untagged"); ok {
		t.Errorf("meta.path-untagged = %+v: the walk went past example.org/a/b, where discovery stops", f)
	}
	f, ok := r.Find("meta.host-has-none")
	if !ok || f.Verdict != doctor.Fail || !strings.Contains(f.Seen, "example.org/a/b (") || strings.Contains(f.Seen, "example.org/a (") {
		t.Errorf("meta.host-has-none = %+v, %v; want a failure listing example.org/a/b/c and example.org/a/b only (findings %v)", f, ok, ids(r))
	}
}
