package testbed

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSSHDServesGitToTheKeyHolderOnly runs real ssh clients against the
// server: the key holder can read a repository, and nobody can do more.
func TestSSHDServesGitToTheKeyHolderOnly(t *testing.T) {
	RequireGit(t)
	s := NewSSHD(t)
	b := New(t)
	repo, err := b.AddGitRepo("foo", map[string]string{"foo.go": "package foo\n"})
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Rev("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	otherKey := filepath.Join(t.TempDir(), "other")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	batch := []string{"-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes"}
	tests := []struct {
		name    string
		ssh     string   // GIT_SSH_COMMAND
		args    []string // git arguments
		want    string   // in stdout
		wantErr string   // in stderr, when the command must fail
	}{
		{"the key holder lists the repository's refs",
			s.SSHCommand(append(batch, "-i", s.KeyFile)...), []string{"ls-remote", s.URL(repo.Dir)}, head + "\tHEAD", ""},
		{"the key holder reads the repository over protocol v2",
			s.SSHCommand(append(batch, "-i", s.KeyFile)...), []string{"-c", "protocol.version=2", "ls-remote", s.URL(repo.Dir), "HEAD"}, head, ""},
		{"another key is refused",
			s.SSHCommand(append(batch, "-i", otherKey)...), []string{"ls-remote", s.URL(repo.Dir)}, "", "Permission denied (publickey"},
		{"an unknown host key is refused in batch mode",
			"ssh -F /dev/null -o UserKnownHostsFile=/dev/null " + strings.Join(append(batch, "-i", s.KeyFile), " "),
			[]string{"ls-remote", s.URL(repo.Dir)}, "", "Host key verification failed"},
		{"a path that is not a repository is refused by git",
			s.SSHCommand(append(batch, "-i", s.KeyFile)...), []string{"ls-remote", s.URL("/nonexistent/r.git")}, "", "does not appear to be a git repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command("git", tt.args...)
			cmd.Env = append(os.Environ(), "GIT_SSH_COMMAND="+tt.ssh, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_TERMINAL_PROMPT=0")
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(stderr.String(), tt.wantErr) {
					t.Fatalf("git %s: err %v, stderr %q; want failure with %q", strings.Join(tt.args, " "), err, stderr.String(), tt.wantErr)
				}
				return
			}
			if err != nil || !strings.Contains(string(out), tt.want) {
				t.Fatalf("git %s = %q, %v (stderr %q); want %q", strings.Join(tt.args, " "), out, err, stderr.String(), tt.want)
			}
		})
	}
}

// TestSSHDRunsOnlyGitShell checks that a key holder cannot run a shell
// command through the server.
func TestSSHDRunsOnlyGitShell(t *testing.T) {
	s := NewSSHD(t)
	_, port, _ := strings.Cut(s.Addr, ":")
	cmd := exec.Command("ssh", "-F", "/dev/null", "-o", "UserKnownHostsFile="+s.KnownHostsFile, "-o", "BatchMode=yes",
		"-o", "IdentitiesOnly=yes", "-i", s.KeyFile, "-p", port, s.User+"@127.0.0.1", "echo pwned")
	out, err := cmd.CombinedOutput()
	if err == nil || strings.Contains("\n"+string(out), "\npwned") {
		t.Fatalf("ssh ... 'echo pwned' = %q, %v; want git-shell to refuse it", out, err)
	}
	if !strings.Contains(string(out), "unrecognized command") {
		t.Errorf("ssh ... 'echo pwned' said %q, want git-shell's refusal", out)
	}
}

func TestSSHDKeyForms(t *testing.T) {
	s := NewSSHD(t)
	key, err := os.ReadFile(s.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{"KeyBase64 decodes to the key file", s.KeyBase64 == base64.StdEncoding.EncodeToString(key)},
		{"the key is in OpenSSH's format", strings.HasPrefix(string(key), "-----BEGIN OPENSSH PRIVATE KEY-----")},
		{"the URL names the user and the listener", s.URL("/srv/r.git") == "ssh://"+s.User+"@"+s.Addr+"/srv/r.git"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.ok {
				t.Errorf("%s: not so (key file %s, addr %s)", tt.name, s.KeyFile, s.Addr)
			}
		})
	}
	fi, err := os.Stat(s.KeyFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, %v; want 0600, which ssh requires", fi.Mode(), err)
	}
}
