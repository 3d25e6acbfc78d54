package tree

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
)

// Class says what occupies a destination.
type Class int

// The classes of State.
const (
	// Missing: nothing is there.
	Missing Class = iota
	// EmptyDir: an empty directory.
	EmptyDir
	// Checkout: a directory with version control metadata at its top.
	Checkout
	// Directory: a non-empty directory that is not a checkout.
	Directory
	// File: a regular file, device, socket or pipe.
	File
	// Symlink: a symbolic link, which is reported and never followed.
	Symlink
)

var classNames = [...]string{"missing", "empty directory", "checkout", "directory", "file", "symlink"}

// String returns a short English name for c.
func (c Class) String() string {
	if c < 0 || int(c) >= len(classNames) {
		return fmt.Sprintf("Class(%d)", int(c))
	}
	return classNames[c]
}

// State describes what is at a destination.
type State struct {
	Is Class
	// VCS is "git", "hg", "svn", "bzr" or "fossil" for a Checkout.
	VCS string
	// Metadata is the name of the metadata entry found for a Checkout,
	// such as ".git".
	Metadata string
	// Target is the link's target for a Symlink.
	Target string
}

// ErrMultipleVCS is matched by the error Kind returns for a directory that
// holds the metadata of more than one version control system. Running
// either one there could let a hostile repository steer it (CVE-2025-4674),
// so callers should refuse to touch it.
var ErrMultipleVCS = errors.New("multiple version control systems")

// vcsMetadata is what marks the top of a checkout: the markers of
// vcsinfo's table, in its order. Kind, Marker and the nesting check of
// Place all read this list.
var vcsMetadata = metadataFromTable()

type metadataEntry struct {
	vcs, name string
	dir, file bool
}

func metadataFromTable() []metadataEntry {
	var out []metadataEntry
	for _, m := range vcsinfo.Markers() {
		out = append(out, metadataEntry{vcs: m.System, name: m.Name, dir: m.Dir, file: m.File})
	}
	return out
}

// Kind reports what is at dest without following a symlink at dest itself.
// Metadata entries inside a directory are followed like the VCS tools
// follow them. For a directory with several systems' metadata, Kind
// returns the first it finds (as a Checkout) and an error matching
// ErrMultipleVCS.
func Kind(dest string) (State, error) {
	fi, err := os.Lstat(dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return State{Is: Missing}, nil
	case err != nil:
		return State{}, fmt.Errorf("inspecting %s: %w", dest, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(dest)
		if err != nil {
			return State{}, fmt.Errorf("inspecting %s: %w", dest, err)
		}
		return State{Is: Symlink, Target: target}, nil
	case !fi.IsDir():
		return State{Is: File}, nil
	}

	var found State
	for _, m := range vcsMetadata {
		mi, err := os.Stat(filepath.Join(dest, m.name))
		if err != nil || !(m.dir && mi.IsDir() || m.file && mi.Mode().IsRegular()) {
			continue
		}
		if found.Is != Checkout {
			found = State{Is: Checkout, VCS: m.vcs, Metadata: m.name}
		} else if found.VCS != m.vcs {
			return found, fmt.Errorf("inspecting %s: %s (%s) and %s (%s) metadata in one directory: %w",
				dest, found.VCS, found.Metadata, m.vcs, m.name, ErrMultipleVCS)
		}
	}
	if found.Is == Checkout {
		return found, nil
	}

	d, err := os.Open(dest)
	if err != nil {
		return State{}, fmt.Errorf("inspecting %s: %w", dest, err)
	}
	defer d.Close()
	if _, err := d.Readdirnames(1); errors.Is(err, io.EOF) {
		return State{Is: EmptyDir}, nil
	} else if err != nil {
		return State{}, fmt.Errorf("inspecting %s: %w", dest, err)
	}
	return State{Is: Directory}, nil
}
