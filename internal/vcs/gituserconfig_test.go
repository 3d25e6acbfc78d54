package vcs

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// TestGitUserConfigSeesTheUsersSettingsOnly checks what doctor reads
// about a user's git logins: their own credential helpers and insteadOf
// rules, never the helper fetch adds to its own commands, and nothing of
// the repository the query happens to run near.
func TestGitUserConfigSeesTheUsersSettingsOnly(t *testing.T) {
	t.Parallel()
	need(t, ByName("git"))
	env := hermeticEnv(t)
	home, _ := getEnv(env, "HOME")
	cfg := "[credential]\n\thelper = store --file=/secret/creds\n" +
		"[url \"ssh://git@code.example/\"]\n\tinsteadOf = https://code.example/\n"
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	// A repository above the query's directory, whose configuration
	// must not count.
	repo := filepath.Join(home, "work")
	if out, err := exec.Command("git", "init", "-q", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	if out, err := exec.Command("git", "-C", repo, "config", "credential.helper", "planted").CombinedOutput(); err != nil {
		t.Fatalf("git config: %v\n%s", err, out)
	}
	dir := filepath.Join(repo, "sub")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	var rec recorder
	r := &Runner{Environ: env, Dir: dir, CredentialHelper: "!fetch credential-netrc", Trace: rec.Emit}
	ctx := context.Background()
	if got, want := GitUserConfig(ctx, r, "--get-urlmatch", "credential.helper", "https://code.example/x.git"), []string{"store --file=/secret/creds"}; !slices.Equal(got, want) {
		t.Errorf("credential helpers = %q, want %q (the user's only)", got, want)
	}
	if got, want := GitUserConfig(ctx, r, "--get-regexp", `^url\..*\.insteadof$`), []string{"url.ssh://git@code.example/.insteadof https://code.example/"}; !slices.Equal(got, want) {
		t.Errorf("insteadOf rules = %q, want %q", got, want)
	}
	if got := GitUserConfig(ctx, r, "--get", "no.such-key"); got != nil {
		t.Errorf("a missing key = %q, want nothing", got)
	}
	if n := len(rec.All()); n != 0 {
		t.Errorf("queries traced %d events, want none", n)
	}
}
