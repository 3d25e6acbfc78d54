package vcs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/internal/vcscache"
)

// hgCachedClone makes dir a clone of repo without a working copy (what
// CreateCmd's first step makes) through r.Cache: the entry of repo, an hg
// repository without a working copy, pulls from repo (only what repo
// serves goes into it); dir is cloned from the entry with --pull, so its
// store is written by hg from a bundle, not hard-linked to the cache's;
// then fetch writes dir's .hg/hgrc naming repo as default. used is false
// when the cache could not be used for a reason of its own: the caller
// then clones directly.
//
// hg runs everywhere with HGRCSKIPREPO=1: neither the entry's hgrc nor a
// planted one is ever read, and fetch removes the entry's anyway.
func hgCachedClone(ctx context.Context, c *Cmd, r *Runner, repo, dir string) (used bool, err error) {
	if _, err := vcscache.Key(c.name, repo); err != nil {
		return false, nil
	}
	e, err := r.Cache.Open(ctx, c.name, repo)
	if err != nil {
		if ctx.Err() != nil {
			return true, err
		}
		r.note("not using the repository cache: %v", err)
		return false, nil
	}
	defer func() {
		keep := e.Meta.Dir
		e.Close()
		if err == nil {
			if _, eerr := r.Cache.Evict(ctx, keep); eerr != nil {
				r.note("repository cache: %v", eerr)
			}
		}
	}()
	mirror, err := hgMirrorUpdate(ctx, c, r, e, repo)
	if err != nil {
		return true, err
	}
	err = hgCloneFromMirror(ctx, c, r, mirror, repo, dir)
	if err != nil && ctx.Err() == nil {
		r.note("cloning from the repository cache failed (%v); rebuilding the cache entry of %s", err, repo)
		os.RemoveAll(dir)
		if rerr := e.Reset(); rerr != nil {
			return true, rerr
		}
		if mirror, err = hgMirrorUpdate(ctx, c, r, e, repo); err != nil {
			return true, err
		}
		err = hgCloneFromMirror(ctx, c, r, mirror, repo, dir)
	}
	return true, err
}

// hgMirrorUpdate brings the locked entry e up to date from repo and
// returns the path of its repository; an incomplete entry, or one whose
// changelog hg cannot read, is removed and made again.
func hgMirrorUpdate(ctx context.Context, c *Cmd, r *Runner, e *vcscache.Entry, repo string) (string, error) {
	mirror := e.Repo()
	if e.Complete() {
		if _, err := r.run(ctx, c, mirror, "log", "-r", "tip", "-T", "{node}"); err != nil {
			if ctx.Err() != nil {
				return "", err
			}
			r.note("repository cache entry of %s is damaged (%v); rebuilding it", repo, err)
			if err := e.Reset(); err != nil {
				return "", err
			}
		}
	} else if err := e.Reset(); err != nil {
		return "", err
	}
	if err := e.Begin(); err != nil {
		return "", err
	}
	if _, err := os.Stat(mirror); errors.Is(err, os.ErrNotExist) {
		if _, err := r.run(ctx, c, e.Meta.Dir, "init", "--", mirror); err != nil {
			return "", err
		}
	}
	if err := os.RemoveAll(filepath.Join(mirror, ".hg", "hgrc")); err != nil {
		return "", fmt.Errorf("repository cache: %w", err)
	}
	if _, err := r.run(ctx, c, mirror, "pull", "--quiet", "--", repo); err != nil {
		return "", err
	}
	if err := e.Done(); err != nil {
		return "", err
	}
	return mirror, nil
}

// hgCloneFromMirror clones the entry into dir without a working copy and
// writes dir's .hg/hgrc: [paths] default is repo, without a password (as
// hg clone writes it).
func hgCloneFromMirror(ctx context.Context, c *Cmd, r *Runner, mirror, repo, dir string) error {
	if _, err := r.run(ctx, c, r.workDir(), "clone", "-U", "--pull", "--quiet", "--", mirror, dir); err != nil {
		return err
	}
	return hgWriteDefault(dir, hidePassword(repo))
}

// hgWriteDefault replaces the hgrc of the new clone at dir with fetch's:
// [paths] default = remote.
func hgWriteDefault(dir, remote string) error {
	if strings.ContainsAny(remote, "\r\n") {
		return fmt.Errorf("hg remote %q holds a line break", remote)
	}
	p := filepath.Join(dir, ".hg", "hgrc")
	if err := os.WriteFile(p+".fetch-tmp", []byte("[paths]\ndefault = "+remote+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(p+".fetch-tmp", p)
}

// hidePassword returns remote without a password in its user info.
func hidePassword(remote string) string {
	s, _ := splitLogin(remote)
	return s
}

// hgCachedPull pulls into the checkout at dir from remote through the
// cache: the entry pulls from remote (once however many checkouts of it
// are updated), then dir pulls from the entry. ok is false when the cache
// cannot be used.
func hgCachedPull(ctx context.Context, c *Cmd, r *Runner, dir, remote string) (ok bool, err error) {
	if r.Cache == nil {
		return false, nil
	}
	if _, err := vcscache.Key(c.name, remote); err != nil {
		return false, nil
	}
	e, err := r.Cache.Open(ctx, c.name, remote)
	if err != nil {
		if ctx.Err() != nil {
			return true, err
		}
		r.note("not using the repository cache: %v", err)
		return false, nil
	}
	defer e.Close()
	mirror, err := hgMirrorUpdate(ctx, c, r, e, remote)
	if err != nil {
		return true, err
	}
	_, err = r.run(ctx, c, dir, "pull", "--quiet", "--", mirror)
	return true, err
}
