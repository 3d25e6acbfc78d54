package fetch

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/internal/tree"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/lockfile"
	"github.com/gofetch/fetch/trace"
)

// Verify checks the tree against a lock without the network: for each
// entry, the destination its path names (placed by the one placement
// rule) must hold the locked commit (read through internal/vcs's vetted
// commands), version or sha256, and files whose hashTree is the locked
// hash. Results are in the order of entries, with status "verified" or
// "error"; the error joins a *MismatchError for every difference
// (errors.As), and other failures (an unreadable directory, a checkout
// whose metadata is refused) as they are. nil means the tree matches.
func (c *Client) Verify(ctx context.Context, entries []lockfile.Entry) ([]Result, error) {
	results := make([]Result, len(entries))
	errs := make([]error, len(entries))
	hashes := newHashCache()
	c.parallel(len(entries), func(i int) {
		results[i], errs[i] = c.verifyOne(ctx, entries[i], hashes)
	})
	return results, errors.Join(errs...)
}

func (c *Client) verifyOne(ctx context.Context, e lockfile.Entry, hashes *hashCache) (Result, error) {
	j := c.newJob(e.Source)
	r := Result{
		FormatVersion: FormatVersion, Source: detect.Redact(e.Source), Kind: detect.Kind(e.Kind),
		ImportPath: e.ImportPath, Root: e.Root, VCS: e.VCS, Repo: e.Repo, Getter: e.Getter, URL: e.URL,
		Ref: e.Ref,
	}
	err := c.verifyInto(ctx, j, e, hashes, &r)
	if err != nil {
		r.Status = StatusError
		r.Error = detect.Redact(err.Error())
		r.Err = redact.Error(err)
		j.trace.Emit(trace.Event{Kind: trace.Result, Message: "error: " + r.Error})
		return r, err
	}
	r.Status = StatusVerified
	j.trace.Emit(trace.Event{Kind: trace.Result, Message: "verified " + describe(r)})
	return r, nil
}

func (c *Client) verifyInto(ctx context.Context, j *job, e lockfile.Entry, hashes *hashCache, r *Result) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	dest, err := c.lockDest(e)
	if err != nil {
		return err
	}
	r.Dest, r.Dir = dest, dest
	mismatch := func(what, locked, found string, files []string) error {
		return &MismatchError{Source: r.Source, What: what, Dest: dest, Locked: locked, Found: found, Files: files}
	}
	st, err := tree.Kind(dest)
	if err != nil {
		return err
	}
	switch st.Is {
	case tree.Missing, tree.EmptyDir:
		return mismatch(MismatchMissing, e.Path, "", nil)
	case tree.Symlink, tree.File:
		// A download written at -o FILE is a file; anything else found
		// as a file or link is not what the lock has there.
		if st.Is == tree.Symlink || checkoutVCS(Result{VCS: e.VCS, Getter: e.Getter}) != "" || e.SHA256 == "" {
			return fmt.Errorf("%s is a %s, not what the lock has there; fetch does not read through it", dest, st.Is)
		}
	}
	system := checkoutVCS(Result{VCS: e.VCS, Getter: e.Getter})
	switch {
	case system != "":
		if st.Is != tree.Checkout || st.VCS != system {
			found := st.Is.String()
			if st.Is == tree.Checkout {
				found = st.VCS + " checkout"
			}
			return fmt.Errorf("%s is a %s; the lock has a %s checkout there at %s: move it away and run fetch get --locked FILE", dest, found, system, shortRev(e.Commit))
		}
		cmd := vcs.ByName(system)
		if cmd == nil {
			return fmt.Errorf("fetch does not support the %q version control system", system)
		}
		head, err := cmd.Revision(ctx, j.runner(false), dest)
		if err != nil {
			return err
		}
		r.Commit = head
		if e.Commit != "" && head != e.Commit {
			return mismatch(MismatchCommit, e.Commit, head, nil)
		}
	case e.VCS == "mod" || e.SHA256 != "":
		rec, ok, err := readRecord(dest)
		if err != nil {
			return err
		}
		if ok {
			r.Version = rec.Version
			if e.VCS != "mod" {
				r.Checksum = rec.SHA256
			}
		}
		switch {
		case e.Version != "" && ok && rec.Version != e.Version:
			return mismatch(MismatchCommit, e.Version, rec.Version, nil)
		case e.SHA256 != "" && ok && rec.SHA256 != "" && !strings.EqualFold(rec.SHA256, e.SHA256):
			return mismatch(MismatchSHA256, e.SHA256, rec.SHA256, nil)
		}
	}
	if e.Hash == "" {
		return nil
	}
	h, err := hashes.get(dest, system != "")
	if err != nil {
		return err
	}
	if h != e.Hash {
		return mismatch(MismatchContent, e.Hash, h, c.changedFiles(ctx, dest, system))
	}
	return nil
}
