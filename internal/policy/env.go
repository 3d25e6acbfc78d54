package policy

import (
	"net/url"
	"strings"

	"golang.org/x/mod/module"

	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
)

// Env is the part of the environment that decides how import paths are
// fetched. Each glob-list field is a comma-separated list of
// module.MatchPrefixPatterns patterns: a pattern with N slashes matches
// the first N+1 elements of a path.
type Env struct {
	// GOVCS lists the version control systems allowed per root (see
	// ParseGOVCS); DefaultGOVCS applies after it.
	GOVCS string
	// GOPRIVATE marks paths private for GOVCS and is the default for
	// GONOPROXY and GONOSUMDB.
	GOPRIVATE string
	// GOINSECURE lists paths that may be fetched without TLS
	// verification, over plain http, and through insecure VCS schemes.
	GOINSECURE string
	// GONOSUMDB lists paths not checked against the checksum database;
	// empty means GOPRIVATE.
	GONOSUMDB string
	// GONOPROXY lists paths fetched directly instead of through a module
	// proxy; empty means GOPRIVATE.
	GONOPROXY string
	// GitAllowProtocol is GIT_ALLOW_PROTOCOL: when not empty, its
	// colon-separated schemes replace the secure scheme set for git.
	GitAllowProtocol string
}

// FromEnviron reads an Env through getenv (os.Getenv, or a lookup in a
// test's map), so this package never reads the process environment. To
// follow the Go command, pass a getenv that also reads the Go environment
// file (goenv.Lookup), as fetch.New does: a GOPRIVATE, GOINSECURE or GOVCS
// set with go env -w then counts as if it were in the environment.
func FromEnviron(getenv func(string) string) Env {
	return Env{
		GOVCS:            getenv("GOVCS"),
		GOPRIVATE:        getenv("GOPRIVATE"),
		GOINSECURE:       getenv("GOINSECURE"),
		GONOSUMDB:        getenv("GONOSUMDB"),
		GONOPROXY:        getenv("GONOPROXY"),
		GitAllowProtocol: getenv("GIT_ALLOW_PROTOCOL"),
	}
}

// IsPrivate reports whether path matches GOPRIVATE.
func (e Env) IsPrivate(path string) bool {
	return module.MatchPrefixPatterns(e.GOPRIVATE, path)
}

// IsInsecure reports whether path matches GOINSECURE, which switches its
// discovery and fetching to the Insecure security mode.
func (e Env) IsInsecure(path string) bool {
	return module.MatchPrefixPatterns(e.GOINSECURE, path)
}

// IsNoSumDB reports whether path matches GONOSUMDB, or GOPRIVATE when
// GONOSUMDB is empty.
func (e Env) IsNoSumDB(path string) bool {
	return module.MatchPrefixPatterns(orDefault(e.GONOSUMDB, e.GOPRIVATE), path)
}

// IsNoProxy reports whether path matches GONOPROXY, or GOPRIVATE when
// GONOPROXY is empty: the Go command fetches such a path from its
// repository, never through a module proxy.
func (e Env) IsNoProxy(path string) bool {
	return module.MatchPrefixPatterns(orDefault(e.GONOPROXY, e.GOPRIVATE), path)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// GOVCSRules parses GOVCS and appends DefaultGOVCS, as the Go command does.
func (e Env) GOVCSRules() (GOVCS, error) {
	rules, err := ParseGOVCS(e.GOVCS)
	if err != nil {
		return nil, err
	}
	return append(rules, DefaultGOVCS...), nil
}

// CheckVCS reports whether GOVCS allows vcs for the repository whose root
// import path is root (the go-import prefix or the static root, never the
// full import path). A malformed GOVCS is reported only here, when a
// check is needed, as the Go command does.
func (e Env) CheckVCS(root, vcs string) error {
	if vcs == "mod" {
		return nil
	}
	rules, err := e.GOVCSRules()
	if err != nil {
		return err
	}
	return rules.Allow(root, vcs, e.IsPrivate(root))
}

// SecureScheme reports whether scheme is secure for the version control
// system vcs: by default, whether it authenticates the server for some
// system of vcsinfo's table (one set for all systems, as the Go command
// keeps). For git, a non-empty GIT_ALLOW_PROTOCOL replaces the default
// set, because git itself will refuse every scheme it does not list.
func (e Env) SecureScheme(vcs, scheme string) bool {
	if vcs == "git" && e.GitAllowProtocol != "" {
		for allowed := range strings.SplitSeq(e.GitAllowProtocol, ":") {
			if allowed == scheme {
				return true
			}
		}
		return false
	}
	return vcsinfo.IsSecureScheme(scheme)
}

// SecureRepo reports whether the repository URL repo uses a secure scheme
// for vcs. A repo that is not a URL (scp-like user@host:path) is not secure.
func (e Env) SecureRepo(vcs, repo string) bool {
	u, err := url.Parse(repo)
	if err != nil {
		return false
	}
	return e.SecureScheme(vcs, u.Scheme)
}
