package tree

import (
	"io/fs"
	"syscall"
)

// linkLike reports whether the entry fi, from os.Lstat, is a symbolic link
// or any other reparse point. Since Go 1.23 os.Lstat reports a junction as
// a directory with fs.ModeIrregular, not fs.ModeSymlink, so the attributes
// are read too (see linkLikeAttrs).
func linkLike(fi fs.FileInfo) bool {
	attrs, ok := uint32(0), false
	if d, isWin := fi.Sys().(*syscall.Win32FileAttributeData); isWin && d != nil {
		attrs, ok = d.FileAttributes, true
	}
	return linkLikeAttrs(fi.Mode(), attrs, ok)
}
