//go:build !unix

package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// dirHandle is a directory and the path it was reached by. Without openat
// this fallback checks each entry by path just before using it, which
// leaves a window in which a directory above could be replaced; Stage
// cannot run on these systems anyway (see flockNB).
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
	return &dirHandle{path: path, fi: fi}, nil
}

func (d *dirHandle) join(name string) string { return filepath.Join(d.path, name) }

func (d *dirHandle) close() error { return nil }

func (d *dirHandle) dup() (*dirHandle, error) { c := *d; return &c, nil }

func (d *dirHandle) openDir(name string) (*dirHandle, error) {
	fi, err := os.Lstat(d.join(name))
	switch {
	case err != nil:
		return nil, err
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, fmt.Errorf("%s %w", d.join(name), errIsLink)
	case !fi.IsDir():
		return nil, fmt.Errorf("%s %w", d.join(name), errNotDir)
	}
	return &dirHandle{path: d.join(name), fi: fi}, nil
}

func (d *dirHandle) mkdir(name string, perm os.FileMode) error { return os.Mkdir(d.join(name), perm) }

func (d *dirHandle) readlink(name string) (string, error) { return os.Readlink(d.join(name)) }

func (d *dirHandle) lstat(name string) (fs.FileMode, error) {
	fi, err := os.Lstat(d.join(name))
	if err != nil {
		return 0, err
	}
	return fi.Mode().Type(), nil
}

func (d *dirHandle) openFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	if fi, err := os.Lstat(d.join(name)); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
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
