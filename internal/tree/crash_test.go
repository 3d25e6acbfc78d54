package tree

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A stager killed in the middle of its fill leaves a temporary directory
// and a lock file but never a destination; the next Stage of that
// destination removes them and succeeds.
func TestStageAfterStagerKilled(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "src", "example.org")
	dest := filepath.Join(parent, "repo")
	child := startStager(t, dest)

	if !strings.HasPrefix(child.dir, filepath.Join(parent, tmpPrefix+"repo-")) {
		t.Fatalf("child fills %s, want a directory beside %s", child.dir, dest)
	}
	if !exists(filepath.Join(child.dir, "partial")) {
		t.Fatalf("child's partial file is not in %s", child.dir)
	}
	if exists(dest) {
		t.Fatalf("%s exists while its fill is still running", dest)
	}
	removed, err := CleanStale(parent)
	if err != nil || len(removed) != 0 {
		t.Fatalf("CleanStale while the stager is alive removed %q (%v), want nothing", removed, err)
	}

	if err := child.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.cmd.Wait()
	if exists(dest) {
		t.Fatalf("killed stager left %s behind", dest)
	}
	if got := names(t, parent); len(got) != 2 {
		t.Fatalf("after the kill %s holds %q, want the stale lock file and temporary", parent, got)
	}

	err = Stage(context.Background(), dest, func(dir string) error {
		writeFile(t, filepath.Join(dir, "complete"), "parent")
		return nil
	})
	if err != nil {
		t.Fatalf("Stage after the kill: %v", err)
	}
	if got := files(t, dest); len(got) != 1 || got["complete"] != "parent" {
		t.Fatalf("dest holds %v, want only the new fill's file", got)
	}
	if got := names(t, parent); len(got) != 1 || got[0] != "repo" {
		t.Fatalf("after Stage %s holds %q, want only repo", parent, got)
	}
}

// CleanStale, run by anyone, removes what a killed stager left.
func TestCleanStaleAfterStagerKilled(t *testing.T) {
	parent := t.TempDir()
	child := startStager(t, filepath.Join(parent, "repo"))
	if err := child.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	child.cmd.Wait()
	removed, err := CleanStale(parent)
	if err != nil {
		t.Fatalf("CleanStale: %v", err)
	}
	if len(removed) != 2 {
		t.Errorf("CleanStale removed %q, want the lock file and the temporary", removed)
	}
	if got := names(t, parent); len(got) != 0 {
		t.Fatalf("%s still holds %q", parent, got)
	}
}

// A Stage that finds another process staging the same destination waits
// for it, then reports that the destination exists, without filling.
func TestStageWaitsForOtherProcess(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "repo")
	child := startStager(t, dest)

	ctx := WithWaitFunc(context.Background(), func(string) {
		// Only now that we wait for its lock, let the child finish.
		if _, err := child.stdin.Write([]byte("go\n")); err != nil {
			t.Errorf("telling the child to finish: %v", err)
		}
	})
	err := Stage(ctx, dest, func(string) error {
		t.Errorf("fill ran although another process staged %s", dest)
		return nil
	})
	if !errors.Is(err, ErrExist) {
		t.Fatalf("Stage = %v, want ErrExist", err)
	}
	if err := child.cmd.Wait(); err != nil {
		t.Fatalf("child stager: %v", err)
	}
	if got := files(t, dest); len(got) != 2 || got["complete"] != "child" {
		t.Fatalf("dest holds %v, want the child's complete fill", got)
	}
	if got := names(t, parent); len(got) != 1 {
		t.Fatalf("%s holds %q, want only repo", parent, got)
	}
	if _, err := os.Stat(child.dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("child's fill directory %s still exists: %v", child.dir, err)
	}
}
