package vcs

import (
	"reflect"
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
		if c.name != s.Name || ByName(s.Name).name != s.Name {
			t.Errorf("vcsList[%d] = %s, ByName(%s) = %v; want the table's %s", i, c.name, s.Name, ByName(s.Name), s.Name)
		}
		want := s.Markers
		if c == vcsFossil {
			want = append(want, RootName{Name: fossilRepoFile, File: true})
		}
		if !slices.Equal(c.rootNames, want) {
			t.Errorf("%s rootNames = %+v, want %+v", c.name, c.rootNames, want)
		}
		if !slices.Equal(c.schemes, s.Schemes) || !slices.Equal(c.remoteSchemes, s.RemoteSchemes) {
			t.Errorf("%s schemes = %q, %q; want the table's %q, %q", c.name, c.schemes, c.remoteSchemes, s.Schemes, s.RemoteSchemes)
		}
		for _, rn := range c.rootNames {
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

// TestByNameReturnsACopy: what ByName returns can be changed, element by
// element, without changing the table (doctor once rewrote git's clone
// command on a copy that shared its slices).
func TestByNameReturnsACopy(t *testing.T) {
	for _, orig := range vcsList {
		before := *orig.clone()
		c := ByName(orig.name)
		if c == orig {
			t.Fatalf("ByName(%s) returned the table's value", orig.name)
		}
		v := reflect.ValueOf(c).Elem()
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if !v.Type().Field(i).IsExported() || f.Kind() != reflect.Slice || f.Len() == 0 {
				continue
			}
			e := f.Index(0)
			if e.Kind() == reflect.Slice && e.Len() > 0 {
				e = e.Index(0) // a step of CreateCmd or UpdateCmd
			}
			e.Set(reflect.Zero(e.Type()))
		}
		c.name = "changed"
		if !reflect.DeepEqual(exported(orig), exported(&before)) {
			t.Errorf("changing what ByName(%s) returned changed the table", before.name)
		}
	}
}

// exported returns the exported fields of c (DeepEqual counts no two
// non-nil funcs equal).
func exported(c *Cmd) []any {
	v := reflect.ValueOf(c).Elem()
	var out []any
	for i := 0; i < v.NumField(); i++ {
		if v.Type().Field(i).IsExported() {
			out = append(out, v.Field(i).Interface())
		}
	}
	return out
}
