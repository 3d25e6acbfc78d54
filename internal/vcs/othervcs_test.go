package vcs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// upstream is a repository of some system that tests can commit to.
type upstream struct {
	env []string
	url string
	// commit changes a.txt upstream and returns the id a checkout of it
	// reports as its Revision.
	commit func(t *testing.T, content string) string
	// tag tags the newest commit and returns the ref that asks for it.
	tag func(t *testing.T, name string) string
	// localCommit commits in a checkout without publishing it, or is nil
	// when the system has no local commits (svn).
	localCommit func(t *testing.T, dir string)
}

// newUpstream makes an upstream repository of c with one commit.
func newUpstream(t *testing.T, c *Cmd) *upstream {
	t.Helper()
	need(t, c)
	env := hermeticEnv(t)
	base := t.TempDir()
	u := &upstream{env: env}
	run := func(dir, name string, args ...string) string { return sh(t, env, dir, name, args...) }
	bin, _ := c.binary()
	switch c.name {
	case "hg":
		wc := filepath.Join(base, "up")
		run(base, "hg", "init", wc)
		u.url = "file://" + wc
		u.commit = func(t *testing.T, content string) string {
			writeFile(t, wc, "a.txt", content)
			run(wc, "hg", "commit", "-q", "-A", "-m", "change")
			return run(wc, "hg", "log", "-r", "tip", "-T", "{node}")
		}
		u.tag = func(t *testing.T, name string) string {
			run(wc, "hg", "tag", name)
			return name
		}
		u.localCommit = func(t *testing.T, dir string) {
			writeFile(t, dir, "local.txt", "mine\n")
			run(dir, "hg", "commit", "-q", "-A", "-m", "local")
		}
	case "svn":
		repo := filepath.Join(base, "repo")
		run(base, "svnadmin", "create", repo)
		u.url = "file://" + repo
		wc := filepath.Join(base, "wc")
		run(base, "svn", "checkout", "-q", "--", u.url, wc)
		u.commit = func(t *testing.T, content string) string {
			writeFile(t, wc, "a.txt", content)
			run(wc, "svn", "add", "-q", "--force", "a.txt")
			run(wc, "svn", "commit", "-q", "-m", "change")
			run(wc, "svn", "update", "-q")
			return run(wc, "svn", "info", "--show-item", "revision")
		}
		u.tag = func(t *testing.T, _ string) string {
			return run(wc, "svn", "info", "--show-item", "revision")
		}
	case "bzr":
		wc := filepath.Join(base, "up")
		run(base, bin, "init", "-q", wc)
		u.url = "file://" + wc
		u.commit = func(t *testing.T, content string) string {
			writeFile(t, wc, "a.txt", content)
			run(wc, bin, "add", "-q")
			run(wc, bin, "commit", "-q", "-m", "change")
			return run(wc, bin, "version-info", "--custom", "--template={revision_id}")
		}
		u.tag = func(t *testing.T, name string) string {
			run(wc, bin, "tag", name)
			return "tag:" + name
		}
		u.localCommit = func(t *testing.T, dir string) {
			writeFile(t, dir, "local.txt", "mine\n")
			run(dir, bin, "add", "-q")
			run(dir, bin, "commit", "-q", "-m", "local")
		}
	case "fossil":
		repo := filepath.Join(base, "up.fossil")
		run(base, "fossil", "init", "--", repo)
		u.url = "file://" + repo
		wc := filepath.Join(base, "wc")
		if err := os.Mkdir(wc, 0o777); err != nil {
			t.Fatal(err)
		}
		run(wc, "fossil", "open", "--", repo)
		// fossil notices edits by size and time: each commit writes a
		// longer file so that none goes unseen within one second.
		n := 0
		u.commit = func(t *testing.T, content string) string {
			n++
			writeFile(t, wc, "a.txt", strings.Repeat(content, n))
			run(wc, "fossil", "addremove")
			run(wc, "fossil", "commit", "--no-warnings", "-m", "change")
			id, err := fossilCheckout(run(wc, "fossil", "info"))
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		u.tag = func(t *testing.T, name string) string {
			run(wc, "fossil", "tag", "add", name, "current")
			return name
		}
		u.localCommit = func(t *testing.T, dir string) {
			writeFile(t, dir, "local.txt", "mine\n")
			run(dir, "fossil", "add", "local.txt")
			run(dir, "fossil", "commit", "--nosync", "--no-warnings", "-m", "local")
		}
	default:
		t.Fatalf("no upstream for %s", c.name)
	}
	return u
}

var otherVCS = []*Cmd{vcsHg, vcsSvn, vcsBzr, vcsFossil}

func TestOtherVCSCreateAndRead(t *testing.T) {
	for _, c := range otherVCS {
		t.Run(c.name, func(t *testing.T) {
			u := newUpstream(t, c)
			first := u.commit(t, "one\n")
			tagRef := u.tag(t, "v1")
			tip := u.commit(t, "two two\n")
			tests := []struct {
				name    string
				ref     string
				wantRev string
			}{
				{"with no ref the newest commit is checked out", "", tip},
				{"a tag is checked out at its commit", tagRef, first},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					r, rec := newRunner(t, u.env)
					dir := filepath.Join(t.TempDir(), "src", "co")
					if err := c.Create(context.Background(), r, u.url, dir, CreateOptions{Ref: tt.ref, Depth: 1}); err != nil {
						t.Fatalf("Create: %v", err)
					}
					ctx := context.Background()
					if rev, err := c.Revision(ctx, r, dir); err != nil || rev != tt.wantRev {
						t.Errorf("Revision = %q, %v; want %q", rev, err, tt.wantRev)
					}
					if remote, err := c.RemoteURL(ctx, r, dir); err != nil || !sameURL(remote, u.url) {
						t.Errorf("RemoteURL = %q, %v; want %q", remote, err, u.url)
					}
					if changes, err := c.Uncommitted(ctx, r, dir); err != nil || len(changes) != 0 {
						t.Errorf("a fresh checkout has changes %q, %v", changes, err)
					}
					if notes := strings.Join(rec.notes(), "\n"); !strings.Contains(notes, "depth 1 ignored") {
						t.Errorf("notes %q do not say the depth was ignored", notes)
					}
					if !isRoot(dir, c.rootNames) {
						t.Errorf("the new checkout has none of %s's root names %s", c.name, rootNames(c))
					}
				})
			}
		})
	}
}

func TestOtherVCSUpdate(t *testing.T) {
	tests := []struct {
		name string
		// prepare changes upstream and the checkout; it returns the
		// revision the update should reach.
		prepare    func(t *testing.T, u *upstream, dir, before string) string
		wantErr    error
		wantErrMsg string
		skip       func(u *upstream) bool
	}{
		{
			name:    "new upstream commits are brought in",
			prepare: func(t *testing.T, u *upstream, _, _ string) string { return u.commit(t, "three three three\n") },
		},
		{
			name: "uncommitted changes are refused and kept",
			prepare: func(t *testing.T, u *upstream, dir, before string) string {
				u.commit(t, "three three three\n")
				writeFile(t, dir, "a.txt", "my own longer edit of the file\n")
				return before
			},
			wantErr: ErrDirty,
		},
		{
			name: "local commits next to new upstream ones are refused",
			skip: func(u *upstream) bool { return u.localCommit == nil },
			prepare: func(t *testing.T, u *upstream, dir, _ string) string {
				u.localCommit(t, dir)
				u.commit(t, "three three three\n")
				return ""
			},
			wantErr: ErrDiverged,
		},
	}
	for _, c := range otherVCS {
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.name, func(t *testing.T) {
				u := newUpstream(t, c)
				if tt.skip != nil && tt.skip(u) {
					t.Skipf("%s has no local commits", c.name)
				}
				u.commit(t, "one\n")
				r, _ := newRunner(t, u.env)
				dir := filepath.Join(t.TempDir(), "co")
				if err := c.Create(context.Background(), r, u.url, dir, CreateOptions{}); err != nil {
					t.Fatal(err)
				}
				before, err := c.Revision(context.Background(), r, dir)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.prepare(t, u, dir, before)
				content := readFile(t, dir, "a.txt")
				err = c.Update(context.Background(), r, dir, "")
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
					if got := readFile(t, dir, "a.txt"); got != content {
						t.Errorf("refused update changed a.txt from %q to %q", content, got)
					}
					return
				}
				if err != nil {
					t.Fatalf("Update: %v", err)
				}
				if rev, _ := c.Revision(context.Background(), r, dir); rev != want {
					t.Errorf("Revision after update = %q, want %q", rev, want)
				}
			})
		}
	}
}

// sameURL compares repository URLs, ignoring a trailing slash.
func sameURL(a, b string) bool {
	return strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}

func TestOtherVCSPing(t *testing.T) {
	for _, c := range []*Cmd{vcsHg, vcsSvn, vcsBzr} {
		t.Run(c.name, func(t *testing.T) {
			need(t, c)
			r, _ := newRunner(t, hermeticEnv(t))
			// Nothing listens on a port that was just closed: the ping
			// must fail quickly and name the command.
			err := c.Ping(context.Background(), r, c.schemes[0], "127.0.0.1:1/none")
			checkErr(t, err, fmt.Sprintf("%s ", filepath.Base(mustBinary(t, c))))
		})
	}
}

func mustBinary(t *testing.T, c *Cmd) string {
	b, err := c.binary()
	if err != nil {
		t.Skip(err)
	}
	return b
}
