//go:build !unix

package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// dirHandle is a directory and the path it was reached by.
//
// This is the placement walk on Windows (and any other system without
// openat): each entry is checked with Lstat just before it is used, and
// one that is a symbolic link or any other reparse point (a junction, a
// mount point: see linkLike) is refused as a link. It is weaker than the
// Unix walk in dir_unix.go, which opens every directory relative to the
// one above and so can never be redirected: here every step resolves the
// whole path again, so between the check of a directory and the use of a
// path through it, another program may replace that directory (or one
// above it) with a junction, and the write lands where the junction
// points. fetch's own processes never do that (they hold the
// destination's lock, and verify checks the parent again once it is
// held), so the window is open only to another program racing fetch on
// purpose on the same machine, which the tree's threat model trusts.
type dirHandle struct {
	path string
	fi   fs.FileInfo
}

func openDirPath(path string) (*dirHandle, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: path, Err: errNotDir}
	}
	return &dirHandle{path: path, fi: pinIdentity(fi)}, nil
}

// pinIdentity makes fi remember which file it describes now. On Windows
// os.Stat and os.Lstat leave the file's ID to be read from the path when
// os.SameFile first needs it, so a FileInfo kept for sameDir would
// otherwise describe whatever is at the path at comparison time, and
// verify could never see a replaced directory. Comparing fi with itself
// reads the ID at once.
func pinIdentity(fi fs.FileInfo) fs.FileInfo {
	os.SameFile(fi, fi)
	return fi
}

func (d *dirHandle) join(name string) string { return filepath.Join(d.path, name) }

func (d *dirHandle) close() error { return nil }

func (d *dirHandle) dup() (*dirHandle, error) { c := *d; return &c, nil }

func (d *dirHandle) openDir(name string) (*dirHandle, error) {
	fi, err := os.Lstat(d.join(name))
	switch {
	case err != nil:
		return nil, err
	case linkLike(fi):
		return nil, fmt.Errorf("%s %w", d.join(name), errIsLink)
	case !fi.IsDir():
		return nil, fmt.Errorf("%s %w", d.join(name), errNotDir)
	}
	return &dirHandle{path: d.join(name), fi: pinIdentity(fi)}, nil
}

func (d *dirHandle) mkdir(name string, perm os.FileMode) error { return os.Mkdir(d.join(name), perm) }

func (d *dirHandle) readlink(name string) (string, error) { return os.Readlink(d.join(name)) }

func (d *dirHandle) lstat(name string) (fs.FileMode, error) {
	fi, err := os.Lstat(d.join(name))
	if err != nil {
		return 0, err
	}
	if linkLike(fi) {
		return fs.ModeSymlink, nil
	}
	return fi.Mode().Type(), nil
}

func (d *dirHandle) openFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	if fi, err := os.Lstat(d.join(name)); err == nil && linkLike(fi) {
		return nil, &fs.PathError{Op: "open", Path: d.join(name), Err: errIsLink}
	}
	return os.OpenFile(d.join(name), flag, perm)
}

func (d *dirHandle) remove(name string) error { return os.Remove(d.join(name)) }

func (d *dirHandle) readDir() ([]fs.DirEntry, error) { return os.ReadDir(d.path) }

func (d *dirHandle) same(name string, f *os.File) (bool, error) {
	now, err := os.Lstat(d.join(name))
	if err != nil {
		return false, err
	}
	held, err := f.Stat()
	if err != nil {
		return false, err
	}
	return os.SameFile(now, held), nil
}

func (d *dirHandle) sameDir(e *dirHandle) bool { return os.SameFile(d.fi, e.fi) }

func (d *dirHandle) marker() (vcs, name string, err error) {
	for _, m := range vcsMetadata {
		_, err := os.Lstat(d.join(m.name))
		if err == nil {
			return m.vcs, m.name, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", "", err
		}
	}
	return "", "", nil
}
