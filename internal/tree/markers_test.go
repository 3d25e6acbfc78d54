package tree

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
)

// TestMarkersComeFromTheTable: every marker of vcsinfo's table, and no
// other name, makes a directory a checkout, in the table's order, for each
// reader in this package: Kind (the state of a destination), Marker (fetch
// list) and Place's nesting check.
func TestMarkersComeFromTheTable(t *testing.T) {
	table := vcsinfo.Markers()
	if len(vcsMetadata) != len(table) {
		t.Fatalf("vcsMetadata has %d entries, vcsinfo %d", len(vcsMetadata), len(table))
	}
	for i, m := range table {
		got := vcsMetadata[i]
		want := metadataEntry{vcs: m.System, name: m.Name, dir: m.Dir, file: m.File}
		if got != want {
			t.Errorf("vcsMetadata[%d] = %+v, want %+v", i, got, want)
		}
	}

	for _, m := range table {
		t.Run(m.System+" "+m.Name, func(t *testing.T) {
			root := t.TempDir()
			co := filepath.Join(root, "src", "example.com", "co")
			if err := os.MkdirAll(co, 0o755); err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(co, m.Name)
			var err error
			if m.Dir {
				err = os.Mkdir(p, 0o755)
			} else {
				err = os.WriteFile(p, []byte("x"), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}

			if st, err := Kind(co); err != nil || st.Is != Checkout || st.VCS != m.System || st.Metadata != m.Name {
				t.Errorf("Kind = %+v, %v; want a %s checkout by %s", st, err, m.System, m.Name)
			}
			if vcs, name, ok := Marker(co); !ok || vcs != m.System || name != m.Name {
				t.Errorf("Marker = %q, %q, %v; want %q, %q", vcs, name, ok, m.System, m.Name)
			}
			_, err = Place(Where{Root: root, Path: "example.com/co/inner"}, Inspect)
			var perr *PlaceError
			if !errors.As(err, &perr) || !errors.Is(err, ErrNested) || perr.VCS != m.System {
				t.Errorf("Place below the checkout = %v; want ErrNested naming %s", err, m.System)
			}
		})
	}

	t.Run("the first marker in table order names a directory with two", func(t *testing.T) {
		first, second := table[0], table[0]
		for _, m := range table {
			if m.Dir && m.System != first.System {
				second = m // the last directory marker of another system
			}
		}
		co := t.TempDir()
		if !first.Dir || second.System == first.System {
			t.Fatalf("the table has no two systems marked by directories: %+v", table)
		}
		for _, m := range []vcsinfo.SystemMarker{second, first} {
			if err := os.Mkdir(filepath.Join(co, m.Name), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if vcs, _, _ := Marker(co); vcs != first.System {
			t.Errorf("Marker = %q, want %q (the table's first)", vcs, first.System)
		}
		if st, err := Kind(co); st.VCS != first.System || !errors.Is(err, ErrMultipleVCS) {
			t.Errorf("Kind = %+v, %v; want %s and ErrMultipleVCS", st, err, first.System)
		}
	})
}
