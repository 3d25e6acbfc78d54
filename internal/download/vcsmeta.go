package download

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
)

// ErrVCSMetadata is wrapped by the error for an archive entry, a file name
// or a copied file whose name would create version control metadata
// (.git, .hg, .svn, .bzr, _FOSSIL_, .fslckout) in what Get writes. Such a
// directory or file in the tree makes the tree a checkout: fetch, and the
// VCS tools a user later runs there, would read its configuration (hooks,
// fsmonitor, ssh commands), so a download that brings one is refused
// whole.
var ErrVCSMetadata = errors.New("would create version control metadata")

// ErrBookkeeping is wrapped by the error for an archive entry, a file name
// or a copied file named like one of fetch's own bookkeeping entries
// (anything starting with .fetch-, in any case). fetch keeps its record of
// a download (.fetch-record-<name>), its locks and its temporaries beside
// the destinations they serve, and takes what it finds there for its own:
// an archive holding .fetch-record-tool beside a directory tool would make
// a later download pinned by checksum into that directory "exists" for
// content nobody checked. Such a download is refused whole.
var ErrBookkeeping = errors.New("named like fetch's own bookkeeping")

// bookkeepingPrefix starts every name fetch keeps beside a destination
// (see internal/tree and fetch's .fetch-record-).
const bookkeepingPrefix = ".fetch-"

// vcsMarkers are the names that mark a checkout: the markers of vcsinfo's
// table, which internal/tree reads too.
var vcsMarkers = markerNames()

func markerNames() []string {
	var names []string
	for _, m := range vcsinfo.Markers() {
		names = append(names, m.Name)
	}
	return names
}

// hfsIgnorable reports whether HFS+ ignores r when it compares names, so
// that ".g\u200cit" opens ".git" there (the code points git's own
// is_hfs_dotgit skips).
func hfsIgnorable(r rune) bool {
	switch {
	case 0x200c <= r && r <= 0x200f, 0x202a <= r && r <= 0x202e, 0x206a <= r && r <= 0x206f, r == 0xfeff:
		return true
	}
	return false
}

// vcsMarker returns the marker a path element would create on some file
// system (or bookkeepingPrefix for a name fetch keeps for itself): compared with Unicode case folding (macOS and Windows fold
// case, and Unicode folding equates "ſ" with "s" and "K" with "k"),
// without the code points HFS+ ignores, without an NTFS stream suffix
// (".git::$INDEX_ALLOCATION") and without the trailing dots and spaces
// Windows drops; and a Windows short name such as GIT~1, which names
// .git when 8.3 names are on.
func vcsMarker(elem string) (string, bool) {
	n := strings.Map(func(r rune) rune {
		if hfsIgnorable(r) {
			return -1
		}
		return r
	}, elem)
	if i := strings.IndexByte(n, ':'); i >= 0 {
		n = n[:i]
	}
	n = strings.TrimRight(n, ". ")
	if len(n) >= len(bookkeepingPrefix) && strings.EqualFold(n[:len(bookkeepingPrefix)], bookkeepingPrefix) {
		return bookkeepingPrefix, true
	}
	for _, m := range vcsMarkers {
		if strings.EqualFold(n, m) || isShortName(n, m) {
			return m, true
		}
	}
	return "", false
}

// isShortName reports whether n is a Windows 8.3 short name Windows could
// generate for the long name m: up to six of its characters, leading dots
// dropped, then ~ and a number (GIT~1 for .git, FSLCKO~1 for .fslckout).
func isShortName(n, m string) bool {
	base, num, ok := strings.Cut(n, "~")
	if !ok || num == "" || strings.TrimFunc(num, unicode.IsDigit) != "" || num[0] == '0' {
		return false
	}
	stem := strings.TrimLeft(m, ".")
	if len(stem) > 6 {
		stem = stem[:6]
	}
	return strings.EqualFold(base, stem)
}

// markerIn returns the marker any element of name would create, splitting
// on both separators: Windows reads a backslash in an archive name as one.
func markerIn(name string) (string, bool) {
	for _, elem := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if m, ok := vcsMarker(elem); ok {
			return m, true
		}
	}
	return "", false
}

// metadataError is the refusal of something whose name would create
// version control metadata.
type metadataError struct {
	what   string // "archive entry", "file name", "local directory entry", ...
	name   string
	marker string
	whole  string // what is refused: "the archive", "the download", ...
	unsafe bool   // an archive entry: also ErrUnsafeArchive
}

func (e *metadataError) Error() string {
	if e.marker == bookkeepingPrefix {
		return fmt.Sprintf("%s %s is named like fetch's own bookkeeping (%s...), which fetch would take for its record, lock or temporary of another destination; refusing %s",
			e.what, shownName(e.name), bookkeepingPrefix, e.whole)
	}
	return fmt.Sprintf("%s %s would create version control metadata (%s), which could make fetch or git run its configuration later; refusing %s",
		e.what, shownName(e.name), e.marker, e.whole)
}

// Unwrap returns ErrVCSMetadata, and ErrUnsafeArchive for an archive entry.
// A bookkeeping name unwraps to ErrBookkeeping instead of ErrVCSMetadata.
func (e *metadataError) Unwrap() []error {
	kind := ErrVCSMetadata
	if e.marker == bookkeepingPrefix {
		kind = ErrBookkeeping
	}
	if e.unsafe {
		return []error{kind, ErrUnsafeArchive}
	}
	return []error{kind}
}

// shownName is name as is when it prints plainly, else quoted.
func shownName(name string) string {
	for _, r := range name {
		if !unicode.IsPrint(r) || r == ' ' || hfsIgnorable(r) {
			return strconv.Quote(name)
		}
	}
	return name
}

// checkEntryName refuses an archive entry whose name holds a marker.
func checkEntryName(name string) error {
	if m, ok := markerIn(name); ok {
		return &metadataError{what: "archive entry", name: name, marker: m, whole: "the archive", unsafe: true}
	}
	return nil
}

// CheckName refuses a slash-separated file name, from a source other than
// a download (a module zip), with an element that would create version
// control metadata (an error matching ErrVCSMetadata) or that is named
// like fetch's own bookkeeping (ErrBookkeeping), on any file system Get
// guards against. what names the kind of name ("module zip file") and
// whole what is refused ("the module zip").
func CheckName(what, name, whole string) error {
	if m, ok := markerIn(name); ok {
		return &metadataError{what: what, name: name, marker: m, whole: whole}
	}
	return nil
}

// checkFileName refuses the name a single downloaded file would get.
func checkFileName(name string) error {
	if m, ok := markerIn(name); ok {
		return &metadataError{what: "file name", name: name, marker: m, whole: "the download (choose another name with ?filename=NAME)"}
	}
	return nil
}

// checkTree refuses a tree that holds a marker anywhere: the last check
// before anything is placed, whichever getter wrote the tree (an s3 or gcs
// directory, an X-Terraform-Get source, an extracted archive).
func checkTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		if m, ok := vcsMarker(d.Name()); ok {
			rel, _ := filepath.Rel(root, p)
			return &metadataError{what: "downloaded entry", name: filepath.ToSlash(rel), marker: m, whole: "the download"}
		}
		return nil
	})
}
