package testbed

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// maxPushBody bounds a request body buffered for git http-backend.
const maxPushBody = 256 << 20

// newGitCGI prepares the real git http-backend. Repository NAME lives in
// git/NAME.git and is served at GitBase()/NAME.git and, as forges do, at
// GitBase()/NAME. Its stderr goes to .testbed/git-http-backend.log.
func (b *Bed) newGitCGI() (http.Handler, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("git not installed (Debian package git): %w", err)
	}
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		return nil, fmt.Errorf("git --exec-path: %w", err)
	}
	backend := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		return nil, fmt.Errorf("git http-backend not found: %w", err)
	}
	logFile, err := os.OpenFile(filepath.Join(b.internal, "git-http-backend.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666)
	if err != nil {
		return nil, fmt.Errorf("opening git http-backend log: %w", err)
	}
	b.gitLog = logFile
	return &cgi.Handler{
		Path: backend,
		Dir:  b.gitRoot,
		Env: []string{
			"GIT_PROJECT_ROOT=" + b.gitRoot,
			"GIT_HTTP_EXPORT_ALL=1",
			"GIT_CONFIG_NOSYSTEM=1",
			"GIT_CONFIG_GLOBAL=" + os.DevNull,
			"HOME=" + filepath.Join(b.internal, "home"),
		},
		Stderr: logFile,
		Logger: log.New(logFile, "cgi: ", log.LstdFlags),
	}, nil
}

// serveGit answers git's smart (and dumb) HTTP protocol through git
// http-backend, after checking the repository's logins if it has any.
func (b *Bed) serveGit(w http.ResponseWriter, r *http.Request) {
	if b.gitErr != nil {
		http.Error(w, "testbed: git server unavailable: "+b.gitErr.Error(), http.StatusServiceUnavailable)
		return
	}
	repo, rest, ok := splitGitPath(r.URL.Path)
	if !ok || !b.gitRepoExists(repo) {
		http.Error(w, fmt.Sprintf("testbed: no git repository at %s", r.URL.Path), http.StatusNotFound)
		return
	}
	if !b.gitAuthorized(repo, r) {
		w.Header().Set("WWW-Authenticate", `Basic realm="testbed git"`)
		http.Error(w, fmt.Sprintf("testbed: git repository %s requires a login", repo), http.StatusUnauthorized)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/" + repo + ".git" + rest
	r2.URL.RawPath = ""
	// net/http/cgi refuses chunked bodies, which git sends for pushes and
	// large fetch negotiations; give it a body of known length instead.
	if r.ContentLength < 0 || len(r.TransferEncoding) > 0 {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxPushBody+1))
		if err != nil || len(body) > maxPushBody {
			http.Error(w, fmt.Sprintf("testbed: reading request body for %s: too large or %v", r.URL.Path, err), http.StatusBadRequest)
			return
		}
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.ContentLength = int64(len(body))
		r2.TransferEncoding = nil
	}
	b.gitCGI.ServeHTTP(w, r2)
}

// gitMarkers end the repository part of a git HTTP URL.
var gitMarkers = []string{"/info/", "/git-upload-pack", "/git-receive-pack", "/HEAD", "/objects/"}

// splitGitPath splits "/org/foo.git/info/refs" into the repository name
// "org/foo" and the rest "/info/refs".
func splitGitPath(p string) (repo, rest string, ok bool) {
	end := -1
	for _, m := range gitMarkers {
		if i := strings.Index(p, m); i >= 0 && (end < 0 || i < end) {
			end = i
		}
	}
	if end <= 0 {
		return "", "", false
	}
	repo = strings.TrimSuffix(strings.TrimPrefix(p[:end], "/"), ".git")
	if repo == "" || path.Clean("/"+repo) != "/"+repo {
		return "", "", false
	}
	return repo, p[end:], true
}

func (b *Bed) gitRepoExists(repo string) bool {
	st, err := os.Stat(filepath.Join(b.gitRoot, filepath.FromSlash(repo)+".git", "HEAD"))
	return err == nil && st.Mode().IsRegular()
}

// AddGitUser makes repository repo (a name as given to AddGitRepo) require
// basic auth; user and pass become one accepted login. Requests without an
// accepted login get 401 with a WWW-Authenticate header.
func (b *Bed) AddGitUser(repo, user, pass string) error {
	name := strings.TrimSuffix(repo, ".git")
	if err := checkRepoName(name); err != nil {
		return err
	}
	if user == "" || strings.Contains(user, ":") {
		return fmt.Errorf("testbed: git user %q for %s must be non-empty and contain no colon", user, name)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.gitUsers[name] == nil {
		b.gitUsers[name] = make(map[string]string)
	}
	b.gitUsers[name][user] = pass
	return nil
}

func (b *Bed) gitAuthorized(repo string, r *http.Request) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	users := b.gitUsers[repo]
	if len(users) == 0 {
		return true
	}
	user, pass, ok := r.BasicAuth()
	want, known := users[user]
	return ok && known && want == pass
}
