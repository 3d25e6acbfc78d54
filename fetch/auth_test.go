package fetch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

// TestGetOverSSH clones a private repository from a real sshd on loopback,
// with a key given as ?sshkey= and with the user's own GIT_SSH_COMMAND,
// and checks that fetch adds BatchMode to that command instead of
// replacing it. It sets process environment variables, so it is not
// parallel.
func TestGetOverSSH(t *testing.T) {
	testbed.RequireGit(t)
	sshd := testbed.NewSSHD(t)
	bed := testbed.New(t)
	repo, err := bed.AddGitRepo("private", map[string]string{"p.go": "package private\n"})
	if err != nil {
		t.Fatal(err)
	}
	head, err := repo.Rev("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := strings.Cut(sshd.Addr, ":")
	// The URL without a port, for a GIT_SSH_COMMAND that names it with -p.
	noPort := "ssh://" + sshd.User + "@127.0.0.1" + filepath.ToSlash(repo.Dir)

	// A wrapper in front of ssh records the arguments git gave it.
	dir := t.TempDir()
	argLog := filepath.Join(dir, "ssh-args")
	wrapper := filepath.Join(dir, "myssh")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + argLog + "\nexec ssh \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	newKnownHosts := filepath.Join(dir, "known_hosts_new")

	tests := []struct {
		name    string
		sshCmd  string // the user's GIT_SSH_COMMAND
		source  string
		wantErr string   // in the result's error, when it must fail
		wantArg []string // consecutive arguments the wrapper must have seen
	}{
		{
			name:   "a key given as sshkey= opens the repository",
			sshCmd: sshd.SSHCommand(),
			source: "git::" + sshd.URL(repo.Dir) + "?sshkey=" + sshd.KeyBase64,
		},
		{
			name:    "the user's GIT_SSH_COMMAND with its own key and port is kept, with BatchMode added",
			sshCmd:  wrapper + " -F /dev/null -o UserKnownHostsFile=" + sshd.KnownHostsFile + " -i " + sshd.KeyFile + " -p " + port,
			source:  "git::" + noPort,
			wantArg: []string{"-F", "/dev/null", "-o", "UserKnownHostsFile=" + sshd.KnownHostsFile, "-i", sshd.KeyFile, "-p", port, "-o", "BatchMode=yes"},
		},
		{
			name:   "StrictHostKeyChecking=accept-new in the user's command trusts a server seen for the first time",
			sshCmd: "ssh -F /dev/null -o UserKnownHostsFile=" + newKnownHosts + " -o StrictHostKeyChecking=accept-new",
			source: "git::" + sshd.URL(repo.Dir) + "?sshkey=" + sshd.KeyBase64,
		},
		{
			name:    "without an accepted key the server refuses, and the error says how to give one",
			sshCmd:  sshd.SSHCommand("-o", "IdentitiesOnly=yes"),
			source:  "git::" + sshd.URL(repo.Dir),
			wantErr: "Permission denied \\(publickey\\).* give one in the source's sshkey option",
		},
		{
			name:    "an unknown host key fails at once in batch mode, and the error says what to do",
			sshCmd:  "ssh -F /dev/null -o UserKnownHostsFile=/dev/null",
			source:  "git::" + sshd.URL(repo.Dir) + "?sshkey=" + sshd.KeyBase64,
			wantErr: "Host key verification failed.* StrictHostKeyChecking=accept-new",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir() // where fetch writes the sshkey file
			t.Setenv("TMPDIR", tmp)
			t.Setenv("GIT_SSH_COMMAND", tt.sshCmd)
			t.Setenv("SSH_AUTH_SOCK", "")
			t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
			rec := &testutil.Recorder{}
			c, err := fetch.New(fetch.Options{Root: t.TempDir(), Trace: rec.Emit, Getenv: func(string) string { return "" }})
			if err != nil {
				t.Fatal(err)
			}
			dest := filepath.Join(t.TempDir(), "private")
			res := c.Get(context.Background(), []string{tt.source}, fetch.SourceOptions{Dest: dest})[0]
			if tt.wantErr != "" {
				if res.Status != fetch.StatusError || !matches(tt.wantErr, res.Error) {
					t.Fatalf("Get: status %q, error %q; want an error matching %q", res.Status, res.Error, tt.wantErr)
				}
				if _, err := os.Stat(dest); err == nil {
					t.Errorf("a failed clone left %s behind", dest)
				}
			} else if res.Status != fetch.StatusFetched || res.Commit != head {
				t.Fatalf("Get: status %q, commit %q, error %q; want fetched %s\nsshd log:\n%s", res.Status, res.Commit, res.Error, head, sshd.Log())
			}
			if tt.wantArg != nil {
				got, err := os.ReadFile(argLog)
				if err != nil {
					t.Fatal(err)
				}
				if want := strings.Join(tt.wantArg, "\n") + "\n"; !strings.HasPrefix(string(got), want) {
					t.Errorf("ssh was run with\n%s\nwant it to start with\n%s", got, want)
				}
			}
			noSecretIn(t, res, rec, sshd.KeyBase64)
			if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) > 0 {
				t.Errorf("fetch left %q in TMPDIR; the sshkey file must be removed", left)
			}
		})
	}
}

// TestGetPrivateHTTPSWithAHelper is the library side of netrc for
// repositories: Options.GitCredentialHelper is offered to git after the
// user's own helpers, and without any login fetch fails at once.
func TestGetPrivateHTTPSWithAHelper(t *testing.T) {
	testbed.RequireGit(t)
	bed := testbed.New(t)
	repo, err := bed.AddGitRepo("private", map[string]string{"p.go": "package private\n"},
		testbed.WithUser("alice", "s3cret"), testbed.WithUser("bob", "hunter2"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	host := strings.TrimPrefix(bed.GitBase(), "https://")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	aliceStore := write("alice-store", "https://alice:s3cret@"+host+"\n")
	bobStore := write("bob-store", "https://bob:hunter2@"+host+"\n")
	userConfig := write("gitconfig", "[credential]\n\thelper = store --file="+bobStore+"\n")

	tests := []struct {
		name       string
		helper     string // Options.GitCredentialHelper
		userConfig string // GIT_CONFIG_GLOBAL
		wantUser   string // the login the server saw; "" means the fetch must fail
		wantErr    string
	}{
		{"without any login git fails at once and the error says where a login goes", "", os.DevNull, "",
			"terminal prompts disabled (the server wants a login: put it in the netrc file"},
		{"the helper named in Options supplies the login", "store --file=" + aliceStore, os.DevNull, "alice", ""},
		{"the user's own helper answers before the one named in Options", "store --file=" + aliceStore, userConfig, "bob", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			t.Setenv("GIT_CONFIG_GLOBAL", tt.userConfig)
			if err := bed.ResetRequests(); err != nil {
				t.Fatal(err)
			}
			rec := &testutil.Recorder{}
			c, err := fetch.New(fetch.Options{
				Root: t.TempDir(), CACertFile: bed.CACertFile, GitCredentialHelper: tt.helper,
				Trace: rec.Emit, Getenv: func(string) string { return "" },
			})
			if err != nil {
				t.Fatal(err)
			}
			res := c.Get(context.Background(), []string{"git::" + repo.URL}, fetch.SourceOptions{Dest: filepath.Join(t.TempDir(), "p")})[0]
			if tt.wantUser == "" {
				if res.Status != fetch.StatusError || !strings.Contains(res.Error, tt.wantErr) {
					t.Fatalf("Get: status %q, error %q; want an error containing %q", res.Status, res.Error, tt.wantErr)
				}
			} else {
				if res.Status != fetch.StatusFetched {
					t.Fatalf("Get: status %q, error %q; want fetched", res.Status, res.Error)
				}
				if want := "https://" + tt.wantUser + "@" + host + "/private.git/info/refs"; !anyHasPrefix(bed.Requests(), "GET "+want) {
					t.Errorf("requests %q; want one for %s", bed.Requests(), want)
				}
			}
			noSecretIn(t, res, rec, "s3cret", "hunter2")
		})
	}
}

// noSecretIn fails the test if a secret appears in the result or in any
// trace event.
func noSecretIn(t *testing.T, res fetch.Result, rec *testutil.Recorder, secrets ...string) {
	t.Helper()
	texts := []string{fmt.Sprintf("%+v", res)}
	for _, e := range rec.All() {
		texts = append(texts, fmt.Sprintf("%+v", e))
	}
	for _, s := range secrets {
		for _, text := range texts {
			if strings.Contains(text, s) {
				t.Errorf("secret %.8s... shown in %s", s, text)
			}
		}
	}
}

func anyHasPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func matches(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
