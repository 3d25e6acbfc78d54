package vcs

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// snapshot is what an Update that refuses must leave unchanged.
type snapshot struct{ rev, branch, status, a string }

func takeSnapshot(t *testing.T, env []string, dir string) snapshot {
	t.Helper()
	return snapshot{
		rev:    sh(t, env, dir, "git", "rev-parse", "HEAD"),
		branch: branchOf(t, env, dir),
		status: sh(t, env, dir, "git", "status", "--porcelain"),
		a:      readFile(t, dir, "a.txt"),
	}
}

func TestGitUpdate(t *testing.T) {
	tests := []struct {
		name   string
		create func(f *gitFixture) CreateOptions
		// prepare changes upstream and the checkout before the update.
		prepare    func(t *testing.T, f *gitFixture, dir string)
		ref        string
		wantErr    error
		wantErrMsg string
		wantRev    func(f *gitFixture) string
		wantBranch string
		wantNote   string
	}{
		{
			name:    "the current branch is fast-forwarded to upstream",
			prepare: func(t *testing.T, f *gitFixture, _ string) { f.commit(t, "main", "a.txt", "4\n") },
			wantRev: func(f *gitFixture) string { return f.git(t, "rev-parse", "main") }, wantBranch: "main",
		},
		{
			name: "a branch with only local commits is left ahead of upstream",
			prepare: func(t *testing.T, f *gitFixture, dir string) {
				writeFile(t, dir, "local.txt", "mine\n")
				sh(t, f.env, dir, "git", "add", "local.txt")
				sh(t, f.env, dir, "git", "commit", "-q", "-m", "local")
			},
			wantRev: nil, wantBranch: "main",
		},
		{
			name: "asking for another branch moves onto it", ref: "feat",
			prepare: func(t *testing.T, f *gitFixture, _ string) { f.commit(t, "feat", "f.txt", "more\n") },
			wantRev: func(f *gitFixture) string { return f.git(t, "rev-parse", "feat") }, wantBranch: "feat",
		},
		{
			name: "asking for a tag detaches at its commit", ref: "v1",
			wantRev: func(f *gitFixture) string { return f.c1 }, wantBranch: "HEAD",
		},
		{
			name: "a checkout pinned at a tag is left there and a note says so", create: pinAt("v1", 0),
			prepare: func(t *testing.T, f *gitFixture, _ string) { f.commit(t, "main", "a.txt", "4\n") },
			wantRev: func(f *gitFixture) string { return f.c1 }, wantBranch: "HEAD", wantNote: "pinned at",
		},
		{
			name: "a pinned checkout moves to a newer tag when asked", create: pinAt("v1", 0), ref: "v2",
			prepare: func(t *testing.T, f *gitFixture, _ string) {
				f.commit(t, "main", "a.txt", "4\n")
				f.git(t, "tag", "v2")
			},
			wantRev: func(f *gitFixture) string { return f.git(t, "rev-parse", "v2") }, wantBranch: "HEAD",
		},
		{
			name: "a shallow checkout fetched by commit id stays pinned there", create: pinAtC2(1),
			prepare: func(t *testing.T, f *gitFixture, _ string) { f.commit(t, "main", "a.txt", "4\n") },
			wantRev: func(f *gitFixture) string { return f.c2 }, wantBranch: "HEAD", wantNote: "pinned at",
		},
		{
			name: "a shallow checkout fetched by commit id moves to a branch when asked", create: pinAtC2(1), ref: "main",
			prepare: func(t *testing.T, f *gitFixture, _ string) { f.commit(t, "main", "a.txt", "4\n") },
			wantRev: func(f *gitFixture) string { return f.git(t, "rev-parse", "main") }, wantBranch: "main",
		},
		{
			name: "uncommitted changes are refused and kept",
			prepare: func(t *testing.T, f *gitFixture, dir string) {
				f.commit(t, "main", "a.txt", "4\n")
				writeFile(t, dir, "a.txt", "my edit\n")
			},
			wantErr: ErrDirty, wantErrMsg: "a.txt",
		},
		{
			name: "a branch that diverged from upstream is refused",
			prepare: func(t *testing.T, f *gitFixture, dir string) {
				f.commit(t, "main", "a.txt", "4\n")
				writeFile(t, dir, "local.txt", "mine\n")
				sh(t, f.env, dir, "git", "add", "local.txt")
				sh(t, f.env, dir, "git", "commit", "-q", "-m", "local")
			},
			wantErr: ErrDiverged, wantErrMsg: "1 local and 1 upstream",
		},
		{
			name: "a local branch that diverged is refused before switching to it", ref: "feat",
			prepare: func(t *testing.T, f *gitFixture, dir string) {
				sh(t, f.env, dir, "git", "checkout", "-q", "feat")
				writeFile(t, dir, "local.txt", "mine\n")
				sh(t, f.env, dir, "git", "add", "local.txt")
				sh(t, f.env, dir, "git", "commit", "-q", "-m", "local")
				sh(t, f.env, dir, "git", "checkout", "-q", "main")
				f.commit(t, "feat", "f.txt", "more\n")
			},
			wantErr: ErrDiverged,
		},
		{
			name: "a detached HEAD that no ref points at is refused",
			prepare: func(t *testing.T, f *gitFixture, dir string) {
				sh(t, f.env, dir, "git", "checkout", "-q", "--detach")
				writeFile(t, dir, "local.txt", "mine\n")
				sh(t, f.env, dir, "git", "add", "local.txt")
				sh(t, f.env, dir, "git", "commit", "-q", "-m", "orphan")
			},
			wantErr: ErrDetached, wantErrMsg: "no branch or tag points at",
		},
		{
			name: "moving a detached HEAD whose commits no ref holds is refused", ref: "main",
			prepare: func(t *testing.T, f *gitFixture, dir string) {
				sh(t, f.env, dir, "git", "checkout", "-q", "--detach")
				writeFile(t, dir, "local.txt", "mine\n")
				sh(t, f.env, dir, "git", "add", "local.txt")
				sh(t, f.env, dir, "git", "commit", "-q", "-m", "orphan")
			},
			wantErr: ErrDetached, wantErrMsg: "would orphan",
		},
		{
			name: "a branch without upstream is refused",
			prepare: func(t *testing.T, f *gitFixture, dir string) {
				sh(t, f.env, dir, "git", "checkout", "-q", "-b", "mine")
			},
			wantErrMsg: "has no upstream",
		},
		{
			name: "a ref that is an option is refused", ref: "--orphan=x",
			wantErrMsg: `starts with "-"`,
		},
		{
			name: "a remote rewritten to ext:: is refused",
			prepare: func(t *testing.T, f *gitFixture, dir string) {
				sh(t, f.env, dir, "git", "config", "remote.origin.url", "ext::sh -c touch% marker")
			},
			wantErrMsg: "<transport>::<address>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newGitFixture(t)
			r, rec := newRunner(t, f.env)
			dir := filepath.Join(t.TempDir(), "co")
			var opts CreateOptions
			if tt.create != nil {
				opts = tt.create(f)
			}
			if err := vcsGit.Create(context.Background(), r, f.url, dir, opts); err != nil {
				t.Fatal(err)
			}
			if tt.prepare != nil {
				tt.prepare(t, f, dir)
			}
			before := takeSnapshot(t, f.env, dir)
			err := vcsGit.Update(context.Background(), r, dir, tt.ref)
			if tt.wantErr != nil || tt.wantErrMsg != "" {
				if err == nil {
					t.Fatal("Update succeeded, want a refusal")
				}
				if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
					t.Errorf("error %q is not %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErrMsg) {
					t.Errorf("error %q does not mention %q", err, tt.wantErrMsg)
				}
				if after := takeSnapshot(t, f.env, dir); after != before {
					t.Errorf("refused update changed the checkout:\nbefore %+v\nafter  %+v", before, after)
				}
				if exists(filepath.Join(dir, "marker")) {
					t.Error("the injected command ran")
				}
				return
			}
			if err != nil {
				t.Fatalf("Update: %v", err)
			}
			want := before.rev
			if tt.wantRev != nil {
				want = tt.wantRev(f)
			}
			if got, _ := vcsGit.Revision(context.Background(), r, dir); got != want {
				t.Errorf("Revision = %s, want %s", got, want)
			}
			if b := branchOf(t, f.env, dir); b != tt.wantBranch {
				t.Errorf("checked out %q, want %q", b, tt.wantBranch)
			}
			if notes := strings.Join(rec.notes(), "\n"); !strings.Contains(notes, tt.wantNote) {
				t.Errorf("notes %q do not mention %q", notes, tt.wantNote)
			}
		})
	}
}

func TestUpdateRefusesADirectoryThatIsNotACheckoutRoot(t *testing.T) {
	f := newGitFixture(t)
	r, rec := newRunner(t, f.env)
	dir := filepath.Join(t.TempDir(), "co")
	if err := vcsGit.Create(context.Background(), r, f.url, dir, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	writeFile(t, sub, "x", "")
	n := len(rec.commands())
	err := vcsGit.Update(context.Background(), r, sub, "")
	checkErr(t, err, "is not the root of a git checkout")
	if len(rec.commands()) != n {
		t.Error("git ran in a directory that is not a checkout root")
	}
}

// pinAt creates the checkout at ref.
func pinAt(ref string, depth int) func(*gitFixture) CreateOptions {
	return func(*gitFixture) CreateOptions { return CreateOptions{Ref: ref, Depth: depth} }
}

// pinAtC2 creates the checkout at the fixture's commit c2, by id.
func pinAtC2(depth int) func(*gitFixture) CreateOptions {
	return func(f *gitFixture) CreateOptions { return CreateOptions{Ref: f.c2, Depth: depth} }
}
