package download

import (
	"archive/tar"
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzArchivePathChecks feeds the archive path checks hostile entry names
// and link targets through the whole of Get (a local tar, extracted), so
// the property it checks is the one users rely on rather than the shape of
// the check: whatever the names, nothing is written, linked or replaced
// outside the destination, a failure leaves the destination empty, and
// every link left in the destination resolves inside it. The second entry
// is a file, so a link followed by a file written through it is tried too.
// It works on local files only, so it is fast and cannot fail for reasons
// outside the code under test.
func FuzzArchivePathChecks(f *testing.F) {
	// The hostile cases live in testdata/fuzz/FuzzArchivePathChecks.
	f.Add("a", "", byte(0), "b")
	f.Fuzz(func(t *testing.T, name, link string, kind byte, second string) {
		// The destination sits deep in the sandbox so that a name climbing
		// out of it, past Get's own work directories, still lands where
		// the check below looks.
		sandbox := t.TempDir()
		in, dst, outside := filepath.Join(sandbox, "in"), filepath.Join(sandbox, fuzzDeep, "dst"), filepath.Join(sandbox, "outside")
		for _, d := range []string{in, dst, outside} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		canary := filepath.Join(outside, "canary")
		if err := os.WriteFile(canary, []byte("canary"), 0o644); err != nil {
			t.Fatal(err)
		}
		tarball, ok := fuzzTar(name, link, kind, second)
		if !ok {
			return // archive/tar cannot even write these headers
		}
		archive := filepath.Join(in, "a.tar")
		if err := os.WriteFile(archive, tarball, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Get(context.Background(), Request{URL: "file://" + archive, Dst: dst, Pwd: in})

		if b, rerr := os.ReadFile(canary); rerr != nil || string(b) != "canary" {
			t.Fatalf("the file outside the destination was changed (%q, %v); Get error: %v", b, rerr, err)
		}
		checkNothingBeside(t, sandbox, dst, err)
		if err != nil {
			if got := fuzzDirNames(t, dst); len(got) != 0 {
				t.Fatalf("Get failed (%v) but left %v in the destination", err, got)
			}
			return
		}
		checkStaysInside(t, dst, canary)
	})
}

// fuzzDeep is the path from the sandbox to the destination's parent.
const fuzzDeep = "1/2/3/4/5/6/7/8"

// checkNothingBeside fails when the sandbox holds anything but the
// destination's tree, the archive and the canary.
func checkNothingBeside(t *testing.T, sandbox, dst string, getErr error) {
	t.Helper()
	allowed := map[string]bool{"in": true, "in/a.tar": true, "outside": true, "outside/canary": true}
	for d := fuzzDeep; d != "."; d = filepath.Dir(d) {
		allowed[d] = true
	}
	err := filepath.WalkDir(sandbox, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == sandbox {
			return err
		}
		if p == dst {
			return fs.SkipDir
		}
		if rel, _ := filepath.Rel(sandbox, p); !allowed[filepath.ToSlash(rel)] {
			t.Errorf("%s was written outside the destination; Get error: %v", rel, getErr)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// fuzzTar builds a tar of two entries: the first of the fuzzed kind (file,
// directory, symlink or hard link), the second a file.
func fuzzTar(name, link string, kind byte, second string) ([]byte, bool) {
	types := []byte{tar.TypeReg, tar.TypeDir, tar.TypeSymlink, tar.TypeLink}
	hdrs := []*tar.Header{
		{Name: name, Linkname: link, Typeflag: types[int(kind)%len(types)], Mode: 0o644},
		{Name: second, Typeflag: tar.TypeReg, Mode: 0o644, Size: 1},
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, h := range hdrs {
		if h.Typeflag != tar.TypeReg {
			h.Linkname = link
		} else {
			h.Linkname = ""
			h.Size = 1
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, false
		}
		if h.Size > 0 {
			if _, err := tw.Write([]byte("x")); err != nil {
				return nil, false
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// checkStaysInside fails when a link under dst resolves outside it or a
// file under dst is the canary itself (a hard link).
func checkStaysInside(t *testing.T, dst, canary string) {
	t.Helper()
	root, err := filepath.EvalSymlinks(dst)
	if err != nil {
		t.Fatal(err)
	}
	canaryInfo, err := os.Stat(canary)
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				return nil // dangling: points at nothing, so reads nothing
			}
			if rel, err := filepath.Rel(root, target); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
				t.Errorf("link %s resolves to %s, outside the destination", p, target)
			}
			return nil
		}
		if info, err := d.Info(); err == nil && os.SameFile(info, canaryInfo) {
			t.Errorf("%s is a hard link to a file outside the destination", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func fuzzDirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}
