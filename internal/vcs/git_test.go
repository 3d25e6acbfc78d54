package vcs

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// gitFixture is an upstream repository:
//
//	c1 (tag v1, annotated) - c2 - c3   main
//	                          \- f1    feat
type gitFixture struct {
	env            []string
	dir, url       string
	c1, c2, c3, f1 string
}

func newGitFixture(t *testing.T) *gitFixture {
	t.Helper()
	need(t, vcsGit)
	f := &gitFixture{env: hermeticEnv(t), dir: filepath.Join(t.TempDir(), "up")}
	f.url = "file://" + f.dir
	sh(t, f.env, filepath.Dir(f.dir), "git", "init", "-q", "-b", "main", f.dir)
	f.c1 = f.commit(t, "main", "a.txt", "1\n")
	f.git(t, "tag", "-a", "-m", "release", "v1")
	f.c2 = f.commit(t, "main", "a.txt", "2\n")
	f.git(t, "branch", "feat")
	f.f1 = f.commit(t, "feat", "f.txt", "feature\n")
	f.c3 = f.commit(t, "main", "a.txt", "3\n")
	return f
}

func (f *gitFixture) git(t *testing.T, args ...string) string {
	t.Helper()
	return sh(t, f.env, f.dir, "git", args...)
}

// commit commits file=content on branch upstream and returns the id.
func (f *gitFixture) commit(t *testing.T, branch, file, content string) string {
	t.Helper()
	if f.git(t, "symbolic-ref", "--short", "HEAD") != branch {
		f.git(t, "checkout", "-q", branch)
	}
	writeFile(t, f.dir, file, content)
	f.git(t, "add", file)
	f.git(t, "commit", "-q", "-m", "change "+file)
	return f.git(t, "rev-parse", "HEAD")
}

// branchOf returns the checked-out branch of a checkout, "HEAD" when
// detached.
func branchOf(t *testing.T, env []string, dir string) string {
	return sh(t, env, dir, "git", "rev-parse", "--abbrev-ref", "HEAD")
}

func TestGitCreate(t *testing.T) {
	f := newGitFixture(t)
	protocolV0 := []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=protocol.version", "GIT_CONFIG_VALUE_0=0"}
	tests := []struct {
		name       string
		opts       CreateOptions
		env        []string // the caller's extra environment
		wantRev    func() string
		wantBranch string // "HEAD" for detached
		wantCount  string // commits in history; "" to skip
		wantNote   string
		wantNoNote bool
	}{
		{name: "with no ref the default branch is cloned", wantRev: func() string { return f.c3 }, wantBranch: "main", wantCount: "3"},
		{name: "a branch is checked out onto a local branch of that name", opts: CreateOptions{Ref: "feat"},
			wantRev: func() string { return f.f1 }, wantBranch: "feat"},
		{name: "an annotated tag is checked out at its commit", opts: CreateOptions{Ref: "v1"},
			wantRev: func() string { return f.c1 }, wantBranch: "HEAD"},
		{name: "a full commit id is checked out", opts: CreateOptions{Ref: f.c2},
			wantRev: func() string { return f.c2 }, wantBranch: "HEAD"},
		{name: "an abbreviated commit id is checked out", opts: CreateOptions{Ref: f.c1[:9]},
			wantRev: func() string { return f.c1 }, wantBranch: "HEAD"},
		{name: "a shallow clone of the default branch has one commit", opts: CreateOptions{Depth: 1},
			wantRev: func() string { return f.c3 }, wantBranch: "main", wantCount: "1"},
		{name: "a shallow clone of a tag has one commit", opts: CreateOptions{Ref: "v1", Depth: 1},
			wantRev: func() string { return f.c1 }, wantBranch: "HEAD", wantCount: "1"},
		{name: "a commit id is fetched by id at the depth asked for", opts: CreateOptions{Ref: f.c2, Depth: 1},
			wantRev: func() string { return f.c2 }, wantBranch: "HEAD", wantCount: "1", wantNoNote: true},
		{name: "a server refusing a commit by id makes fetch get the full history and say so",
			opts: CreateOptions{Ref: f.c2, Depth: 1}, env: protocolV0,
			wantRev: func() string { return f.c2 }, wantBranch: "HEAD", wantCount: "2", wantNote: "fetching full history"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, rec := newRunner(t, f.env)
			r.Env = tt.env
			dir := filepath.Join(t.TempDir(), "src", "example.org", "r")
			if err := vcsGit.Create(context.Background(), r, f.url, dir, tt.opts); err != nil {
				t.Fatalf("Create: %v", err)
			}
			rev, err := vcsGit.Revision(context.Background(), r, dir)
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.wantRev(); rev != want {
				t.Errorf("Revision = %s, want %s", rev, want)
			}
			if b := branchOf(t, f.env, dir); b != tt.wantBranch {
				t.Errorf("checked out %q, want %q", b, tt.wantBranch)
			}
			if tt.wantCount != "" {
				if n := sh(t, f.env, dir, "git", "rev-list", "--count", "HEAD"); n != tt.wantCount {
					t.Errorf("history has %s commits, want %s", n, tt.wantCount)
				}
			}
			notes := strings.Join(rec.notes(), "\n")
			if tt.wantNote != "" && !strings.Contains(notes, tt.wantNote) {
				t.Errorf("notes %q do not mention %q", notes, tt.wantNote)
			}
			if tt.wantNoNote && notes != "" {
				t.Errorf("unexpected notes: %q", notes)
			}
		})
	}
}

func TestGitCreateRefuses(t *testing.T) {
	f := newGitFixture(t)
	tests := []struct {
		name         string
		repo         string
		opts         CreateOptions
		nonEmptyDest bool
		wantErr      string
		wantNoRun    bool // refused before any command ran
	}{
		{name: "a ref that is a checkout option (CVE-2026-4660)", repo: f.url,
			opts: CreateOptions{Ref: "--pathspec-from-file=/etc/passwd"}, wantErr: `starts with "-"`, wantNoRun: true},
		{name: "a remote that is an upload-pack option (CVE-2024-3817)", repo: "--upload-pack=touch MARKER",
			wantErr: `starts with "-"`, wantNoRun: true},
		{name: "an ext:: remote that would run a shell command", repo: "ext::sh -c touch% MARKER",
			wantErr: "<transport>::<address>", wantNoRun: true},
		{name: "a file remote that came from a meta tag", repo: f.url, opts: CreateOptions{FromMeta: true},
			wantErr: "go-import meta tag", wantNoRun: true},
		{name: "a negative depth", repo: f.url, opts: CreateOptions{Depth: -1}, wantErr: "negative", wantNoRun: true},
		{name: "a destination that has files in it", repo: f.url, nonEmptyDest: true,
			wantErr: "exists and is not an empty directory", wantNoRun: true},
		{name: "a ref the repository does not have, leaving nothing behind", repo: f.url,
			opts: CreateOptions{Ref: "no-such-ref"}, wantErr: `git ref "no-such-ref" not found`},
		{name: "an abbreviated commit id with a depth, with a hint", repo: f.url,
			opts: CreateOptions{Ref: f.c1[:9], Depth: 1}, wantErr: "needs a branch, a tag or a full commit id"},
		{name: "a repository that does not exist", repo: f.url + "-missing", wantErr: "git clone --"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, rec := newRunner(t, f.env)
			work := t.TempDir()
			r.Dir = work
			repo := strings.ReplaceAll(tt.repo, "MARKER", filepath.Join(work, "marker"))
			dir := filepath.Join(work, "dest")
			if tt.nonEmptyDest {
				writeFile(t, dir, "keep.txt", "mine\n")
			}
			err := vcsGit.Create(context.Background(), r, repo, dir, tt.opts)
			checkErr(t, err, tt.wantErr)
			if exists(filepath.Join(work, "marker")) {
				t.Error("the injected command ran")
			}
			if tt.nonEmptyDest {
				if readFile(t, dir, "keep.txt") != "mine\n" {
					t.Error("the existing destination was changed")
				}
			} else if exists(dir) {
				t.Errorf("%s was left behind", dir)
			}
			if cmds := rec.commands(); tt.wantNoRun && len(cmds) > 0 {
				t.Errorf("commands ran before the refusal: %q", cmds)
			}
		})
	}
}

func TestCreateIntoAnEmptyDirectoryKeepsItOnFailure(t *testing.T) {
	f := newGitFixture(t)
	r, _ := newRunner(t, f.env)
	dir := t.TempDir()
	if err := vcsGit.Create(context.Background(), r, f.url, dir, CreateOptions{Ref: "no-such-ref"}); err == nil {
		t.Fatal("Create succeeded with a missing ref")
	}
	if !exists(dir) {
		t.Error("the empty destination that existed before was removed")
	}
	if err := vcsGit.Create(context.Background(), r, f.url, dir, CreateOptions{}); err != nil {
		t.Fatalf("Create into the empty directory: %v", err)
	}
}

func TestGitReadsACheckout(t *testing.T) {
	f := newGitFixture(t)
	r, _ := newRunner(t, f.env)
	dir := filepath.Join(t.TempDir(), "co")
	if err := vcsGit.Create(context.Background(), r, f.url, dir, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// A nil Runner is the zero Runner: the process environment, no trace.
	if remote, err := vcsGit.RemoteURL(ctx, nil, dir); err != nil || remote != f.url {
		t.Errorf("RemoteURL = %q, %v; want %q", remote, err, f.url)
	}
	writeFile(t, dir, "untracked.txt", "not a change to tracked files\n")
	if changes, err := vcsGit.Uncommitted(ctx, r, dir); err != nil || len(changes) != 0 {
		t.Errorf("Uncommitted with only an untracked file = %q, %v; want none", changes, err)
	}
	writeFile(t, dir, "a.txt", "edited\n")
	if changes, err := vcsGit.Uncommitted(ctx, r, dir); err != nil || strings.Join(changes, " ") != "M a.txt" {
		t.Errorf("Uncommitted after an edit = %q, %v; want [M a.txt]", changes, err)
	}
}
