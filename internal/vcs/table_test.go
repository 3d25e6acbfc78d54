package vcs

import (
	"slices"
	"testing"

	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
)

// TestCmdsFollowTheTable: the command values are the systems of vcsinfo's
// table, in its order, and take their markers and schemes from it; only
// fossil adds a root name, the repository file Create keeps in the
// checkout.
func TestCmdsFollowTheTable(t *testing.T) {
	systems := vcsinfo.Systems()
	if len(systems) != len(vcsList) {
		t.Fatalf("vcsinfo has %d systems, vcsList %d", len(systems), len(vcsList))
	}
	var names []string
	for i, s := range systems {
		c := vcsList[i]
		if c.Name != s.Name || ByName(s.Name) != c {
			t.Errorf("vcsList[%d] = %s, ByName(%s) = %v; want the table's %s", i, c.Name, s.Name, ByName(s.Name), s.Name)
		}
		want := s.Markers
		if c == vcsFossil {
			want = append(want, RootName{Name: fossilRepoFile, File: true})
		}
		if !slices.Equal(c.RootNames, want) {
			t.Errorf("%s RootNames = %+v, want %+v", c.Name, c.RootNames, want)
		}
		if !slices.Equal(c.Schemes, s.Schemes) || !slices.Equal(c.RemoteSchemes, s.RemoteSchemes) {
			t.Errorf("%s schemes = %q, %q; want the table's %q, %q", c.Name, c.Schemes, c.RemoteSchemes, s.Schemes, s.RemoteSchemes)
		}
		for _, rn := range c.RootNames {
			names = append(names, rn.Name)
		}
	}
	if got := MetadataNames(); !slices.Equal(got, names) {
		t.Errorf("MetadataNames() = %q, want %q", got, names)
	}
	if ByName("cvs") != nil {
		t.Error("ByName(cvs) is not nil")
	}
}
