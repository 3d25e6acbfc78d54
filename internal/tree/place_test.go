package tree

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sandbox is a tree root and a directory outside it, which no placement
// may ever touch.
type sandbox struct {
	root, src, outside string
}

func newSandbox(t testing.TB) sandbox {
	base := t.TempDir()
	s := sandbox{
		root:    filepath.Join(base, "root"),
		outside: filepath.Join(base, "outside"),
	}
	s.src = filepath.Join(s.root, "src")
	for _, d := range []string{s.src, s.outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(s.outside, "keep"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	return s
}

// snapshot lists every entry below dir, without following links.
func snapshot(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		out = append(out, p+" "+d.Type().String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (s sandbox) mkdir(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(s.src, filepath.FromSlash(rel))
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func (s sandbox) symlink(t testing.TB, target, rel string) string {
	t.Helper()
	p := filepath.Join(s.src, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func placeErr(t *testing.T, err error, want error) *PlaceError {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want one matching %v", err, want)
	}
	var perr *PlaceError
	if !errors.As(err, &perr) {
		t.Fatalf("error %v is not a *PlaceError", err)
	}
	return perr
}

func TestPlaceRefusesSymlinkParent(t *testing.T) {
	t.Parallel()
	for _, mode := range []Mode{Inspect, Create} {
		s := newSandbox(t)
		link := s.symlink(t, s.outside, "example.org/x")
		before := snapshot(t, s.outside)
		p, err := Place(Where{Root: s.root, Path: "example.org/x/sub/repo"}, mode)
		if err == nil {
			p.Close()
		}
		perr := placeErr(t, err, ErrSymlinkParent)
		if perr.Entry != link || perr.Target != s.outside {
			t.Errorf("mode %d: error names %s -> %s, want %s -> %s", mode, perr.Entry, perr.Target, link, s.outside)
		}
		if !strings.Contains(err.Error(), "remove it or choose another destination with -o") {
			t.Errorf("mode %d: error %q does not say what to do", mode, err)
		}
		if got := snapshot(t, s.outside); !slices.Equal(got, before) {
			t.Errorf("mode %d: %s changed: %q, was %q", mode, s.outside, got, before)
		}
	}
}

// A link that stays inside the tree is refused too: it would let a source
// write into a directory that belongs to another.
func TestPlaceRefusesSymlinkInsideTree(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.mkdir(t, "example.org/other")
	s.symlink(t, "other", "example.org/x")
	_, err := Place(Where{Root: s.root, Path: "example.org/x/repo"}, Create)
	placeErr(t, err, ErrSymlinkParent)
	if names(t, filepath.Join(s.src, "example.org/other")) != nil {
		t.Fatalf("something was created through the link")
	}
}

func TestPlaceRefusesFileParent(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.mkdir(t, "example.org")
	file := filepath.Join(s.src, "example.org", "f")
	writeFile(t, file, "x")
	_, err := Place(Where{Root: s.root, Path: "example.org/f/repo"}, Create)
	if perr := placeErr(t, err, ErrNotDirParent); perr.Entry != file {
		t.Fatalf("error names %s, want %s", perr.Entry, file)
	}
}

func TestPlaceRefusesNested(t *testing.T) {
	t.Parallel()
	for _, m := range vcsMetadata {
		for _, mode := range []Mode{Inspect, Create} {
			s := newSandbox(t)
			outer := s.mkdir(t, "example.org/a")
			marker := filepath.Join(outer, m.name)
			if m.dir {
				s.mkdir(t, "example.org/a/"+m.name)
			} else {
				writeFile(t, marker, "x")
			}
			_, err := Place(Where{Root: s.root, Path: "example.org/a/sub/deeper/repo"}, mode)
			perr := placeErr(t, err, ErrNested)
			if perr.Entry != outer || perr.VCS != m.vcs {
				t.Errorf("%s, mode %d: error names the %s checkout %s, want the %s checkout %s", m.name, mode, perr.VCS, perr.Entry, m.vcs, outer)
			}
			if _, err := os.Lstat(filepath.Join(outer, "sub")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s, mode %d: a directory was created inside the checkout", m.name, mode)
			}
		}
	}
}

// A destination directly below a checkout is nested; the checkout itself,
// as a destination, is not (Kind classifies it).
func TestPlaceNestedIsStrictlyBetween(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.mkdir(t, "example.org/a/.git")
	p, err := Place(Where{Root: s.root, Path: "example.org/a"}, Create)
	if err != nil {
		t.Fatalf("the checkout itself: %v", err)
	}
	p.Close()
	_, err = Place(Where{Root: s.root, Path: "example.org/a/b"}, Create)
	placeErr(t, err, ErrNested)
}

// A link below a checkout is what the error names: it is the worse of the
// two.
func TestPlaceNamesSymlinkBelowCheckout(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.mkdir(t, "example.org/a/.git")
	s.symlink(t, s.outside, "example.org/a/x")
	_, err := Place(Where{Root: s.root, Path: "example.org/a/x/b"}, Create)
	placeErr(t, err, ErrSymlinkParent)
}

// ROOT and ROOT/src are the user's: links there are followed.
func TestPlaceFollowsRootLinks(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	realSrc := filepath.Join(base, "real-src")
	if err := os.MkdirAll(realSrc, 0o755); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "root")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(realSrc, filepath.Join(root, "src")); err != nil {
		t.Fatal(err)
	}
	linkedRoot := filepath.Join(base, "linked-root")
	if err := os.Symlink(root, linkedRoot); err != nil {
		t.Fatal(err)
	}
	p, err := Place(Where{Root: linkedRoot, Path: "example.org/x/repo"}, Create)
	if err != nil {
		t.Fatalf("Place: %v", err)
	}
	defer p.Close()
	if fi, err := os.Lstat(filepath.Join(realSrc, "example.org", "x")); err != nil || !fi.IsDir() {
		t.Fatalf("parents not created in the linked ROOT/src: %v", err)
	}
}

// With -o the parents are the user's choice: not vetted.
func TestPlaceOutIsNotVetted(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	s.mkdir(t, "example.org/a/.git")
	s.symlink(t, s.outside, "example.org/link")
	for _, out := range []string{
		filepath.Join(s.src, "example.org/a/sub/repo"),
		filepath.Join(s.src, "example.org/link/repo"),
	} {
		p, err := Place(Where{Root: s.root, Path: "ignored/when/out", Out: out}, Create)
		if err != nil {
			t.Fatalf("Place(-o %s): %v", out, err)
		}
		if p.Dest != out {
			t.Errorf("Dest = %s, want %s", p.Dest, out)
		}
		p.Close()
	}
}

// A dry run computes the same destination and creates nothing.
func TestPlaceInspectCreatesNothing(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	p, err := Place(Where{Root: s.root, Path: "example.org/x/y/repo"}, Inspect)
	if err != nil {
		t.Fatalf("Place: %v", err)
	}
	defer p.Close()
	if want := filepath.Join(s.src, "example.org/x/y/repo"); p.Dest != want {
		t.Errorf("Dest = %s, want %s", p.Dest, want)
	}
	if got := names(t, s.src); len(got) != 0 {
		t.Fatalf("Inspect created %q", got)
	}
}

// Between Place and the lock, a racing worker replaces the parent with a
// link (it removed the empty directory Place made and renamed its own
// checkout, holding that link, into place). The lock and the temporary
// land in the directory Place opened, never through the link, and the
// change is reported.
func TestPlacementLockNoticesReplacedParent(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	p, err := Place(Where{Root: s.root, Path: "example.org/a/b/repo"}, Create)
	if err != nil {
		t.Fatalf("Place: %v", err)
	}
	defer p.Close()
	b := filepath.Join(s.src, "example.org/a/b")
	if err := os.Rename(b, b+".old"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(s.outside, b); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, s.outside)
	err = p.Stage(context.Background(), func(string) error {
		t.Errorf("fill ran although the parent was replaced")
		return nil
	})
	placeErr(t, err, ErrSymlinkParent)
	if got := snapshot(t, s.outside); !slices.Equal(got, before) {
		t.Fatalf("%s changed: %q, was %q", s.outside, got, before)
	}
	if got := names(t, b+".old"); len(got) != 0 {
		t.Fatalf("the lock was left behind in the directory Place opened: %q", got)
	}

	// Replaced by another real directory: ErrChanged.
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	s.mkdir(t, "example.org/a/b")
	_, err = p.Lock(context.Background())
	placeErr(t, err, ErrChanged)
}

func TestPlacementStage(t *testing.T) {
	t.Parallel()
	s := newSandbox(t)
	p, err := Place(Where{Root: s.root, Path: "example.org/a/repo"}, Create)
	if err != nil {
		t.Fatalf("Place: %v", err)
	}
	defer p.Close()
	if err := p.Stage(context.Background(), func(dir string) error {
		writeFile(t, filepath.Join(dir, "f"), "x")
		return nil
	}); err != nil {
		t.Fatalf("Stage: %v", err)
	}
	if got := files(t, p.Dest); got["f"] != "x" {
		t.Fatalf("dest holds %v", got)
	}
	if got := names(t, filepath.Dir(p.Dest)); !slices.Equal(got, []string{"repo"}) {
		t.Fatalf("parent holds %q, want only repo", got)
	}
}

func TestMarker(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, _, ok := Marker(dir); ok {
		t.Fatalf("an empty directory has a marker")
	}
	if err := os.Symlink("nowhere", filepath.Join(dir, ".svn")); err != nil {
		t.Fatal(err)
	}
	if vcs, name, ok := Marker(dir); !ok || vcs != "svn" || name != ".svn" {
		t.Fatalf("Marker = %s, %s, %v; want a dangling .svn link to count", vcs, name, ok)
	}
}

// FuzzPlace places random tree paths in random trees of directories,
// files, links out of the tree and links inside it, and checkout markers.
// Whatever Place and Stage do, nothing outside the tree changes; when they
// succeed, every directory between ROOT/src and the destination is a real
// directory without checkout metadata, and the destination lies beneath
// ROOT/src.
//
// layout is read three bytes at a time: what to create (directory, file,
// link out of the tree, link to ROOT/src, link "..", .git directory, .hg
// directory), and at which prefix of the path's elements.
func FuzzPlace(f *testing.F) {
	f.Add("example.org/x/y", []byte{2, 1, 0})            // x -> outside
	f.Add("example.org/x/y/z", []byte{2, 1, 0})          // a link two levels up
	f.Add("example.org/x/y", []byte{3, 1, 0})            // x -> ROOT/src
	f.Add("example.org/x/y", []byte{4, 1, 0})            // x -> ..
	f.Add("example.org/x/y", []byte{1, 1, 0})            // x is a file
	f.Add("example.org/x/y/z", []byte{0, 1, 0, 5, 1, 0}) // x is a git checkout
	f.Add("example.org/x/y", []byte{6, 0, 0})            // example.org is an hg checkout
	f.Add("example.org/x/y", []byte{5, 2, 0})            // the destination itself is a checkout
	f.Add("example.org/x", []byte{2, 1, 0})              // the destination itself is a link
	f.Add("../escape", []byte{})
	f.Add("a/../../escape", []byte{})
	f.Add("/abs/path", []byte{})
	f.Add("a/.git/hooks", []byte{})
	f.Add("a//b", []byte{})
	f.Add("a/GIT~1/b", []byte{})
	f.Add("plain/path", []byte{})
	f.Fuzz(func(t *testing.T, path string, layout []byte) {
		s := newSandbox(t)
		elems := strings.Split(path, "/")
		usable := len(elems) <= 8
		for _, e := range elems {
			if e == "" || e == "." || e == ".." || strings.ContainsAny(e, "\x00\\") || len(e) > 64 {
				usable = false
			}
		}
		if usable {
			for i := 0; i+2 < len(layout) && i < 30; i += 3 {
				k := 1 + int(layout[i+1])%len(elems)
				plant(s, elems[:k], layout[i]%7)
			}
		}
		before := snapshot(t, s.outside)

		p, err := Place(Where{Root: s.root, Path: path}, Create)
		if err == nil {
			defer p.Close()
			checkPlaced(t, s, path, p)
			err = p.Stage(context.Background(), func(dir string) error {
				return os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o644)
			})
			if err == nil {
				checkPlaced(t, s, path, p)
				real, rerr := filepath.EvalSymlinks(p.Dest)
				realSrc, serr := filepath.EvalSymlinks(s.src)
				if rerr != nil || serr != nil || !strings.HasPrefix(real, realSrc+string(filepath.Separator)) {
					t.Fatalf("staged %s resolves to %s (%v), outside %s (%v)", p.Dest, real, rerr, realSrc, serr)
				}
			}
		} else if CheckPath(path) != nil && !errors.Is(err, ErrInvalidPath) {
			t.Fatalf("Place(%q) = %v, want ErrInvalidPath", path, err)
		}
		if got := snapshot(t, s.outside); !slices.Equal(got, before) {
			t.Fatalf("Place(%q) changed %s: %q, was %q", path, s.outside, got, before)
		}
	})
}

// plant creates one entry at src/elems, if every directory above it is a
// real directory (creating the missing ones): planting never writes
// through a link itself.
func plant(s sandbox, elems []string, what byte) {
	dir := s.src
	for _, e := range elems[:len(elems)-1] {
		dir = filepath.Join(dir, e)
		fi, err := os.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			if os.Mkdir(dir, 0o755) != nil {
				return
			}
			continue
		}
		if err != nil || !fi.IsDir() {
			return
		}
	}
	p := filepath.Join(dir, elems[len(elems)-1])
	switch what {
	case 0:
		os.Mkdir(p, 0o755)
	case 1:
		os.WriteFile(p, []byte("x"), 0o644)
	case 2:
		os.Symlink(s.outside, p)
	case 3:
		os.Symlink(s.src, p)
	case 4:
		os.Symlink("..", p)
	case 5, 6:
		if fi, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			os.Mkdir(p, 0o755)
		} else if err != nil || !fi.IsDir() {
			return
		}
		name := ".git"
		if what == 6 {
			name = ".hg"
		}
		os.Mkdir(filepath.Join(p, name), 0o755)
	}
}

// checkPlaced checks the invariant of a successful placement.
func checkPlaced(t *testing.T, s sandbox, path string, p *Placement) {
	t.Helper()
	if want := filepath.Join(s.src, filepath.FromSlash(path)); p.Dest != want {
		t.Fatalf("Place(%q).Dest = %s, want %s", path, p.Dest, want)
	}
	rel, err := filepath.Rel(s.src, p.Dest)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") || filepath.IsAbs(rel) {
		t.Fatalf("Place(%q).Dest = %s is not beneath %s", path, p.Dest, s.src)
	}
	dir := s.src
	elems := strings.Split(path, "/")
	for _, e := range elems[:len(elems)-1] {
		dir = filepath.Join(dir, e)
		fi, err := os.Lstat(dir)
		if err != nil || !fi.IsDir() {
			t.Fatalf("Place(%q) succeeded but %s is not a real directory (%v, %v)", path, dir, fi, err)
		}
		if vcs, _, ok := Marker(dir); ok {
			t.Fatalf("Place(%q) succeeded but %s is a %s checkout", path, dir, vcs)
		}
	}
}
