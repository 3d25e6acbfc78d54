// Package getterinfo is the one table of the go-getter getters a source
// may name with a NAME:: prefix (go-getter v1's set): which are downloads,
// fetched by internal/download, and which are checkouts, fetched by the
// VCS layer. detect checks forced getters against it and internal/download
// dispatches on it, so adding a getter is one row here.
package getterinfo

import "slices"

// Getter is one row of the table.
type Getter struct {
	// Name is the getter's name as a NAME:: prefix or a URL scheme
	// spells it.
	Name string
	// Checkout reports a version control getter (git, hg): a checkout
	// made by internal/vcs, not a download.
	Checkout bool
}

// table lists the getters, the downloads first, in the order
// internal/download's messages name them.
var table = []Getter{
	{Name: "http"},
	{Name: "https"},
	{Name: "file"},
	{Name: "s3"},
	{Name: "gcs"},
	{Name: "git", Checkout: true},
	{Name: "hg", Checkout: true},
}

// Names returns the name of every getter, sorted.
func Names() []string {
	var out []string
	for _, g := range table {
		out = append(out, g.Name)
	}
	slices.Sort(out)
	return out
}

// Downloads returns the names of the download getters, in the table's
// order.
func Downloads() []string {
	var out []string
	for _, g := range table {
		if !g.Checkout {
			out = append(out, g.Name)
		}
	}
	return out
}
