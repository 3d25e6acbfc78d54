package testbed

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// GitRepo is a bare repository served by the bed's git server. Commits are
// deterministic: fixed author, committer and dates (one minute apart, in the
// order the repository's commits were made), so the same calls yield the
// same hashes on every machine.
type GitRepo struct {
	// Name is the repository's name, without ".git".
	Name string
	// Dir is the bare repository on disk.
	Dir string
	// URL is GitBase()/Name.git.
	URL string

	bed     *Bed
	mu      sync.Mutex
	branch  string // the branch Commit adds to
	commits int    // commits made so far, which fixes the next commit's date
}

// RepoOption configures AddGitRepo (and, where it says so, AddHgRepo).
type RepoOption func(*repoOptions)

type repoOptions struct {
	head     string
	tags     []string
	branches []string
	users    [][2]string
}

// WithHead names the default branch (git only; default "main").
func WithHead(branch string) RepoOption { return func(o *repoOptions) { o.head = branch } }

// WithTag tags the initial commit with each name (git and hg).
func WithTag(names ...string) RepoOption {
	return func(o *repoOptions) { o.tags = append(o.tags, names...) }
}

// WithBranch creates each named branch at the initial commit (git only).
func WithBranch(names ...string) RepoOption {
	return func(o *repoOptions) { o.branches = append(o.branches, names...) }
}

// WithUser requires basic auth and accepts user:pass, as AddGitUser (git only).
func WithUser(user, pass string) RepoOption {
	return func(o *repoOptions) { o.users = append(o.users, [2]string{user, pass}) }
}

// epoch is the date of every repository's first commit.
var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

const (
	authorName  = "Testbed"
	authorEmail = "testbed@example.invalid"
)

var repoElem = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`)

// checkRepoName validates a repository name ("foo", "org/foo") so that it
// is a plain relative path and no option.
func checkRepoName(name string) error {
	for _, elem := range strings.Split(name, "/") {
		if !repoElem.MatchString(elem) || strings.HasSuffix(elem, ".") {
			return fmt.Errorf("testbed: repository name %q: each slash-separated element must be letters, digits, '.', '_' or '-', not start with '.' or '-' and not end with '.'", name)
		}
	}
	return nil
}

// AddGitRepo creates bare repository name (which may contain slashes) whose
// first commit, on the default branch, holds exactly files (slash-separated
// path to content). A ".git" suffix on name is dropped.
func (b *Bed) AddGitRepo(name string, files map[string]string, opts ...RepoOption) (*GitRepo, error) {
	name = strings.TrimSuffix(name, ".git")
	if err := checkRepoName(name); err != nil {
		return nil, err
	}
	o := repoOptions{head: "main"}
	for _, opt := range opts {
		opt(&o)
	}
	if b.gitErr != nil {
		return nil, fmt.Errorf("testbed: git repository %s: %w", name, b.gitErr)
	}
	r := &GitRepo{
		Name:   name,
		Dir:    filepath.Join(b.gitRoot, filepath.FromSlash(name)+".git"),
		URL:    b.GitBase() + "/" + name + ".git",
		bed:    b,
		branch: o.head,
	}
	if err := b.gitRepos.add("git", name, r, func() error { return r.create(files, o) }); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *GitRepo) create(files map[string]string, o repoOptions) (err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := os.Stat(r.Dir); err == nil {
		return fmt.Errorf("testbed: git repository %s already exists in %s", r.Name, r.Dir)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(r.Dir) // a half-made repository must not be served
		}
	}()
	if err := r.checkRef("refs/heads/", o.head); err != nil {
		return err
	}
	if _, err := r.bed.runGit("", nil, "", "init", "--bare", "-q", "--template=", "--initial-branch="+o.head, "--", r.Dir); err != nil {
		return err
	}
	// Serve what GitHub serves: fetching any reachable commit by hash (go-getter's
	// ref=<commit> with depth) and partial clones.
	extra := "[uploadpack]\n\tallowReachableSHA1InWant = true\n\tallowFilter = true\n"
	f, err := os.OpenFile(filepath.Join(r.Dir, "config"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(extra)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("testbed: configuring git repository %s: %w", r.Name, err)
	}
	if _, err := r.commit(files, "initial commit"); err != nil {
		return err
	}
	for _, t := range o.tags {
		if _, err := r.newRef("refs/tags/", t); err != nil {
			return err
		}
	}
	for _, br := range o.branches {
		if _, err := r.newRef("refs/heads/", br); err != nil {
			return err
		}
	}
	for _, u := range o.users {
		if err := r.bed.AddGitUser(r.Name, u[0], u[1]); err != nil {
			return err
		}
	}
	return nil
}

// Commit adds a commit holding exactly files (a snapshot: files left out
// are deleted) to the current branch and returns its hash.
func (r *GitRepo) Commit(files map[string]string, msg string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.commit(files, msg)
}

func (r *GitRepo) commit(files map[string]string, msg string) (string, error) {
	work, err := os.MkdirTemp(r.bed.internal, "gitwork-")
	if err != nil {
		return "", fmt.Errorf("testbed: commit to %s: %w", r.Name, err)
	}
	defer os.RemoveAll(work)
	tree := filepath.Join(work, "tree")
	if err := writeFiles(tree, files, ".git"); err != nil {
		return "", fmt.Errorf("testbed: commit to %s: %w", r.Name, err)
	}
	gitDir := "--git-dir=" + r.Dir
	index := []string{"GIT_INDEX_FILE=" + filepath.Join(work, "index")}
	if _, err := r.bed.runGit(tree, index, "", gitDir, "--work-tree=.", "add", "-A"); err != nil {
		return "", err
	}
	treeHash, err := r.bed.runGit(tree, index, "", gitDir, "write-tree")
	if err != nil {
		return "", err
	}
	ref := "refs/heads/" + r.branch
	args := []string{gitDir, "commit-tree", treeHash}
	parent, _ := r.bed.runGit("", nil, "", gitDir, "rev-parse", "--verify", "-q", ref)
	if parent != "" {
		args = append(args, "-p", parent)
	}
	date := fmt.Sprintf("@%d +0000", epoch.Add(time.Duration(r.commits)*time.Minute).Unix())
	dates := []string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}
	// The message goes on stdin: it can never be mistaken for an option.
	hash, err := r.bed.runGit("", dates, msg, args...)
	if err != nil {
		return "", err
	}
	// The old value makes the update fail if the branch moved meanwhile.
	if _, err := r.bed.runGit("", nil, "", gitDir, "update-ref", ref, hash, parent); err != nil {
		return "", err
	}
	r.commits++
	return hash, nil
}

// Tag creates lightweight tag name at the current branch's head and returns
// the commit hash. An existing tag is an error.
func (r *GitRepo) Tag(name string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.newRef("refs/tags/", name)
}

// Branch creates branch name at the current branch's head, makes it the
// branch later commits go to, and returns the commit hash.
func (r *GitRepo) Branch(name string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	hash, err := r.newRef("refs/heads/", name)
	if err == nil {
		r.branch = name
	}
	return hash, err
}

// Switch makes existing branch name the branch later commits go to.
func (r *GitRepo) Switch(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.rev("refs/heads/" + name); err != nil {
		return err
	}
	r.branch = name
	return nil
}

// Rev returns the commit hash ref names (a branch, tag, hash or "HEAD",
// which is the default branch).
func (r *GitRepo) Rev(ref string) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rev(ref)
}

func (r *GitRepo) rev(ref string) (string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return "", fmt.Errorf("testbed: revision %q of %s must be non-empty and not start with '-'", ref, r.Name)
	}
	return r.bed.runGit("", nil, "", "--git-dir="+r.Dir, "rev-parse", "--verify", "-q", "--end-of-options", ref+"^{commit}")
}

// newRef creates ref prefix+name at the current branch's head.
func (r *GitRepo) newRef(prefix, name string) (string, error) {
	if err := r.checkRef(prefix, name); err != nil {
		return "", err
	}
	ref := prefix + name
	hash, err := r.rev("refs/heads/" + r.branch)
	if err != nil {
		return "", err
	}
	// The empty old value makes update-ref refuse to overwrite an existing ref.
	if _, err := r.bed.runGit("", nil, "", "--git-dir="+r.Dir, "update-ref", ref, hash, ""); err != nil {
		return "", err
	}
	return hash, nil
}

// checkRef applies git's own rules to name as a ref under prefix
// ("refs/heads/", "refs/tags/"); a name starting with '-' is refused too, as
// a value that could pass for an option elsewhere.
func (r *GitRepo) checkRef(prefix, name string) error {
	if name == "" || strings.HasPrefix(name, "-") {
		return fmt.Errorf("testbed: ref %q in %s: must be non-empty and not start with '-'", name, r.Name)
	}
	if _, err := r.bed.runGit("", nil, "", "check-ref-format", prefix+name); err != nil {
		return fmt.Errorf("testbed: ref %q in %s is not a valid git ref name: %w", name, r.Name, err)
	}
	return nil
}

// runGit runs git in dir (or the bed's directory) with an environment
// built from scratch: the caller's config, identity and GIT_* variables
// (a test run from a git hook has GIT_DIR set) never leak in.
func (b *Bed) runGit(dir string, env []string, stdin string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if dir == "" {
		cmd.Dir = b.Dir
	}
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + filepath.Join(b.internal, "home"),
		"LC_ALL=C",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=" + authorName,
		"GIT_AUTHOR_EMAIL=" + authorEmail,
		"GIT_COMMITTER_NAME=" + authorName,
		"GIT_COMMITTER_EMAIL=" + authorEmail,
	}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("testbed: git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}
