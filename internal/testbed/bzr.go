package testbed

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// BzrRepo is a Breezy (Bazaar) branch that the vanity server serves as
// plain files, the way Launchpad served branches over https: brz reads a
// branch over http(s) without any server of its own, so the bed needs no
// extra process. Branch NAME lives in WWW/127.0.0.1/bzr/NAME and its URL is
// https://HTTPSAddr/bzr/NAME; every request brz makes is in the request log.
//
// brz trusts only the CA bundle its configuration names, never
// SSL_CERT_FILE: programs that fetch from the branch need BzrEnv.
type BzrRepo struct {
	// Name is the branch's name.
	Name string
	// Dir is the branch, with its working tree, on disk.
	Dir string
	// URL is https://HTTPSAddr/bzr/Name.
	URL string

	bed     *Bed
	mu      sync.Mutex
	commits int
}

// AddBzrRepo creates branch name whose first commit holds exactly files.
// Of the options only WithTag applies.
func (b *Bed) AddBzrRepo(name string, files map[string]string, opts ...RepoOption) (*BzrRepo, error) {
	if err := checkRepoName(name); err != nil {
		return nil, err
	}
	var o repoOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.head != "" || len(o.branches) > 0 || len(o.users) > 0 {
		return nil, fmt.Errorf("testbed: bzr repository %s: only WithTag applies to Bazaar branches", name)
	}
	if _, err := exec.LookPath("brz"); err != nil {
		return nil, fmt.Errorf("testbed: bzr repository %s: brz not installed (Debian package brz): %w", name, err)
	}
	if _, err := b.BzrEnv(); err != nil {
		return nil, err
	}
	host, _, err := net.SplitHostPort(b.HTTPSAddr)
	if err != nil {
		return nil, fmt.Errorf("testbed: bzr repository %s: %w", name, err)
	}
	r := &BzrRepo{
		Name: name,
		Dir:  filepath.Join(b.WWW, host, "bzr", filepath.FromSlash(name)),
		URL:  "https://" + b.HTTPSAddr + "/bzr/" + name,
		bed:  b,
	}
	if err := r.create(files, o.tags); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *BzrRepo) create(files map[string]string, tags []string) (err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Mkdir, not MkdirAll, for the branch itself: it claims the name.
	if err := os.MkdirAll(filepath.Dir(r.Dir), 0o777); err != nil {
		return fmt.Errorf("testbed: bzr repository %s: %w", r.Name, err)
	}
	if err := os.Mkdir(r.Dir, 0o777); err != nil {
		return fmt.Errorf("testbed: bzr repository %s: %w", r.Name, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(r.Dir) // a half-made branch must not be served
		}
	}()
	if _, err := r.brz("init", "--quiet", "--", "."); err != nil {
		return err
	}
	return seedRepo(files, tags, r.commit, r.tag)
}

// Commit adds a commit whose tree is exactly files and returns its revision
// id, which is what fetch reports for a bzr checkout.
func (r *BzrRepo) Commit(files map[string]string, msg string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commit(files, msg)
}

func (r *BzrRepo) commit(files map[string]string, msg string) (string, error) {
	if err := replaceFiles(r.Dir, files, ".bzr"); err != nil {
		return "", fmt.Errorf("testbed: commit to %s: %w", r.Name, err)
	}
	// add picks up new files, and commit notices the removed ones by itself.
	if _, err := r.brz("add", "--quiet"); err != nil {
		return "", err
	}
	date := epoch.Add(time.Duration(r.commits) * time.Minute).Format("2006-01-02 15:04:05 -0700")
	if _, err := r.brz("commit", "--quiet", "--unchanged", "--commit-time="+date, "--message="+msg); err != nil {
		return "", err
	}
	r.commits++
	return r.rev("-1")
}

// Tag tags the newest commit with name and returns its revision id.
func (r *BzrRepo) Tag(name string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tag(name)
}

func (r *BzrRepo) tag(name string) (string, error) {
	if name == "" || strings.HasPrefix(name, "-") {
		return "", fmt.Errorf("testbed: bzr tag %q in %s: must be non-empty and not start with '-'", name, r.Name)
	}
	if _, err := r.brz("tag", "--quiet", "--", name); err != nil {
		return "", err
	}
	return r.rev("-1")
}

// Rev returns the revision id that spec names (a revision number such as
// 1 or -1, or tag:NAME).
func (r *BzrRepo) Rev(spec string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rev(spec)
}

func (r *BzrRepo) rev(spec string) (string, error) {
	if spec == "" {
		return "", fmt.Errorf("testbed: revision %q of %s must be non-empty", spec, r.Name)
	}
	return r.brz("version-info", "--custom", "--template={revision_id}", "--revision="+spec)
}

func (r *BzrRepo) brz(args ...string) (string, error) {
	return r.bed.runTool(r.Dir, "brz", args...)
}

// bzrHome is the BRZ_HOME that BzrEnv names; brz reads BRZ_HOME/breezy.
func (b *Bed) bzrHome() string { return filepath.Join(b.internal, "brz-home") }

// BzrEnv returns the variables brz needs to trust the bed's CA:
// BRZ_HOME, whose breezy/breezy.conf sets ssl.ca_certs.
// Testscripts get it from bzrrepo.
func (b *Bed) BzrEnv() ([]string, error) {
	home := filepath.Join(b.bzrHome(), "breezy")
	conf := fmt.Sprintf("[DEFAULT]\nssl.ca_certs = %s\n", b.CACertFile)
	if err := os.MkdirAll(home, 0o777); err != nil {
		return nil, fmt.Errorf("testbed: writing Breezy configuration: %w", err)
	}
	if err := os.WriteFile(filepath.Join(home, "breezy.conf"), []byte(conf), 0o666); err != nil {
		return nil, fmt.Errorf("testbed: writing Breezy configuration: %w", err)
	}
	return []string{"BRZ_HOME=" + b.bzrHome()}, nil
}

func cmdBzrRepo(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "bzrrepo", args, "tag", "env")
	env, err := b.BzrEnv()
	ts.Check(err)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		ts.Setenv(k, v)
	}
	r, err := b.AddBzrRepo(name, files, WithTag(kv["tag"]...))
	ts.Check(err)
	scriptServers.Lock()
	if scriptServers.bzr[b] == nil {
		scriptServers.bzr[b] = make(map[string]*BzrRepo)
		ts.Defer(func() {
			scriptServers.Lock()
			delete(scriptServers.bzr, b)
			scriptServers.Unlock()
		})
	}
	scriptServers.bzr[b][name] = r
	scriptServers.Unlock()
	rev, err := r.Rev("1")
	ts.Check(err)
	storeHash(ts, "bzrrepo", name, rev, kv["env"])
}

func cmdBzrCommit(ts *testscript.TestScript, neg bool, args []string) {
	b, name, files, kv := repoArgs(ts, neg, "bzrcommit", args, "tag", "msg", "env")
	scriptServers.Lock()
	r := scriptServers.bzr[b][name]
	scriptServers.Unlock()
	if r == nil {
		ts.Fatalf("bzrcommit: no bzr repository %s (create it with bzrrepo)", name)
	}
	rev, err := r.Commit(files, last(kv["msg"], "commit"))
	ts.Check(err)
	for _, t := range kv["tag"] {
		_, err := r.Tag(t)
		ts.Check(err)
	}
	storeHash(ts, "bzrcommit", name, rev, kv["env"])
}
