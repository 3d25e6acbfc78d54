package vcs

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCloneOnFullDisk clones 3 MB of incompressible data into a 1 MiB
// tmpfs: the error names the full disk (not git's "fetch-pack: invalid
// index-pack output", which follows it) and the destination (not the
// temporary directory the clone was made in). Mounting needs root; the
// test skips without it.
func TestCloneOnFullDisk(t *testing.T) {
	t.Parallel()
	need(t, vcsGit)
	if os.Geteuid() != 0 {
		t.Skip("mounting a 1 MiB tmpfs needs root")
	}
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=1m"); err != nil {
		t.Skipf("cannot mount a tmpfs: %v", err)
	}
	// Registered after TempDir's removal, so it runs first.
	t.Cleanup(func() {
		if err := syscall.Unmount(mnt, 0); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})
	env := hermeticEnv(t)
	src := t.TempDir()
	sh(t, env, src, "git", "init", "-q")
	blob := make([]byte, 3<<20)
	rand.Read(blob)
	writeFile(t, src, "blob", string(blob))
	sh(t, env, src, "git", "add", "blob")
	sh(t, env, src, "git", "commit", "-q", "-m", "big")

	parent := filepath.Join(mnt, ".fetch-tmp-proj-00ff")
	if err := os.Mkdir(parent, 0o700); err != nil {
		t.Fatal(err)
	}
	r, _ := newRunner(t, env)
	err := vcsGit.Create(context.Background(), r, "file://"+src, filepath.Join(parent, "proj"), CreateOptions{})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Create = %v, want a command *Error", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "No space left on device") {
		t.Errorf("error %q does not name the full disk", msg)
	}
	if strings.Contains(msg, ".fetch-tmp") {
		t.Errorf("error %q shows the temporary directory", msg)
	}
	if !strings.Contains(msg, filepath.Join(mnt, "proj")) {
		t.Errorf("error %q does not name the destination %s", msg, filepath.Join(mnt, "proj"))
	}
}
