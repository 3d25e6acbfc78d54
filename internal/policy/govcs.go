package policy

import (
	"fmt"
	"strings"

	"golang.org/x/mod/module"
)

// Rule is one GOVCS entry such as "private:hg|svn": the root paths its
// Pattern selects may use the version control systems in Allowed.
type Rule struct {
	// Pattern is "public", "private", or a glob-prefix pattern in the
	// syntax of module.MatchPrefixPatterns.
	Pattern string
	// Allowed lists command names; "all" allows every one, and any word
	// that names no system (such as "off" or "none") allows nothing.
	Allowed []string
}

// GOVCS is a GOVCS configuration: its rules are tried in order and the
// first whose pattern matches decides.
type GOVCS []Rule

// DefaultGOVCS is appended after the user's rules, so that setting GOVCS
// adds rules ahead of these rather than replacing them. Only git and hg
// are allowed for public code because they have had the most scrutiny as
// clients of untrusted servers (golang.org/issue/41730).
var DefaultGOVCS = GOVCS{
	{Pattern: "private", Allowed: []string{"all"}},
	{Pattern: "public", Allowed: []string{"git", "hg"}},
}

// ParseGOVCS parses a GOVCS value (comma-separated pattern:vcs|vcs
// entries) with the Go command's rules and error texts. It does not append
// DefaultGOVCS: Env.GOVCSRules does.
func ParseGOVCS(s string) (GOVCS, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var rules GOVCS
	seen := make(map[string]string) // pattern -> the entry that used it first
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("empty entry in GOVCS")
		}
		pattern, list, ok := strings.Cut(item, ":")
		if !ok {
			return nil, fmt.Errorf("malformed entry in GOVCS (missing colon): %q", item)
		}
		pattern, list = strings.TrimSpace(pattern), strings.TrimSpace(list)
		if pattern == "" {
			return nil, fmt.Errorf("empty pattern in GOVCS: %q", item)
		}
		if list == "" {
			return nil, fmt.Errorf("empty VCS list in GOVCS: %q", item)
		}
		if isRelative(pattern) {
			return nil, fmt.Errorf("relative pattern not allowed in GOVCS: %q", pattern)
		}
		// A repeated pattern can never match: the first rule with it wins.
		if first, dup := seen[pattern]; dup {
			return nil, fmt.Errorf("unreachable pattern in GOVCS: %q after %q", item, first)
		}
		seen[pattern] = item
		allowed := strings.Split(list, "|")
		for i, name := range allowed {
			name = strings.TrimSpace(name)
			if name == "" {
				return nil, fmt.Errorf("empty VCS name in GOVCS: %q", item)
			}
			allowed[i] = name
		}
		rules = append(rules, Rule{Pattern: pattern, Allowed: allowed})
	}
	return rules, nil
}

// isRelative reports whether pattern is a relative file path pattern, which
// the Go command refuses because GOVCS patterns name import paths.
func isRelative(pattern string) bool {
	return pattern == "." || pattern == ".." ||
		strings.HasPrefix(pattern, "./") || strings.HasPrefix(pattern, "../")
}

// Allow reports, as an error, whether the rules let vcs be used for the
// repository whose root import path is root; private says whether root
// matches GOPRIVATE. The mod "VCS" (the module proxy protocol) runs no
// version control command and is always allowed. When no rule matches,
// nothing is allowed.
func (g GOVCS) Allow(root, vcs string, private bool) error {
	if vcs == "mod" {
		return nil
	}
	if g.allows(root, vcs, private) {
		return nil
	}
	return &DisallowedError{VCS: vcs, Root: root, Private: private}
}

func (g GOVCS) allows(root, vcs string, private bool) bool {
	for _, rule := range g {
		var match bool
		switch rule.Pattern {
		case "private":
			match = private
		case "public":
			match = !private
		default:
			// The pattern holds no comma, so this matches one pattern.
			match = module.MatchPrefixPatterns(rule.Pattern, root)
		}
		if !match {
			continue
		}
		for _, name := range rule.Allowed {
			if name == vcs || name == "all" {
				return true
			}
		}
		return false
	}
	return false
}

// DisallowedError reports that GOVCS does not allow a version control
// system for a repository root.
type DisallowedError struct {
	VCS     string
	Root    string
	Private bool
}

// Error returns the Go command's text for the denial.
func (e *DisallowedError) Error() string {
	what := "public"
	if e.Private {
		what = "private"
	}
	return fmt.Sprintf("GOVCS disallows using %s for %s %s; see 'go help vcs'", e.VCS, what, e.Root)
}
