package fetch

import (
	"context"
	"errors"
	"fmt"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/lockfile"
)

// LockTree returns lock entries for the checkouts already in the tree
// (List's, with its pattern), so that a tree built by hand can be
// fetched again elsewhere with Replay. Each checkout's commit and remote
// are read through internal/vcs's vetted commands, without the network.
// A git or hg checkout whose remote, as a git:: or hg:: source, lands at
// the checkout's own path is locked as that source; any other is locked
// as the import path its place in the tree names, whose discovery must
// then name the same repository when it is replayed. The error joins
// every checkout that could not be read; the entries are those that
// could.
func (c *Client) LockTree(ctx context.Context, pattern string) ([]lockfile.Entry, error) {
	checkouts, err := List(c.root, pattern)
	if err != nil {
		return nil, err
	}
	entries := make([]lockfile.Entry, len(checkouts))
	errs := make([]error, len(checkouts))
	c.parallel(len(checkouts), func(i int) {
		entries[i], errs[i] = c.lockCheckout(ctx, checkouts[i])
	})
	var out []lockfile.Entry
	for i, e := range entries {
		if errs[i] == nil {
			out = append(out, e)
		}
	}
	return lockfile.Canonical(out), errors.Join(errs...)
}

func (c *Client) lockCheckout(ctx context.Context, co Checkout) (lockfile.Entry, error) {
	cmd := vcs.ByName(co.VCS)
	if cmd == nil {
		return lockfile.Entry{}, fmt.Errorf("%s: fetch does not support the %q version control system", co.Path, co.VCS)
	}
	run := c.newJob(co.Path).runner(false)
	head, err := cmd.Revision(ctx, run, co.Dir)
	if err != nil {
		return lockfile.Entry{}, fmt.Errorf("%s: %w", co.Path, err)
	}
	remote, err := cmd.RemoteURL(ctx, run, co.Dir)
	if err != nil {
		return lockfile.Entry{}, fmt.Errorf("%s: %w", co.Path, err)
	}
	if remote == "" {
		return lockfile.Entry{}, fmt.Errorf("%s: the checkout names no remote repository, so it cannot be fetched again elsewhere", co.Path)
	}
	h, err := hashTree(co.Dir, true)
	if err != nil {
		return lockfile.Entry{}, fmt.Errorf("%s: %w", co.Path, err)
	}
	e := lockfile.Entry{Path: co.Path, Commit: head, Hash: h}
	if co.VCS == "git" || co.VCS == "hg" {
		src := co.VCS + "::" + remote
		if s, err := detect.Parse(src, c.pwd); err == nil && s.TreePath() == co.Path {
			e.Source, e.Kind, e.Getter, e.URL = detect.Redact(src), string(s.Kind), s.Getter, detect.Redact(s.URL)
			return e, nil
		}
	}
	e.Source, e.Kind, e.ImportPath, e.Root = co.Path, string(detect.KindImport), co.Path, co.Path
	e.VCS, e.Repo = co.VCS, detect.Redact(remote)
	return e, nil
}
