package metaparse

// ModuleMode selects how go-import tags with vcs "mod" are treated, as in
// the Go command.
type ModuleMode int

// The module modes.
const (
	// IgnoreMod drops "mod" entries (GOPATH-mode go get).
	IgnoreMod ModuleMode = iota
	// PreferMod lists all "mod" entries first, then the other entries
	// whose prefix has no "mod" entry (module mode).
	PreferMod
)

// Import is one go-import meta tag: "prefix vcs repo-root [subdir]".
type Import struct {
	Prefix   string
	VCS      string
	RepoRoot string
	SubDir   string
}

// SourceTag is one go-source meta tag: "prefix home directory file".
type SourceTag struct {
	Prefix    string
	Home      string
	Directory string
	File      string
}
