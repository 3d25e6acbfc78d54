package testbed

import (
	"fmt"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// FossilServer is the real fossil, run as a CGI program for each request
// behind a TLS listener with the bed's certificate, as hosts serve it
// behind a web server. Repository NAME is the file Root/NAME.fossil and is
// served at Base()/NAME. Requests are in the bed's request log. fossil
// finds the CA through SSL_CERT_FILE, which Env sets.
type FossilServer struct {
	// Root is the directory holding the repositories.
	Root string

	bed   *Bed
	srv   *httptest.Server
	repos repoSet[*FossilRepo]
	once  sync.Once
}

// StartFossil starts a fossil server for the bed's repositories under
// Dir/fossil. Only one may run per bed at a time (they share the
// directory). The caller must Close it; Bed.Close does not.
func (b *Bed) StartFossil() (*FossilServer, error) {
	bin, err := exec.LookPath("fossil")
	if err != nil {
		return nil, fmt.Errorf("testbed: fossil not installed (Debian package fossil): %w", err)
	}
	s := &FossilServer{Root: filepath.Join(b.Dir, "fossil"), bed: b}
	if err := os.MkdirAll(s.Root, 0o777); err != nil {
		return nil, fmt.Errorf("testbed: starting fossil server: %w", err)
	}
	// "directory:" serves every NAME.fossil under Root at /NAME.
	script := filepath.Join(b.internal, "fossil.cgi")
	if err := os.WriteFile(script, []byte("#!"+bin+"\ndirectory: "+s.Root+"\n"), 0o666); err != nil {
		return nil, fmt.Errorf("testbed: writing fossil CGI script: %w", err)
	}
	tlsConfig, err := b.ca.serverConfig()
	if err != nil {
		return nil, err
	}
	handler := &cgi.Handler{
		Path: bin,
		Args: []string{"cgi", script},
		Root: "/",
		Dir:  s.Root,
		Env:  b.toolEnv(),
	}
	s.srv = httptest.NewUnstartedServer(b.logged(handler))
	s.srv.TLS = tlsConfig
	s.srv.StartTLS()
	return s, nil
}

// Base is the server's base URL, https://127.0.0.1:PORT.
func (s *FossilServer) Base() string { return s.srv.URL }

// Close stops the server, waiting for requests in flight. It is safe to
// call more than once.
func (s *FossilServer) Close() error {
	s.once.Do(s.srv.Close)
	return nil
}

// FossilRepo is a fossil repository served by a FossilServer. Commits are
// deterministic like GitRepo's: fixed user, dates one minute apart.
type FossilRepo struct {
	// Name is the repository's name.
	Name string
	// File is the repository file, Root/Name.fossil.
	File string
	// URL is Base()/Name.
	URL string

	bed     *Bed
	wc      string // a checkout the bed commits from
	mu      sync.Mutex
	commits int
}

// AddRepo creates repository name whose first commit holds exactly files,
// tagged with each of tags.
func (s *FossilServer) AddRepo(name string, files map[string]string, tags ...string) (*FossilRepo, error) {
	// The CGI script's directory mode maps one path element to one file.
	if err := checkRepoName(name); err != nil || strings.Contains(name, "/") {
		return nil, fmt.Errorf("testbed: fossil repository name %q must be one path element: %w", name, err)
	}
	r := &FossilRepo{
		Name: name,
		File: filepath.Join(s.Root, name+".fossil"),
		URL:  s.Base() + "/" + name,
		bed:  s.bed,
		wc:   filepath.Join(s.bed.internal, "fossil-wc", name),
	}
	err := s.repos.add("fossil", name, r, func() error {
		err := r.create(files, tags)
		if err != nil {
			os.Remove(r.File) // a half-made repository must not be served
			os.RemoveAll(r.wc)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Repo returns the repository AddRepo made under name, or nil.
func (s *FossilServer) Repo(name string) *FossilRepo { return s.repos.get(name) }

func (r *FossilRepo) create(files map[string]string, tags []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := os.Stat(r.File); err == nil {
		return fmt.Errorf("testbed: fossil repository %s already exists in %s", r.Name, r.File)
	}
	if err := os.MkdirAll(r.wc, 0o777); err != nil {
		return fmt.Errorf("testbed: fossil repository %s: %w", r.Name, err)
	}
	if _, err := r.bed.runTool("", "fossil", "init", "--admin-user", "testbed", "--date-override", r.nextDate(), "--", r.File); err != nil {
		return err
	}
	if _, err := r.fossil("open", "--", r.File); err != nil {
		return err
	}
	// Compare contents, not sizes and times: commits in the same second
	// must not go unnoticed.
	if _, err := r.fossil("settings", "mtime-changes", "off"); err != nil {
		return err
	}
	return seedRepo(files, tags, r.commit, r.tag)
}

// Commit adds a check-in whose tree is exactly files and returns its hash.
func (r *FossilRepo) Commit(files map[string]string, msg string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commit(files, msg)
}

func (r *FossilRepo) commit(files map[string]string, msg string) (string, error) {
	if err := replaceFiles(r.wc, files, ".fslckout"); err != nil {
		return "", fmt.Errorf("testbed: commit to %s: %w", r.Name, err)
	}
	if _, err := r.fossil("addremove"); err != nil {
		return "", err
	}
	if _, err := r.fossil("commit", "--no-warnings", "--allow-empty", "--user-override", "testbed",
		"--date-override", r.nextDate(), "-m", msg); err != nil {
		return "", err
	}
	return r.rev("current")
}

// Tag tags the newest check-in with name and returns its hash.
func (r *FossilRepo) Tag(name string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tag(name)
}

func (r *FossilRepo) tag(name string) (string, error) {
	if name == "" || strings.HasPrefix(name, "-") {
		return "", fmt.Errorf("testbed: fossil tag %q in %s: must be non-empty and not start with '-'", name, r.Name)
	}
	// No "--" here: fossil tag add would take it for the tag name. The
	// check above keeps name from being read as an option.
	if _, err := r.fossil("tag", "add", "--date-override", r.nextDate(), name, "current"); err != nil {
		return "", err
	}
	return r.rev("current")
}

// Rev returns the hash of the check-in name names (a tag, hash or
// "current").
func (r *FossilRepo) Rev(name string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rev(name)
}

func (r *FossilRepo) rev(name string) (string, error) {
	if name == "" || strings.HasPrefix(name, "-") {
		return "", fmt.Errorf("testbed: revision %q of %s must be non-empty and not start with '-'", name, r.Name)
	}
	out, err := r.fossil("info", "--", name)
	if err != nil {
		return "", err
	}
	// "hash:" names the check-in asked for ("checkout:" in the current one).
	for _, l := range strings.Split(out, "\n") {
		for _, key := range []string{"hash:", "checkout:"} {
			if v, ok := strings.CutPrefix(l, key); ok {
				if f := strings.Fields(v); len(f) > 0 {
					return f[0], nil
				}
			}
		}
	}
	return "", fmt.Errorf("testbed: fossil info %s in %s shows no hash:\n%s", name, r.Name, out)
}

// nextDate is the date of the repository's next artifact and counts it.
func (r *FossilRepo) nextDate() string {
	d := epoch.Add(time.Duration(r.commits) * time.Minute)
	r.commits++
	return d.Format("2006-01-02T15:04:05")
}

func (r *FossilRepo) fossil(args ...string) (string, error) {
	return r.bed.runTool(r.wc, "fossil", args...)
}

func cmdFossilRepo(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "fossilrepo", args, "tag", "env")
	s := scriptServer(ts, b, scriptServers.fossil, b.StartFossil)
	ts.Setenv("TESTBED_FOSSIL", s.Base())
	r, err := s.AddRepo(name, files, kv["tag"]...)
	ts.Check(err)
	rev, err := r.Rev("current")
	ts.Check(err)
	storeHash(ts, "fossilrepo", name, rev, kv["env"])
}

func cmdFossilCommit(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "fossilcommit", args, "tag", "msg", "env")
	scriptServers.Lock()
	s := scriptServers.fossil[b]
	scriptServers.Unlock()
	var r *FossilRepo
	if s != nil {
		r = s.Repo(name)
	}
	if r == nil {
		ts.Fatalf("fossilcommit: no fossil repository %s (create it with fossilrepo)", name)
	}
	rev, err := r.Commit(files, last(kv["msg"], "commit"))
	ts.Check(err)
	for _, t := range kv["tag"] {
		_, err := r.Tag(t)
		ts.Check(err)
	}
	storeHash(ts, "fossilcommit", name, rev, kv["env"])
}
