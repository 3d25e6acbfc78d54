package fetch

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/checksum"
	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/lockfile"
	"github.com/gofetch/fetch/trace"
)

// Replay fetches every entry of a lock exactly as locked: each source is
// resolved again (discovery runs, and must name the locked repository,
// root and version control system), then fetched at its locked commit or
// version (git at depth 1 by commit id unless so.Depth says otherwise,
// with the whole history when the server refuses that), a download with
// the locked sha256 as its checksum (so changed bytes are refused before
// anything is written), and what is then at the destination is hashed
// and compared with the lock. An existing checkout at another commit is
// an error unless so.Update, which moves it.
//
// Results are in the order of entries, as Get's. The error joins a
// *MismatchError for every source that differs from the lock (errors.As);
// other failures (a server down) are only in their Result. so.Ref is not
// used: the lock names each source's commit.
func (c *Client) Replay(ctx context.Context, entries []lockfile.Entry, so SourceOptions) ([]Result, error) {
	p := &replayPlan{c: c, entries: entries, errs: make([]error, len(entries)), hashes: newHashCache()}
	so.Ref = ""
	srcs := make([]string, len(entries))
	for i, e := range entries {
		srcs[i] = e.Source
	}
	results := c.getPinned(ctx, srcs, so, p)
	return results, errors.Join(p.errs...)
}

// replayPlan is what getPinned needs of a Replay: the entries by input
// index, and where the mismatches found go. A nil plan pins nothing.
type replayPlan struct {
	c       *Client
	entries []lockfile.Entry
	errs    []error // by index; each written by the one worker of its source
	hashes  *hashCache
}

// options are so for source i: its locked commit or version as the ref,
// and for a lock made with -o, its destination.
func (p *replayPlan) options(i int, so SourceOptions) SourceOptions {
	if p == nil {
		return so
	}
	e := p.entries[i]
	switch {
	case e.Commit != "":
		so.Ref = e.Commit
	case e.Version != "":
		so.Ref = e.Version
	}
	if (e.VCS == "git" || e.Getter == "git") && e.Commit != "" && so.Depth == 0 {
		so.Depth = 1
	}
	if filepath.IsAbs(e.Path) {
		so.Dest = e.Path
	}
	return so
}

// resolved checks source i between resolving and fetching: discovery
// must agree with the lock. It returns the Result to carry on with, an
// error Result (res is then not fetched) on a mismatch. For a download it
// adds the locked sha256 as the checksum when the source names none.
func (p *replayPlan) resolved(i int, res *resolved, r Result) Result {
	if p == nil || r.Status != StatusResolved {
		return r
	}
	e := p.entries[i]
	mismatch := func(what, locked, found string) Result {
		return p.fail(i, res.job, r, &MismatchError{Source: r.Source, What: what, Dest: r.Dest, Locked: locked, Found: found})
	}
	if e.Redacted() {
		return mismatch(MismatchSource, "", r.Source)
	}
	if r.Kind == detect.KindImport && e.Repo != "" {
		switch {
		case e.VCS != r.VCS:
			return mismatch(MismatchRepo, e.VCS+" "+e.Repo, r.VCS+" "+r.Repo)
		case !sameRemote(e.Repo, r.Repo):
			return mismatch(MismatchRepo, e.Repo, r.Repo)
		case e.Root != "" && e.Root != r.Root:
			return mismatch(MismatchRepo, "root "+e.Root+" ("+e.Repo+")", "root "+r.Root+" ("+r.Repo+")")
		}
	}
	if want := p.c.lockPath(r.Dest); e.Path != "" && want != e.Path {
		return mismatch(MismatchRepo, "the destination "+e.Path, "the destination "+want)
	}
	if e.SHA256 != "" && res.rr == nil && res.src.Getter != "git" && res.src.Getter != "hg" {
		// Checked after the download whatever checksum the source names
		// (a checksum file is the server's own to change).
		res.lockedSHA256 = e.SHA256
		if _, sum := downloadWant(res.src.URL); sum == "" {
			u, err := setQuery(res.src.URL, "checksum", e.SHA256)
			if err != nil {
				return p.fail(i, res.job, r, err)
			}
			res.src.URL = u
		}
	}
	res.result = r
	return r
}

// fetched checks source i after Get placed it: the commit, version,
// sha256 and content hash must be the locked ones.
func (p *replayPlan) fetched(ctx context.Context, i int, res *resolved, r Result) Result {
	if p == nil {
		return r
	}
	e := p.entries[i]
	mismatch := func(what, locked, found string, files []string) Result {
		return p.fail(i, res.job, r, &MismatchError{Source: r.Source, What: what, Dest: r.Dest, Locked: locked, Found: found, Files: files})
	}
	var sum *checksum.MismatchError
	switch r.Status {
	case StatusFetched, StatusUpdated, StatusExists:
	case StatusError:
		// The locked sha256 was the download's checksum: the server's
		// bytes changed, and nothing was written.
		if e.SHA256 != "" && errors.As(r.Err, &sum) && strings.EqualFold(sum.Expected.String(), e.SHA256) {
			return mismatch(MismatchSHA256, e.SHA256, sum.Actual.String(), nil)
		}
		return r
	default:
		return r
	}
	switch {
	case e.Commit != "" && r.Commit != e.Commit:
		return mismatch(MismatchCommit, e.Commit, r.Commit, nil)
	case e.Version != "" && r.Version != e.Version:
		return mismatch(MismatchCommit, e.Version, r.Version, nil)
	case e.SHA256 != "" && r.Checksum != "" && !strings.EqualFold(r.Checksum, e.SHA256):
		return mismatch(MismatchSHA256, e.SHA256, r.Checksum, nil)
	}
	if e.Hash == "" {
		return r
	}
	h, err := p.hashes.get(r.Dest, checkoutVCS(r) != "")
	if err != nil {
		return p.fail(i, res.job, r, err)
	}
	if h != e.Hash {
		return mismatch(MismatchContent, e.Hash, h, p.c.changedFiles(ctx, r.Dest, checkoutVCS(r)))
	}
	return r
}

// fail turns r into an error Result for err, and keeps a mismatch for
// Replay's error.
func (p *replayPlan) fail(i int, j *job, r Result, err error) Result {
	var m *MismatchError
	if errors.As(err, &m) {
		p.errs[i] = m
	}
	r.Status = StatusError
	r.Error = err.Error()
	r.Err = err
	j.trace.Emit(trace.Event{Kind: trace.Result, Message: "error: " + r.Error})
	return r
}

// checkoutVCS is the version control system of a result's checkout, ""
// for downloads and modules.
func checkoutVCS(r Result) string {
	switch {
	case r.VCS == "mod":
		return ""
	case r.VCS != "":
		return r.VCS
	case r.Getter == "git" || r.Getter == "hg":
		return r.Getter
	}
	return ""
}

// changedFiles names the files the version control system of the
// checkout at dest reports changed (tracked files only), through
// internal/vcs's vetted commands; nil when it cannot tell.
func (c *Client) changedFiles(ctx context.Context, dest, system string) []string {
	cmd := vcs.ByName(system)
	if cmd == nil {
		return nil
	}
	lines, err := cmd.Uncommitted(ctx, c.newJob(dest).runner(false), dest)
	if err != nil {
		return nil
	}
	var files []string
	for _, l := range lines {
		// "M file", " M file", "EDITED     file": the status, then the name.
		l = strings.TrimSpace(l)
		if _, name, ok := strings.Cut(l, " "); ok {
			files = append(files, strings.TrimSpace(name))
		}
	}
	return files
}

// checkLockedSHA256 refuses a download whose sha256 (got) is not the one
// its lock pinned (want; "" pins nothing) with a *checksum.MismatchError,
// which fetched reports as a MismatchSHA256. It runs before Stage places
// the download, so changed bytes are refused with nothing written, also
// when the source names a checksum of its own: ?checksum=file:URL is read
// from a server that may have changed it along with the bytes.
func checkLockedSHA256(want, got string) error {
	if want == "" || strings.EqualFold(want, got) {
		return nil
	}
	exp, err := checksum.ParseSpec(want)
	if err != nil {
		return fmt.Errorf("the lock's sha256: %w", err)
	}
	act, _ := checksum.ParseSpec(got) // zero when nothing was hashed
	return &checksum.MismatchError{Expected: exp.Sum, Actual: act.Sum}
}
