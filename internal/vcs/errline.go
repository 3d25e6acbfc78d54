package vcs

import (
	"strings"

	"github.com/gofetch/fetch/internal/lazyre"
)

// An Error is one line: the command and the line of the tool's stderr that
// says why it failed. Tools print much more than that (progress, hints,
// generic trailers, a second error caused by the first), so the line is
// picked by rank, best first:
//
//  1. a line naming a system error (no space left, permission denied, a
//     read-only file system, out of memory, ...), the first one printed:
//     that is the cause, and what a tool prints after it is a consequence
//     (git's "fetch-pack: invalid index-pack output" after "write error:
//     No space left on device");
//  2. the last error line of the tool (git's fatal:/error:, hg's abort:,
//     svn's svn: E..., brz's brz: ERROR:), unless it is generic;
//  3. the last remote: line that is not progress (what the server said);
//  4. the last line that is none of: progress, hint, blank, a generic
//     trailer (ssh's "Host key verification failed.");
//  5. the last generic error line (git's "Could not read from remote
//     repository" when ssh failed without a word).
//
// Nothing is picked (and the exit status is shown) when only progress
// lines were printed, such as git's lone "Cloning into '...'...". The
// picked line and the command have fetch's temporary directory replaced
// by the destination it stands for (see hideTemp).

// systemErrors are the strerror texts of the system errors worth naming,
// as glibc (and Python, which brz and hg run on) prints them.
var systemErrors = []string{
	"No space left on device",  // ENOSPC
	"Disk quota exceeded",      // EDQUOT
	"Read-only file system",    // EROFS
	"Cannot allocate memory",   // ENOMEM
	"Out of memory",            // git's xmalloc, hg's MemoryError
	"Too many open files",      // EMFILE, ENFILE
	"File too large",           // EFBIG
	"Input/output error",       // EIO
	"database or disk is full", // SQLite's SQLITE_FULL (svn, fossil)
	"Permission denied",        // EACCES (and ssh's "Permission denied (publickey)")
	"Operation not permitted",  // EPERM
	"[Errno 28]",               // Python's ENOSPC
	"[Errno 122]",              // Python's EDQUOT
	"[Errno 30]",               // Python's EROFS
	"[Errno 12]",               // Python's ENOMEM
	"[Errno 13]",               // Python's EACCES
}

// errorMarkers are prefixes of the lines tools use for the actual error.
var errorMarkers = []string{"fatal:", "error:", "abort:", "brz: ERROR:", "bzr: ERROR:", "svn: E"}

// genericLines are parts of lines that only repeat that something failed.
var genericLines = []string{
	"Try 'svn help", "Could not read from remote repository", "fatal: clone of '",
	"Please make sure you have the correct access rights", "and the repository exists.",
	"Failed to clone '", "svn: E200042: Additional errors",
}

// progressRe matches progress and narration lines of git, hg, svn and brz.
var progressRe = lazyre.New(`^(remote: )?(Cloning into|Enumerating objects|Counting objects|Compressing objects|Receiving objects|Resolving deltas|Unpacking objects|Checking out files|Updating files|Total \d+|Filtering content|Submodule '|requesting all changes|adding changesets|adding manifests|adding file changes|added \d+ changesets|new changesets|updating to branch|\d+ files updated|pulling from|searching for changes|no changes found|Checked out revision|Branched \d+ revision|All changes applied|Using saved parent location|Now on revision|[AUDGC] {3,})`)

// lastMeaningfulLine picks the line of stderr that says why a command
// failed, by the ranks above; "" when there is none.
func lastMeaningfulLine(stderr string) string {
	var ls []string
	for l := range strings.FieldsFuncSeq(stderr, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimSpace(l); l != "" {
			ls = append(ls, l)
		}
	}
	var marker, remote, generic, other string
	for i := len(ls) - 1; i >= 0; i-- {
		l := ls[i]
		if strings.HasPrefix(l, "hint:") || (strings.HasPrefix(l, "(") && strings.HasSuffix(l, ")")) || progressRe.MatchString(l) {
			continue
		}
		isGeneric := false
		for _, g := range genericLines {
			if strings.Contains(l, g) {
				isGeneric = true
				break
			}
		}
		isMarker := false
		for _, m := range errorMarkers {
			if strings.HasPrefix(l, m) {
				isMarker = true
				break
			}
		}
		switch {
		case isMarker && isGeneric:
			if generic == "" {
				generic = l
			}
		case isGeneric:
		case isMarker:
			if marker == "" {
				marker = l
			}
		case strings.HasPrefix(l, "remote:"):
			if remote == "" {
				remote = l
			}
		default:
			if other == "" {
				other = l
			}
		}
	}
	for _, l := range ls {
		for _, s := range systemErrors {
			if strings.Contains(l, s) && !progressRe.MatchString(l) {
				return l
			}
		}
	}
	for _, l := range []string{marker, remote, other, generic} {
		if l != "" {
			return l
		}
	}
	return ""
}

// tempRe matches the staging directory internal/tree makes beside a
// destination, <parent>/.fetch-tmp-<base>-<hex>, which holds the checkout
// being made as <base>: without it, a path names the destination.
var tempRe = lazyre.New(`[/\\]\.fetch-tmp-[^/\\\s'"]*-[0-9a-f]+`)

// hideTemp replaces fetch's temporary checkout directory in s by the
// destination it becomes: a temporary path means nothing to the user and
// is gone once the command has failed.
func hideTemp(s string) string {
	return tempRe.ReplaceAllString(s, "")
}
