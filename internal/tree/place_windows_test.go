package tree

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// A junction redirects a path like a symbolic link but needs no privilege
// to make, and Go reports it as a directory: the walk must refuse it.
// (Windows only; CI runs Linux, so this is type-checked there by
// GOOS=windows go vet and runs on a Windows machine.)
func TestPlaceRefusesJunctionParent(t *testing.T) {
	s := newSandbox(t)
	junction := filepath.Join(s.src, "example.org", "x")
	if err := os.MkdirAll(filepath.Dir(junction), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cmd", "/c", "mklink", "/J", junction, s.outside).CombinedOutput(); err != nil {
		t.Skipf("mklink /J: %v: %s", err, out)
	}
	before := snapshot(t, s.outside)
	for _, mode := range []Mode{Inspect, Create} {
		p, err := Place(Where{Root: s.root, Path: "example.org/x/sub/repo"}, mode)
		if err == nil {
			p.Close()
		}
		if perr := placeErr(t, err, ErrSymlinkParent); perr.Entry != junction {
			t.Errorf("mode %d: error names %s, want %s", mode, perr.Entry, junction)
		}
	}
	if got := snapshot(t, s.outside); !slices.Equal(got, before) {
		t.Errorf("%s changed: %q, was %q", s.outside, got, before)
	}
}

// Two lockers of one destination exclude each other with LockFileEx, and
// the lock file is gone once the last is released.
func TestLockWindows(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "repo")
	unlock, err := Lock(context.Background(), dest)
	if err != nil {
		t.Fatal(err)
	}
	d, err := openDirPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := tryLock(d, "repo"); err != nil || ok {
		t.Fatalf("second lock while held: ok %v, err %v", ok, err)
	}
	unlock()
	again, ok, err := tryLock(d, "repo")
	if err != nil || !ok {
		t.Fatalf("lock after release: ok %v, err %v", ok, err)
	}
	again()
	if _, err := os.Lstat(filepath.Join(dir, lockPrefix+"repo")); !os.IsNotExist(err) {
		t.Errorf("lock file left after release: %v", err)
	}
}
