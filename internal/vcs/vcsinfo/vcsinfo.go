// Package vcsinfo is the one table of facts about the version control
// systems fetch knows: their names, the entries that mark a checkout, and
// the URL schemes they speak, which of them in what order, and which
// authenticate the server. Every other package reads these facts from
// here: internal/vcs builds its commands around them, internal/tree finds
// checkouts (fetch list, the state of a destination, the nesting check)
// with Markers, internal/download refuses downloads that would create a
// marker, and internal/policy takes its secure schemes from it. Adding a
// system starts with adding a row here.
//
// The package holds data only and imports nothing of fetch's, so any
// package can read it without an import cycle. Its functions return
// copies: the table cannot be changed from outside.
package vcsinfo

import "slices"

// System is what fetch knows about one version control system, apart from
// how to run it (internal/vcs).
type System struct {
	// Name is the name fetch and the Go command use: git, hg, svn, bzr,
	// fossil.
	Name string
	// Markers are the entries whose presence in a directory makes it the
	// top of a checkout of this system, in the order they are looked for.
	Markers []Marker
	// Schemes are the schemes to try for a repository given without one
	// (example.com/repo.git), in the Go command's order.
	Schemes []string
	// RemoteSchemes are the URL schemes accepted for a remote: Schemes
	// plus the local and alias schemes the tool understands.
	RemoteSchemes []string
	// SecureSchemes are those of RemoteSchemes that authenticate the
	// server; the others may be used only when insecure access is allowed.
	SecureSchemes []string
}

// Marker is a directory entry that marks the top of a checkout.
type Marker struct {
	// Name is the entry's name, such as ".git".
	Name string
	// Dir and File say which kinds of entry count. git accepts both,
	// because worktrees and submodules have a .git file.
	Dir, File bool
}

// systems is the table, in the Go command's order (its vcsList): where a
// directory holds several systems' markers, the first system here is the
// one named first.
var systems = []System{
	{
		Name:          "hg",
		Markers:       []Marker{{Name: ".hg", Dir: true}},
		Schemes:       []string{"https", "http", "ssh"},
		RemoteSchemes: []string{"https", "http", "ssh", "file"},
		SecureSchemes: []string{"https", "ssh"},
	},
	{
		Name:          "git",
		Markers:       []Marker{{Name: ".git", Dir: true, File: true}},
		Schemes:       []string{"git", "https", "http", "git+ssh", "ssh"},
		RemoteSchemes: []string{"git", "https", "http", "git+ssh", "ssh+git", "ssh", "file"},
		// ssh+git is git's alias of git+ssh, but the Go command does not
		// count it secure, and neither does fetch.
		SecureSchemes: []string{"https", "git+ssh", "ssh"},
	},
	{
		Name:          "svn",
		Markers:       []Marker{{Name: ".svn", Dir: true}},
		Schemes:       []string{"https", "http", "svn", "svn+ssh"},
		RemoteSchemes: []string{"https", "http", "svn", "svn+ssh", "file"},
		SecureSchemes: []string{"https", "svn+ssh"},
	},
	{
		Name:          "bzr",
		Markers:       []Marker{{Name: ".bzr", Dir: true}},
		Schemes:       []string{"https", "http", "bzr", "bzr+ssh"},
		RemoteSchemes: []string{"https", "http", "bzr", "bzr+ssh", "file"},
		SecureSchemes: []string{"https", "bzr+ssh"},
	},
	{
		Name:          "fossil",
		Markers:       []Marker{{Name: ".fslckout", File: true}, {Name: "_FOSSIL_", File: true}},
		Schemes:       []string{"https", "http"},
		RemoteSchemes: []string{"https", "http", "ssh", "file"},
		SecureSchemes: []string{"https", "ssh"},
	},
}

// Systems returns every system, in the table's order.
func Systems() []System {
	out := make([]System, len(systems))
	for i, s := range systems {
		out[i] = s.clone()
	}
	return out
}

// ByName returns the system called name and whether there is one.
func ByName(name string) (System, bool) {
	for _, s := range systems {
		if s.Name == name {
			return s.clone(), true
		}
	}
	return System{}, false
}

// SystemMarker is a Marker together with the system it marks.
type SystemMarker struct {
	Marker
	// System is the name of the system, such as "git".
	System string
}

// Markers returns every system's markers in one list, in the table's
// order: the order in which a directory is searched for a checkout.
func Markers() []SystemMarker {
	var out []SystemMarker
	for _, s := range systems {
		for _, m := range s.Markers {
			out = append(out, SystemMarker{Marker: m, System: s.Name})
		}
	}
	return out
}

// IsSecureScheme reports whether scheme authenticates the server for some
// system. Like the Go command, fetch keeps one set of secure schemes for
// all systems: a scheme a system does not speak is refused by that system
// for that reason, not as insecure.
func IsSecureScheme(scheme string) bool {
	for _, s := range systems {
		if slices.Contains(s.SecureSchemes, scheme) {
			return true
		}
	}
	return false
}

func (s System) clone() System {
	s.Markers = slices.Clone(s.Markers)
	s.Schemes = slices.Clone(s.Schemes)
	s.RemoteSchemes = slices.Clone(s.RemoteSchemes)
	s.SecureSchemes = slices.Clone(s.SecureSchemes)
	return s
}
