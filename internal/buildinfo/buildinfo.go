// Package buildinfo names the version of fetch built into the running
// program, for the User-Agent header fetch and its doctor send and for
// `fetch version`.
package buildinfo

import (
	"runtime/debug"
	"strings"

	"golang.org/x/mod/module"
)

// modulePath is this module's path, as the build information names it.
const modulePath = "github.com/gofetch/fetch"

// Version returns the version of fetch built into the running program,
// from its build information: the module version of a release build
// ("v1.2.3" after `go install github.com/gofetch/fetch/cmd/fetch@v1.2.3`,
// or in a program that requires the module at v1.2.3), else the version
// control revision of a build from a checkout (its first 12 digits, with
// "+dirty" when the checkout had uncommitted changes), else the
// pseudo-version of a build at a commit, else "devel" (go run, tests,
// builds without version control information). The User-Agent header
// fetch sends names this version, and `fetch version` prints it.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	return versionOf(bi)
}

// versionOf is Version for the build information bi.
func versionOf(bi *debug.BuildInfo) string {
	if bi.Main.Path != modulePath {
		// fetch is a library in someone else's program.
		for _, m := range bi.Deps {
			if m.Path != modulePath {
				continue
			}
			v := m.Version
			if m.Replace != nil {
				v = m.Replace.Version
			}
			if v == "" || v == "(devel)" {
				return "devel"
			}
			return v
		}
		return "devel"
	}
	v := bi.Main.Version
	if v == "(devel)" {
		v = ""
	}
	clean := strings.TrimSuffix(v, "+dirty")
	if v != "" && clean == v && !module.IsPseudoVersion(v) {
		return v // a release
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if settings["vcs.modified"] == "true" {
			rev += "+dirty"
		}
		return rev
	}
	if v != "" {
		return v
	}
	return "devel"
}
