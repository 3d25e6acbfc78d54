package tree

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var errFill = errors.New("fill failed on purpose")

// files returns the regular files under dir, relative, with contents.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return out
}

// names returns the names in dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestStage(t *testing.T) {
	tests := []struct {
		name string
		// setup prepares the tree; it gets dest, which is parent/repo.
		setup func(t *testing.T, dest string)
		// fill runs as Stage's fill; cancel cancels Stage's context.
		fill      func(t *testing.T, dir string, cancel func()) error
		wantErr   error
		wantFiles map[string]string // at dest; nil: dest must not exist
		wantNames []string          // what must be left in dest's parent
		after     func(t *testing.T, dest string)
	}{
		{
			name: "a fill that succeeds lands at dest and leaves nothing beside it",
			fill: func(t *testing.T, dir string, _ func()) error {
				writeFile(t, filepath.Join(dir, "go.mod"), "module x")
				writeFile(t, filepath.Join(dir, "sub", "a.go"), "package sub")
				return nil
			},
			wantFiles: map[string]string{"go.mod": "module x", "sub/a.go": "package sub"},
			wantNames: []string{"repo"},
		},
		{
			name:      "a fill that writes nothing lands as an empty directory",
			fill:      func(*testing.T, string, func()) error { return nil },
			wantFiles: map[string]string{},
			wantNames: []string{"repo"},
		},
		{
			name: "a fill that fails halfway leaves no destination and no temporary",
			fill: func(t *testing.T, dir string, _ func()) error {
				writeFile(t, filepath.Join(dir, "half"), "written")
				return errFill
			},
			wantErr: errFill,
		},
		{
			name: "a fill that fails after writing read-only files and directories is still cleaned up",
			fill: func(t *testing.T, dir string, _ func()) error {
				obj := filepath.Join(dir, ".git", "objects", "ab")
				writeFile(t, filepath.Join(obj, "cdef"), "blob")
				// As git and the module cache leave them.
				for p, mode := range map[string]fs.FileMode{filepath.Join(obj, "cdef"): 0o444, obj: 0o555, filepath.Dir(obj): 0o500} {
					if err := os.Chmod(p, mode); err != nil {
						t.Fatal(err)
					}
				}
				return errFill
			},
			wantErr: errFill,
		},
		{
			name: "a cancelled context discards what fill wrote even if fill reports success",
			fill: func(t *testing.T, dir string, cancel func()) error {
				writeFile(t, filepath.Join(dir, "partial"), "x")
				cancel()
				return nil
			},
			wantErr: context.Canceled,
		},
		{
			name: "a fill that recreates its directory lands normally",
			fill: func(t *testing.T, dir string, _ func()) error {
				if err := os.Remove(dir); err != nil {
					return err
				}
				writeFile(t, filepath.Join(dir, "f"), "new")
				return nil
			},
			wantFiles: map[string]string{"f": "new"},
			wantNames: []string{"repo"},
		},
		{
			name:    "a fill that removes its directory is an error",
			fill:    func(_ *testing.T, dir string, _ func()) error { return os.Remove(dir) },
			wantErr: errAny,
		},
		{
			name: "a fill that swaps its directory for a symlink is an error and the link is not moved into place",
			setup: func(t *testing.T, dest string) {
				writeFile(t, filepath.Join(filepath.Dir(dest), "elsewhere", "secret"), "s")
			},
			fill: func(_ *testing.T, dir string, _ func()) error {
				if err := os.Remove(dir); err != nil {
					return err
				}
				return os.Symlink(filepath.Join(filepath.Dir(dir), "..", "elsewhere"), dir)
			},
			wantErr:   errAny,
			wantNames: []string{"elsewhere"},
		},
		{
			name: "an existing checkout is refused and kept as it was",
			setup: func(t *testing.T, dest string) {
				writeFile(t, filepath.Join(dest, ".git", "HEAD"), "ref: refs/heads/main")
				writeFile(t, filepath.Join(dest, "local-change"), "mine")
			},
			wantErr:   ErrExist,
			wantFiles: map[string]string{".git/HEAD": "ref: refs/heads/main", "local-change": "mine"},
			wantNames: []string{"repo"},
		},
		{
			name: "an existing empty directory is refused",
			setup: func(t *testing.T, dest string) {
				if err := os.MkdirAll(dest, 0o755); err != nil {
					t.Fatal(err)
				}
			},
			wantErr:   ErrExist,
			wantFiles: map[string]string{},
			wantNames: []string{"repo"},
		},
		{
			name:      "an existing file is refused",
			setup:     func(t *testing.T, dest string) { writeFile(t, dest, "a file") },
			wantErr:   ErrExist,
			wantNames: []string{"repo"},
			after: func(t *testing.T, dest string) {
				if b, err := os.ReadFile(dest); string(b) != "a file" {
					t.Errorf("the existing file now holds %q (%v)", b, err)
				}
			},
		},
		{
			name: "a dangling symlink at dest is refused and not followed",
			setup: func(t *testing.T, dest string) {
				if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink("target", dest); err != nil {
					t.Fatal(err)
				}
			},
			wantErr:   ErrExist,
			wantNames: []string{"repo"},
			after: func(t *testing.T, dest string) {
				if st, err := Kind(dest); st.Is != Symlink || st.Target != "target" {
					t.Errorf("the symlink at dest is now %+v (%v)", st, err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := filepath.Join(t.TempDir(), "src", "example.org")
			dest := filepath.Join(parent, "repo")
			if tt.setup != nil {
				tt.setup(t, dest)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			filled := false
			var fillErr error
			err := Stage(ctx, dest, func(dir string) error {
				filled = true
				if tt.fill == nil {
					t.Errorf("fill called although dest exists")
					return nil
				}
				if got := files(t, dir); len(got) != 0 {
					t.Errorf("fill got a non-empty directory: %v", got)
				}
				fillErr = tt.fill(t, dir, cancel)
				return fillErr
			})
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("Stage: %v", err)
			case tt.wantErr == errAny && err == nil,
				tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("Stage error = %v, want %v", err, tt.wantErr)
			case fillErr != nil && err != fillErr:
				// The caller names the source and destination: the
				// fill's cause comes back as it is, first on the line.
				t.Errorf("Stage error %q, want the fill's own error %q", err, fillErr)
			case fillErr == nil && err != nil && !strings.Contains(err.Error(), dest):
				t.Errorf("Stage error %q does not name %s", err, dest)
			}
			if tt.fill != nil && !filled {
				t.Errorf("fill was never called")
			}
			if tt.wantFiles == nil {
				if st, _ := Kind(dest); tt.setup == nil && st.Is != Missing {
					t.Errorf("dest is a %v after a failed Stage, want missing", st.Is)
				}
			} else if got := files(t, dest); !equalMaps(got, tt.wantFiles) {
				t.Errorf("dest holds %v, want %v", got, tt.wantFiles)
			}
			if tt.after != nil {
				tt.after(t, dest)
			}
			if got := names(t, parent); strings.Join(got, ",") != strings.Join(tt.wantNames, ",") {
				t.Errorf("%s holds %q, want %q", parent, got, tt.wantNames)
			}
		})
	}
}

// errAny stands for "some error" in tables.
var errAny = errors.New("any error")

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestStageRefusesUnusableDestinations(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, dest, wantText string
	}{
		{"the filesystem root has no parent to stage beside", "/", "no parent directory"},
		{"a name of fetch's own bookkeeping is refused", filepath.Join(dir, ".fetch-lock-x"), ".fetch-"},
		{"a parent that is a file cannot be created", filepath.Join(dir, "file", "repo"), "not a directory"},
	}
	writeFile(t, filepath.Join(dir, "file"), "x")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Stage(context.Background(), tt.dest, func(string) error {
				t.Errorf("fill called for %s", tt.dest)
				return nil
			})
			if err == nil || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("Stage(%s) = %v, want an error containing %q", tt.dest, err, tt.wantText)
			}
		})
	}
}

func TestStageCleansUpAfterPanickingFill(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "repo")
	func() {
		defer func() {
			if recover() == nil {
				t.Fatalf("the fill's panic was swallowed")
			}
		}()
		Stage(context.Background(), dest, func(dir string) error {
			writeFile(t, filepath.Join(dir, "half"), "x")
			panic("fill bug")
		})
	}()
	if got := names(t, parent); len(got) != 0 {
		t.Fatalf("%s holds %q after a panicking fill, want nothing", parent, got)
	}
}

func TestMakeWritable(t *testing.T) {
	root := filepath.Join(t.TempDir(), "tmp")
	outside := filepath.Join(filepath.Dir(root), "outside")
	for _, d := range []string{filepath.Join(root, "a", "b", "c"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, "a", "link")); err != nil {
		t.Fatal(err)
	}
	modes := []struct {
		path string
		mode fs.FileMode
	}{
		{outside, 0o555},
		{filepath.Join(root, "a", "b", "c"), 0o500},
		{filepath.Join(root, "a", "b"), 0o000},
		{filepath.Join(root, "a"), 0o555},
	}
	for _, m := range modes {
		if err := os.Chmod(m.path, m.mode); err != nil {
			t.Fatal(err)
		}
	}
	defer os.Chmod(outside, 0o755)
	makeWritable(root)
	for _, d := range []string{root, filepath.Join(root, "a"), filepath.Join(root, "a", "b"), filepath.Join(root, "a", "b", "c")} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm()&0o700 != 0o700 {
			t.Errorf("%s not owner-writable after makeWritable: %v %v", d, fi.Mode(), err)
		}
	}
	if fi, _ := os.Stat(outside); fi.Mode().Perm() != 0o555 {
		t.Errorf("makeWritable followed a symlink and changed %s to %v", outside, fi.Mode())
	}
}
