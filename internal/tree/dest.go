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
	"runtime"
	"strings"
)

// CheckPath reports whether path is acceptable as the <path> of
// ROOT/src/<path>: a clean, relative, slash-separated path whose elements
// are not empty, do not start with a dot (so a vanity path ending in
// "/.git" cannot make fetch write into a .git directory, CVE-2018-16873,
// and no name can be one of fetch's .fetch- entries), do not look like a
// Windows short name, and hold no NUL, backslash or control character.
// On Windows an element must also not hold <>:"|?* (so no drive letter
// and no alternate data stream), end in a dot or a space, or be a device
// name such as NUL or COM1 (see checkPathFor). The error matches ErrInvalidPath and names the path and the rule it
// broke. Place applies it to every tree path.
func CheckPath(path string) error {
	return checkPathFor(runtime.GOOS, path)
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
