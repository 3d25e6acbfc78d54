package tree

import (
	"fmt"
	"path/filepath"
	"strings"
)

// TempDir creates a fresh private directory (mode 0700) beside dest, named
// and owned like Stage's temporaries (.fetch-tmp-<base>-<hex>), for files
// that must not outlive the work on dest, such as a private key an update
// hands to ssh. remove deletes it; if the process dies first, the next
// Stage or TempDir for dest, or CleanStale, removes it, as it removes any
// stale temporary.
//
// The caller must hold dest's lock (see Lock) until remove has run. Like
// Stage, TempDir first removes dest's stale temporaries.
func TempDir(dest string) (dir string, remove func() error, err error) {
	dest = filepath.Clean(dest)
	parent, base := filepath.Split(dest)
	parent = filepath.Clean(parent)
	if base == "" || parent == dest || strings.HasPrefix(base, ".fetch-") {
		return "", nil, fmt.Errorf("temporary directory for %s: not a destination", dest)
	}
	d, err := openDirPath(parent)
	if err != nil {
		return "", nil, fmt.Errorf("temporary directory for %s: %w", dest, err)
	}
	defer d.close()
	me := self()
	cleanStale(d, base, me)
	work, err := makeTemp(d, base, me)
	if err != nil {
		return "", nil, fmt.Errorf("temporary directory for %s: %w", dest, err)
	}
	path := d.join(work)
	return path, func() error { return removeTree(path) }, nil
}
