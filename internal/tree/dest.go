// Package tree puts sources into the GOPATH-style tree ROOT/src/<path>
// without ever leaving a half-written destination or touching an existing
// one. It knows nothing about version control or HTTP: callers pass a
// function that fills a directory, and Stage moves the result into place
// with one rename.
//
// Bookkeeping entries live beside the destinations they guard and all start
// with ".fetch-" (fetch list skips them): ".fetch-lock-<base>" is the lock
// file of <base>, and ".fetch-tmp-<base>-<hex>" a temporary directory.
package tree

import (
	"fmt"
	"path/filepath"
	"strings"
)

// CheckPath reports whether path is acceptable as the <path> of
// ROOT/src/<path>: a clean, relative, slash-separated path whose elements
// are not empty, do not start with a dot (so a vanity path ending in
// "/.git" cannot make fetch write into a .git directory, CVE-2018-16873,
// and no name can be one of fetch's .fetch- entries), do not look like a
// Windows short name, and hold no NUL, backslash or control character.
// The error matches ErrInvalidPath and names the path and the rule it
// broke. Place applies it to every tree path.
func CheckPath(path string) error {
	bad := func(rule string) error {
		return fmt.Errorf("%w %q: %s; choose another destination with -o", ErrInvalidPath, path, rule)
	}
	switch {
	case path == "":
		return bad("path is empty")
	case strings.HasPrefix(path, "/"):
		return bad("path must be relative, not start with /")
	case strings.HasSuffix(path, "/"):
		return bad("path must not end with /")
	}
	if filepath.VolumeName(filepath.FromSlash(path)) != "" {
		return bad("path must be relative, not start with a volume name")
	}
	for _, r := range path {
		switch {
		case r == 0:
			return bad("NUL byte in path")
		case r == '\\':
			return bad("backslash in path (elements are separated by /)")
		case r < 0x20 || r == 0x7f:
			return bad(fmt.Sprintf("control character %U in path", r))
		}
	}
	for elem := range strings.SplitSeq(path, "/") {
		switch {
		case elem == "":
			return bad("empty path element (double slash)")
		case elem == "." || elem == "..":
			return bad(fmt.Sprintf("path element %q is not allowed (path must be clean)", elem))
		case strings.HasPrefix(elem, "."):
			return bad(fmt.Sprintf("path element %q starts with a dot", elem))
		case shortNameAlias(elem):
			// GIT~1 is how Windows may spell .git: refuse what could alias it.
			return bad(fmt.Sprintf("path element %q ends in a tilde and digits (a Windows short name)", elem))
		}
	}
	return nil
}

// shortNameAlias reports whether elem, up to its first dot, ends in "~" and
// one or more digits: the form of a Windows 8.3 short name, which the Go
// command rejects in import paths for the same reason.
func shortNameAlias(elem string) bool {
	short, _, _ := strings.Cut(elem, ".")
	i := strings.LastIndexByte(short, '~')
	if i < 0 || i == len(short)-1 {
		return false
	}
	for _, c := range short[i+1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
