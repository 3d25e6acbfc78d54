package tree

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestKind(t *testing.T) {
	mkdir := func(p string) {
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p string) {
		mkdir(filepath.Dir(p))
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, p string) {
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		setup   func(dest string)
		want    State
		wantErr error
	}{
		{"nothing at dest is missing", func(string) {}, State{Is: Missing}, nil},
		{"an empty directory is empty", mkdir, State{Is: EmptyDir}, nil},
		{"a directory with files but no metadata is a plain directory",
			func(d string) { write(filepath.Join(d, "README")) }, State{Is: Directory}, nil},
		{"a directory holding only a hidden file is not empty",
			func(d string) { write(filepath.Join(d, ".keep")) }, State{Is: Directory}, nil},
		{"a .git directory makes a git checkout",
			func(d string) { mkdir(filepath.Join(d, ".git")) }, State{Is: Checkout, VCS: "git", Metadata: ".git"}, nil},
		{"a .git file (a worktree or submodule) makes a git checkout",
			func(d string) { write(filepath.Join(d, ".git")) }, State{Is: Checkout, VCS: "git", Metadata: ".git"}, nil},
		{"a .hg directory makes a mercurial checkout",
			func(d string) { mkdir(filepath.Join(d, ".hg")) }, State{Is: Checkout, VCS: "hg", Metadata: ".hg"}, nil},
		{"a .svn directory makes a subversion checkout",
			func(d string) { mkdir(filepath.Join(d, ".svn")) }, State{Is: Checkout, VCS: "svn", Metadata: ".svn"}, nil},
		{"a .bzr directory makes a bazaar checkout",
			func(d string) { mkdir(filepath.Join(d, ".bzr")) }, State{Is: Checkout, VCS: "bzr", Metadata: ".bzr"}, nil},
		{"a .fslckout file makes a fossil checkout",
			func(d string) { write(filepath.Join(d, ".fslckout")) }, State{Is: Checkout, VCS: "fossil", Metadata: ".fslckout"}, nil},
		{"a _FOSSIL_ file makes a fossil checkout",
			func(d string) { write(filepath.Join(d, "_FOSSIL_")) }, State{Is: Checkout, VCS: "fossil", Metadata: "_FOSSIL_"}, nil},
		{"a .hg file is not mercurial metadata",
			func(d string) { write(filepath.Join(d, ".hg")) }, State{Is: Directory}, nil},
		{"a dangling .git symlink is not git metadata",
			func(d string) { mkdir(d); link("nowhere", filepath.Join(d, ".git")) }, State{Is: Directory}, nil},
		{"git and mercurial metadata together are refused",
			func(d string) { mkdir(filepath.Join(d, ".git")); mkdir(filepath.Join(d, ".hg")) },
			State{Is: Checkout, VCS: "hg", Metadata: ".hg"}, ErrMultipleVCS},
		{"both fossil markers are one system",
			func(d string) { write(filepath.Join(d, ".fslckout")); write(filepath.Join(d, "_FOSSIL_")) },
			State{Is: Checkout, VCS: "fossil", Metadata: ".fslckout"}, nil},
		{"a regular file is a file", write, State{Is: File}, nil},
		{"a symlink to a checkout is reported as a symlink, not followed",
			func(d string) {
				mkdir(filepath.Join(d+"-real", ".git"))
				link(filepath.Base(d)+"-real", d)
			}, State{Is: Symlink, Target: "dest-real"}, nil},
		{"a dangling symlink is a symlink", func(d string) { link("/nonexistent", d) }, State{Is: Symlink, Target: "/nonexistent"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "dest")
			tt.setup(dest)
			got, err := Kind(dest)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Kind(%s) error = %v, want %v", dest, err, tt.wantErr)
			}
			if got != tt.want {
				t.Fatalf("Kind(%s) = %+v, want %+v", dest, got, tt.want)
			}
		})
	}
}

func TestClassString(t *testing.T) {
	tests := []struct {
		name string
		c    Class
		want string
	}{
		{"a checkout says checkout", Checkout, "checkout"},
		{"an empty directory says so", EmptyDir, "empty directory"},
		{"an unknown class shows its number", Class(42), "Class(42)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.String(); got != tt.want {
				t.Fatalf("Class(%d).String() = %q, want %q", int(tt.c), got, tt.want)
			}
		})
	}
}
