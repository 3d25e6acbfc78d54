package detect

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// singleOptions may appear once in a query: go-getter reads only the first
// value, so a second one is a mistake that would be silently ignored.
var singleOptions = []string{"ref", "rev", "depth", "sshkey", "checksum", "archive", "filename"}

// archiveTypes are go-getter's decompressor keys, the values of ?archive=
// that select one.
var archiveTypes = []string{
	"tar.gz", "tar.bz2", "tar.xz", "tar.zst",
	"tgz", "tbz2", "txz", "tzst",
	"tar", "zip", "gz", "bz2", "xz", "zst",
}

// parseOptions parses a raw query the way net/url does, but refuses what
// url.Values would silently drop.
func parseOptions(rawQuery string) (url.Values, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, fmt.Errorf("malformed query: %w", err)
	}
	for _, k := range singleOptions {
		if n := len(q[k]); n > 1 {
			return nil, fmt.Errorf("option %s is given %d times; give it once", k, n)
		}
	}
	return q, nil
}

// checkOptions applies the rules go-getter enforces late, or never, to a
// parsed source: values that would reach a command line as options, paths
// that would leave the destination, and numbers that go-getter turns into 0.
func checkOptions(s *Source) error {
	for _, k := range []string{"ref", "rev"} {
		if v := s.Options.Get(k); strings.HasPrefix(v, "-") {
			return fmt.Errorf("%s %q must not start with \"-\"", k, v)
		}
	}
	if err := checkSubdir(s.Subdir); err != nil {
		return err
	}
	if v := s.Options.Get("filename"); hasDotDot(v) {
		return fmt.Errorf("filename %q must not contain a \"..\" element", v)
	}
	if s.Options.Has("depth") {
		v := s.Options.Get("depth")
		if n, err := strconv.Atoi(v); err != nil || n < 0 {
			return fmt.Errorf("depth %q is not a non-negative integer", v)
		}
	}
	if s.Options.Has("archive") {
		v := s.Options.Get("archive")
		// Empty means "guess from the extension", as in go-getter.
		b, err := strconv.ParseBool(v)
		if v != "" && (err != nil || b) && !slices.Contains(archiveTypes, v) {
			return fmt.Errorf("archive %q is not an archive type (%s) nor false",
				v, strings.Join(archiveTypes, ", "))
		}
	}
	return nil
}

// checkSubdir refuses a //subdir that could be read as an option or climb
// out of the fetched tree.
func checkSubdir(sub string) error {
	if strings.HasPrefix(sub, "-") {
		return fmt.Errorf("subdir %q must not start with \"-\"", sub)
	}
	if hasDotDot(sub) {
		return fmt.Errorf("subdir %q must not contain a \"..\" element", sub)
	}
	return nil
}

// hasDotDot reports whether p has a ".." element, with either slash as a
// separator so that the answer holds on every system.
func hasDotDot(p string) bool {
	for _, e := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if e == ".." {
			return true
		}
	}
	return false
}

// getterRef is the ref a getter source asks for: ?ref= for git, ?rev= for
// hg (their getters' own options), none for the others.
func getterRef(getter string, q url.Values) string {
	switch getter {
	case "git":
		return q.Get("ref")
	case "hg":
		return q.Get("rev")
	}
	return ""
}

// importRef is the ref an import path asks for. The VCS is not known before
// resolution, so @REF, ?ref= and ?rev= all count and must agree.
func importRef(at string, q url.Values) (string, error) {
	ref := ""
	for _, c := range []struct{ how, v string }{
		{"@", at}, {"ref=", q.Get("ref")}, {"rev=", q.Get("rev")},
	} {
		switch {
		case c.v == "":
		case strings.HasPrefix(c.v, "-"):
			return "", fmt.Errorf("ref %q must not start with \"-\"", c.v)
		case ref != "" && ref != c.v:
			return "", fmt.Errorf("conflicting refs %q and %q (%s)", ref, c.v, c.how)
		default:
			ref = c.v
		}
	}
	return ref, nil
}
