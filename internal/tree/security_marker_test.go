package tree

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestPathNeverNamesAMarker: a tree path element named like a checkout's
// metadata (_FOSSIL_; the dot names are refused as dot names) is refused.
// Placed, it made its parent a "fossil checkout": fetch ./_FOSSIL_ (a
// local directory of that name, at local/_FOSSIL_) or an import path or
// URL with a _FOSSIL_ element (example.org/_FOSSIL_/x) turned ROOT/src/local
// or ROOT/src/example.org into one, and every later source below it was
// refused as nested.
func TestPathNeverNamesAMarker(t *testing.T) {
	for _, p := range []string{"local/_FOSSIL_", "example.org/_FOSSIL_/x", "example.org/_fossil_"} {
		if err := CheckPath(p); !errors.Is(err, ErrInvalidPath) {
			t.Errorf("CheckPath(%q) = %v, want ErrInvalidPath", p, err)
		}
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "src"), 0o755); err != nil {
			t.Fatal(err)
		}
		if pl, err := Place(Where{Root: root, Path: p}, Inspect); err == nil {
			pl.Close()
			t.Errorf("Place(%q) succeeded", p)
		}
	}
	if err := CheckPath("example.org/fossil/x"); err != nil {
		t.Errorf("CheckPath(example.org/fossil/x) = %v", err)
	}
}
