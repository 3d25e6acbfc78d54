package fetch

import "github.com/gofetch/fetch/internal/buildinfo"

// BuildVersion returns the version of fetch built into the running program,
// from its build information: the module version of a release build
// ("v1.2.3" after `go install github.com/gofetch/fetch/cmd/fetch@v1.2.3`,
// or in a program that requires the module at v1.2.3), else the version
// control revision of a build from a checkout (its first 12 digits, with
// "+dirty" when the checkout had uncommitted changes), else the
// pseudo-version of a build at a commit, else "devel" (go run, tests,
// builds without version control information). The User-Agent header
// fetch sends names this version, and `fetch version` prints it.
func BuildVersion() string { return buildinfo.Version() }
