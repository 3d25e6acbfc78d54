package tree

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A fill that replaces its directory with a regular file (a single
// download written at -o FILE) gets the file renamed into place, with
// nothing of the staging left beside it, and never over anything.
func TestStagePlacesAFileFillLeft(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out.txt")
	asFile := func(content string) func(string) error {
		return func(tmp string) error {
			if err := os.Remove(tmp); err != nil {
				return err
			}
			return os.WriteFile(tmp, []byte(content), 0o644)
		}
	}
	if err := Stage(context.Background(), dest, asFile("first")); err != nil {
		t.Fatalf("Stage: %v", err)
	}
	fi, err := os.Lstat(dest)
	if err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("%s is not a regular file: %v, %v", dest, fi, err)
	}
	err = Stage(context.Background(), dest, asFile("second"))
	if !errors.Is(err, ErrExist) {
		t.Errorf("a second Stage over the file: %v; want ErrExist", err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "first" {
		t.Errorf("%s holds %q; want the first file, untouched", dest, b)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tmpPrefix) {
			t.Errorf("staging left %s behind", e.Name())
		}
	}
}

// A fill that leaves neither a directory nor a regular file is refused.
func TestStageRefusesALinkFillLeft(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out")
	err := Stage(context.Background(), dest, func(tmp string) error {
		if err := os.Remove(tmp); err != nil {
			return err
		}
		return os.Symlink("/etc/passwd", tmp)
	})
	if err == nil {
		t.Fatal("Stage placed a symbolic link")
	}
	if _, err := os.Lstat(dest); err == nil {
		t.Errorf("%s exists after a refused Stage", dest)
	}
}
