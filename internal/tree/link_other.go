//go:build !windows && !unix

package tree

import "io/fs"

// linkLike reports whether the entry fi, from os.Lstat, is a symbolic link.
func linkLike(fi fs.FileInfo) bool { return linkLikeAttrs(fi.Mode(), 0, false) }
