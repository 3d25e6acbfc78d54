package testbed

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// HgRepo is a Mercurial repository served by the bed's hg server. Commits
// are deterministic like GitRepo's: fixed user, dates one minute apart.
type HgRepo struct {
	// Name is the repository's name.
	Name string
	// Dir is the repository (with its working copy) on disk.
	Dir string
	// URL is HgBase()/Name.
	URL string

	bed     *Bed
	mu      sync.Mutex
	commits int
	last    string // the last changeset Commit made, which Tag tags
}

// AddHgRepo creates Mercurial repository name (which may contain slashes)
// whose first commit holds exactly files, which must not be empty (hg
// refuses empty commits). Of the options only WithTag applies.
func (b *Bed) AddHgRepo(name string, files map[string]string, opts ...RepoOption) (*HgRepo, error) {
	if err := checkRepoName(name); err != nil {
		return nil, err
	}
	var o repoOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.head != "" || len(o.branches) > 0 || len(o.users) > 0 {
		return nil, fmt.Errorf("testbed: hg repository %s: only WithTag applies to Mercurial repositories", name)
	}
	if _, err := exec.LookPath("hg"); err != nil {
		return nil, fmt.Errorf("testbed: hg repository %s: hg not installed (Debian package mercurial): %w", name, err)
	}
	r := &HgRepo{
		Name: name,
		Dir:  filepath.Join(b.hgRoot, filepath.FromSlash(name)),
		URL:  b.HgBase() + "/" + name,
		bed:  b,
	}
	if err := b.hgRepos.add("hg", name, r, func() error { return r.create(files, o.tags) }); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *HgRepo) create(files map[string]string, tags []string) (err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := os.Stat(r.Dir); err == nil {
		return fmt.Errorf("testbed: hg repository %s already exists in %s", r.Name, r.Dir)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(r.Dir) // a half-made repository must not be served
		}
	}()
	if err := os.MkdirAll(r.Dir, 0o777); err != nil {
		return fmt.Errorf("testbed: hg repository %s: %w", r.Name, err)
	}
	if _, err := r.hg("init"); err != nil {
		return err
	}
	return seedRepo(files, tags, r.commit, r.tag)
}

// Commit adds a commit whose tree is exactly files (plus .hgtags, which
// tagging maintains) and returns its changeset hash.
func (r *HgRepo) Commit(files map[string]string, msg string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commit(files, msg)
}

func (r *HgRepo) commit(files map[string]string, msg string) (string, error) {
	entries, err := os.ReadDir(r.Dir)
	if err != nil {
		return "", fmt.Errorf("testbed: commit to %s: %w", r.Name, err)
	}
	for _, e := range entries {
		if e.Name() != ".hg" && e.Name() != ".hgtags" {
			if err := os.RemoveAll(filepath.Join(r.Dir, e.Name())); err != nil {
				return "", fmt.Errorf("testbed: commit to %s: %w", r.Name, err)
			}
		}
	}
	if err := writeFiles(r.Dir, files, ".hg"); err != nil {
		return "", fmt.Errorf("testbed: commit to %s: %w", r.Name, err)
	}
	if _, err := r.hg("commit", "--addremove", "--quiet", "--date="+r.nextDate(), "--message="+msg); err != nil {
		return "", err
	}
	hash, err := r.rev(".")
	if err == nil {
		r.last = hash
	}
	return hash, err
}

// Tag tags the last commit made by Commit (or the initial one) with name and
// returns that changeset's hash. As hg does, this adds a commit changing
// .hgtags.
func (r *HgRepo) Tag(name string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tag(name)
}

func (r *HgRepo) tag(name string) (string, error) {
	if name == "" || strings.HasPrefix(name, "-") {
		return "", fmt.Errorf("testbed: hg tag %q in %s: must be non-empty and not start with '-'", name, r.Name)
	}
	hash := r.last
	if _, err := r.hg("tag", "--rev="+hash, "--date="+r.nextDate(), "--message=tag "+name, "--", name); err != nil {
		return "", err
	}
	return hash, nil
}

// Rev returns the changeset hash rev names (a tag, branch, hash or ".").
func (r *HgRepo) Rev(rev string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rev(rev)
}

func (r *HgRepo) rev(rev string) (string, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("testbed: revision %q of %s must be non-empty and not start with '-'", rev, r.Name)
	}
	return r.hg("log", "--rev="+rev, "--limit=1", "--template={node}")
}

// nextDate is the date of the repository's next commit, in hg's
// "unixtime offset" form, and counts it.
func (r *HgRepo) nextDate() string {
	d := epoch.Add(time.Duration(r.commits) * time.Minute)
	r.commits++
	return fmt.Sprintf("%d 0", d.Unix())
}

// hg runs hg in the repository with the bed's isolated configuration.
func (r *HgRepo) hg(args ...string) (string, error) {
	cmd := exec.Command("hg", args...)
	cmd.Dir = r.Dir
	cmd.Env = r.bed.hgEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("testbed: hg %s in %s: %w: %s", strings.Join(args, " "), r.Name, err, strings.TrimSpace(stderr.String()+" "+stdout.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}
