package lockfile_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gofetch/fetch/lockfile"
)

var gitEntry = lockfile.Entry{
	Source: "example.org/pkg", Kind: "import", ImportPath: "example.org/pkg", Root: "example.org/pkg",
	VCS: "git", Repo: "https://code.example/pkg.git", Ref: "main", Path: "example.org/pkg",
	Commit: "8b0646afda75c8b0646afda75c8b0646afda75c8", Hash: "h1:2mPkLZ3pvSfOtFyDYuo7xjO5lYPCpqPBxWnUZiuFHNc=",
}

var downloadEntry = lockfile.Entry{
	Source: "https://files.example/a.tgz", Kind: "getter", Getter: "http", URL: "https://files.example/a.tgz",
	Path: "files.example/a", SHA256: "sha256:0123", Hash: "h1:abc=",
}

const twoEntries = `fetch lock v1

source example.org/pkg
kind import
import-path example.org/pkg
root example.org/pkg
vcs git
repo https://code.example/pkg.git
ref main
path example.org/pkg
commit 8b0646afda75c8b0646afda75c8b0646afda75c8
hash h1:2mPkLZ3pvSfOtFyDYuo7xjO5lYPCpqPBxWnUZiuFHNc=

source https://files.example/a.tgz
kind getter
getter http
url https://files.example/a.tgz
path files.example/a
sha256 sha256:0123
hash h1:abc=
`

func TestWriteIsSortedAndStable(t *testing.T) {
	for _, order := range [][]lockfile.Entry{
		{gitEntry, downloadEntry},
		{downloadEntry, gitEntry},
		{downloadEntry, gitEntry, downloadEntry},
	} {
		got, err := (&lockfile.File{Entries: order}).Bytes()
		if err != nil {
			t.Fatal(err)
		}
		// "example.org/pkg" < "https://..." byte-wise.
		if string(got) != twoEntries {
			t.Errorf("Write:\n%s\nwant:\n%s", got, twoEntries)
		}
	}
}

func TestParseReadsWhatWriteWrote(t *testing.T) {
	f, err := lockfile.Parse([]byte(twoEntries))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 2 || f.Entries[0] != gitEntry || f.Entries[1] != downloadEntry {
		t.Fatalf("Parse = %+v", f.Entries)
	}
}

func TestWriteRedactsCredentials(t *testing.T) {
	e := lockfile.Entry{Source: "https://alice:s3cret@code.example/r.git", Kind: "getter", URL: "git::https://alice:s3cret@code.example/r.git?sshkey=QUJD"}
	got, err := (&lockfile.File{Entries: []lockfile.Entry{e}}).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(got, []byte("s3cret")) || bytes.Contains(got, []byte("QUJD")) {
		t.Fatalf("a secret was written:\n%s", got)
	}
	f, err := lockfile.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Entries[0].Redacted() {
		t.Errorf("Redacted() = false for %q", f.Entries[0].Source)
	}
	if (&gitEntry).Redacted() {
		t.Errorf("Redacted() = true for %q", gitEntry.Source)
	}
}

func TestWriteRefusesUnwritableValues(t *testing.T) {
	for _, tc := range []struct{ name, source, ref string }{
		{"a line break in a ref would start another field", "example.org/a", "main\ncommit 1234"},
		{"a trailing space would be lost", "example.org/a", "main "},
		{"a control character", "example.org/\x1b[31ma", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &lockfile.File{Entries: []lockfile.Entry{{Source: tc.source, Ref: tc.ref}}}
			var b bytes.Buffer
			err := f.Write(&b)
			var se *lockfile.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Write error = %v, want a *SyntaxError", err)
			}
			if b.Len() != 0 {
				t.Errorf("Write wrote %q before failing", b.String())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		version    bool
	}{
		{"an empty file is not a lock file", "", 1, true},
		{"another format's first line", "module example.org/x\n", 1, true},
		{"a later version of the format", "fetch lock v2\n\nsource x\n", 1, true},
		{"an entry must start with its source", Header() + "\n\nkind import\n", 3, false},
		{"an unknown field", Header() + "\n\nsource x\ncolour blue\n", 4, false},
		{"a repeated field", Header() + "\n\nsource x\nkind import\nkind getter\n", 5, false},
		{"fields out of order", Header() + "\n\nsource x\nhash h1:x\ncommit abc\n", 5, false},
		{"a key without a value", Header() + "\n\nsource x\ncommit\n", 4, false},
		{"a value with trailing space", Header() + "\n\nsource x\ncommit abc \n", 4, false},
		{"a carriage return inside a value", Header() + "\n\nsource x\ry\n", 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := lockfile.Parse([]byte(tc.text))
			var se *lockfile.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse error = %v, want a *SyntaxError", err)
			}
			if se.Line != tc.line {
				t.Errorf("line = %d, want %d (%v)", se.Line, tc.line, err)
			}
			if got := errors.Is(err, lockfile.ErrVersion); got != tc.version {
				t.Errorf("errors.Is(err, ErrVersion) = %v, want %v (%v)", got, tc.version, err)
			}
		})
	}
}

func TestParseSkipsCommentsAndExtraBlankLines(t *testing.T) {
	text := Header() + "\n# made by hand\n\n\nsource a\ncommit 1\n\n\nsource b\n"
	f, err := lockfile.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 2 || f.Entries[0].Commit != "1" || f.Entries[1].Source != "b" {
		t.Fatalf("Parse = %+v", f.Entries)
	}
	if got, _ := f.Bytes(); !strings.HasPrefix(string(got), Header()+"\n\nsource a\ncommit 1\n\nsource b\n") {
		t.Errorf("Bytes = %q", got)
	}
}

func TestParseAcceptsCRLF(t *testing.T) {
	// A lock file checked out with Windows line endings reads the same.
	f, err := lockfile.Parse([]byte(strings.ReplaceAll(twoEntries, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 2 || f.Entries[0] != gitEntry {
		t.Fatalf("Parse = %+v", f.Entries)
	}
}

func Header() string { return lockfile.Header }
