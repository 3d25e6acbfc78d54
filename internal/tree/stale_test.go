package tree

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestCleanStale(t *testing.T) {
	me := self()
	dead := exitedPID(t)
	withOwner := func(o owner) func(t *testing.T, dir string) string {
		return func(t *testing.T, dir string) string {
			path := filepath.Join(dir, tmpPrefix+"repo-0123456789abcdef")
			writeFile(t, filepath.Join(path, "repo", "half"), "x")
			writeFile(t, filepath.Join(path, ownerFile), o.String())
			return path
		}
	}
	mod := func(f func(*owner)) owner {
		o := me
		f(&o)
		return o
	}
	ppid := os.Getppid()
	tests := []struct {
		name      string
		needProc  bool // the row relies on /proc (boot id, start times)
		entry     func(t *testing.T, dir string) string
		holdLock  bool // the test holds the lock on dir/repo meanwhile
		wantClean bool
	}{
		{"a temporary whose owner has exited is removed", false,
			withOwner(mod(func(o *owner) { o.pid, o.start = dead, "" })), false, true},
		{"a temporary whose owner has exited is kept while its destination is locked", false,
			withOwner(mod(func(o *owner) { o.pid, o.start = dead, "" })), true, false},
		{"a temporary without an owner file is removed once its lock is free", false,
			func(t *testing.T, dir string) string {
				path := filepath.Join(dir, tmpPrefix+"repo-fedcba9876543210")
				writeFile(t, filepath.Join(path, "repo", "half"), "x")
				return path
			}, false, true},
		{"a temporary left by this process is removed once its lock is free", false,
			withOwner(me), false, true},
		{"a temporary of this process is kept while it holds the lock", false,
			withOwner(me), true, false},
		{"a temporary of another running process is kept even with its lock free", false,
			withOwner(mod(func(o *owner) { o.pid, o.start = ppid, startTime(ppid) })), false, false},
		{"a temporary whose PID now belongs to a newer process is removed", true,
			withOwner(mod(func(o *owner) { o.pid, o.start = ppid, "1" })), false, true},
		{"a temporary from before a reboot is removed", true,
			withOwner(mod(func(o *owner) { o.pid, o.boot = ppid, "another-boot" })), false, true},
		{"a temporary made on another host is kept", false,
			withOwner(mod(func(o *owner) { o.pid, o.host = dead, "elsewhere.invalid" })), false, false},
		{"a symlink named like a temporary is not followed", false,
			func(t *testing.T, dir string) string {
				target := withOwner(mod(func(o *owner) { o.pid = dead }))(t, t.TempDir())
				path := filepath.Join(dir, tmpPrefix+"repo-00112233445566ff")
				if err := os.Symlink(target, path); err != nil {
					t.Fatal(err)
				}
				return path
			}, false, false},
		{"a directory that only looks like a temporary is kept", false,
			func(t *testing.T, dir string) string {
				path := filepath.Join(dir, tmpPrefix+"repo-notours")
				writeFile(t, filepath.Join(path, "f"), "x")
				return path
			}, false, false},
		{"a lock file nobody holds is removed", false,
			func(t *testing.T, dir string) string {
				path := lockFile(filepath.Join(dir, "other"))
				writeFile(t, path, "")
				return path
			}, false, true},
		{"a lock file somebody holds is kept", false,
			func(t *testing.T, dir string) string {
				return lockFile(filepath.Join(dir, "repo"))
			}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.needProc && (me.boot == "" || me.start == "") {
				t.Skip("needs /proc")
			}
			dir := t.TempDir()
			if tt.holdLock {
				defer mustLock(t, filepath.Join(dir, "repo"))()
			}
			path := tt.entry(t, dir)
			removed, err := CleanStale(dir)
			if err != nil {
				t.Fatalf("CleanStale: %v", err)
			}
			if gone := !exists(path); gone != tt.wantClean {
				t.Fatalf("CleanStale removed %s: %v, want %v", path, gone, tt.wantClean)
			}
			if got := slices.Contains(removed, path); got != tt.wantClean {
				t.Fatalf("CleanStale reported %q, want %s reported: %v", removed, path, tt.wantClean)
			}
		})
	}
}

func TestTmpBase(t *testing.T) {
	tests := []struct {
		name, entry, wantBase string
		wantOK                bool
	}{
		{"a temporary names its destination", ".fetch-tmp-repo-0123456789abcdef", "repo", true},
		{"a destination with dashes keeps them", ".fetch-tmp-my-repo-0123456789abcdef", "my-repo", true},
		{"a short random part is not ours", ".fetch-tmp-repo-0123", "", false},
		{"upper-case hex is not ours", ".fetch-tmp-repo-0123456789ABCDEF", "", false},
		{"a missing destination name is not ours", ".fetch-tmp--0123456789abcdef", "", false},
		{"a lock file is not a temporary", ".fetch-lock-repo", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, ok := tmpBase(tt.entry)
			if base != tt.wantBase || ok != tt.wantOK {
				t.Fatalf("tmpBase(%q) = %q, %v; want %q, %v", tt.entry, base, ok, tt.wantBase, tt.wantOK)
			}
		})
	}
}

// Stage cleans only its own destination's temporaries under its lock; a
// sibling whose name starts the same is judged by its own lock.
func TestStageLeavesSiblingTemporaries(t *testing.T) {
	dir := t.TempDir()
	defer mustLock(t, filepath.Join(dir, "repo-x"))()
	sibling := filepath.Join(dir, tmpPrefix+"repo-x-0123456789abcdef")
	writeFile(t, filepath.Join(sibling, ownerFile), self().String())
	if err := Stage(t.Context(), filepath.Join(dir, "repo"), func(string) error { return nil }); err != nil {
		t.Fatalf("Stage: %v", err)
	}
	if !exists(sibling) {
		t.Fatalf("Stage of repo removed %s, which belongs to repo-x and is locked", sibling)
	}
}
