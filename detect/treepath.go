package detect

import (
	"net/url"
	"path"
	"strings"
)

// TreePath returns where the source lands under ROOT/src, as a slash-separated
// relative path, or "" when that is not known yet.
//
// For an import path it is the repository root's import path: Static.Root,
// or "" when the root awaits meta discovery. For a getter source it is the
// URL's host (lower-cased, with any port, never its user information) and
// path, without a trailing .git or archive extension:
// git::https://example.org/r.git gives example.org/r and
// https://example.org/dl/tool-1.2.tar.gz gives example.org/dl/tool-1.2.
// A file URL without a host (a local path such as ./dir, ../x, /abs/dir or
// ~/x, or file::/abs/x, with any getter) has no import path and no host to
// file it under, so it lands at local/<name>: the last element of its path,
// with the same extensions trimmed (./tool-1.2.tar.gz gives
// local/tool-1.2, git::./repo.git gives local/repo). The name is what a
// person recognizes, where the absolute path would bury it under
// localhost/home/u/...; two local sources with the same name therefore
// share a destination, and the second is refused by what is already there
// (a download's record names its URL, a checkout its repository) rather
// than mixed into it; -o places it elsewhere. A local path with no name
// (the root directory) gives "": it needs -o.
//
// The result never contains a "." or ".." element and never starts with "/".
func (s *Source) TreePath() string {
	switch s.Kind {
	case KindImport:
		if s.Static == nil {
			return ""
		}
		return cleanTreePath(s.Static.Root)
	case KindGetter:
		return urlTreePath(s.URL)
	}
	return ""
}

func urlTreePath(raw string) string {
	_, rest := ForcedGetter(raw)
	base, _ := SourceDirSubdir(rest)
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Host)
	p := strings.TrimPrefix(path.Clean("/"+u.Path), "/")
	if host == "" && u.Scheme == "file" {
		return localTreePath(p)
	}
	if host == "" {
		return ""
	}
	return cleanTreePath(host + "/" + trimExtension(p))
}

// IsLocal reports whether s is a source on this machine: a getter source
// whose URL is a file URL without a host (./dir, /abs/x, file::/abs/x,
// git::./repo). It lands at local/<name> (see TreePath).
func (s *Source) IsLocal() bool {
	if s.Kind != KindGetter {
		return false
	}
	_, rest := ForcedGetter(s.URL)
	base, _ := SourceDirSubdir(rest)
	u, err := url.Parse(base)
	return err == nil && u.Scheme == "file" && u.Host == ""
}

// localDir is the first element of every local source's tree path.
const localDir = "local"

// localTreePath is local/<name> for the cleaned absolute path p of a
// local source, or "" when p has no last element to name it by.
func localTreePath(p string) string {
	name := cleanTreePath(trimExtension(p))
	if name == "" {
		return "" // the root directory
	}
	return localDir + "/" + name[strings.LastIndex(name, "/")+1:]
}

// trimExtension removes an archive extension, then a .git suffix, from the
// last element of p, unless nothing of the name would be left.
func trimExtension(p string) string {
	dir, name := path.Split(p)
	for _, ext := range archiveTypes {
		if n := strings.TrimSuffix(name, "."+ext); n != name && n != "" {
			name = n
			break
		}
	}
	if n := strings.TrimSuffix(name, ".git"); n != "" {
		name = n
	}
	return dir + name
}

// cleanTreePath drops empty, "." and ".." elements, with either slash as a
// separator, so that the result stays inside ROOT/src on every system.
func cleanTreePath(p string) string {
	var keep []string
	for _, e := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if e != "." && e != ".." {
			keep = append(keep, e)
		}
	}
	return strings.Join(keep, "/")
}
