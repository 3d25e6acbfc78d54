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
// A file URL has no host, so local sources land under "localhost" followed by
// their absolute path, which keeps distinct directories apart.
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
	if host == "" && u.Scheme == "file" {
		host = "localhost"
	}
	if host == "" {
		return ""
	}
	p := strings.TrimPrefix(path.Clean("/"+u.Path), "/")
	return cleanTreePath(host + "/" + trimExtension(p))
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
