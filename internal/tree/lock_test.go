package tree

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustLock(t *testing.T, dest string) func() {
	t.Helper()
	unlock, err := Lock(context.Background(), dest)
	if err != nil {
		t.Fatalf("Lock(%s): %v", dest, err)
	}
	return unlock
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func TestLockReleaseRemovesLockFile(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "repo")
	unlock := mustLock(t, dest)
	if !exists(lockFile(dest)) {
		t.Fatalf("no lock file at %s while locked", lockFile(dest))
	}
	unlock()
	unlock() // a second call must be harmless
	if exists(lockFile(dest)) {
		t.Fatalf("lock file %s left behind after unlock", lockFile(dest))
	}
	ctx := WithWaitFunc(context.Background(), func(string) { t.Errorf("waited for a free lock") })
	again, err := Lock(ctx, dest)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	again()
}

func TestLockReusesLockFileOfDeadProcess(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "repo")
	// What a killed holder leaves: a lock file nobody has locked.
	if err := os.WriteFile(lockFile(dest), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := WithWaitFunc(context.Background(), func(string) { t.Errorf("waited for a lock nobody holds") })
	unlock, err := Lock(ctx, dest)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	unlock()
}

func TestLockWaitsForHolder(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "repo")
	release := mustLock(t, dest)
	waiting := make(chan string, 1)
	ctx := WithWaitFunc(context.Background(), func(d string) { waiting <- d })
	got := make(chan error, 1)
	go func() {
		unlock, err := Lock(ctx, dest)
		if err == nil {
			unlock()
		}
		got <- err
	}()
	if d := <-waiting; d != dest {
		t.Errorf("wait func got %q, want %q", d, dest)
	}
	select {
	case err := <-got:
		t.Fatalf("second Lock returned (%v) while the first was held", err)
	default:
	}
	release()
	if err := <-got; err != nil {
		t.Fatalf("second Lock after release: %v", err)
	}
}

func TestLockGivesUpWhenContextEnds(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "repo")
	defer mustLock(t, dest)()
	ctx, cancel := context.WithCancel(context.Background())
	ctx = WithWaitFunc(ctx, func(string) { cancel() })
	_, err := Lock(ctx, dest)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), dest) {
		t.Fatalf("Lock with a cancelled context = %v, want context.Canceled naming %s", err, dest)
	}
}

func TestLockRefusesSymlinkedLockFile(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "repo")
	victim := filepath.Join(dir, "victim")
	if err := os.WriteFile(victim, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(victim, lockFile(dest)); err != nil {
		t.Fatal(err)
	}
	if unlock, err := Lock(context.Background(), dest); err == nil {
		unlock()
		t.Fatalf("Lock followed a symlink planted at %s", lockFile(dest))
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep" {
		t.Fatalf("symlink target changed: %q, %v", b, err)
	}
}

// lockFile is the lock file guarding dest. It sits beside dest, not inside
// it, so a lock never adds a file to a checkout.
func lockFile(dest string) string {
	return filepath.Join(filepath.Dir(dest), lockPrefix+filepath.Base(dest))
}
