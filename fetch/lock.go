package fetch

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/internal/tree"
	"github.com/gofetch/fetch/lockfile"
)

// Lock returns the lock entries for the results of a Get: one per source
// that is in the tree (fetched, updated or exists), with the commit,
// version or checksum its result carries and the h1: hash of what is at
// its destination now (hashTree). Results of other statuses are skipped;
// a caller that wants a lock only for a wholly successful run checks the
// statuses first. A destination shared by several sources is hashed once.
func (c *Client) Lock(ctx context.Context, results []Result) ([]lockfile.Entry, error) {
	hashes := newHashCache()
	var out []lockfile.Entry
	for _, r := range results {
		switch r.Status {
		case StatusFetched, StatusUpdated, StatusExists:
		default:
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h, err := hashes.get(r.Dest, checkoutVCS(r) != "")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Source, err)
		}
		e := lockfile.Entry{
			Source: r.Source, Kind: string(r.Kind), ImportPath: r.ImportPath, Root: r.Root,
			VCS: r.VCS, Repo: r.Repo, Getter: r.Getter, URL: r.URL, Ref: r.Ref,
			Path: c.lockPath(r.Dest), Commit: r.Commit, Version: r.Version, Hash: h,
		}
		if r.VCS == "mod" {
			// A module's Checksum is its own h1: (the proxy's), not a file's.
			e.Commit = ""
		} else if r.VCS == "" {
			e.SHA256 = r.Checksum
		}
		out = append(out, e)
	}
	return lockfile.Canonical(out), nil
}

// lockPath is how a lock names a destination: relative to ROOT/src with
// forward slashes, or the absolute directory when it is outside (-o).
func (c *Client) lockPath(dest string) string {
	src := filepath.Join(c.root, "src")
	rel, err := filepath.Rel(src, dest)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return dest
	}
	return filepath.ToSlash(rel)
}

// lockDest is the directory a lock entry's Path names, placed by the one
// placement rule (tree.Place): a path that is not a clean tree path, or
// a link or file between ROOT/src and the destination, is refused.
func (c *Client) lockDest(e lockfile.Entry) (string, error) {
	w := tree.Where{Root: c.root, Path: e.Path}
	switch {
	case e.Path == "":
		return "", errors.New("the lock names no path for it")
	case filepath.IsAbs(e.Path):
		w = tree.Where{Out: filepath.Clean(e.Path)}
	}
	p, err := tree.Place(w, tree.Inspect)
	if err != nil {
		return "", fmt.Errorf("the lock's path %s: %w", e.Path, err)
	}
	p.Close()
	return p.Dest, nil
}

// ErrMismatch is matched (with errors.Is) by every *MismatchError.
var ErrMismatch = errors.New("the tree or the server differs from the lock")

// Kinds of mismatch (MismatchError.What).
const (
	MismatchRepo    = "repo"    // discovery names another repository (or root, or VCS)
	MismatchMissing = "missing" // nothing is at the locked path
	MismatchCommit  = "commit"  // another commit (revision, version) is checked out
	MismatchSHA256  = "sha256"  // a download's bytes differ
	MismatchContent = "content" // the files differ from the locked h1: hash
	MismatchSource  = "source"  // the lock's source cannot be fetched as written
)

// MismatchError says how a source differs from its lock entry: what was
// locked, what was found, and for changed content the files that the
// version control system reports changed. Replay and Verify return them
// (joined, for errors.As); the Result of the source carries Error().
type MismatchError struct {
	Source string // the source, credentials redacted
	What   string // one of the Mismatch kinds
	Dest   string // the destination checked ("" for MismatchRepo)
	Locked string // what the lock says
	Found  string // what is there now
	// Files are the changed files, relative to Dest, when the version
	// control system can name them (changes to tracked files); empty for
	// downloads and for files it does not track.
	Files []string
}

// Error is one line: what differs, then what to do.
func (e *MismatchError) Error() string {
	switch e.What {
	case MismatchRepo:
		return fmt.Sprintf("the lock says %s, the server now says %s: check the server, or run fetch get --locked FILE --relock to fetch and lock what it says now", e.Locked, e.Found)
	case MismatchMissing:
		return fmt.Sprintf("%s is missing; the lock has it at %s: run fetch get --locked FILE", e.Dest, e.Locked)
	case MismatchCommit:
		return fmt.Sprintf("%s is at %s; the lock says %s: run fetch get --locked FILE -u to move it", e.Dest, shortRev(e.Found), shortRev(e.Locked))
	case MismatchSHA256:
		return fmt.Sprintf("%s: the download's checksum is %s; the lock says %s: the bytes served changed, or the lock is stale", e.Dest, e.Found, e.Locked)
	case MismatchContent:
		what := "its files differ from the lock"
		if len(e.Files) > 0 {
			what = "changed: " + strings.Join(e.Files, ", ")
		}
		return fmt.Sprintf("%s: %s (content %s; the lock says %s)", e.Dest, what, e.Found, e.Locked)
	case MismatchSource:
		return fmt.Sprintf("the lock holds this source with its credentials removed (%s): fetch it once by hand, or give the login through netrc, a git credential helper or GIT_SSH_COMMAND rather than in the source", e.Found)
	}
	return fmt.Sprintf("%s: %s %s; the lock says %s", e.Dest, e.What, e.Found, e.Locked)
}

// Is reports whether target is ErrMismatch.
func (e *MismatchError) Is(target error) bool { return target == ErrMismatch }

// shortRev abbreviates a commit id for messages; other revisions (svn
// numbers, versions) are kept.
func shortRev(s string) string {
	if len(s) >= 40 && strings.Trim(s, "0123456789abcdef") == "" {
		return s[:12]
	}
	return s
}
