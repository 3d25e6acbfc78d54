// Package lockfile reads and writes fetch's lock files: what each source
// of a run resolved to and what it placed in the tree (repository,
// commit, content hash), so that a later run can fetch exactly the same
// and a check can tell whether the tree still holds it.
//
// The format is text, one field per line, made to be read in a diff:
//
//	fetch lock v1
//
//	source example.org/pkg
//	kind import
//	import-path example.org/pkg
//	root example.org/pkg
//	vcs git
//	repo https://code.example/pkg.git
//	ref main
//	path example.org/pkg
//	commit 8b0646afda75c8b0646afda75c8b0646afda75c8
//	hash h1:2mPkLZ3pvSfOtFyDYuo7xjO5lYPCpqPBxWnUZiuFHNc=
//
// The first line names the format and its version; a reader refuses a
// version it does not know. Entries follow, each after one empty line,
// each starting with its source. Fields appear in the fixed order of
// the table fields, and empty ones are left out. Write sorts the entries
// by source, so locking the same sources twice gives the same bytes
// whatever the order they were named in.
package lockfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/gofetch/fetch/internal/redact"
)

// Header is the first line of every lock file of this version.
const Header = "fetch lock v1"

// headerPrefix starts the first line of every version of the format.
const headerPrefix = "fetch lock "

// Entry is one source of a lock file and what it resolved to. Only
// Source is required; which other fields are set depends on the kind of
// source (Commit for version control checkouts, SHA256 for downloads of
// a single file or archive, Version for modules).
type Entry struct {
	// Source is the source as given on the command line or in -f, with
	// its credentials replaced by REDACTED.
	Source string
	// Kind is "import" or "getter".
	Kind string
	// ImportPath is the import path asked for (kind import).
	ImportPath string
	// Root is the repository root's import path (kind import).
	Root string
	// VCS is "git", "hg", "svn", "bzr", "fossil" or "mod".
	VCS string
	// Repo is the repository URL discovery chose (kind import).
	Repo string
	// Getter is the go-getter getter of a getter source.
	Getter string
	// URL is the normalized go-getter URL of a getter source.
	URL string
	// Ref is the ref the source asked for ("" for the default branch).
	Ref string
	// Path is where the source landed: relative to ROOT/src with forward
	// slashes, or an absolute directory for a destination outside the
	// tree (-o).
	Path string
	// Commit is the commit (or revision) checked out.
	Commit string
	// Version is a module's version (vcs mod).
	Version string
	// SHA256 is "sha256:<hex>" of a downloaded file or archive.
	SHA256 string
	// Hash is the h1: directory hash (golang.org/x/mod/sumdb/dirhash) of
	// what was placed at Path, version control metadata left out.
	Hash string
}

// fields is the order of an entry's lines and the key of each.
var fields = []struct {
	key string
	get func(*Entry) *string
}{
	{"source", func(e *Entry) *string { return &e.Source }},
	{"kind", func(e *Entry) *string { return &e.Kind }},
	{"import-path", func(e *Entry) *string { return &e.ImportPath }},
	{"root", func(e *Entry) *string { return &e.Root }},
	{"vcs", func(e *Entry) *string { return &e.VCS }},
	{"repo", func(e *Entry) *string { return &e.Repo }},
	{"getter", func(e *Entry) *string { return &e.Getter }},
	{"url", func(e *Entry) *string { return &e.URL }},
	{"ref", func(e *Entry) *string { return &e.Ref }},
	{"path", func(e *Entry) *string { return &e.Path }},
	{"commit", func(e *Entry) *string { return &e.Commit }},
	{"version", func(e *Entry) *string { return &e.Version }},
	{"sha256", func(e *Entry) *string { return &e.SHA256 }},
	{"hash", func(e *Entry) *string { return &e.Hash }},
}

// fieldIndex maps a key to its position in fields.
var fieldIndex = func() map[string]int {
	m := map[string]int{}
	for i, f := range fields {
		m[f.key] = i
	}
	return m
}()

// File is a whole lock file: its entries, in any order (Write sorts).
type File struct {
	Entries []Entry
}

// ErrVersion is matched (with errors.Is) by the error Parse returns for a
// lock file of another version of the format, or for data that is not a
// lock file at all.
var ErrVersion = errors.New("not a fetch lock file of version v1")

// SyntaxError is a line Parse cannot read, or a value Write cannot write.
type SyntaxError struct {
	// Line is the 1-based line number (0 for Write).
	Line int
	// Msg says what is wrong.
	Msg string
	// Err is ErrVersion for a wrong header, else nil.
	Err error
}

// Error returns "line N: MSG".
func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return "lock file: " + e.Msg
	}
	return fmt.Sprintf("lock file line %d: %s", e.Line, e.Msg)
}

// Unwrap returns ErrVersion for a wrong header.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Parse reads a lock file. Entries come back in the order of the file.
// A "#" line is a comment and is ignored (Write never writes one); a
// repeated, unknown or misplaced field, a value with leading or trailing
// white space, and an entry without a source are errors.
func Parse(data []byte) (*File, error) {
	f := &File{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	var cur *Entry
	last := -1 // the field index of cur's last line
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 {
			if line != Header {
				msg := fmt.Sprintf("the first line is %q, not %q", clip(line), Header)
				if strings.HasPrefix(line, headerPrefix) {
					msg = fmt.Sprintf("%q is another version of the format than this fetch reads (%q): use the fetch that wrote it", clip(line), Header)
				}
				return nil, &SyntaxError{Line: n, Msg: msg, Err: ErrVersion}
			}
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		if line == "" {
			cur, last = nil, -1
			continue
		}
		if strings.ContainsFunc(line, isControl) {
			return nil, &SyntaxError{Line: n, Msg: "control character in line"}
		}
		key, value, ok := strings.Cut(line, " ")
		if !ok || value == "" {
			return nil, &SyntaxError{Line: n, Msg: fmt.Sprintf("%q has no value: a line is KEY VALUE", clip(line))}
		}
		if strings.TrimSpace(value) != value {
			return nil, &SyntaxError{Line: n, Msg: fmt.Sprintf("the value of %s has white space around it", key)}
		}
		i, known := fieldIndex[key]
		if !known {
			return nil, &SyntaxError{Line: n, Msg: fmt.Sprintf("unknown field %q", clip(key))}
		}
		if cur == nil {
			if key != "source" {
				return nil, &SyntaxError{Line: n, Msg: fmt.Sprintf("an entry starts with its source, not %s", key)}
			}
			f.Entries = append(f.Entries, Entry{})
			cur = &f.Entries[len(f.Entries)-1]
		} else if i <= last {
			return nil, &SyntaxError{Line: n, Msg: fmt.Sprintf("field %s repeated or out of order (the order is that of Write; an empty line starts the next entry)", key)}
		}
		*fields[i].get(cur) = value
		last = i
	}
	if err := sc.Err(); err != nil {
		return nil, &SyntaxError{Line: n + 1, Msg: err.Error()}
	}
	if n == 0 {
		return nil, &SyntaxError{Line: 1, Msg: fmt.Sprintf("the file is empty, not a lock file starting with %q", Header), Err: ErrVersion}
	}
	return f, nil
}

// Write writes f in the canonical form: the header, then the entries
// sorted by source (then by the other fields), exact duplicates once,
// credentials in Source, Repo and URL replaced by REDACTED. The same
// entries always give the same bytes. A value with a line break or
// another control character, or with white space around it, is refused
// with a *SyntaxError and nothing is written.
func (f *File) Write(w io.Writer) error {
	entries := Canonical(f.Entries)
	var b bytes.Buffer
	b.WriteString(Header + "\n")
	for _, e := range entries {
		b.WriteString("\n")
		for _, fl := range fields {
			v := *fl.get(&e)
			if v == "" {
				continue
			}
			if strings.ContainsFunc(v, isControl) || strings.TrimSpace(v) != v {
				return &SyntaxError{Msg: fmt.Sprintf("%s of %s: %q cannot be written in a lock file (control characters or white space around it)", fl.key, clip(e.Source), clip(v))}
			}
			b.WriteString(fl.key + " " + v + "\n")
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Bytes returns f as Write writes it.
func (f *File) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Canonical returns a copy of entries as Write writes them: credentials
// redacted, sorted, exact duplicates removed. An entry without a source
// is dropped.
func Canonical(entries []Entry) []Entry {
	out := make([]Entry, 0, len(entries))
	for _, e := range entries {
		if e.Source == "" {
			continue
		}
		e.Source, e.Repo, e.URL = redact.String(e.Source), redact.String(e.Repo), redact.String(e.URL)
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return less(&out[i], &out[j]) })
	dedup := out[:0]
	for i, e := range out {
		if i > 0 && e == out[i-1] {
			continue
		}
		dedup = append(dedup, e)
	}
	return dedup
}

// less orders entries field by field, in the order of fields.
func less(a, b *Entry) bool {
	for _, f := range fields {
		if x, y := *f.get(a), *f.get(b); x != y {
			return x < y
		}
	}
	return false
}

// Redacted reports whether e's source lost a secret when it was written
// (REDACTED stands where a password, token or key was): such a source
// cannot be fetched again as written.
func (e *Entry) Redacted() bool {
	return strings.Contains(e.Source, redact.Marker)
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// clip shortens a value quoted in an error.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}
