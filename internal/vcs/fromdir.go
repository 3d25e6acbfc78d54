package vcs

import (
	"fmt"
	"os"
	"path/filepath"
)

// FromDir finds the checkout that contains dir: it looks in dir and its
// parents, up to but not including stopAt (the tree's src directory; empty
// means the filesystem root), and returns the system and the checkout's
// root.
//
// It keeps looking after the first match and refuses a tree where another
// system's metadata appears too ("multiple VCS detected"), in the same
// directory or above: a checkout planted inside another could otherwise
// make fetch run the wrong tool on an untrusted tree (CVE-2025-4674,
// CVE-2017-15041). Git inside git is allowed, as submodules are. When no
// checkout is found the error wraps os.ErrNotExist.
func FromDir(dir, stopAt string) (*Cmd, string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, "", fmt.Errorf("find checkout of %s: %w", dir, err)
	}
	if stopAt != "" {
		if stopAt, err = filepath.Abs(stopAt); err != nil {
			return nil, "", fmt.Errorf("find checkout of %s: %w", dir, err)
		}
		rel, err := filepath.Rel(stopAt, dir)
		if err != nil || rel == "." || !filepath.IsLocal(rel) {
			return nil, "", fmt.Errorf("directory %q is not inside %q", dir, stopAt)
		}
	}

	var found *Cmd
	var root string
	for d := dir; d != stopAt; {
		for _, c := range vcsList {
			if !isRoot(d, c.RootNames) {
				continue
			}
			switch {
			case found == nil:
				found, root = c, d
			case found == vcsGit && c == vcsGit:
				// Git protects itself against git nested in git.
			default:
				return nil, "", fmt.Errorf("multiple VCS detected: %s in %q, and %s in %q", found.Name, root, c.Name, d)
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if found == nil {
		return nil, "", fmt.Errorf("directory %q is not using a known version control system: %w", dir, os.ErrNotExist)
	}
	return found, root, nil
}

// isRoot reports whether dir holds one of the root names. Symlinks are
// followed, as the tools follow them; a dangling one counts too, since it
// is no accident in a checkout.
func isRoot(dir string, names []RootName) bool {
	for _, n := range names {
		p := filepath.Join(dir, n.Name)
		fi, err := os.Stat(p)
		if err != nil {
			if li, lerr := os.Lstat(p); lerr == nil && li.Mode()&os.ModeSymlink != 0 {
				return true
			}
			continue
		}
		if (fi.IsDir() && n.Dir) || (fi.Mode().IsRegular() && n.File) {
			return true
		}
	}
	return false
}
