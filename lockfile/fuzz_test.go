package lockfile_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gofetch/fetch/lockfile"
)

// FuzzParse: Parse never panics; whatever it accepts, Write writes, and
// what Write writes Parse reads back to the same canonical entries and
// Write writes again byte for byte (the canonical form is a fixed point).
func FuzzParse(f *testing.F) {
	f.Add([]byte(twoEntries))
	f.Add([]byte(lockfile.Header + "\n\nsource https://u:p@h.example/r.git\nurl git::https://h.example/r?sshkey=AAAA\n"))
	f.Add([]byte(lockfile.Header + "\n# c\n\n\nsource a b c\nref x y\n"))
	f.Add([]byte("fetch lock v2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lf, err := lockfile.Parse(data)
		if err != nil {
			var se *lockfile.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse error %T %v is not a *SyntaxError", err, err)
			}
			return
		}
		out, err := lf.Bytes()
		if err != nil {
			t.Fatalf("Write of parsed entries: %v", err)
		}
		back, err := lockfile.Parse(out)
		if err != nil {
			t.Fatalf("Parse of Write's output %q: %v", out, err)
		}
		want := lockfile.Canonical(lf.Entries)
		if len(back.Entries) != len(want) {
			t.Fatalf("round trip: %d entries, want %d", len(back.Entries), len(want))
		}
		for i := range want {
			if back.Entries[i] != want[i] {
				t.Fatalf("round trip entry %d: %+v, want %+v", i, back.Entries[i], want[i])
			}
		}
		again, err := back.Bytes()
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("Write is not stable:\n%q\n%q (%v)", out, again, err)
		}
	})
}
