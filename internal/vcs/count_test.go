package vcs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCountCommits checks the count -u reports: the commits an update
// brought in, for git (rev-list --count) and hg (the changesets from the
// old commit to the new one, less the old one), and no count for svn, bzr
// and fossil.
func TestCountCommits(t *testing.T) {
	ctx := context.Background()
	update := func(t *testing.T, c *Cmd, r *Runner, dir string, commit func(int)) (before, after string) {
		t.Helper()
		before, err := c.Revision(ctx, r, dir)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			commit(i)
		}
		if err := c.Update(ctx, r, dir, ""); err != nil {
			t.Fatalf("Update: %v", err)
		}
		after, err = c.Revision(ctx, r, dir)
		if err != nil {
			t.Fatal(err)
		}
		return before, after
	}
	t.Run("git", func(t *testing.T) {
		need(t, vcsGit)
		env := hermeticEnv(t)
		up := filepath.Join(t.TempDir(), "up")
		sh(t, env, filepath.Dir(up), "git", "init", "-q", "-b", "main", up)
		writeFile(t, up, "a.txt", "one\n")
		sh(t, env, up, "git", "add", "a.txt")
		sh(t, env, up, "git", "commit", "-q", "-m", "one")
		r, rec := newRunner(t, env)
		dir := filepath.Join(t.TempDir(), "co")
		if err := vcsGit.Create(ctx, r, "file://"+up, dir, CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		before, after := update(t, vcsGit, r, dir, func(i int) {
			writeFile(t, up, "a.txt", strings.Repeat("x", i+2))
			sh(t, env, up, "git", "commit", "-q", "-a", "-m", "more")
		})
		n, ok, err := vcsGit.CountCommits(ctx, r, dir, before, after)
		if n != 3 || !ok || err != nil {
			t.Fatalf("CountCommits = %d, %v, %v; want 3, true, nil", n, ok, err)
		}
		cmds := rec.commands()
		if last := cmds[len(cmds)-1]; !strings.HasPrefix(last, "git ") || !strings.HasSuffix(last, " rev-list --count "+before+".."+after+" --") {
			t.Errorf("last command %q, want git rev-list --count FROM..TO --", last)
		}
		if n, ok, err := vcsGit.CountCommits(ctx, r, dir, after, after); n != 0 || !ok || err != nil {
			t.Errorf("CountCommits of nothing new = %d, %v, %v; want 0, true, nil", n, ok, err)
		}

		// Like every command in a checkout, it vets the metadata first.
		cfg := filepath.Join(dir, ".git", "config")
		data, err := os.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(cfg, append(data, "[core]\n\tfsmonitor = touch pwned\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		ran := len(rec.commands())
		if _, _, err := vcsGit.CountCommits(ctx, r, dir, before, after); !errors.Is(err, ErrUntrustedConfig) {
			t.Errorf("CountCommits in a checkout with a planted core.fsmonitor: %v, want ErrUntrustedConfig", err)
		}
		if got := rec.commands()[ran:]; len(got) != 0 {
			t.Errorf("commands ran in an untrusted checkout: %q", got)
		}
	})
	t.Run("hg", func(t *testing.T) {
		u := newUpstream(t, vcsHg)
		u.commit(t, "one\n")
		r, rec := newRunner(t, u.env)
		dir := filepath.Join(t.TempDir(), "co")
		if err := vcsHg.Create(ctx, r, u.url, dir, CreateOptions{}); err != nil {
			t.Fatal(err)
		}
		before, after := update(t, vcsHg, r, dir, func(i int) { u.commit(t, strings.Repeat("y", i+2)) })
		n, ok, err := vcsHg.CountCommits(ctx, r, dir, before, after)
		if n != 3 || !ok || err != nil {
			t.Fatalf("CountCommits = %d, %v, %v; want 3, true, nil", n, ok, err)
		}
		cmds := rec.commands()
		if last := cmds[len(cmds)-1]; !strings.Contains(last, " log -r "+before+"::"+after+" -T ") {
			t.Errorf("last command %q, want hg log -r FROM::TO", last)
		}
	})
	for _, c := range []*Cmd{vcsSvn, vcsBzr, vcsFossil} {
		t.Run(c.name, func(t *testing.T) {
			r, rec := newRunner(t, nil)
			n, ok, err := c.CountCommits(ctx, r, t.TempDir(), strings.Repeat("a", 40), strings.Repeat("b", 40))
			if n != 0 || ok || err != nil || len(rec.commands()) != 0 {
				t.Errorf("CountCommits = %d, %v, %v after %q; want no count and no command", n, ok, err, rec.commands())
			}
		})
	}
	t.Run("only whole commit ids reach the command", func(t *testing.T) {
		r, rec := newRunner(t, nil)
		for _, id := range []string{"HEAD~3", "--all", "tip", "all()", strings.Repeat("a", 39)} {
			if _, _, err := vcsHg.CountCommits(ctx, r, t.TempDir(), id, strings.Repeat("b", 40)); err == nil {
				t.Errorf("CountCommits from %q succeeded", id)
			}
			if _, _, err := vcsGit.CountCommits(ctx, r, t.TempDir(), strings.Repeat("b", 40), id); err == nil {
				t.Errorf("CountCommits to %q succeeded", id)
			}
		}
		if got := rec.commands(); len(got) != 0 {
			t.Errorf("commands ran: %q", got)
		}
	})
}
