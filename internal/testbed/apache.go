//go:build unix

package testbed

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofetch/fetch/internal/testutil"
)

// Apache is Debian's Apache httpd serving, over TLS on loopback, what a
// self-hosted vanity setup serves: the bed's pages for one host name as
// static files, and the bed's git repositories through git http-backend
// as a CGI program, with basic auth (an htpasswd file) for every
// repository that has logins (WithUser, AddGitUser) when Apache starts.
//
// A request for /P is answered from WWW/HOST/P.html (a rewrite rule), so
// the bed's page layout carries over, without ${...} expansion.
// Repository NAME is at Base()/git/NAME.git.
type Apache struct {
	// Addr is where Apache listens, 127.0.0.1:PORT.
	Addr string
	// Host is the name its certificate and pages are for.
	Host string
	// LogFile holds Apache's error log.
	LogFile string

	bed    *Bed
	cmd    *exec.Cmd
	exited chan struct{}
	once   sync.Once
	err    error
}

// apacheBinary is where Debian installs httpd.
const apacheBinary = "/usr/sbin/apache2"

// NewApache starts Apache for b's pages of host and b's repositories, and
// stops it when the test ends. Without apache2 it skips the test, or fails
// it in CI (see testutil.NeedTool).
func NewApache(t testing.TB, b *Bed, host string) *Apache {
	t.Helper()
	testutil.NeedTool(t, apacheBinary, "apache2")
	a, err := b.StartApache(host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			log, _ := os.ReadFile(a.LogFile)
			t.Logf("apache error log:\n%s", log)
		}
	})
	return a
}

// Base is Apache's URL, https://127.0.0.1:PORT.
func (a *Apache) Base() string { return "https://" + a.Addr }

// WritePage writes the page Apache serves at https://HOST/P (P without a
// leading slash) as the bed's WWW/HOST/P.html, readable by Apache's
// unprivileged children.
func (a *Apache) WritePage(p, content string) error {
	name := strings.ToLower(a.Host) + "/" + strings.TrimPrefix(p, "/") + ".html"
	if err := a.bed.WriteWWW(name, content); err != nil {
		return err
	}
	return os.Chmod(filepath.Join(a.bed.WWW, filepath.FromSlash(name)), 0o644)
}

// StartApache writes a configuration, a certificate for host and
// 127.0.0.1 from the bed's CA, and an htpasswd file under b's scratch
// directory, and starts Apache in the foreground. It returns once Apache
// says it is serving. The caller must Close it.
//
// As root, Apache serves as www-data (it refuses to serve as root), so the
// bed's directories are made readable and searchable by others.
func (b *Bed) StartApache(host string) (*Apache, error) {
	dir, err := os.MkdirTemp(b.internal, "apache-")
	if err != nil {
		return nil, fmt.Errorf("testbed: apache: %w", err)
	}
	if err := b.writeApacheFiles(dir, host); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		if err := openForOthers(b.Dir, b.WWW, b.gitRoot, dir); err != nil {
			return nil, fmt.Errorf("testbed: apache: %w", err)
		}
	}
	// Apache cannot be handed a listening socket, so it gets a port that
	// was free a moment ago, and another one if that was taken meanwhile.
	for try := 0; ; try++ {
		a, err := b.startApache(dir, host)
		if err == nil || try == 2 || !strings.Contains(err.Error(), "Address already in use") {
			return a, err
		}
	}
}

func (b *Bed) startApache(dir, host string) (*Apache, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("testbed: apache: %w", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	conf := filepath.Join(dir, "httpd.conf")
	if err := os.WriteFile(conf, []byte(b.apacheConfig(dir, host, addr)), 0o644); err != nil {
		return nil, fmt.Errorf("testbed: apache: %w", err)
	}
	a := &Apache{Addr: addr, Host: host, LogFile: filepath.Join(dir, "error.log"), bed: b, exited: make(chan struct{})}
	logFile, err := os.OpenFile(a.LogFile, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("testbed: apache: %w", err)
	}
	ready := make(chan struct{})
	a.cmd = exec.Command(apacheBinary, "-f", conf, "-D", "FOREGROUND")
	a.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LANG=C"}
	// Apache stops by signalling its whole process group, which must not
	// be the test's.
	a.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	a.cmd.Stderr = &markerWriter{w: logFile, marker: []byte("resuming normal operations"), seen: ready}
	// CGI children inherit stderr; do not wait for them forever.
	a.cmd.WaitDelay = 10 * time.Second
	if err := a.cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("testbed: apache: %w", err)
	}
	go func() {
		a.err = a.cmd.Wait()
		logFile.Close()
		close(a.exited)
	}()
	select {
	case <-ready:
		return a, nil
	case <-a.exited:
		log, _ := os.ReadFile(a.LogFile)
		return nil, fmt.Errorf("testbed: apache did not start: %v\n%s", a.err, log)
	}
}

// Close stops Apache and waits for it.
func (a *Apache) Close() error {
	a.once.Do(func() {
		// SIGTERM is Apache's "stop now": children end with the parent.
		a.cmd.Process.Signal(syscall.SIGTERM)
		<-a.exited
	})
	var ee *exec.ExitError
	if a.err != nil && !errors.As(a.err, &ee) {
		return fmt.Errorf("testbed: stopping apache: %w", a.err)
	}
	return nil
}

// markerWriter copies to w and closes seen the first time marker appears
// at the start of a write or after a newline.
type markerWriter struct {
	w      *os.File
	marker []byte
	seen   chan struct{}
	mu     sync.Mutex
	buf    []byte // the current unfinished line
	done   bool
}

func (m *markerWriter) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.done {
		m.buf = append(m.buf, p...)
		if bytes.Contains(m.buf, m.marker) {
			m.done = true
			close(m.seen)
		} else if i := bytes.LastIndexByte(m.buf, '\n'); i >= 0 {
			m.buf = append(m.buf[:0], m.buf[i+1:]...)
		}
	}
	return m.w.Write(p)
}

// writeApacheFiles writes the certificate, key, htpasswd and git
// configuration Apache's configuration names.
func (b *Bed) writeApacheFiles(dir, host string) error {
	certPEM, keyPEM, err := b.ca.apacheLeaf(host)
	if err != nil {
		return err
	}
	var htpasswd strings.Builder
	b.mu.Lock()
	for _, repo := range sortedKeys(b.gitUsers) {
		for _, u := range sortedKeys(b.gitUsers[repo]) {
			// Apache's {SHA} form: base64 of the password's SHA-1.
			sum := sha1.Sum([]byte(b.gitUsers[repo][u]))
			fmt.Fprintf(&htpasswd, "%s:{SHA}%s\n", u, base64.StdEncoding.EncodeToString(sum[:]))
		}
	}
	b.mu.Unlock()
	files := map[string]struct {
		data []byte
		mode os.FileMode
	}{
		"cert.pem":  {certPEM, 0o644},
		"key.pem":   {keyPEM, 0o600}, // read by the root parent only
		"htpasswd":  {[]byte(htpasswd.String()), 0o644},
		"gitconfig": {[]byte("[safe]\n\tdirectory = *\n"), 0o644},
	}
	for name, f := range files {
		if err := os.WriteFile(filepath.Join(dir, name), f.data, f.mode); err != nil {
			return fmt.Errorf("testbed: apache: %w", err)
		}
	}
	for _, d := range []string{filepath.Join(dir, "run"), filepath.Join(b.WWW, strings.ToLower(host))} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("testbed: apache: %w", err)
		}
	}
	return nil
}

// apacheLeaf issues a certificate for host and 127.0.0.1 (Apache serves
// one certificate, and git reaches it by address) as PEM files.
func (c *ca) apacheLeaf(host string) (certPEM, keyPEM []byte, err error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(certLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{host},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	tmpl.Subject.CommonName = host
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, &c.leafKey.PublicKey, c.key)
	if err != nil {
		return nil, nil, fmt.Errorf("testbed: apache: certificate for %s: %w", host, err)
	}
	key, err := x509.MarshalPKCS8PrivateKey(c.leafKey)
	if err != nil {
		return nil, nil, fmt.Errorf("testbed: apache: %w", err)
	}
	certPEM = append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), c.pem...)
	return certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), nil
}

// apacheModules are the modules the configuration uses.
var apacheModules = []string{
	"mpm_prefork", "authz_core", "authn_core", "authn_file", "auth_basic", "authz_user",
	"alias", "cgi", "env", "mime", "rewrite", "ssl",
}

// apacheConfig is a self-contained httpd.conf: nothing from /etc/apache2.
func (b *Bed) apacheConfig(dir, host, addr string) string {
	var c strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&c, format+"\n", args...) }
	q := strconv.Quote
	line("ServerRoot %s", q(dir))
	line("Listen %s", addr)
	for _, m := range apacheModules {
		line("LoadModule %s_module /usr/lib/apache2/modules/mod_%s.so", m, m)
	}
	if os.Geteuid() == 0 {
		name, group := apacheUser()
		line("User %s", name)
		line("Group %s", group)
	}
	line("ServerName %s", host)
	line("PidFile %s", q(filepath.Join(dir, "run", "httpd.pid")))
	line("DefaultRuntimeDir %s", q(filepath.Join(dir, "run")))
	line("ErrorLog /dev/stderr")
	line("LogLevel notice")
	line("StartServers 1")
	line("TypesConfig /etc/mime.types")
	line("AddType text/html .html")
	line("SSLEngine on")
	line("SSLCertificateFile %s", q(filepath.Join(dir, "cert.pem")))
	line("SSLCertificateKeyFile %s", q(filepath.Join(dir, "key.pem")))
	line("SSLSessionCache none")
	docroot := filepath.Join(b.WWW, strings.ToLower(host))
	line("DocumentRoot %s", q(docroot))
	line("<Directory %s>\n  Require all granted\n</Directory>", q(docroot))
	// /P is answered from P.html even when a directory P exists (for
	// the pages of P's subpackages), which MultiViews would not do.
	line("RewriteEngine On")
	line("RewriteCond %%{DOCUMENT_ROOT}/$1.html -f")
	line("RewriteRule ^/(.+)$ /$1.html [L]")
	for k, v := range map[string]string{
		"GIT_PROJECT_ROOT": b.gitRoot, "GIT_HTTP_EXPORT_ALL": "1", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_CONFIG_GLOBAL": filepath.Join(dir, "gitconfig"), "HOME": dir,
	} {
		line("SetEnv %s %s", k, q(v))
	}
	out, _ := exec.Command("git", "--exec-path").Output()
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	line("ScriptAlias /git/ %s", q(backend+"/"))
	line("<Location /git/>\n  Require all granted\n</Location>")
	b.mu.Lock()
	for _, repo := range sortedKeys(b.gitUsers) {
		line("<LocationMatch %s>", q("^/git/"+regexp.QuoteMeta(repo)+`(\.git)?/`))
		line("  AuthType Basic\n  AuthName %s\n  AuthUserFile %s", q("git "+repo), q(filepath.Join(dir, "htpasswd")))
		users := sortedKeys(b.gitUsers[repo])
		line("  Require user %s\n</LocationMatch>", strings.Join(users, " "))
	}
	b.mu.Unlock()
	return c.String()
}

// apacheUser is the account Apache serves as when started by root.
func apacheUser() (name, group string) {
	if _, err := user.Lookup("www-data"); err == nil {
		return "www-data", "www-data"
	}
	return "nobody", "#65534"
}

// openForOthers lets other users search the directories from each path up
// to the root and read the trees under the named paths, which is what
// Apache's unprivileged children need.
func openForOthers(bedDir string, trees ...string) error {
	for d := bedDir; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(d, fi.Mode().Perm()|0o001); err != nil {
				return err
			}
		}
		if d == filepath.Dir(d) {
			break
		}
	}
	for _, t := range trees {
		err := filepath.WalkDir(t, func(p string, e os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, err := e.Info()
			if err != nil {
				return err
			}
			add := os.FileMode(0o004)
			if e.IsDir() {
				add = 0o005
			}
			if fi.Mode()&os.ModeSymlink != 0 || fi.Mode().Perm()&add == add || e.Name() == "key.pem" {
				return nil
			}
			return os.Chmod(p, fi.Mode().Perm()|add)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
