package detect

import "net/url"

// Kind says which grammar a source was read with.
type Kind string

// The kinds of source.
const (
	// KindImport is a Go import path, resolved the way the Go command does.
	KindImport Kind = "import"
	// KindGetter is a go-getter style source (forced getter, URL, local path, scp-style).
	KindGetter Kind = "getter"
)

// Source is a normalized source. Fields mirror the JSON contract.
type Source struct {
	// Input is the source exactly as given.
	Input string
	// Kind is KindImport or KindGetter.
	Kind Kind

	// Getter is the go-getter getter that fetches a getter source
	// ("git", "hg", "http", "https", "file", "s3", "gcs", ...).
	Getter string
	// URL is the normalized go-getter URL with forced getter, //subdir and
	// query re-attached, e.g. git::https://code.example/r.git//sub?ref=v1.
	URL string
	// Subdir is the //subdir part (may contain globs); empty if none.
	Subdir string
	// Ref is the ref requested (?ref=, ?rev= or @REF); empty for the default.
	Ref string
	// Options holds every query option of the source (ref, depth, sshkey,
	// checksum, archive, filename, ...), as parsed from the URL.
	Options url.Values

	// ImportPath is the import path asked for (KindImport), without @REF.
	ImportPath string
	// LookupPath is the path the resolver looks up: ImportPath cut before
	// the element holding "..." as GOPATH-mode go get did ("rsc.io/pdf/..."
	// gives "rsc.io/pdf"), or ImportPath itself when it has no wildcard.
	LookupPath string
	// Static is the Go command's static-stage answer for an import path,
	// or nil when the path needs go-import meta discovery.
	Static *RepoRoot
}

// RepoRoot is where an import path's repository lives, as the Go command
// computes it.
type RepoRoot struct {
	// VCS is "git", "hg", "svn", "bzr", "fossil" or "mod".
	VCS string
	// Repo is the repository URL. When NeedsScheme is true it has no
	// scheme yet (a .git-qualified path) and the resolver must probe the
	// VCS's schemes in order.
	Repo string
	// Root is the import path of the repository root.
	Root string
	// SubDir is the module subdirectory within the repository (4th
	// go-import field); empty if none.
	SubDir string
	// NeedsScheme reports that Repo lacks a scheme and must be probed.
	NeedsScheme bool
	// IsCustom reports that the root came from a go-import meta tag.
	IsCustom bool

	// CheckURL, when set, must be fetched before this root is used; if the
	// request fails, Fallback is the answer instead. Only the Go command's
	// Launchpad rule sets it (a project series may or may not have its own
	// branch), and detect itself never fetches it.
	CheckURL string
	// Fallback is the root to use when fetching CheckURL fails.
	Fallback *RepoRoot
}
