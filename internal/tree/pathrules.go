package tree

import (
	"fmt"
	"io/fs"
	"strings"
)

// The rules in this file are pure functions of their inputs, with the
// operating system a parameter rather than runtime.GOOS or path/filepath,
// so that the Windows rules are tested on every platform.

// Windows file attribute bits (FILE_ATTRIBUTE_*), as os.Lstat reports
// them in syscall.Win32FileAttributeData.FileAttributes.
const (
	winAttrDirectory    = 0x10
	winAttrReparsePoint = 0x400
)

// linkLikeAttrs reports whether an entry with this mode (from os.Lstat) is
// one placement must refuse to go through: a symbolic link, or, where the
// Windows attributes are known (hasAttrs), any reparse point. A junction
// or mount point redirects a path like a link does, but Go reports it as
// a directory with fs.ModeIrregular rather than fs.ModeSymlink.
func linkLikeAttrs(mode fs.FileMode, attrs uint32, hasAttrs bool) bool {
	if mode&fs.ModeSymlink != 0 {
		return true
	}
	return hasAttrs && attrs&winAttrReparsePoint != 0
}

// windowsReserved are the device names Windows resolves in every
// directory, with any extension: ROOT/src/example.com/nul.go would be the
// NUL device, not a file.
var windowsReserved = []string{
	"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
	"COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
	"COM¹", "COM²", "COM³",
	"LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
	"LPT¹", "LPT²", "LPT³",
}

// windowsBadChars may not appear in a Windows file name; ':' also names an
// alternate data stream ("a:b" is stream b of file a) and a drive ("c:").
const windowsBadChars = `<>:"|?*`

// checkPathFor applies CheckPath's rules for a tree path on goos. The
// rules for every system come first; on windows an element must also not
// hold one of windowsBadChars (so no drive letter "c:" and no stream
// "a:b"), must not end in a dot or a space (Windows drops them, so "a."
// would be "a"), and must not be a reserved device name with or without
// an extension.
func checkPathFor(goos, path string) error {
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
	if goos == "windows" && volumeNameLen(path) > 0 {
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
		case markerName(elem) != "":
			// Placed, it would make its parent a checkout, and every
			// later destination below that parent nested in it.
			return bad(fmt.Sprintf("path element %q is the name of a %s checkout's metadata", elem, markerName(elem)))
		}
		if goos != "windows" {
			continue
		}
		switch {
		case strings.ContainsAny(elem, windowsBadChars):
			return bad(fmt.Sprintf("path element %q holds one of %s, which Windows does not allow in a name", elem, windowsBadChars))
		case strings.HasSuffix(elem, ".") || strings.HasSuffix(elem, " "):
			return bad(fmt.Sprintf("path element %q ends in a dot or a space, which Windows drops", elem))
		case windowsDevice(elem):
			return bad(fmt.Sprintf("path element %q is a Windows device name", elem))
		}
	}
	return nil
}

// windowsDevice reports whether elem, up to its first dot and without
// trailing spaces, is a reserved device name, in any case.
func windowsDevice(elem string) bool {
	stem, _, _ := strings.Cut(elem, ".")
	stem = strings.TrimRight(stem, " ")
	for _, r := range windowsReserved {
		if strings.EqualFold(stem, r) {
			return true
		}
	}
	return false
}

// volumeNameLen returns the length of the Windows volume name at the start
// of p, with either separator: "C:" (a drive), "\\host\share" or
// "//host/share" (UNC), "\\?\..." and "\\.\..." (device paths); 0 if
// there is none. It is filepath.VolumeName's rule on Windows, usable on
// every system.
func volumeNameLen(p string) int {
	isSep := func(c byte) bool { return c == '/' || c == '\\' }
	if len(p) >= 2 && p[1] == ':' && (('a' <= p[0] && p[0] <= 'z') || ('A' <= p[0] && p[0] <= 'Z')) {
		return 2
	}
	if len(p) < 2 || !isSep(p[0]) || !isSep(p[1]) {
		return 0
	}
	// \\.\X, \\?\X: a device or verbatim path; its volume is up to the next separator.
	if len(p) >= 3 && (p[2] == '.' || p[2] == '?') && (len(p) == 3 || isSep(p[3])) {
		n := 4
		for n < len(p) && !isSep(p[n]) {
			n++
		}
		return min(n, len(p))
	}
	// \\host\share
	n := 2
	for n < len(p) && !isSep(p[n]) {
		n++
	}
	if n == 2 || n == len(p) {
		return 0 // "\\" or "\\host" alone: not a volume
	}
	n++
	start := n
	for n < len(p) && !isSep(p[n]) {
		n++
	}
	if n == start {
		return 0
	}
	return n
}

// markerName is the system whose checkout metadata is named elem (in any
// case), or "".
func markerName(elem string) string {
	for _, m := range vcsMetadata {
		if strings.EqualFold(elem, m.name) {
			return m.vcs
		}
	}
	return ""
}
