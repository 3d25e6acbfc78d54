package vcsinfo

import (
	"slices"
	"testing"
)

// TestTable checks the rules every row keeps: a known name, at least one
// marker that is a directory or a file, probe schemes among the remote
// schemes, secure schemes among the remote schemes, and the Go command's
// order.
func TestTable(t *testing.T) {
	var names []string
	seen := map[string]string{}
	for _, s := range Systems() {
		names = append(names, s.Name)
		if len(s.Markers) == 0 || len(s.Schemes) == 0 {
			t.Errorf("%s has no markers or no schemes", s.Name)
		}
		for _, m := range s.Markers {
			if !m.Dir && !m.File {
				t.Errorf("%s marker %s counts neither as a directory nor as a file", s.Name, m.Name)
			}
			if other, dup := seen[m.Name]; dup {
				t.Errorf("marker %s belongs to %s and %s", m.Name, other, s.Name)
			}
			seen[m.Name] = s.Name
		}
		for _, sc := range append(slices.Clone(s.Schemes), s.SecureSchemes...) {
			if !slices.Contains(s.RemoteSchemes, sc) {
				t.Errorf("%s: scheme %s is not among its remote schemes %q", s.Name, sc, s.RemoteSchemes)
			}
		}
	}
	if want := []string{"hg", "git", "svn", "bzr", "fossil"}; !slices.Equal(names, want) {
		t.Errorf("systems = %q, want the Go command's order %q", names, want)
	}
}

// TestSecureSchemesAreTheGoCommands: one set for all systems, the Go
// command's defaultSecureScheme.
func TestSecureSchemesAreTheGoCommands(t *testing.T) {
	secure := map[string]bool{"https": true, "ssh": true, "git+ssh": true, "svn+ssh": true, "bzr+ssh": true}
	for _, s := range Systems() {
		for _, sc := range s.RemoteSchemes {
			if got := IsSecureScheme(sc); got != secure[sc] {
				t.Errorf("IsSecureScheme(%q) = %v, want %v", sc, got, secure[sc])
			}
		}
	}
	for _, sc := range []string{"", "ssh+git", "http", "file", "foo"} {
		if IsSecureScheme(sc) {
			t.Errorf("IsSecureScheme(%q) = true", sc)
		}
	}
}

// TestMarkersFollowSystems: Markers is every system's markers, in table
// order, each with its system.
func TestMarkersFollowSystems(t *testing.T) {
	var want []SystemMarker
	for _, s := range Systems() {
		for _, m := range s.Markers {
			want = append(want, SystemMarker{Marker: m, System: s.Name})
		}
	}
	if got := Markers(); !slices.Equal(got, want) {
		t.Errorf("Markers() = %+v, want %+v", got, want)
	}
}

// TestTheTableCannotBeChanged: what the functions return are copies.
func TestTheTableCannotBeChanged(t *testing.T) {
	git, ok := ByName("git")
	if !ok {
		t.Fatal("no git")
	}
	git.Markers[0].Name = ".changed"
	git.Schemes[0] = "changed"
	Systems()[0].SecureSchemes[0] = "changed"
	again, _ := ByName("git")
	if again.Markers[0].Name != ".git" || again.Schemes[0] != "git" {
		t.Errorf("changing a returned value changed the table: %+v", again)
	}
	if hg, _ := ByName("hg"); hg.SecureSchemes[0] != "https" {
		t.Errorf("changing Systems' result changed the table: %+v", hg)
	}
	if _, ok := ByName("cvs"); ok {
		t.Error("ByName(cvs) found a system")
	}
}
