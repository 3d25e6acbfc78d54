//go:build unix

package fetch

import (
	"path/filepath"
	"syscall"
	"testing"
)

func TestHashTreeRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
		t.Skip("no fifo:", err)
	}
	if _, err := hashTree(dir, true); err == nil {
		t.Error("hashTree of a tree holding a fifo succeeded")
	}
}
