package fetch

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
)

// TestListFindsEveryTableMarker: fetch list reports a checkout for each
// marker of vcsinfo's table, named by the table's system, and does not
// descend into it.
func TestListFindsEveryTableMarker(t *testing.T) {
	root := t.TempDir()
	want := map[string]string{}
	for i, m := range vcsinfo.Markers() {
		rel := filepath.Join("example.com", m.System, string(rune('a'+i)))
		dir := filepath.Join(root, "src", rel)
		if err := os.MkdirAll(filepath.Join(dir, "sub", ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, m.Name)
		var err error
		if m.Dir {
			err = os.Mkdir(p, 0o755)
		} else {
			err = os.WriteFile(p, nil, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		want[filepath.ToSlash(rel)] = m.System
	}
	got, err := List(root, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("List found %d checkouts, want %d: %+v", len(got), len(want), got)
	}
	for _, co := range got {
		if want[co.Path] != co.VCS {
			t.Errorf("List: %s is %q, want %q", co.Path, co.VCS, want[co.Path])
		}
	}
}
