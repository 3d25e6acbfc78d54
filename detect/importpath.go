package detect

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/module"
)

// parseImport reads an import path source: PATH[@REF][//subdir][?query].
// The path is checked as GOPATH-mode go get checked it, then given to the
// static stage; a path that needs discovery gets Static == nil.
func parseImport(input, base, sub, query string) (*Source, error) {
	path, at, hasAt := strings.Cut(base, "@")
	if hasAt && at == "" {
		return nil, errors.New("empty ref after \"@\"")
	}
	lookup, err := cutWildcard(path)
	if err != nil {
		return nil, err
	}
	if err := CheckImportPath(lookup); err != nil {
		return nil, err
	}
	static, err := Static(lookup)
	switch {
	case errors.Is(err, ErrUnknownSite):
		static = nil
	case err != nil:
		return nil, err
	}
	q, _, _ := strings.Cut(query, "#")
	opts, err := parseOptions(q)
	if err != nil {
		return nil, err
	}
	ref, err := importRef(at, opts)
	if err != nil {
		return nil, err
	}
	s := &Source{
		Input:      input,
		Kind:       KindImport,
		Subdir:     sub,
		Ref:        ref,
		Options:    opts,
		ImportPath: path,
		LookupPath: lookup,
		Static:     static,
	}
	if err := checkOptions(s); err != nil {
		return nil, err
	}
	return s, nil
}

// cutWildcard keeps the part of a package pattern before the element that
// holds "...", as GOPATH-mode go get did before resolving it.
func cutWildcard(path string) (string, error) {
	i := strings.Index(path, "...")
	if i < 0 {
		return path, nil
	}
	slash := strings.LastIndexByte(path[:i], '/')
	if slash < 0 {
		return "", fmt.Errorf("cannot expand ... in %q", path)
	}
	return path[:slash], nil
}

// CheckImportPath applies the rules GOPATH-mode go get applied to a path it
// was about to download: golang.org/x/mod/module.CheckImportPath (which also
// refuses Windows short names such as "longna~1") plus no element starting
// with a dot, since a ".git" element would turn a checkout into a git
// directory (CVE-2018-16873). Errors read like the Go command's:
// malformed import path "example.org/.x": leading dot in path element.
func CheckImportPath(path string) error {
	if err := module.CheckImportPath(path); err != nil {
		return err
	}
	for _, elem := range strings.Split(path, "/") {
		if strings.HasPrefix(elem, ".") {
			return &module.InvalidPathError{
				Kind: "import", Path: path,
				Err: errors.New("leading dot in path element"),
			}
		}
	}
	return nil
}
