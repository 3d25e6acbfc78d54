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

// gitMirrorConfig is the whole configuration of a cache entry's bare
// mirror. fetch writes it before every use: nothing a source sent, and
// nothing planted in the cache, is ever read from it. gc and maintenance
// are off so that no object moves while a checkout copies them (fetch
// repacks under the entry's lock, see gitMirrorRepack); what a fetch brings
// is kept as a pack (unpackLimit 1), which a checkout copies as one file;
// the remote is given on each command line, never stored.
const gitMirrorConfig = `[core]
	repositoryformatversion = 0
	bare = true
	logallrefupdates = false
	fsmonitor = false
	hooksPath = /dev/null
[gc]
	auto = 0
	autoDetach = false
[maintenance]
	auto = false
[fetch]
	unpackLimit = 1
[receive]
	denyAll = true
`

// gitMirrorRefspecs are what a mirror keeps of its remote: branches and
// tags, under their own names (the checkout's clone maps them to
// refs/remotes/origin/* as a clone from the remote would).
var gitMirrorRefspecs = []string{"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"}

// gitCachedClone makes dir a clone of repo through r.Cache: the entry of
// repo is brought up to date from repo (only what repo serves goes into
// it), then dir is cloned from the entry with copied objects, and origin
// is set to repo. used is false when the cache could not be used for a
// reason of its own (a local path, a cache directory that cannot be
// written): the caller then clones directly. An error from repo itself
// (network, login, a missing repository) is returned with used true.
func gitCachedClone(ctx context.Context, c *Cmd, r *Runner, repo, dir string) (used bool, err error) {
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
			if gone, eerr := r.Cache.Evict(ctx, keep); eerr != nil {
				r.note("repository cache: %v", eerr)
			} else {
				for _, m := range gone {
					r.note("repository cache: evicted %s (least recently used; the cache is over its size limit)", m.URL)
				}
			}
		}
	}()
	mirror, err := gitMirrorUpdate(ctx, c, r, e, repo)
	if err != nil {
		return true, err
	}
	err = gitCloneFromMirror(ctx, c, r, mirror, repo, dir)
	if err != nil && ctx.Err() == nil {
		// A copy that fails may be a damaged entry the cheap check did
		// not see: rebuild it once, from repo, and clone again.
		r.note("cloning from the repository cache failed (%v); rebuilding the cache entry of %s", err, repo)
		os.RemoveAll(dir)
		if rerr := e.Reset(); rerr != nil {
			return true, rerr
		}
		if mirror, err = gitMirrorUpdate(ctx, c, r, e, repo); err != nil {
			return true, err
		}
		err = gitCloneFromMirror(ctx, c, r, mirror, repo, dir)
	}
	return true, err
}

// gitMirrorUpdate brings the locked entry e up to date from repo and
// returns the path of its mirror. An incomplete entry, or one failing
// gitMirrorCheck, is removed and made again.
func gitMirrorUpdate(ctx context.Context, c *Cmd, r *Runner, e *vcscache.Entry, repo string) (string, error) {
	mirror := e.Repo()
	var have map[string]string
	if e.Complete() {
		var err error
		if have, err = gitMirrorCheck(ctx, c, r, mirror); err != nil {
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
		// No template: no hooks, no info/exclude, nothing of the
		// user's init.templateDir.
		if _, err := r.run(ctx, c, e.Meta.Dir, "init", "--quiet", "--bare", "--template=", "--", mirror); err != nil {
			return "", err
		}
	}
	if err := gitWriteMirrorConfig(mirror); err != nil {
		return "", err
	}
	// The remote's default branch, so that the checkout's clone checks
	// out what a clone of repo would.
	// The remote's refs, and which branch its HEAD is, so that the
	// checkout's clone checks out what a clone of repo would. When the
	// entry has every branch and tag at the same commit already, that
	// one request was the whole update.
	out, err := r.run(ctx, c, mirror, "ls-remote", "--symref", "--", repo, "HEAD", "refs/heads/*", "refs/tags/*")
	if err != nil {
		return "", err
	}
	if !gitSameRefs(have, string(out)) {
		args := append([]string{"fetch", "--quiet", "--prune", "--no-tags", "--upload-pack=git-upload-pack", "--", repo}, gitMirrorRefspecs...)
		if _, err := r.run(ctx, c, mirror, args...); err != nil {
			return "", err
		}
	}
	if err := gitMirrorRepack(ctx, c, r, mirror); err != nil {
		return "", err
	}
	if head := gitSymrefHead(string(out)); head != "" && !gitHeadIs(mirror, head) {
		if _, err := r.run(ctx, c, mirror, "symbolic-ref", "HEAD", head); err != nil {
			return "", err
		}
	}
	if err := e.Done(); err != nil {
		return "", err
	}
	return mirror, nil
}

// gitMirrorMaxPacks is how many packs a mirror may hold before fetch
// repacks it into one: every update adds a pack.
const gitMirrorMaxPacks = 32

// gitMirrorRepack repacks the locked mirror into one pack when updates
// have left more than gitMirrorMaxPacks.
func gitMirrorRepack(ctx context.Context, c *Cmd, r *Runner, mirror string) error {
	packs, err := filepath.Glob(filepath.Join(mirror, "objects", "pack", "*.pack"))
	if err != nil || len(packs) <= gitMirrorMaxPacks {
		return err
	}
	_, err = r.run(ctx, c, mirror, "repack", "-a", "-d", "-q")
	return err
}

// gitSymrefHead returns the branch HEAD names in ls-remote --symref
// output ("ref: refs/heads/main\tHEAD"), or "".
func gitSymrefHead(out string) string {
	for _, l := range lines(out) {
		rest, ok := strings.CutPrefix(l, "ref:")
		if !ok {
			continue
		}
		ref, what, _ := strings.Cut(strings.TrimSpace(rest), "\t")
		if what == "HEAD" && strings.HasPrefix(ref, "refs/heads/") && !strings.HasPrefix(ref, "refs/heads/-") {
			return ref
		}
	}
	return ""
}

// gitHeadIs reports whether the mirror's HEAD file names branch (the
// "ref: refs/heads/NAME" git writes), saving a command when it does.
func gitHeadIs(mirror, branch string) bool {
	b, err := os.ReadFile(filepath.Join(mirror, "HEAD"))
	return err == nil && string(b) == "ref: "+branch+"\n"
}

// gitWriteMirrorConfig replaces the mirror's configuration with fetch's
// and removes what would make git read elsewhere (alternates) or run
// something (hooks): a cache entry someone tampered with is rewritten,
// never trusted.
func gitWriteMirrorConfig(mirror string) error {
	for _, p := range []string{"hooks", "objects/info/alternates", "objects/info/http-alternates", "info/attributes", "commondir", "config.worktree", "worktrees"} {
		if err := os.RemoveAll(filepath.Join(mirror, p)); err != nil {
			return fmt.Errorf("repository cache: %w", err)
		}
	}
	tmp := filepath.Join(mirror, "config.fetch-tmp")
	if err := os.WriteFile(tmp, []byte(gitMirrorConfig), 0o600); err != nil {
		return fmt.Errorf("repository cache: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(mirror, "config")); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("repository cache: %w", err)
	}
	return nil
}

// gitMirrorCheck is the cheap check of a complete entry: its
// configuration is rewritten, and every ref's object must be there
// (for-each-ref reads each one to print its type). A pack damaged where
// no ref points is found by the clone, which reads every object it
// checks out, and by the rebuild that follows (gitCachedClone). It
// returns the entry's branches and tags (ref name to object id).
func gitMirrorCheck(ctx context.Context, c *Cmd, r *Runner, mirror string) (map[string]string, error) {
	fi, err := os.Lstat(filepath.Join(mirror, "objects"))
	if err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("no objects directory")
	}
	if err := gitWriteMirrorConfig(mirror); err != nil {
		return nil, err
	}
	out, err := r.run(ctx, c, mirror, "for-each-ref", "--format=%(objecttype) %(objectname) %(refname)")
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	for _, l := range lines(string(out)) {
		f := strings.Fields(l)
		if len(f) != 3 || f[0] == "" {
			return nil, fmt.Errorf("ref without an object: %s", l)
		}
		refs[f[2]] = f[1]
	}
	return refs, nil
}

// gitSameRefs reports whether have (an entry's refs) holds exactly the
// branches and tags ls-remote printed, at the same objects.
func gitSameRefs(have map[string]string, lsRemote string) bool {
	if have == nil {
		return false
	}
	n := 0
	for _, l := range lines(lsRemote) {
		id, ref, ok := strings.Cut(l, "\t")
		if !ok || strings.HasPrefix(l, "ref:") || ref == "HEAD" || strings.HasSuffix(ref, "^{}") {
			continue
		}
		if !strings.HasPrefix(ref, "refs/heads/") && !strings.HasPrefix(ref, "refs/tags/") {
			continue
		}
		if have[ref] != id {
			return false
		}
		n++
	}
	return n == len(have)
}

// gitCloneFromMirror clones the mirror into dir, copying its objects (no
// hard links, no alternates: the checkout owns every object it has, and
// nothing written in the tree reaches the cache), and points origin at
// repo.
func gitCloneFromMirror(ctx context.Context, c *Cmd, r *Runner, mirror, repo, dir string) error {
	if _, err := r.run(ctx, c, r.workDir(), "clone", "--quiet", "--local", "--no-hardlinks", "--template=", "--", mirror, dir); err != nil {
		return err
	}
	for _, p := range []string{"objects/info/alternates", "objects/info/http-alternates"} {
		if _, err := os.Lstat(filepath.Join(dir, ".git", p)); err == nil {
			return fmt.Errorf("clone of the repository cache has %s", p)
		}
	}
	_, err := r.run(ctx, c, dir, "config", "remote.origin.url", repo)
	return err
}

// gitCachedFetch brings the checkout at dir up to date from remote through
// the cache: the entry of remote is updated from remote (one fetch over
// the network however many checkouts of it are updated), then dir fetches
// from the entry. ok is false when the cache cannot be used: the caller
// then fetches from origin directly.
func gitCachedFetch(ctx context.Context, c *Cmd, r *Runner, dir, remote string) (ok bool, err error) {
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
	mirror, err := gitMirrorUpdate(ctx, c, r, e, remote)
	if err != nil {
		return true, err
	}
	_, err = r.run(ctx, c, dir, "fetch", "--quiet", "--tags", "--upload-pack=git-upload-pack", "--", mirror, "+refs/heads/*:refs/remotes/origin/*")
	return true, err
}
