package tree

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestPlaceCompute(t *testing.T) {
	root := t.TempDir()
	tests := []struct {
		name, path string
		wantRule   string // empty: the path is accepted
	}{
		{"an import path lands under src", "example.org/pkg/foo", ""},
		{"a host with a port is accepted", "localhost:8080/repo", ""},
		{"a single element is accepted", "example.org", ""},
		{"dots inside elements are accepted", "example.org/repo.git/v1.2", ""},
		{"a tilde that is not followed by only digits is accepted", "example.org/~user/x~y", ""},
		{"an empty path is refused", "", "path is empty"},
		{"an absolute path is refused", "/etc/passwd", "must be relative"},
		{"a trailing slash is refused", "example.org/repo/", "must not end with /"},
		{"a double slash is refused", "example.org//repo", "empty path element"},
		{"a dot element is refused", "example.org/./repo", `"." is not allowed`},
		{"a parent element is refused", "example.org/../../etc", `".." is not allowed`},
		{"a bare parent element is refused", "..", `".." is not allowed`},
		{"a vanity path ending in .git is refused", "example.org/repo/.git", `".git" starts with a dot`},
		{"a hidden first element is refused", ".ssh/keys", `".ssh" starts with a dot`},
		{"an element naming fetch's bookkeeping is refused", "example.org/.fetch-lock-x", "starts with a dot"},
		{"a NUL byte is refused", "example.org/a\x00b", "NUL byte"},
		{"a backslash is refused", `example.org\..\evil`, "backslash"},
		{"a newline is refused", "example.org/a\nb", "control character U+000A"},
		{"a Windows short name that could alias .git is refused", "example.org/GIT~1", "tilde and digits"},
		{"a short name with an extension is refused", "example.org/longna~12.txt", "tilde and digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dest(root, tt.path)
			if tt.wantRule != "" {
				if !errors.Is(err, ErrInvalidPath) {
					t.Fatalf("Place(%q) error %v does not match ErrInvalidPath", tt.path, err)
				}
				if err == nil {
					t.Fatalf("Place(%q) = %q, want an error about %q", tt.path, got, tt.wantRule)
				}
				if !strings.Contains(err.Error(), tt.wantRule) || !strings.Contains(err.Error(), strconv.Quote(tt.path)) {
					t.Fatalf("Place(%q) error %q does not name the path and the rule %q", tt.path, err, tt.wantRule)
				}
				return
			}
			if err != nil {
				t.Fatalf("Place(%q): %v", tt.path, err)
			}
			want := filepath.Join(root, "src", filepath.FromSlash(tt.path))
			if got != want {
				t.Fatalf("Place(%q) = %q, want %q", tt.path, got, want)
			}
		})
	}
}

func TestPlaceComputeRoot(t *testing.T) {
	t.Chdir(t.TempDir())
	tests := []struct {
		name, root string
		wantErr    bool
	}{
		{"an empty root is refused", "", true},
		{"a relative root is made absolute", "gopath", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dest(tt.root, "example.org/x")
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Place(%q, ...) = %q, want an error", tt.root, got)
				}
				return
			}
			if err != nil || !filepath.IsAbs(got) {
				t.Fatalf("Place(%q, ...) = %q, %v; want an absolute path", tt.root, got, err)
			}
		})
	}
}

// dest is the destination Place computes for path under root, without
// touching the filesystem.
func dest(root, path string) (string, error) {
	p, err := Place(Where{Root: root, Path: path}, Compute)
	if err != nil {
		return "", err
	}
	return p.Dest, nil
}
