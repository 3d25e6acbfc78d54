package vcs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// vetSvn checks the checkout at dir before svn runs there. Subversion
// reads no configuration from a working copy (only the user's
// ~/.subversion and the system's), so nothing there can name a program;
// the repository URL it records is checked like any remote before an
// update. What remains is where svn writes: .svn, and those of nested
// working copies (externals), must be real directories without symbolic
// links (a linked pristine store would be written through).
func vetSvn(dir string) error {
	top, err := metaDir("svn", dir, ".svn")
	if err != nil {
		return err
	}
	if err := walkMeta("svn", dir, top, nil, nil); err != nil {
		return err
	}
	return walkNested(dir, top, ".svn", func(p string, d fs.DirEntry) error {
		if !d.IsDir() {
			return untrusted("svn", dir, p, "", "is not a directory")
		}
		return walkMeta("svn", dir, p, nil, nil)
	})
}

// bzrAllowed are the keys accepted in .bzr/branch/branch.conf: where the
// branch came from and where it would be pushed, which brz only reads.
// Others, such as bound and bound_location (a pull would also commit to
// that branch) or hook and signing commands, are refused.
var bzrAllowed = set("parent_location", "push_location", "submit_branch", "public_branch", "nickname", "append_revisions_only")

// vetBzr checks the checkout at dir before brz runs there: .bzr is a real
// directory without symbolic links; it holds its own branch and repository
// (a branch without one makes brz look for a shared repository in the
// directories above); the branch is not a reference to a branch elsewhere
// (.bzr/branch/location, which brz would update instead); and every key of
// branch.conf is in bzrAllowed. User and system configuration
// (~/.config/breezy) is trusted and read as usual.
func vetBzr(dir string) error {
	top, err := metaDir("bzr", dir, ".bzr")
	if err != nil {
		return err
	}
	if err := walkMeta("bzr", dir, top, nil, nil); err != nil {
		return err
	}
	if err := refuseFiles("bzr", dir, top, map[string]string{
		"branch/location": "makes the checkout a reference to a branch elsewhere, which brz would change instead",
	}); err != nil {
		return err
	}
	for _, sub := range []string{"branch", "repository", "checkout"} {
		if fi, err := os.Lstat(filepath.Join(top, sub)); err != nil || !fi.IsDir() {
			return untrusted("bzr", dir, top, "", "has no "+sub+" of its own, so brz would look for one elsewhere")
		}
	}
	conf := filepath.Join(top, "branch", "branch.conf")
	data, err := os.ReadFile(conf)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("bzr checkout %s: %w", dir, err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		k = strings.TrimSpace(k)
		if !ok {
			return untrusted("bzr", dir, conf, "", fmt.Sprintf("cannot be read by fetch (line %d)", i+1))
		}
		if !bzrAllowed[k] {
			why := "is not on fetch's list of settings known to be harmless"
			if strings.HasPrefix(k, "bound") {
				why = "binds the branch to another, which a pull would change too"
			}
			return untrusted("bzr", dir, conf, k, why)
		}
		if !plainValue(strings.TrimSpace(v)) {
			return untrusted("bzr", dir, conf, k, "has a value fetch does not accept")
		}
	}
	return nil
}

// vetFossil checks the checkout at dir before fossil runs there: the
// checkout database (.fslckout or _FOSSIL_) and the repository fetch keeps
// beside it (.fossil) are regular files, not links to another checkout or
// repository. The settings stored inside those databases are checked by
// vetFossilSettings.
func vetFossil(dir string) error {
	var ckout string
	for _, name := range []string{".fslckout", "_FOSSIL_"} {
		p := filepath.Join(dir, name)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("fossil checkout %s: %w", dir, err)
		}
		if !fi.Mode().IsRegular() {
			return untrusted("fossil", dir, p, "", "is not a regular file, which could make fossil read or write another checkout")
		}
		if ckout != "" {
			return untrusted("fossil", dir, p, "", "is a second checkout database beside "+filepath.Base(ckout))
		}
		ckout = p
	}
	if ckout == "" {
		return untrusted("fossil", dir, dir, "", "has no fossil checkout database")
	}
	repo := filepath.Join(dir, fossilRepoFile)
	fi, err := os.Lstat(repo)
	if err != nil || !fi.Mode().IsRegular() {
		return untrusted("fossil", dir, repo, "", "is not a regular file: fetch keeps the repository of its fossil checkouts there")
	}
	return vetFossilSettings(dir, ckout, repo)
}
