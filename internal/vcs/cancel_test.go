//go:build unix

package vcs

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCancelKillsTheWholeCommand clones over ssh through a user
// GIT_SSH_COMMAND that reports on a FIFO and then blocks forever, like an
// unresponsive server. Cancelling must end git and its ssh child: the test
// reads the FIFO to its end, which comes only when every process holding
// it open has exited (if one survived, the test would hang and time out).
func TestCancelKillsTheWholeCommand(t *testing.T) {
	need(t, vcsGit)
	work := t.TempDir()
	fifo := filepath.Join(work, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a FIFO: %v", err)
	}
	fakeSSH := filepath.Join(work, "fake-ssh")
	writeFile(t, work, "fake-ssh", "#!/bin/sh\nexec 3>'"+fifo+"'\necho \"started: $*\" >&3\nexec tail -f /dev/null\n")
	if err := os.Chmod(fakeSSH, 0o755); err != nil {
		t.Fatal(err)
	}

	env := append(hermeticEnv(t), "GIT_SSH_COMMAND="+fakeSSH)
	r, _ := newRunner(t, env)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dest := filepath.Join(work, "dest")
	done := make(chan error, 1)
	go func() { done <- vcsGit.Create(ctx, r, "ssh://git@127.0.0.1/r.git", dest, CreateOptions{}) }()

	opened := make(chan *os.File, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the fake ssh opens it
		if err != nil {
			t.Error(err)
		}
		opened <- f
	}()
	var f *os.File
	select {
	case f = <-opened:
	case err := <-done:
		// Unblock the opener, then report why ssh never started.
		if w, werr := os.OpenFile(fifo, os.O_WRONLY, 0); werr == nil {
			w.Close()
		}
		t.Fatalf("Create returned before ssh started: %v", err)
	}
	defer f.Close()
	rd := bufio.NewReader(f)
	line, err := rd.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the fake ssh's report: %v", err)
	}
	if !strings.Contains(line, "-o BatchMode=yes") {
		t.Errorf("ssh was run as %q, without -o BatchMode=yes", line)
	}

	cancel()
	if _, err := io.ReadAll(rd); err != nil {
		t.Fatal(err)
	}
	err = <-done
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Create after cancel = %v, want context.Canceled", err)
	}
	if exists(dest) {
		t.Errorf("cancelled Create left %s behind", dest)
	}
}
