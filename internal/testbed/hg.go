package testbed

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
)

// hgServer is hg serve, started on first use: tests that never touch
// Mercurial pay nothing, and machines without hg only fail hg tests.
type hgServer struct {
	mu      sync.Mutex
	started bool
	stopped bool
	err     error
	proxy   http.Handler
	cmd     *exec.Cmd
	done    chan struct{} // closed when the process has exited
	log     *os.File      // hg serve's stderr and the proxy's errors
}

// serveHg forwards to hg serve, which speaks only plain HTTP: the bed's TLS
// listener in front of it lets tests use https repository roots as real
// hosts do. Repository NAME in hg/NAME is served at HgBase()/NAME.
func (b *Bed) serveHg(w http.ResponseWriter, r *http.Request) {
	proxy, err := b.startHg()
	if err != nil {
		http.Error(w, "testbed: hg server unavailable: "+err.Error(), http.StatusBadGateway)
		return
	}
	proxy.ServeHTTP(w, r)
}

var hgBound = regexp.MustCompile(`\(bound to (127\.0\.0\.1:[0-9]+)\)`)

func (b *Bed) startHg() (http.Handler, error) {
	s := &b.hg
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil, errors.New("the testbed is closed")
	}
	if s.started {
		return s.proxy, s.err
	}
	s.started = true
	s.proxy, s.err = b.launchHg()
	return s.proxy, s.err
}

func (b *Bed) launchHg() (http.Handler, error) {
	if _, err := exec.LookPath("hg"); err != nil {
		return nil, fmt.Errorf("hg not installed (Debian package mercurial): %w", err)
	}
	conf := filepath.Join(b.internal, "hgweb.conf")
	// refreshinterval 0 rescans the tree on every request, so repositories
	// added after the server started are served at once.
	webConf := fmt.Sprintf("[paths]\n/ = %s/**\n[web]\nrefreshinterval = 0\n", b.hgRoot)
	if err := os.WriteFile(conf, []byte(webConf), 0o666); err != nil {
		return nil, fmt.Errorf("writing hgweb config: %w", err)
	}
	stderr, err := os.OpenFile(filepath.Join(b.internal, "hg-serve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666)
	if err != nil {
		return nil, fmt.Errorf("opening hg serve log: %w", err)
	}
	b.hg.log = stderr // kept open for the proxy's error log; stop closes it
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("starting hg serve: %w", err)
	}
	defer pr.Close()
	cmd := exec.Command("hg", "serve", "--web-conf", conf, "--address", "127.0.0.1", "--port", "0",
		"--accesslog", filepath.Join(b.internal, "hg-access.log"),
		"--errorlog", filepath.Join(b.internal, "hg-error.log"))
	cmd.Dir = b.hgRoot
	cmd.Env = b.hgEnv()
	cmd.Stdout, cmd.Stderr = pw, stderr
	err = cmd.Start()
	pw.Close() // only the child writes now, so the reader sees EOF when it exits
	if err != nil {
		return nil, fmt.Errorf("starting hg serve: %w", err)
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		close(done)
	}()
	b.hg.cmd, b.hg.done = cmd, done
	// hg serve picks its port and says so on stdout; reading until it does
	// needs no timeout, as the line comes at once or the process exits.
	lines := bufio.NewScanner(pr)
	addr := ""
	for addr == "" && lines.Scan() {
		if m := hgBound.FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		return nil, fmt.Errorf("hg serve exited without saying where it listens; see %s", stderr.Name())
	}
	go io.Copy(io.Discard, pr) // keep the pipe drained until hg exits
	target := &url.URL{Scheme: "http", Host: addr}
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host
		},
		ErrorLog: log.New(stderr, "proxy: ", log.LstdFlags),
	}, nil
}

// stop kills hg serve, if it ever started, and waits for it to exit.
func (s *hgServer) stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
	if s.log != nil {
		defer s.log.Close()
	}
	if s.cmd == nil {
		return nil
	}
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("testbed: stopping hg serve: %w", err)
	}
	<-s.done
	return nil
}

func (b *Bed) hgrcFile() string { return filepath.Join(b.internal, "hgrc") }

// hgrc is the only configuration hg reads, for the bed's own hg commands
// and, through HGRCPATH in Env, for the programs under test.
func (b *Bed) hgrc() string {
	return fmt.Sprintf("[ui]\nusername = %s <%s>\n[web]\ncacerts = %s\n", authorName, authorEmail, b.CACertFile)
}

func (b *Bed) hgEnv() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + filepath.Join(b.internal, "home"),
		"HGRCPATH=" + b.hgrcFile(),
		"HGPLAIN=1",
		"HGENCODING=utf-8",
		"LC_ALL=C",
	}
}
