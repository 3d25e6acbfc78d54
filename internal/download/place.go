package download

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	getter "github.com/hashicorp/go-getter/v2"
)

// checkDst requires an existing, empty directory.
func checkDst(dst string) error {
	if dst == "" {
		return errors.New("no destination directory")
	}
	ents, err := os.ReadDir(dst)
	if err != nil {
		return fmt.Errorf("destination: %w", err)
	}
	if len(ents) > 0 {
		return fmt.Errorf("destination %s is not empty: Get fills an empty directory", dst)
	}
	return nil
}

// placeFile moves a single downloaded or decompressed file into Dst.
func (s *session) placeFile(file string, res *Result) error {
	if s.src.subdir != "" {
		return sourceError(s.src.shown, fmt.Errorf("//%s needs a directory or an archive, but the source is a single file", s.src.subdir))
	}
	name, err := s.fileName()
	if err != nil {
		return err
	}
	res.File = name
	return move(file, filepath.Join(s.req.Dst, name))
}

// placeDir moves the content of a fetched or extracted tree into Dst, or
// the one entry its subdir pattern matches.
func (s *session) placeDir(root string, res *Result) error {
	if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
		return sourceError(s.src.shown, errors.New("the download produced nothing"))
	}
	if err := checkTree(root); err != nil {
		return sourceError(s.src.shown, err)
	}
	if s.src.subdir == "" {
		return moveChildren(root, s.req.Dst)
	}
	match, err := getter.SubdirGlob(root, s.src.subdir)
	if err != nil {
		return sourceError(s.src.shown, err)
	}
	rel, err := noLinkOnTheWay(root, match)
	if err != nil {
		return sourceError(s.src.shown, err)
	}
	res.Subdir = filepath.ToSlash(rel)
	if res.Subdir != s.src.subdir {
		s.note(fmt.Sprintf("subdir %s matched %s", s.src.subdir, res.Subdir))
	}
	fi, err := os.Lstat(match)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		res.File = filepath.Base(match)
		return move(match, filepath.Join(s.req.Dst, res.File))
	}
	return moveChildren(match, s.req.Dst)
}

// noLinkOnTheWay returns match relative to root, and an error when a path
// element between them is a symbolic link: the glob follows links, and a
// link in what was fetched (root -> /) would make //root/etc name a
// directory of the host, which moving it into Dst would take away
// (CVE-2025-8959, which go-getter v2 does not guard against). The getters
// here write no links; this holds even if one did.
func noLinkOnTheWay(root, match string) (string, error) {
	rel, err := filepath.Rel(root, match)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("subdir match %s is outside what was fetched", match)
	}
	p := root
	for _, el := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, el)
		fi, err := os.Lstat(p)
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			r, _ := filepath.Rel(root, p)
			return "", fmt.Errorf("the subdir leads through %s, a symbolic link in what was fetched: it must stay inside it", filepath.ToSlash(r))
		}
	}
	return rel, nil
}

// moveChildren renames every entry of dir into dst.
func moveChildren(dir, dst string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	// Taking entries out of dir needs write permission on it, which an
	// archive may have removed.
	if err := os.Chmod(dir, 0o700); err != nil {
		return err
	}
	for _, e := range ents {
		if err := move(filepath.Join(dir, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// move renames p to target, which must not exist. rename(2) of a directory
// to a new parent must update its ".." entry, so a read-only directory is
// made writable for the move and given its mode back after.
func move(p, target string) error {
	if _, err := os.Lstat(target); err == nil {
		return fmt.Errorf("cannot place %s: %s already exists", filepath.Base(p), target)
	}
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if perm := fi.Mode().Perm(); fi.IsDir() && perm&0o200 == 0 {
		if err := os.Chmod(p, perm|0o200); err != nil {
			return err
		}
		defer os.Chmod(target, perm)
	}
	return os.Rename(p, target)
}

// removeAll removes p even when an archive left read-only directories in
// it, whose entries cannot be removed until they are writable again.
func removeAll(p string) error {
	if err := os.RemoveAll(p); err == nil {
		return nil
	}
	_ = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(q, 0o700)
		}
		return nil
	})
	return os.RemoveAll(p)
}

// emptyDir removes everything inside dir, keeping dir itself.
func emptyDir(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range ents {
		errs = append(errs, removeAll(filepath.Join(dir, e.Name())))
	}
	return errors.Join(errs...)
}
