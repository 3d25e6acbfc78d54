package detect

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofetch/fetch/internal/lazyre"
	"github.com/gofetch/fetch/internal/pathprefix"
	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
)

// ErrUnknownSite is wrapped by Static and Launchpad when no rule of theirs
// applies to the path, so the resolver must use go-import meta discovery.
// Its text is the Go command's.
var ErrUnknownSite = errors.New("dynamic lookup required to find mapping")

// A site is one row of the Go command's table of known hosting sites:
// a path prefix, the pattern the path must then match (its "root" group is
// the repository root), the VCS and repository templates ({name} is
// replaced by the named group), and an optional extra check.
type site struct {
	prefix     string
	pattern    *lazyre.Regexp
	vcs        string
	repo       string
	check      func(match map[string]string) error
	schemeless bool // repo has no scheme: the resolver probes for one
	verify     *verifyRule
}

// A verifyRule is a request the Go command makes to choose between two
// roots. detect makes no request: it describes it in RepoRoot.CheckURL.
type verifyRule struct {
	needs    []string // named groups that must all be non-empty
	url      string   // template of the URL to fetch
	fallback string   // template of the root when the fetch fails
}

// staticSites is the Go command's vcsPaths table (go1.26.8). The patterns
// are its own: the contract requires the identical expressions.
var staticSites = []site{
	{
		prefix:  "github.com",
		pattern: lazyre.New(`^(?P<root>github\.com/[\w.\-]+/[\w.\-]+)(/[\w.\-]+)*$`),
		vcs:     "git", repo: "https://{root}", check: noVCSSuffix,
	},
	{
		prefix:  "bitbucket.org",
		pattern: lazyre.New(`^(?P<root>bitbucket\.org/(?P<bitname>[\w.\-]+/[\w.\-]+))(/[\w.\-]+)*$`),
		vcs:     "git", repo: "https://{root}", check: noVCSSuffix,
	},
	{
		prefix:  "hub.jazz.net/git",
		pattern: lazyre.New(`^(?P<root>hub\.jazz\.net/git/[a-z0-9]+/[\w.\-]+)(/[\w.\-]+)*$`),
		vcs:     "git", repo: "https://{root}", check: noVCSSuffix,
	},
	{
		prefix:  "git.apache.org",
		pattern: lazyre.New(`^(?P<root>git\.apache\.org/[a-z0-9_.\-]+\.git)(/[\w.\-]+)*$`),
		vcs:     "git", repo: "https://{root}",
	},
	{
		prefix:  "git.openstack.org",
		pattern: lazyre.New(`^(?P<root>git\.openstack\.org/[\w.\-]+/[\w.\-]+)(\.git)?(/[\w.\-]+)*$`),
		vcs:     "git", repo: "https://{root}",
	},
	{
		prefix:  "chiselapp.com",
		pattern: lazyre.New(`^(?P<root>chiselapp\.com/user/[A-Za-z0-9]+/repository/[\w.\-]+)$`),
		vcs:     "fossil", repo: "https://{root}",
	},
	{
		// Any host, with a VCS qualifier ending the root. No "^": the Go
		// command's match may start inside the first element.
		pattern:    lazyre.New(`(?P<root>(?P<repo>([a-z0-9.\-]+\.)+[a-z0-9.\-]+(:[0-9]+)?(/~?[\w.\-]+)+?)\.(?P<vcs>bzr|fossil|git|hg|svn))(/~?[\w.\-]+)*$`),
		schemeless: true,
	},
}

// launchpadSites is the Go command's vcsPathsAfterDynamic table: tried only
// after meta discovery failed.
var launchpadSites = []site{
	{
		prefix:  "launchpad.net",
		pattern: lazyre.New(`^(?P<root>launchpad\.net/((?P<project>[\w.\-]+)(?P<series>/[\w.\-]+)?|~[\w.\-]+/(\+junk|[\w.\-]+)/[\w.\-]+))(/[\w.\-]+)*$`),
		vcs:     "bzr", repo: "https://{root}",
		verify: &verifyRule{
			needs:    []string{"project", "series"},
			url:      "https://code.launchpad.net/{project}{series}/.bzr/branch-format",
			fallback: "launchpad.net/{project}",
		},
	},
}

// Static is the Go command's static stage for an import path: the table of
// known hosting sites, then the VCS-qualifier rule (example.org/r.git/sub),
// whose answer has NeedsScheme set. A path under a known prefix that does
// not fit its pattern is an error, not a reason to try discovery; a path no
// rule applies to gives an error wrapping ErrUnknownSite. The Go command's
// test-only shortcuts (example.net, rsc.io) and its GOVCS check are left
// to the caller.
func Static(importPath string) (*RepoRoot, error) {
	return matchSites(importPath, staticSites)
}

// Launchpad is the Go command's rule for launchpad.net paths, which it tries
// only after meta discovery failed. For launchpad.net/PROJECT/SERIES the
// answer carries CheckURL and Fallback: the Go command fetches the series'
// branch-format file and falls back to launchpad.net/PROJECT if that fails.
func Launchpad(importPath string) (*RepoRoot, error) {
	return matchSites(importPath, launchpadSites)
}

func matchSites(importPath string, sites []site) (*RepoRoot, error) {
	for _, prefix := range []string{"http:", "https:"} {
		if strings.HasPrefix(importPath, prefix) {
			return nil, fmt.Errorf("%q not allowed in import path", prefix+"//")
		}
	}
	for i := range sites {
		s := &sites[i]
		if !pathprefix.Has(importPath, s.prefix) {
			continue
		}
		m := s.pattern.FindStringSubmatch(importPath)
		if m == nil {
			if s.prefix != "" {
				return nil, fmt.Errorf("invalid %s import path %q", s.prefix, importPath)
			}
			continue
		}
		rr, err := s.answer(importPath, m)
		if err != nil {
			return nil, err
		}
		if strings.Contains(importPath, "...") && strings.Contains(rr.Root, "...") {
			return nil, fmt.Errorf("cannot expand ... in %q", importPath)
		}
		return rr, nil
	}
	return nil, fmt.Errorf("no known hosting site or VCS qualifier in %q: %w", importPath, ErrUnknownSite)
}

// answer builds the RepoRoot for a path that matched s's pattern.
func (s *site) answer(importPath string, m []string) (*RepoRoot, error) {
	match := map[string]string{"prefix": s.prefix + "/", "import": importPath}
	for i, name := range s.pattern.SubexpNames() {
		if name != "" && match[name] == "" {
			match[name] = m[i]
		}
	}
	if s.vcs != "" {
		match["vcs"] = expand(match, s.vcs)
	}
	if s.repo != "" {
		match["repo"] = expand(match, s.repo)
	}
	if s.check != nil {
		if err := s.check(match); err != nil {
			return nil, err
		}
	}
	if _, ok := vcsinfo.ByName(match["vcs"]); !ok {
		return nil, fmt.Errorf("unknown version control system %q", match["vcs"])
	}
	rr := &RepoRoot{VCS: match["vcs"], Repo: match["repo"], Root: match["root"], NeedsScheme: s.schemeless}
	if v := s.verify; v != nil && allSet(match, v.needs) {
		rr.CheckURL = expand(match, v.url)
		fb := expand(match, v.fallback)
		rr.Fallback = &RepoRoot{
			VCS:  rr.VCS,
			Root: fb,
			Repo: expand(map[string]string{"root": fb}, s.repo),
		}
	}
	return rr, nil
}

func allSet(match map[string]string, names []string) bool {
	for _, n := range names {
		if match[n] == "" {
			return false
		}
	}
	return true
}

// noVCSSuffix refuses a known host's repository named like a VCS-qualified
// path ("github.com/o/r.git"), as the Go command does.
func noVCSSuffix(match map[string]string) error {
	for _, v := range vcsinfo.Systems() {
		if strings.HasSuffix(match["repo"], "."+v.Name) {
			return fmt.Errorf("invalid version control suffix in %s path", match["prefix"])
		}
	}
	return nil
}

// expand replaces each {name} in tmpl with match[name] in one pass, so that
// text taken from the import path is never expanded again.
func expand(match map[string]string, tmpl string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			break
		}
		n := strings.IndexByte(tmpl[open:], '}')
		if n < 0 {
			break
		}
		if v, ok := match[tmpl[open+1:open+n]]; ok {
			b.WriteString(tmpl[:open])
			b.WriteString(v)
			tmpl = tmpl[open+n+1:]
			continue
		}
		b.WriteString(tmpl[:open+1])
		tmpl = tmpl[open+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}
