//go:build !linux

package tree

import (
	"io/fs"
	"os"
)

func bootID() string { return "" }

func startTime(int) string { return "" }

// renameNoReplaceAt renames d/oldname to d/newname by path: without
// renameat2 it checks first, which is enough because the caller holds the
// destination's lock.
func renameNoReplaceAt(d *dirHandle, oldname, newname string) error {
	return renameChecked(d.join(oldname), d.join(newname))
}

// renameChecked renames without replacing where the system offers no
// atomic way to: it checks first, which is enough between fetch processes
// because the caller holds the destination's lock.
func renameChecked(oldpath, newpath string) error {
	if _, err := os.Lstat(newpath); err == nil {
		return &os.LinkError{Op: "rename", Old: oldpath, New: newpath, Err: fs.ErrExist}
	}
	return os.Rename(oldpath, newpath)
}
