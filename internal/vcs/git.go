package vcs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/internal/lazyre"
)

var (
	// fullHashRe matches a whole SHA-1 or SHA-256 commit id, the only kind
	// a server can be asked for by id.
	fullHashRe = lazyre.New(`^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`)
	// shortHashRe matches what looks like an abbreviated commit id.
	shortHashRe = lazyre.New(`^[0-9a-fA-F]{7,63}$`)
)

// gitCreate clones repo into dir and checks out opts.Ref.
//
// Refs are never handed to "git checkout" as written: they are resolved to
// a commit with "rev-parse --verify --end-of-options" and checked out by
// id (CVE-2026-4660: a ref like --pathspec-from-file=/secret is an option
// to checkout). Only a branch is checked out by name, to put the checkout
// on a local branch that tracks it, and only once git has shown the branch
// exists.
//
// With a depth, a branch or tag is cloned with --branch; a full commit id
// is fetched by id into a fresh repository, and when the server refuses
// that (git protocol v0 servers without uploadpack.allowAnySHA1InWant), the
// whole history is fetched instead and a Note says so.
func gitCreate(ctx context.Context, c *Cmd, r *Runner, repo, dir string, opts CreateOptions) error {
	// The password of a typed login reaches git from a credential helper,
	// never in the URL git would store in .git/config (see login.go).
	r = r.withLogin(repo)
	repo, _ = splitLogin(repo)
	ref, depth := opts.Ref, depthVar(opts.Depth)
	switch {
	case depth != "" && fullHashRe.MatchString(ref):
		if err := gitFetchCommit(ctx, c, r, repo, dir, ref, depth); err != nil {
			return err
		}
	case depth != "" && ref != "":
		vars := map[string]string{"repo": repo, "dir": dir, "depth": depth, "branch": ref}
		if _, err := r.run(ctx, c, filepath.Dir(dir), expand(c.createCmd[0], vars)...); err != nil {
			if shortHashRe.MatchString(ref) && ctx.Err() == nil {
				return fmt.Errorf("%w (a shallow clone needs a branch, a tag or a full commit id, and %q looks like an abbreviated one)", err, ref)
			}
			return err
		}
	default:
		used := false
		if depth == "" && r != nil && r.Cache != nil {
			var err error
			if used, err = gitCachedClone(ctx, c, r, repo, dir); err != nil {
				return err
			}
		}
		vars := map[string]string{"repo": repo, "dir": dir, "depth": depth, "branch": ""}
		if !used {
			if _, err := r.run(ctx, c, filepath.Dir(dir), expand(c.createCmd[0], vars)...); err != nil {
				return err
			}
		}
		if ref != "" {
			t, err := gitResolve(ctx, c, r, dir, ref)
			if err != nil {
				return err
			}
			if err := gitCheckout(ctx, c, r, dir, t, true); err != nil {
				return err
			}
		}
	}
	if opts.Submodules {
		return gitSubmodules(ctx, c, r, dir, true, depth)
	}
	return nil
}

// gitFetchCommit makes dir a repository holding commit id, fetched by id
// at the given depth if the server allows it, else with full history.
func gitFetchCommit(ctx context.Context, c *Cmd, r *Runner, repo, dir, id, depth string) error {
	steps := [][]string{
		{"init", "-q", "--", dir},
		{"remote", "add", "origin", "--", repo},
	}
	for i, args := range steps {
		where := dir
		if i == 0 {
			where = filepath.Dir(dir)
		}
		if _, err := r.run(ctx, c, where, args...); err != nil {
			return err
		}
	}
	if _, err := r.run(ctx, c, dir, "fetch", "--depth="+depth, "origin", id); err != nil {
		if ctx.Err() != nil {
			return err
		}
		r.note("server refused to send commit %s by id at depth %s (%v); fetching full history instead", id, depth, err)
		if _, err := r.run(ctx, c, dir, expand(c.updateCmd[0], nil)...); err != nil {
			return err
		}
	}
	commit, err := gitRevParse(ctx, c, r, dir, id)
	if err != nil {
		return err
	}
	// No branch or tag may hold a commit fetched by id: a ref of fetch's
	// own keeps it, so that Update sees a pinned checkout, not commits
	// that moving would orphan.
	if _, err := r.run(ctx, c, dir, "update-ref", pinnedRef, commit); err != nil {
		return err
	}
	return gitCheckout(ctx, c, r, dir, gitTarget{commit: commit}, true)
}

// pinnedRef records a commit Create fetched by id.
const pinnedRef = "refs/fetch/pinned"

// gitTarget is a resolved ref: a commit, and the branch name when the ref
// named a branch of origin.
type gitTarget struct {
	branch string
	commit string
}

// gitResolve resolves ref as go-getter does, but preferring what a person
// means by a name: a branch of origin, then a tag, then anything git can
// take to a commit (an id, a full ref name). A full commit id is always
// that commit: a branch or tag a repository names after an id (git allows
// it) cannot turn a pin by hash into another commit.
func gitResolve(ctx context.Context, c *Cmd, r *Runner, dir, ref string) (gitTarget, error) {
	branchRef, tagRef := "refs/remotes/origin/"+ref, "refs/tags/"+ref
	out, err := r.run(ctx, c, dir, "for-each-ref", "--format=%(refname)", branchRef, tagRef)
	if err != nil {
		return gitTarget{}, err
	}
	have := map[string]bool{}
	for _, l := range lines(string(out)) {
		have[l] = true
	}
	var t gitTarget
	rev := ref
	switch {
	case fullHashRe.MatchString(ref):
		// A whole commit id is that commit, whatever refs the
		// repository named after it (git itself prefers the object).
	case have[branchRef] && ref != "HEAD":
		t.branch, rev = ref, branchRef
	case have[tagRef]:
		rev = tagRef
	}
	if t.commit, err = gitRevParse(ctx, c, r, dir, rev); err != nil {
		var e *Error
		if errors.As(err, &e) && ctx.Err() == nil {
			return gitTarget{}, fmt.Errorf("git ref %q not found in %s: no branch, tag or commit of that name", ref, dir)
		}
		return gitTarget{}, err
	}
	return t, nil
}

// gitRevParse returns the commit rev names. --end-of-options keeps a rev
// that looks like an option from being one.
func gitRevParse(ctx context.Context, c *Cmd, r *Runner, dir, rev string) (string, error) {
	out, err := r.run(ctx, c, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", err
	}
	id := strings.TrimSpace(string(out))
	if !fullHashRe.MatchString(id) {
		return "", fmt.Errorf("git rev-parse %s in %s printed %q, not a commit id", rev, dir, id)
	}
	return id, nil
}

// gitCheckout moves the checkout to t: by id for a commit, onto a local
// branch that tracks origin for a branch. fresh says the clone was just
// made, so the local branch of that name, if any, is git's copy of the
// default branch and may be reset; Update only gets here once it has
// shown the move loses nothing.
func gitCheckout(ctx context.Context, c *Cmd, r *Runner, dir string, t gitTarget, fresh bool) error {
	if t.branch == "" {
		_, err := r.run(ctx, c, dir, expand(c.checkoutCmd, map[string]string{"rev": t.commit})...)
		return err
	}
	upstream := "refs/remotes/origin/" + t.branch
	var args []string
	switch local, err := gitRefExists(ctx, c, r, dir, "refs/heads/"+t.branch); {
	case err != nil:
		return err
	case fresh || !local:
		args = []string{"checkout", "-q", "-B", t.branch, "--track", upstream, "--"}
	default:
		args = []string{"checkout", "-q", t.branch, "--"}
	}
	_, err := r.run(ctx, c, dir, args...)
	return err
}

// gitRefExists reports whether the full ref name exists.
func gitRefExists(ctx context.Context, c *Cmd, r *Runner, dir, name string) (bool, error) {
	out, err := r.run(ctx, c, dir, "for-each-ref", "--format=%(refname)", name)
	if err != nil {
		return false, err
	}
	for _, l := range lines(string(out)) {
		if l == name {
			return true, nil
		}
	}
	return false, nil
}

// gitSubmodules updates submodules when the repository has any: init
// says whether new ones are initialized (Create) or only those already in
// use are moved (Update).
func gitSubmodules(ctx context.Context, c *Cmd, r *Runner, dir string, init bool, depth string) error {
	if _, err := os.Lstat(filepath.Join(dir, ".gitmodules")); err != nil {
		return nil
	}
	args := []string{"submodule", "update", "--recursive"}
	if init {
		args = append(args, "--init")
	}
	if depth != "" {
		args = append(args, "--depth="+depth)
	}
	_, err := r.run(ctx, c, dir, args...)
	return err
}

// GitPeek makes a clone of repo's default branch at dir that is only good
// for reading it: one commit, its trees and, with sparse, only the files at
// the root checked out (--depth=1 --filter=blob:none --no-tags), however
// large the repository. repo is treated as coming from a go-import tag (a
// file URL is refused). The Runner's non-interactive, hardened environment
// and every check of Create apply.
func GitPeek(ctx context.Context, r *Runner, repo, dir string, sparse bool) error {
	clone := []string{"clone", "--quiet", "--depth=1", "--filter=blob:none", "--no-tags"}
	if sparse {
		clone = append(clone, "--sparse")
	}
	peek := *vcsGit
	peek.createCmd = [][]string{append(clone, "--", "{repo}", "{dir}")}
	return peek.Create(ctx, r, repo, dir, CreateOptions{FromMeta: true})
}

// GitUserConfig runs a read-only "git config" query (args follow
// "config", such as "--get-urlmatch", "credential.helper", URL) and
// returns its output lines; none when git fails or finds nothing. It asks
// about the user's own configuration, as git would apply it to their
// commands: through r's git binary and hardened, non-interactive
// environment, in r.Dir with no repository above it counting (so no
// repository's configuration does), but without what fetch adds to its own commands
// (its credential helper, a login) and without a trace, since a query
// that finds nothing is no failure to report.
func GitUserConfig(ctx context.Context, r *Runner, args ...string) []string {
	q := Runner{}
	if r != nil {
		q = Runner{Environ: r.Environ, Env: r.Env, Dir: r.Dir, Source: r.Source}
	}
	out, err := q.run(ctx, vcsGit, q.workDir(), append([]string{"config"}, args...)...)
	if err != nil {
		return nil
	}
	var lines []string
	for l := range strings.Lines(string(out)) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}
