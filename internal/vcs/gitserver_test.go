package vcs

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// gitServer serves bare repositories under root with the real git
// http-backend, over TLS and over plain HTTP. Paths under /private/ need
// a login.
type gitServer struct {
	root        string
	https, http string // base URLs
	caEnv       []string
	// fetches counts the protocol v2 fetch commands served (requests
	// for objects, not ref listings).
	fetches atomic.Int32
}

// countFetch counts req if it is a protocol v2 fetch command.
func (s *gitServer) countFetch(req *http.Request) {
	if req.Method != http.MethodPost || req.Body == nil {
		return
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	text := body
	if req.Header.Get("Content-Encoding") == "gzip" {
		if zr, err := gzip.NewReader(bytes.NewReader(body)); err == nil {
			text, _ = io.ReadAll(zr)
		}
	}
	if bytes.Contains(text, []byte("command=fetch")) {
		s.fetches.Add(1)
	}
}

func newGitServer(t *testing.T, env []string) *gitServer {
	t.Helper()
	git, err := vcsGit.binary()
	if err != nil {
		t.Skip(err)
	}
	s := &gitServer{root: t.TempDir()}
	backend := &cgi.Handler{
		Path:   git,
		Args:   []string{"http-backend"},
		Stderr: io.Discard,
		Env: []string{"GIT_PROJECT_ROOT=" + s.root, "GIT_HTTP_EXPORT_ALL=1",
			"HOME=" + envValue(env, "HOME"), "GIT_CONFIG_NOSYSTEM=1"},
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		s.countFetch(req)
		if _, _, ok := req.BasicAuth(); strings.HasPrefix(req.URL.Path, "/private/") && !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		backend.ServeHTTP(w, req)
	})
	tlsSrv := httptest.NewTLSServer(h)
	t.Cleanup(tlsSrv.Close)
	plain := httptest.NewServer(h)
	t.Cleanup(plain.Close)
	s.https, s.http = tlsSrv.URL, plain.URL

	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})
	if err := os.WriteFile(ca, pemCert, 0o644); err != nil {
		t.Fatal(err)
	}
	s.caEnv = []string{"GIT_SSL_CAINFO=" + ca}
	return s
}

// publish puts a bare copy of the repository at src on the server as
// name (for example "r.git" or "private/r.git").
func (s *gitServer) publish(t *testing.T, env []string, src, name string) {
	t.Helper()
	dst := filepath.Join(s.root, name)
	sh(t, env, s.root, "git", "clone", "-q", "--bare", "--", src, dst)
}

func TestGitPing(t *testing.T) {
	f := newGitFixture(t)
	s := newGitServer(t, f.env)
	s.publish(t, f.env, f.dir, "r.git")
	host := strings.TrimPrefix(s.https, "https://")
	plainHost := strings.TrimPrefix(s.http, "http://")
	tests := []struct {
		name     string
		scheme   string
		repo     string
		insecure bool
		wantErr  string
	}{
		{name: "a repository served over https answers", scheme: "https", repo: host + "/r.git"},
		{name: "a missing repository fails with git's reason", scheme: "https", repo: host + "/missing.git", wantErr: "not found"},
		{name: "plain http is refused unless insecure", scheme: "http", repo: plainHost + "/r.git", wantErr: "transport 'http' not allowed"},
		{name: "plain http answers when insecure is allowed", scheme: "http", repo: plainHost + "/r.git", insecure: true},
		{name: "a scheme git is not probed with is refused", scheme: "file", repo: f.dir, wantErr: `cannot ping scheme "file"`},
		{name: "a repository starting with a dash is refused", scheme: "https", repo: "-oProxyCommand=x", wantErr: `starts with "-"`},
		{name: "a repository needing a login fails without prompting", scheme: "https", repo: host + "/private/r.git", wantErr: "terminal prompts disabled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, rec := newRunner(t, f.env)
			r.Env, r.Insecure = s.caEnv, tt.insecure
			err := vcsGit.Ping(context.Background(), r, tt.scheme, tt.repo)
			checkErr(t, err, tt.wantErr)
			for _, e := range rec.All() {
				if e.Kind == "command" && e.Dir != r.Dir {
					t.Errorf("ping ran in %s, want the runner's directory %s", e.Dir, r.Dir)
				}
			}
		})
	}
}

func TestTraceAndErrorsHideCredentials(t *testing.T) {
	f := newGitFixture(t)
	s := newGitServer(t, f.env)
	r, rec := newRunner(t, f.env)
	r.Env = s.caEnv
	repo := "user:s3cret@" + strings.TrimPrefix(s.https, "https://") + "/missing.git"
	err := vcsGit.Ping(context.Background(), r, "https", repo)
	if err == nil {
		t.Fatal("Ping of a missing repository succeeded")
	}
	var shown []string
	for _, e := range rec.All() {
		shown = append(shown, strings.Join(e.Args, " "), e.Err, e.Message)
	}
	shown = append(shown, err.Error())
	var gitErr *Error
	if !errors.As(err, &gitErr) {
		t.Fatalf("error %T is not an *Error", err)
	}
	shown = append(shown, gitErr.Stderr)
	all := strings.Join(shown, "\n")
	if strings.Contains(all, "s3cret") {
		t.Errorf("the password appears in what fetch shows:\n%s", all)
	}
	if !strings.Contains(all, "user:REDACTED@") {
		t.Errorf("the traced command does not show the redacted URL:\n%s", all)
	}
}

func TestGitSubmodules(t *testing.T) {
	tests := []struct {
		name       string
		subURL     func(s *gitServer, sub string) string
		submodules bool
		userConfig string // the user's global git config
		wantErr    string
		wantFile   bool
	}{
		{name: "a submodule served over https is checked out",
			subURL: func(s *gitServer, _ string) string { return s.https + "/sub.git" }, submodules: true, wantFile: true},
		{name: "submodules are left alone when not asked for",
			subURL: func(s *gitServer, _ string) string { return s.https + "/sub.git" }, submodules: false},
		{name: "a file submodule is refused even when the user's config allows file (CVE-2022-39253)",
			subURL:     func(_ *gitServer, sub string) string { return "file://" + sub },
			userConfig: "[protocol \"file\"]\n\tallow = always\n", submodules: true, wantErr: "transport 'file' not allowed"},
		{name: "a plain http submodule is refused when insecure is not allowed",
			subURL: func(s *gitServer, _ string) string { return s.http + "/sub.git" }, submodules: true, wantErr: "transport 'http' not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newGitFixture(t)
			s := newGitServer(t, f.env)
			sub := filepath.Join(t.TempDir(), "sub")
			sh(t, f.env, filepath.Dir(sub), "git", "init", "-q", "-b", "main", sub)
			writeFile(t, sub, "sub.txt", "from the submodule\n")
			sh(t, f.env, sub, "git", "add", "sub.txt")
			sh(t, f.env, sub, "git", "commit", "-q", "-m", "sub")
			s.publish(t, f.env, sub, "sub.git")
			f.git(t, "-c", "protocol.file.allow=always", "submodule", "add", "-q", "--", "file://"+sub, "s")
			f.git(t, "config", "-f", ".gitmodules", "submodule.s.url", tt.subURL(s, sub))
			f.git(t, "commit", "-q", "-am", "add submodule")
			s.publish(t, f.env, f.dir, "super.git")
			if tt.userConfig != "" {
				writeFile(t, envValue(f.env, "HOME"), ".gitconfig", tt.userConfig)
			}

			r, _ := newRunner(t, f.env)
			r.Env = s.caEnv
			dir := filepath.Join(t.TempDir(), "co")
			err := vcsGit.Create(context.Background(), r, s.https+"/super.git", dir, CreateOptions{Submodules: tt.submodules})
			checkErr(t, err, tt.wantErr)
			if got := readFile(t, dir, "s/sub.txt") != ""; got != tt.wantFile {
				t.Errorf("submodule file present = %v, want %v", got, tt.wantFile)
			}
		})
	}
}
