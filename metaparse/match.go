package metaparse

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofetch/fetch/internal/pathprefix"

	"github.com/gofetch/fetch/internal/redact"
)

// MultipleMatchError is returned by Match when more than one tag matches
// the import path.
type MultipleMatchError struct {
	ImportPath string
	// Matches are all the tags whose prefix matches, in the order given.
	Matches []Import
}

// Error returns the Go command's text.
func (e *MultipleMatchError) Error() string {
	return fmt.Sprintf("multiple meta tags match import path %q", e.ImportPath)
}

// Hint says how a page author can fix the page. Each distinct tag and
// prefix is named once, however often the page repeats it. Unlike Error,
// it redacts credentials.
func (e *MultipleMatchError) Hint() string {
	var tags, prefixes []string
	count := map[string]int{}
	for _, m := range e.Matches {
		t := redact.String(tagText(m))
		if count[t]++; count[t] == 1 {
			tags = append(tags, t)
		}
		if p := redact.String(m.Prefix); !slices.Contains(prefixes, p) {
			prefixes = append(prefixes, p)
		}
	}
	if len(tags) == 1 {
		return fmt.Sprintf("the page repeats the go-import tag %q %d times: serve it once", tags[0], count[tags[0]])
	}
	if len(prefixes) == 1 {
		shown := make([]string, len(tags))
		for i, t := range tags {
			shown[i] = t
			if n := count[t]; n > 1 {
				shown[i] = fmt.Sprintf("%s (%d times)", t, n)
			}
		}
		return fmt.Sprintf("serve exactly one go-import tag for %s; these name it with different repositories: %s",
			prefixes[0], strings.Join(shown, "; "))
	}
	return fmt.Sprintf("serve exactly one go-import tag whose prefix covers %s; these all do: %s",
		e.ImportPath, strings.Join(prefixes, ", "))
}

// tagText is a tag's content as a page carries it.
func tagText(m Import) string {
	s := m.Prefix + " " + m.VCS + " " + m.RepoRoot
	if m.SubDir != "" {
		s += " " + m.SubDir
	}
	return s
}

// ImportMismatchError is returned by Match when no tag matches the import
// path. Its text is empty when there were no tags at all, as in the Go
// command.
type ImportMismatchError struct {
	ImportPath string
	// Prefixes are the prefixes of the tags that did not match.
	Prefixes []string
}

// Error returns the Go command's text: one "meta tag P did not match import
// path I" per tag, joined by ", ".
func (e *ImportMismatchError) Error() string {
	msgs := make([]string, len(e.Prefixes))
	for i, pre := range e.Prefixes {
		msgs[i] = fmt.Sprintf("meta tag %s did not match import path %s", pre, e.ImportPath)
	}
	return strings.Join(msgs, ", ")
}

// Hint says, for the first tag with a recognizable mistake, what is wrong
// with it; otherwise it restates the rule. Unlike Error, it redacts
// credentials.
func (e *ImportMismatchError) Hint() string {
	if len(e.Prefixes) == 0 {
		return "the page has no go-import meta tag; add <meta name=\"go-import\" content=\"PREFIX VCS REPO\"> to its <head>"
	}
	for _, pre := range e.Prefixes {
		pre := redact.String(pre)
		switch {
		case strings.Contains(pre, "://"):
			return fmt.Sprintf("prefix %q contains a URL scheme; write the import path prefix without it", pre)
		case strings.EqualFold(pre, e.ImportPath) || pathprefix.Has(strings.ToLower(e.ImportPath), strings.ToLower(pre)):
			return fmt.Sprintf("prefix %q differs from %q only in letter case; import paths are case-sensitive", pre, e.ImportPath)
		case strings.HasSuffix(pre, "/") && strings.TrimSuffix(pre, "/") == e.ImportPath:
			return fmt.Sprintf("prefix %q ends in a slash; drop it", pre)
		case pathprefix.Has(pre, e.ImportPath):
			return fmt.Sprintf("prefix %q is longer than the import path %q; the prefix must be the repository root, a leading part of every import path it serves", pre, e.ImportPath)
		}
	}
	return fmt.Sprintf("a go-import prefix must be %s or a leading path of it, cut at a slash", e.ImportPath)
}

// Match returns the tag for importPath with the Go command's rules
// (matchGoImport): the prefix must equal the import path or be followed by
// a slash in it (a prefix ending in a slash matches as a plain string
// prefix). A second match is a *MultipleMatchError, except that once a mod
// entry matched, a later non-mod entry ends the search: PreferMod puts mod
// entries first so that they win. No match is an *ImportMismatchError.
func Match(imports []Import, importPath string) (Import, error) {
	match := -1
	var multi *MultipleMatchError
	mismatch := &ImportMismatchError{ImportPath: importPath}
	for i, im := range imports {
		if !pathprefix.Has(importPath, im.Prefix) {
			mismatch.Prefixes = append(mismatch.Prefixes, im.Prefix)
			continue
		}
		switch {
		case multi != nil:
			// Already failed; keep collecting matches for the error.
			multi.Matches = append(multi.Matches, im)
			continue
		case match < 0:
			match = i
			continue
		case imports[match].VCS == "mod" && im.VCS != "mod":
			return imports[match], nil
		}
		multi = &MultipleMatchError{ImportPath: importPath, Matches: []Import{imports[match], im}}
	}
	switch {
	case multi != nil:
		return Import{}, multi
	case match < 0:
		return Import{}, mismatch
	}
	return imports[match], nil
}
