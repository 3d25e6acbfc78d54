package testbed

import (
	"encoding/base64"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gofetch/fetch/internal/testutil"
	"github.com/rogpeppe/go-internal/testscript"
)

// SSHD is a real OpenSSH server on loopback that serves git repositories
// to one user holding one key. It accepts connections itself and runs
// "sshd -i" for each, so no port is ever guessed and nothing outlives the
// test; git-shell is the only command the server runs, so a client can
// read repositories and do nothing else.
//
// The user is the one running the test, because sshd can log in no one
// else unless it runs as root (in CI it does, and the user is root).
type SSHD struct {
	// Addr is where the server listens, 127.0.0.1:PORT.
	Addr string
	// User is the login name clients use.
	User string
	// KeyFile is the user's private key (OpenSSH format, mode 0600).
	KeyFile string
	// KeyBase64 is the content of KeyFile in base64, the form go-getter's
	// ?sshkey= takes.
	KeyBase64 string
	// KnownHostsFile holds the server's host key for Addr, for ssh's
	// -o UserKnownHostsFile.
	KnownHostsFile string
	// LogFile collects the server's log (every connection's sshd -e).
	LogFile string

	sshd, config string
	ln           net.Listener
	log          *os.File
	accepting    sync.WaitGroup
	mu           sync.Mutex
	procs        map[*exec.Cmd]bool
	closed       bool
}

// sshdPath finds sshd, which Debian installs in /usr/sbin, often not on a
// user's PATH.
func sshdPath() string {
	if p, err := exec.LookPath("sshd"); err == nil {
		return p
	}
	return "/usr/sbin/sshd"
}

// NewSSHD starts an SSHD in a temporary directory and closes it when the
// test ends. Without sshd, ssh-keygen or git-shell it skips the test,
// or fails it in CI (FETCH_TEST_REQUIRE_TOOLS, see testutil.NeedTool).
func NewSSHD(t testing.TB) *SSHD {
	t.Helper()
	testutil.NeedTool(t, sshdPath(), "openssh-server")
	testutil.NeedTool(t, "ssh-keygen", "openssh-client")
	testutil.NeedTool(t, "git-shell", "git")
	s, err := StartSSHD(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			t.Logf("sshd log:\n%s", s.Log())
		}
	})
	return s
}

// StartSSHD generates host and user keys and a configuration in dir and
// starts listening. The caller must Close the server.
//
// Running as root, sshd needs its privilege separation directory (Debian:
// /run/sshd), which only exists while the system's sshd service runs; if
// it is missing, StartSSHD creates it, empty and owned by root, as the
// service would.
func StartSSHD(dir string) (*SSHD, error) {
	u, err := user.Current()
	if err != nil {
		return nil, fmt.Errorf("testbed: sshd: who is running the test: %w", err)
	}
	gitShell, err := exec.LookPath("git-shell")
	if err != nil {
		return nil, fmt.Errorf("testbed: sshd: git-shell, the command it serves, is missing (Debian package git): %w", err)
	}
	s := &SSHD{
		User:           u.Username,
		KeyFile:        filepath.Join(dir, "id_ed25519"),
		KnownHostsFile: filepath.Join(dir, "known_hosts"),
		LogFile:        filepath.Join(dir, "sshd.log"),
		sshd:           sshdPath(),
		config:         filepath.Join(dir, "sshd_config"),
		procs:          map[*exec.Cmd]bool{},
	}
	hostKey := filepath.Join(dir, "host_ed25519")
	for _, k := range []string{hostKey, s.KeyFile} {
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "testbed", "-f", k).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("testbed: sshd: ssh-keygen -f %s: %w\n%s", k, err, out)
		}
	}
	key, err := os.ReadFile(s.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("testbed: sshd: %w", err)
	}
	s.KeyBase64 = base64.StdEncoding.EncodeToString(key)
	userPub, err := os.ReadFile(s.KeyFile + ".pub")
	if err != nil {
		return nil, fmt.Errorf("testbed: sshd: %w", err)
	}
	authorized := filepath.Join(dir, "authorized_keys")
	if err := os.WriteFile(authorized, append([]byte("restrict "), userPub...), 0o600); err != nil {
		return nil, fmt.Errorf("testbed: sshd: %w", err)
	}
	if err := os.WriteFile(s.config, []byte(sshdConfig(hostKey, authorized, s.User, gitShell)), 0o600); err != nil {
		return nil, fmt.Errorf("testbed: sshd: %w", err)
	}
	if err := s.checkConfig(); err != nil {
		return nil, err
	}

	s.ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("testbed: sshd: %w", err)
	}
	s.Addr = s.ln.Addr().String()
	hostPub, err := os.ReadFile(hostKey + ".pub")
	if err == nil {
		line := fmt.Sprintf("[127.0.0.1]:%d %s", s.ln.Addr().(*net.TCPAddr).Port, hostPub)
		err = os.WriteFile(s.KnownHostsFile, []byte(line), 0o600)
	}
	if err == nil {
		s.log, err = os.OpenFile(s.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	}
	if err != nil {
		s.ln.Close()
		return nil, fmt.Errorf("testbed: sshd: %w", err)
	}
	s.accepting.Add(1)
	go s.accept()
	return s, nil
}

// sshdConfig allows one user in with one key and nothing but git-shell.
func sshdConfig(hostKey, authorized, user, gitShell string) string {
	return strings.Join([]string{
		"HostKey " + strconv.Quote(hostKey),
		"AuthorizedKeysFile " + strconv.Quote(authorized),
		"AllowUsers " + user,
		"AuthenticationMethods publickey",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitRootLogin prohibit-password",
		// The key files live in a test's temporary directory, whose
		// modes sshd's owner checks would reject for no gain.
		"StrictModes no",
		"UsePAM no",
		"PidFile none",
		"PermitTTY no",
		"PrintMotd no",
		"AllowTcpForwarding no",
		"AllowAgentForwarding no",
		"X11Forwarding no",
		// git sends GIT_PROTOCOL to ask for protocol v2, as over https.
		"AcceptEnv GIT_PROTOCOL",
		"LogLevel VERBOSE",
		`ForceCommand ` + gitShell + ` -c "$SSH_ORIGINAL_COMMAND"`,
	}, "\n") + "\n"
}

// missingPrivsep matches sshd's complaint about its chroot directory.
var missingPrivsep = regexp.MustCompile(`Missing privilege separation directory: (\S+)`)

// checkConfig runs "sshd -t", creating the privilege separation directory
// when that is all that is missing and the test runs as root.
func (s *SSHD) checkConfig() error {
	for try := 0; ; try++ {
		out, err := exec.Command(s.sshd, "-t", "-f", s.config).CombinedOutput()
		if err == nil {
			return nil
		}
		m := missingPrivsep.FindSubmatch(out)
		if m == nil || try > 0 || os.Geteuid() != 0 {
			return fmt.Errorf("testbed: sshd -t -f %s: %w\n%s", s.config, err, out)
		}
		if err := os.MkdirAll(string(m[1]), 0o755); err != nil {
			return fmt.Errorf("testbed: sshd: creating its privilege separation directory: %w", err)
		}
	}
}

// accept runs "sshd -i" on each connection until the listener closes.
func (s *SSHD) accept() {
	defer s.accepting.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		if err := s.serve(conn); err != nil {
			fmt.Fprintf(s.log, "testbed: %v\n", err)
		}
	}
}

// serve hands conn to a new sshd -i as its stdin and stdout.
func (s *SSHD) serve(conn net.Conn) error {
	defer conn.Close()
	f, err := conn.(*net.TCPConn).File()
	if err != nil {
		return fmt.Errorf("sshd: connection from %s: %w", conn.RemoteAddr(), err)
	}
	defer f.Close()
	cmd := exec.Command(s.sshd, "-i", "-e", "-f", s.config)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = f, f, s.log
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("sshd -i for %s: %w", conn.RemoteAddr(), err)
	}
	s.procs[cmd] = true
	s.accepting.Add(1)
	go func() {
		defer s.accepting.Done()
		cmd.Wait() // a client that hangs up early makes sshd fail: not our concern
		s.mu.Lock()
		delete(s.procs, cmd)
		s.mu.Unlock()
	}()
	return nil
}

// cmdSSHD starts an SSHD for a script (see Commands) and sets the
// variables that reach it:
//
//	SSHD_GIT          ssh://USER@127.0.0.1:PORT/.../git, so that repository
//	                  NAME made with gitrepo is $SSHD_GIT/NAME.git
//	SSHD_ADDR, SSHD_PORT, SSHD_USER
//	SSHD_KEY          the user's private key file
//	SSHD_KEY_BASE64   the same key for ?sshkey=
//	SSHD_KNOWN_HOSTS  a known_hosts file with the server's host key
//	SSHD_SSH          a GIT_SSH_COMMAND that trusts the server and reads
//	                  no ssh configuration, with no key (see SSHCommand)
//
// Scripts say "sshd" and then "[!exec:sshd] skip": without sshd (or
// ssh-keygen, or git-shell) the command does nothing and the script
// skips, except in CI (FETCH_TEST_REQUIRE_TOOLS), where it fails.
func cmdSSHD(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: sshd")
	}
	for _, tool := range []string{sshdPath(), "ssh-keygen", "git-shell"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("FETCH_TEST_REQUIRE_TOOLS") != "" {
				ts.Fatalf("sshd: %s is not installed, and FETCH_TEST_REQUIRE_TOOLS forbids skipping", tool)
			}
			ts.Logf("sshd: %s is not installed (Debian packages openssh-server, git)", tool)
			return
		}
	}
	b := FromScript(ts)
	if b == nil {
		ts.Fatalf("sshd: no test bed (use testbed.Setup)")
	}
	dir := filepath.Join(b.internal, "sshd")
	ts.Check(os.MkdirAll(dir, 0o700))
	s, err := StartSSHD(dir)
	ts.Check(err)
	ts.Defer(func() {
		if err := s.Close(); err != nil {
			ts.Logf("%v", err)
		}
	})
	_, port, _ := strings.Cut(s.Addr, ":")
	for k, v := range map[string]string{
		"SSHD_GIT": s.URL(b.gitRoot), "SSHD_ADDR": s.Addr, "SSHD_PORT": port, "SSHD_USER": s.User,
		"SSHD_KEY": s.KeyFile, "SSHD_KEY_BASE64": s.KeyBase64, "SSHD_KNOWN_HOSTS": s.KnownHostsFile,
		"SSHD_SSH": s.SSHCommand(),
	} {
		ts.Setenv(k, v)
	}
}

// URL returns the ssh URL of the repository at dir, an absolute path on
// this machine: ssh://USER@127.0.0.1:PORT/DIR.
func (s *SSHD) URL(dir string) string {
	return "ssh://" + s.User + "@" + s.Addr + filepath.ToSlash(dir)
}

// SSHCommand returns a GIT_SSH_COMMAND that reaches the server: ssh
// without the user's or the system's configuration (-F /dev/null),
// trusting the server's host key, with extra arguments appended (such as
// "-i", s.KeyFile).
func (s *SSHD) SSHCommand(extra ...string) string {
	args := append([]string{"ssh", "-F", "/dev/null", "-o", "UserKnownHostsFile=" + s.KnownHostsFile}, extra...)
	for i, a := range args {
		if a == "" || strings.ContainsFunc(a, func(r rune) bool { return !safeShellRune(r) }) {
			args[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(args, " ")
}

// safeShellRune reports whether r needs no quoting for sh.
func safeShellRune(r rune) bool {
	return r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@+,%", r))
}

// Log returns what the server has logged so far.
func (s *SSHD) Log() string {
	b, err := os.ReadFile(s.LogFile)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// Close stops accepting connections, ends the sshd processes still
// running (a finished test has no client left) and waits for them.
func (s *SSHD) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	err := s.ln.Close()
	for cmd := range s.procs {
		cmd.Process.Kill()
	}
	s.mu.Unlock()
	s.accepting.Wait()
	if cerr := s.log.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("testbed: closing sshd: %w", err)
	}
	return nil
}
