//go:build unix

package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// dirHandle is an open directory and the path it was reached by. Entries
// are opened, created and removed relative to the open directory (openat
// and friends), never by resolving the path again, so replacing a
// directory above it with a link cannot redirect them. path serves error
// messages and the tools that need a path.
type dirHandle struct {
	path string
	fd   int
}

// openDirPath opens the directory at path, following links: it is for
// the places the user chose (ROOT/src, the parent of -o DIR).
func openDirPath(path string) (*dirHandle, error) {
	fd, err := ignoringEINTR(func() (int, error) {
		return unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return &dirHandle{path: path, fd: fd}, nil
}

func (d *dirHandle) join(name string) string { return filepath.Join(d.path, name) }

func (d *dirHandle) close() error { return unix.Close(d.fd) }

// dup returns a second handle on the same directory.
func (d *dirHandle) dup() (*dirHandle, error) {
	fd, err := unix.Dup(d.fd)
	if err != nil {
		return nil, &fs.PathError{Op: "dup", Path: d.path, Err: err}
	}
	unix.CloseOnExec(fd)
	return &dirHandle{path: d.path, fd: fd}, nil
}

// openDir opens the directory d/name without following a link there. It
// returns an error matching errIsLink for a link, errNotDir for anything
// else that is not a directory, fs.ErrNotExist if nothing is there.
func (d *dirHandle) openDir(name string) (*dirHandle, error) {
	fd, err := ignoringEINTR(func() (int, error) {
		return unix.Openat(d.fd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	})
	if err == nil {
		return &dirHandle{path: d.join(name), fd: fd}, nil
	}
	if errors.Is(err, unix.ENOENT) {
		return nil, &fs.PathError{Op: "open", Path: d.join(name), Err: fs.ErrNotExist}
	}
	// O_NOFOLLOW|O_DIRECTORY on a link fails with ELOOP or ENOTDIR
	// depending on the system: look at what is there.
	var st unix.Stat_t
	if serr := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); serr == nil {
		switch st.Mode & unix.S_IFMT {
		case unix.S_IFLNK:
			return nil, fmt.Errorf("%s %w", d.join(name), errIsLink)
		case unix.S_IFDIR:
		default:
			return nil, fmt.Errorf("%s %w", d.join(name), errNotDir)
		}
	}
	return nil, &fs.PathError{Op: "open", Path: d.join(name), Err: err}
}

// mkdir makes the directory d/name; an existing entry gives fs.ErrExist.
func (d *dirHandle) mkdir(name string, perm os.FileMode) error {
	err := ignoringEINTR0(func() error { return unix.Mkdirat(d.fd, name, uint32(perm.Perm())) })
	if err != nil {
		return &fs.PathError{Op: "mkdir", Path: d.join(name), Err: err}
	}
	return nil
}

// readlink returns the target of the link d/name.
func (d *dirHandle) readlink(name string) (string, error) {
	for n := 256; n <= 1<<16; n *= 2 {
		buf := make([]byte, n)
		k, err := unix.Readlinkat(d.fd, name, buf)
		if err != nil {
			return "", &fs.PathError{Op: "readlink", Path: d.join(name), Err: err}
		}
		if k < n {
			return string(buf[:k]), nil
		}
	}
	return "", &fs.PathError{Op: "readlink", Path: d.join(name), Err: unix.ENAMETOOLONG}
}

// lstat reports the type bits of d/name (fs.ModeDir, fs.ModeSymlink, 0
// for a regular file...) without following a link; fs.ErrNotExist if
// nothing is there.
func (d *dirHandle) lstat(name string) (fs.FileMode, error) {
	var st unix.Stat_t
	if err := unix.Fstatat(d.fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return 0, &fs.PathError{Op: "lstat", Path: d.join(name), Err: err}
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return fs.ModeDir, nil
	case unix.S_IFLNK:
		return fs.ModeSymlink, nil
	case unix.S_IFREG:
		return 0, nil
	}
	return fs.ModeIrregular, nil
}

// openFile opens d/name, refusing to follow a link there.
func (d *dirHandle) openFile(name string, flag int, perm os.FileMode) (*os.File, error) {
	fd, err := ignoringEINTR(func() (int, error) {
		return unix.Openat(d.fd, name, flag|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm.Perm()))
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: d.join(name), Err: err}
	}
	return os.NewFile(uintptr(fd), d.join(name)), nil
}

// remove removes the file d/name.
func (d *dirHandle) remove(name string) error {
	if err := unix.Unlinkat(d.fd, name, 0); err != nil {
		return &fs.PathError{Op: "remove", Path: d.join(name), Err: err}
	}
	return nil
}

// readDir lists d.
func (d *dirHandle) readDir() ([]fs.DirEntry, error) {
	fd, err := ignoringEINTR(func() (int, error) {
		return unix.Openat(d.fd, ".", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: d.path, Err: err}
	}
	f := os.NewFile(uintptr(fd), d.path)
	defer f.Close()
	return f.ReadDir(-1)
}

// same reports whether d/name, not followed, is the file f.
func (d *dirHandle) same(name string, f *os.File) (bool, error) {
	var now, held unix.Stat_t
	if err := unix.Fstatat(d.fd, name, &now, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return false, &fs.PathError{Op: "lstat", Path: d.join(name), Err: err}
	}
	if err := unix.Fstat(int(f.Fd()), &held); err != nil {
		return false, &fs.PathError{Op: "fstat", Path: f.Name(), Err: err}
	}
	return now.Dev == held.Dev && now.Ino == held.Ino, nil
}

// sameDir reports whether d and e are the same directory.
func (d *dirHandle) sameDir(e *dirHandle) bool {
	var a, b unix.Stat_t
	if unix.Fstat(d.fd, &a) != nil || unix.Fstat(e.fd, &b) != nil {
		return false
	}
	return a.Dev == b.Dev && a.Ino == b.Ino
}

// marker reports the first version control metadata entry in d, of any
// type, in the order of vcsMetadata.
func (d *dirHandle) marker() (vcs, name string, err error) {
	for _, m := range vcsMetadata {
		_, err := d.lstat(m.name)
		if err == nil {
			return m.vcs, m.name, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", "", err
		}
	}
	return "", "", nil
}

func ignoringEINTR(f func() (int, error)) (int, error) {
	for {
		fd, err := f()
		if !errors.Is(err, unix.EINTR) {
			return fd, err
		}
	}
}

func ignoringEINTR0(f func() error) error {
	_, err := ignoringEINTR(func() (int, error) { return 0, f() })
	return err
}
