package fetch

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/gofetch/fetch/internal/vcs"
	"golang.org/x/mod/sumdb/dirhash"
)

// hashTree is the content hash a lock records for a destination: the h1:
// hash of golang.org/x/mod/sumdb/dirhash over every file below dir,
// named by its slash-separated path relative to dir, with version control
// metadata (any entry named like a checkout's root marker: .git, .hg,
// .svn, .bzr, _FOSSIL_, .fslckout, .fossil) left out at the top of dir
// only, and only when dir is a checkout (checkout): that is the
// checkout's own. Deeper, or in a download or module (which never holds
// any: fetch refuses to write it), such an entry is not fetch's and is
// hashed like any other (a planted .git/config or .hg/hgrc runs code for
// whoever runs git or hg there, so verify must see it).
//
// The tree is a trust boundary, so nothing is followed out of it: the
// walk never descends through a symbolic link, and a link is hashed as
// its target string (never the file it points to), listed under its name
// followed by "\x00symlink" so that it cannot be taken for a file holding
// the same text (file names cannot contain NUL). Empty directories and
// file modes do not count, as in git. A device, pipe or socket is an
// error. A file is opened only after Lstat found a regular file, and
// must still be that file once open.
func hashTree(dir string, checkout bool) (string, error) {
	files, err := treeFiles(dir, checkout)
	if err != nil {
		return "", err
	}
	names := make([]string, len(files))
	byName := make(map[string]treeFile, len(files))
	for i, f := range files {
		names[i] = f.name
		byName[f.name] = f
	}
	return dirhash.Hash1(names, func(name string) (io.ReadCloser, error) {
		return byName[name].open(dir)
	})
}

// treeFile is one entry hashTree hashes.
type treeFile struct {
	name   string // as hashed: the slash path, plus "\x00symlink" for a link
	rel    string // the slash path
	target string // a link's target
	info   fs.FileInfo
}

const linkSuffix = "\x00symlink"

func (f treeFile) open(dir string) (io.ReadCloser, error) {
	if f.info == nil {
		return io.NopCloser(strings.NewReader(f.target)), nil
	}
	p := filepath.Join(dir, filepath.FromSlash(f.rel))
	fh, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	now, err := fh.Stat()
	if err != nil || !now.Mode().IsRegular() || !os.SameFile(now, f.info) {
		fh.Close()
		return nil, fmt.Errorf("%s changed while it was hashed", p)
	}
	return fh, nil
}

// metadataNames are the entries hashTree leaves out: every name that
// marks the root of a checkout of some system, from internal/vcs's table.
func metadataNames() map[string]bool {
	m := map[string]bool{}
	for _, name := range vcs.MetadataNames() {
		m[name] = true
	}
	return m
}

// treeFiles lists what hashTree hashes, sorted by name.
func treeFiles(dir string, checkout bool) ([]treeFile, error) {
	skip := metadataNames()
	if !checkout {
		skip = nil
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, err
	}
	if fi.Mode().IsRegular() && !checkout {
		// A single file written at -o FILE: hashed as a tree holding
		// that one file under its own name.
		return []treeFile{{name: fi.Name(), rel: "", info: fi}}, nil
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	var out []treeFile
	top := filepath.Clean(dir)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == dir {
			return nil
		}
		if skip[d.Name()] && filepath.Dir(p) == top {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch t := d.Type(); {
		case t.IsDir():
			return nil
		case t&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out = append(out, treeFile{name: rel + linkSuffix, rel: rel, target: target})
		case t.IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			if !info.Mode().IsRegular() {
				return fmt.Errorf("%s changed while it was listed", p)
			}
			out = append(out, treeFile{name: rel, rel: rel, info: info})
		default:
			return fmt.Errorf("%s is a %v, not a file, a directory or a link: it cannot be locked", p, t.Type())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	for _, f := range out {
		if strings.Contains(f.rel, "\n") {
			return nil, fmt.Errorf("%q has a line break in its name: it cannot be locked", f.rel)
		}
	}
	return out, nil
}

// hashCache hashes each destination once, however many sources share it
// and however many workers ask at once.
type hashCache struct {
	mu sync.Mutex
	m  map[hashKey]*hashOnce
}

// hashKey is one hashTree call: a destination, and whether it is a
// checkout.
type hashKey struct {
	dest     string
	checkout bool
}

type hashOnce struct {
	once sync.Once
	h    string
	err  error
}

func newHashCache() *hashCache { return &hashCache{m: map[hashKey]*hashOnce{}} }

// get returns hashTree(dest, checkout), computed once.
func (c *hashCache) get(dest string, checkout bool) (string, error) {
	k := hashKey{dest, checkout}
	c.mu.Lock()
	o := c.m[k]
	if o == nil {
		o = &hashOnce{}
		c.m[k] = o
	}
	c.mu.Unlock()
	o.once.Do(func() { o.h, o.err = hashTree(dest, checkout) })
	return o.h, o.err
}
