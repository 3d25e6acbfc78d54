package vcs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrUntrustedConfig is what errors.Is finds in every refusal to run a
// version control command in a checkout whose metadata fetch cannot vouch
// for (see UntrustedMetadataError).
var ErrUntrustedConfig = errors.New("untrusted repository metadata")

// UntrustedMetadataError says why fetch refused to run a version control
// command in an existing checkout: a file of its metadata, or a setting in
// one, could run a program, load another file or send the tool somewhere
// else. Everything under ROOT/src may have been written by someone else (an
// archive can unpack a .git directory anywhere), so fetch reads the
// metadata itself first and accepts only what it knows to be inert.
type UntrustedMetadataError struct {
	// VCS is the system whose metadata was refused (git, hg, svn, bzr,
	// fossil).
	VCS string
	// Dir is the checkout.
	Dir string
	// File is the file or directory at fault.
	File string
	// Key is the configuration setting at fault, section.name as the tool
	// spells it, or empty when the file itself is the problem.
	Key string
	// Why says what the setting or file could do, as a phrase: "could run
	// a program".
	Why string
}

// Error says what is wrong and what to do, in one line.
func (e *UntrustedMetadataError) Error() string {
	what := e.File + " " + e.Why
	if e.Key != "" {
		what = e.File + " sets " + e.Key + ", which " + e.Why
	}
	return fmt.Sprintf("%s; fetch only runs %s in checkouts whose configuration it can vouch for: inspect it, or move the directory away",
		what, e.VCS)
}

// Is reports whether target is ErrUntrustedConfig.
func (e *UntrustedMetadataError) Is(target error) bool { return target == ErrUntrustedConfig }

// vet checks the metadata of the checkout at dir (absolute, and a root of
// c) before any command of c runs there. Every method that runs a command
// in an existing checkout calls it through checkRoot.
func (c *Cmd) vet(dir string) error {
	switch c.name {
	case "git":
		return vetGit(dir)
	case "hg":
		return vetHg(dir)
	case "svn":
		return vetSvn(dir)
	case "bzr":
		return vetBzr(dir)
	case "fossil":
		return vetFossil(dir)
	}
	return fmt.Errorf("fetch cannot check the metadata of %s checkouts", c.name)
}

// untrusted builds the error for vcs in dir.
func untrusted(vcs, dir, file, key, why string) error {
	return &UntrustedMetadataError{VCS: vcs, Dir: dir, File: file, Key: key, Why: why}
}

// metaDir checks that dir/name is a real directory: not a symbolic link
// (which would make the tool read and write another repository), not a
// file (a git "gitfile" pointing elsewhere).
func metaDir(vcs, dir, name string) (string, error) {
	p := filepath.Join(dir, name)
	fi, err := os.Lstat(p)
	if err != nil {
		return "", fmt.Errorf("%s checkout %s: %w", vcs, dir, err)
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return "", untrusted(vcs, dir, p, "", "is a symbolic link, which would make "+vcs+" read and write the repository it points at")
	case fi.Mode().IsRegular() && vcs == "git":
		return "", untrusted(vcs, dir, p, "", "is a file naming the repository elsewhere (a gitfile), which fetch never makes")
	case !fi.IsDir():
		return "", untrusted(vcs, dir, p, "", "is not a directory")
	}
	return p, nil
}

// refuseFiles refuses the first of names (relative to meta) that exists.
func refuseFiles(vcs, dir, meta string, names map[string]string) error {
	for name, why := range names {
		p := filepath.Join(meta, filepath.FromSlash(name))
		if _, err := os.Lstat(p); err == nil {
			return untrusted(vcs, dir, p, "", why)
		} else if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrInvalid) {
			return fmt.Errorf("%s checkout %s: %w", vcs, dir, err)
		}
	}
	return nil
}

// walkMeta walks a metadata directory and refuses symbolic links (which
// would make the tool write elsewhere: a linked objects or store
// directory) and anything that is neither a file nor a directory (a fifo
// in place of a configuration file would hang the tool). allowLink names
// links a tool itself makes (hg's lock files); check, when not nil, sees
// every entry and may refuse it.
func walkMeta(vcs, dir, meta string, allowLink func(rel string) bool, check func(rel string, d fs.DirEntry) error) error {
	return filepath.WalkDir(meta, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s checkout %s: %w", vcs, dir, err)
		}
		rel, _ := filepath.Rel(meta, p)
		rel = filepath.ToSlash(rel)
		t := d.Type()
		switch {
		case t&fs.ModeSymlink != 0:
			if allowLink == nil || !allowLink(rel) {
				return untrusted(vcs, dir, p, "", "is a symbolic link, which could make "+vcs+" read or write outside the checkout")
			}
		case t&^fs.ModeDir != 0:
			return untrusted(vcs, dir, p, "", "is neither a file nor a directory")
		}
		if check != nil {
			return check(rel, d)
		}
		return nil
	})
}

// walkNested walks the working tree of the checkout at dir, not entering
// its own metadata directory top, and calls found for every entry named
// name below: nested checkouts (git submodules, hg subrepositories, svn
// externals) that a command in dir may enter.
func walkNested(dir, top, name string, found func(p string, d fs.DirEntry) error) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("checkout %s: %w", dir, err)
		}
		if p == top {
			return fs.SkipDir
		}
		if d.Name() != name || p == dir {
			return nil
		}
		if err := found(p, d); err != nil {
			return err
		}
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
}

// within reports whether p is dir or below it, lexically.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && filepath.IsLocal(rel)
}

// plainValue reports whether a configuration value is free of control
// characters.
func plainValue(v string) bool {
	return !strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
