package tree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The errors a placement fails with, matched with errors.Is. Each comes
// wrapped in a *PlaceError that names the entry in the way.
var (
	// ErrInvalidPath: the tree path breaks a rule of CheckPath.
	ErrInvalidPath = errors.New("invalid tree path")
	// ErrSymlinkParent: a directory between ROOT/src and the destination is
	// a symbolic link. fetch never writes through one. On Windows a
	// junction or any other reparse point counts as a link.
	ErrSymlinkParent = errors.New("symbolic link above the destination")
	// ErrNotDirParent: an entry between ROOT/src and the destination is a
	// file, not a directory.
	ErrNotDirParent = errors.New("file above the destination")
	// ErrNested: a directory between ROOT/src and the destination holds
	// version control metadata, so the destination is inside another
	// checkout (the Go command refuses this too, CVE-2025-4674).
	ErrNested = errors.New("destination inside another checkout")
	// ErrChanged: a directory above the destination was replaced while it
	// was being placed.
	ErrChanged = errors.New("tree changed while placing")
)

// PlaceError is the error Place, Placement.Lock and Placement.Stage
// return when the destination's parents are unusable.
type PlaceError struct {
	// Dest is the destination asked for.
	Dest string
	// Entry is the absolute path of the entry in the way.
	Entry string
	// Target is the link's target, for ErrSymlinkParent.
	Target string
	// VCS is the version control system of the checkout Entry, for ErrNested.
	VCS string
	// Err is one of the Err* variables of this package.
	Err error
}

// Error says what is in the way, then what to do.
func (e *PlaceError) Error() string {
	switch e.Err {
	case ErrSymlinkParent:
		return fmt.Sprintf("%s is a symbolic link to %s; fetch never writes through a link in the tree: remove it or choose another destination with -o", e.Entry, e.Target)
	case ErrNotDirParent:
		return fmt.Sprintf("%s is a file, not a directory, so %s cannot be placed below it; move it away or choose another destination with -o", e.Entry, e.Dest)
	case ErrNested:
		return fmt.Sprintf("%s is inside the %s checkout %s; fetch does not place a repository inside another checkout: move it away or choose another destination with -o", e.Dest, e.VCS, e.Entry)
	case ErrChanged:
		return fmt.Sprintf("%s was replaced while fetch was placing %s; run fetch again", e.Entry, e.Dest)
	}
	return fmt.Sprintf("placing %s: %v", e.Dest, e.Err)
}

// Unwrap returns Err.
func (e *PlaceError) Unwrap() error { return e.Err }

// Where names a destination: ROOT/src/<Path>, or the directory Out that
// the user chose with -o.
type Where struct {
	// Root is ROOT, the top of the tree; relative is made absolute.
	Root string
	// Path is the tree path <path> of ROOT/src/<path>, slash-separated.
	Path string
	// Out, when set, is the destination itself and Root and Path are not
	// used: its parents are the user's choice and are not vetted.
	Out string
}

// Mode says how much Place does.
type Mode int

// The modes of Place.
const (
	// Compute checks the tree path and computes the destination, without
	// looking at the filesystem (resolving a source).
	Compute Mode = iota
	// Inspect also vets the parents that exist and creates nothing (a dry
	// run refuses what a real run would refuse).
	Inspect
	// Create also creates the missing parents, one level at a time, and
	// keeps the destination's parent directory open for Lock and Stage.
	Create
)

// Placement is a destination that Place vetted. Close it when done.
type Placement struct {
	// Dest is the absolute destination directory.
	Dest string
	// Src is ROOT/src, or "" for an Out destination.
	Src string

	elems  []string   // the tree path's elements
	parent *dirHandle // the open parent, nil in Compute mode or if it is missing
}

// Place is the one placement rule of fetch: every write into the tree,
// and every dry run, goes through it.
//
// For a tree path, the path must pass CheckPath, and the destination is
// ROOT/src/<path>. ROOT and ROOT/src may be symbolic links (the user's
// choice), but with Inspect or Create every directory strictly between
// ROOT/src and the destination must be a real directory, never a symbolic
// link (ErrSymlinkParent) or a file (ErrNotDirParent), and must not hold
// the metadata of any version control system (ErrNested): fetch does not
// place a repository inside another checkout. With Create the missing
// directories are made one at a time, each opened without following a
// link relative to the one above, so a link planted or renamed into place
// meanwhile is found rather than followed.
//
// For Out, the destination is Out made absolute, and its parent is
// created with os.MkdirAll if missing (with Create) and not vetted.
//
// The destination itself is not examined: Kind does that.
func Place(w Where, mode Mode) (*Placement, error) {
	p, err := computeDest(w)
	if err != nil || mode == Compute {
		return p, err
	}
	if p.Src == "" {
		parent := filepath.Dir(p.Dest)
		if mode == Create {
			if err := os.MkdirAll(parent, 0o755); err != nil {
				return nil, fmt.Errorf("creating the parent of %s: %w", p.Dest, err)
			}
		}
		d, err := openDirPath(parent)
		if errors.Is(err, fs.ErrNotExist) && mode == Inspect {
			return p, nil
		}
		if err != nil {
			return nil, fmt.Errorf("opening the parent of %s: %w", p.Dest, err)
		}
		p.parent = d
		return p, nil
	}
	if mode == Create {
		if err := os.MkdirAll(p.Src, 0o755); err != nil {
			return nil, fmt.Errorf("creating %s: %w", p.Src, err)
		}
	}
	d, err := p.walk(mode == Create)
	if err != nil {
		return nil, err
	}
	p.parent = d
	return p, nil
}

// computeDest does Compute's work.
func computeDest(w Where) (*Placement, error) {
	if w.Out != "" {
		d, err := filepath.Abs(w.Out)
		if err != nil {
			return nil, fmt.Errorf("destination %q: %w", w.Out, err)
		}
		if filepath.Dir(d) == d {
			return nil, fmt.Errorf("destination %s has no parent directory to place it in; choose another destination with -o", d)
		}
		return &Placement{Dest: d}, nil
	}
	if w.Root == "" {
		return nil, fmt.Errorf("cannot place %q: the tree's root is empty", w.Path)
	}
	if err := CheckPath(w.Path); err != nil {
		return nil, err
	}
	root, err := filepath.Abs(w.Root)
	if err != nil {
		return nil, fmt.Errorf("cannot place %q: root %q: %w", w.Path, w.Root, err)
	}
	src := filepath.Join(root, "src")
	return &Placement{
		Dest:  filepath.Join(src, filepath.FromSlash(w.Path)),
		Src:   src,
		elems: strings.Split(w.Path, "/"),
	}, nil
}

// walk opens ROOT/src and then each directory down to the destination's
// parent, never following a symbolic link, checking each for checkout
// metadata and (with create) making the missing ones. It returns the
// parent, or nil if it is missing and create is false.
//
// A symbolic link is reported in preference to a checkout above it, since
// it is the more dangerous of the two. Once a checkout is found nothing
// more is created: the rest is only looked at, to find such a link.
func (p *Placement) walk(create bool) (*dirHandle, error) {
	cur, err := openDirPath(p.Src)
	if errors.Is(err, fs.ErrNotExist) && !create {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", p.Src, err)
	}
	var nested *PlaceError
	for _, e := range p.elems[:len(p.elems)-1] {
		next, err := cur.openDir(e)
		if errors.Is(err, fs.ErrNotExist) && create && nested == nil {
			if err = cur.mkdir(e, 0o755); err == nil || errors.Is(err, fs.ErrExist) {
				// Whatever is there now, made by us or by a racing
				// worker, is opened without following a link.
				next, err = cur.openDir(e)
			}
		}
		if errors.Is(err, fs.ErrNotExist) {
			cur.close()
			if nested != nil {
				return nil, nested
			}
			return nil, nil // not there yet: nothing below it exists either
		}
		if err != nil {
			perr := p.entryError(cur, e, err)
			cur.close()
			return nil, perr
		}
		cur.close()
		cur = next
		if nested == nil {
			vcs, _, err := cur.marker()
			if err != nil {
				cur.close()
				return nil, fmt.Errorf("inspecting %s: %w", cur.path, err)
			}
			if vcs != "" {
				nested = &PlaceError{Dest: p.Dest, Entry: cur.path, VCS: vcs, Err: ErrNested}
			}
		}
	}
	if nested != nil {
		cur.close()
		return nil, nested
	}
	return cur, nil
}

// entryError turns the error of opening d/name as a directory into a
// *PlaceError, or wraps it with the path.
func (p *Placement) entryError(d *dirHandle, name string, err error) error {
	entry := filepath.Join(d.path, name)
	switch {
	case errors.Is(err, errIsLink):
		target, rerr := d.readlink(name)
		if rerr != nil {
			target = "an unreadable target"
		}
		return &PlaceError{Dest: p.Dest, Entry: entry, Target: target, Err: ErrSymlinkParent}
	case errors.Is(err, errNotDir):
		return &PlaceError{Dest: p.Dest, Entry: entry, Err: ErrNotDirParent}
	}
	return fmt.Errorf("opening %s: %w", entry, err)
}

// verify checks, once the caller holds the destination's lock, that the
// path of the parent still leads to the directory Place opened, through
// real directories and no checkout. Between Place's walk and the lock a
// racing worker may have removed an empty directory that Place made and
// renamed a checkout into its place; once the lock file is in the parent
// the parent is not empty and fetch removes only empty directories, so
// after this check nothing fetch does can replace it. (Another program
// replacing directories in the tree on purpose is outside what this
// guards against: the machine is trusted.)
func (p *Placement) verify() error {
	var now *dirHandle
	var err error
	if p.Src == "" {
		now, err = openDirPath(filepath.Dir(p.Dest))
	} else {
		now, err = p.walk(false)
		if err == nil && now == nil {
			err = fs.ErrNotExist
		}
	}
	if err != nil {
		var perr *PlaceError
		if errors.As(err, &perr) {
			return err
		}
		return &PlaceError{Dest: p.Dest, Entry: filepath.Dir(p.Dest), Err: ErrChanged}
	}
	defer now.close()
	if !now.sameDir(p.parent) {
		return &PlaceError{Dest: p.Dest, Entry: filepath.Dir(p.Dest), Err: ErrChanged}
	}
	return nil
}

// Close releases the open parent directory. It is harmless to call it
// more than once, or on a nil Placement.
func (p *Placement) Close() error {
	if p == nil || p.parent == nil {
		return nil
	}
	err := p.parent.close()
	p.parent = nil
	return err
}

// Marker reports the first version control metadata entry present in dir,
// of any type (a link or a file named .git counts), in the order of the
// table Kind uses. ok is false if there is none.
func Marker(dir string) (vcs, name string, ok bool) {
	for _, m := range vcsMetadata {
		if _, err := os.Lstat(filepath.Join(dir, m.name)); err == nil {
			return m.vcs, m.name, true
		}
	}
	return "", "", false
}

// errIsLink and errNotDir are what dirHandle.openDir returns for an entry
// that is a symbolic link or not a directory.
var (
	errIsLink = errors.New("is a symbolic link")
	errNotDir = errors.New("is not a directory")
)
