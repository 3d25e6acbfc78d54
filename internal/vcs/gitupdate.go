package vcs

import (
	"context"
	"fmt"
	"strings"
)

// gitUpdate fetches origin and moves the checkout, fast-forward only.
//
// Without a ref, the current branch is fast-forwarded to its upstream. A
// detached HEAD that a tag or branch points at (a checkout pinned at a tag
// or commit) is left where it is, and a Note says so; any other detached
// HEAD is refused: there is nothing to update it to.
//
// With a ref, the checkout moves to it: onto the local branch of that
// name, fast-forwarded to origin's (refused if the two have diverged), or
// to the tag or commit by id. A detached HEAD may only be moved away from
// when some branch or tag contains it, so no commit is orphaned.
//
// Everything that can refuse is checked before anything changes, except
// the divergence of the current branch, which needs the fetch: fetching
// changes only remote-tracking refs and tags, never the working tree.
func gitUpdate(ctx context.Context, c *Cmd, r *Runner, dir, ref string) error {
	remote, err := c.checkClean(ctx, r, dir)
	if err != nil {
		return err
	}
	out, err := r.run(ctx, c, dir, "rev-parse", "--symbolic-full-name", "HEAD")
	if err != nil {
		return err
	}
	current := strings.TrimSpace(string(out)) // "HEAD" when detached
	head, err := c.Revision(ctx, r, dir)
	if err != nil {
		return err
	}

	if current == "HEAD" {
		if ref == "" {
			at, err := gitRefsAt(ctx, c, r, dir, "--points-at", head)
			if err != nil {
				return err
			}
			if len(at) == 0 {
				return fmt.Errorf("cannot update %s: %w at %s, which no branch or tag points at; check out a branch or ask for a ref",
					dir, ErrDetached, short(head))
			}
			r.note("%s is pinned at %s (%s); left as it is: ask for a ref to move it", dir, short(head), at[0])
			return nil
		}
		in, err := gitRefsAt(ctx, c, r, dir, "--contains", head)
		if err != nil {
			return err
		}
		if len(in) == 0 {
			return fmt.Errorf("cannot update %s: %w at %s, which no branch or tag contains; moving it would orphan its commits, create a branch for them first",
				dir, ErrDetached, short(head))
		}
	}

	var upstream string
	if ref == "" {
		if upstream, err = gitUpstream(ctx, c, r, dir, current); err != nil {
			return err
		}
	}
	cached, err := gitCachedFetch(ctx, c, r, dir, remote)
	if err != nil {
		return err
	}
	for _, step := range c.updateCmd {
		if cached {
			break
		}
		if _, err := r.run(ctx, c, dir, expand(step, nil)...); err != nil {
			return err
		}
	}

	if ref == "" {
		if err := gitFastForward(ctx, c, r, dir, current, upstream); err != nil {
			return err
		}
		return gitSubmodules(ctx, c, r, dir, false, "")
	}
	t, err := gitResolve(ctx, c, r, dir, ref)
	if err != nil {
		return err
	}
	if t.branch != "" {
		local, upstream := "refs/heads/"+t.branch, "refs/remotes/origin/"+t.branch
		exists, err := gitRefExists(ctx, c, r, dir, local)
		if err != nil {
			return err
		}
		if exists {
			if err := gitCheckDivergence(ctx, c, r, dir, local, upstream); err != nil {
				return err
			}
		}
		if current != local {
			if err := gitCheckout(ctx, c, r, dir, t, false); err != nil {
				return err
			}
		}
		if err := gitFastForward(ctx, c, r, dir, local, upstream); err != nil {
			return err
		}
	} else if t.commit != head {
		if err := gitCheckout(ctx, c, r, dir, t, false); err != nil {
			return err
		}
	}
	return gitSubmodules(ctx, c, r, dir, false, "")
}

// gitUpstream returns the upstream of the checked-out branch, refusing
// when it has none.
func gitUpstream(ctx context.Context, c *Cmd, r *Runner, dir, branch string) (string, error) {
	out, err := r.run(ctx, c, dir, "for-each-ref", "--format=%(upstream)", branch)
	if err != nil {
		return "", err
	}
	up := strings.TrimSpace(string(out))
	if up == "" {
		return "", fmt.Errorf("cannot update %s: branch %s has no upstream; set one with git branch --set-upstream-to, or ask for a ref",
			dir, strings.TrimPrefix(branch, "refs/heads/"))
	}
	return up, nil
}

// gitFastForward moves the checked-out branch local to upstream when that
// is a fast-forward, and refuses when they have diverged.
func gitFastForward(ctx context.Context, c *Cmd, r *Runner, dir, local, upstream string) error {
	if err := gitCheckDivergence(ctx, c, r, dir, local, upstream); err != nil {
		return err
	}
	_, err := r.run(ctx, c, dir, "merge", "-q", "--ff-only", upstream)
	return err
}

// gitCheckDivergence refuses when local and upstream each have commits the
// other lacks.
func gitCheckDivergence(ctx context.Context, c *Cmd, r *Runner, dir, local, upstream string) error {
	out, err := r.run(ctx, c, dir, "rev-list", "--left-right", "--count", local+"..."+upstream, "--")
	if err != nil {
		return err
	}
	var ahead, behind int
	if _, err := fmt.Sscan(string(out), &ahead, &behind); err != nil {
		return fmt.Errorf("git rev-list --count %s...%s in %s printed %q: %w", local, upstream, dir, out, err)
	}
	if ahead > 0 && behind > 0 {
		return fmt.Errorf("cannot update %s: %s has %w %s (%d local and %d upstream commits); merge or rebase it yourself, fetch only fast-forwards",
			dir, strings.TrimPrefix(local, "refs/heads/"), ErrDiverged, strings.TrimPrefix(upstream, "refs/remotes/"), ahead, behind)
	}
	return nil
}

// gitRefsAt lists the branches, tags, remote-tracking branches and pinned
// commit that point at (how "--points-at") or contain ("--contains")
// commit.
func gitRefsAt(ctx context.Context, c *Cmd, r *Runner, dir, how, commit string) ([]string, error) {
	out, err := r.run(ctx, c, dir, "for-each-ref", "--format=%(refname:short)", how, commit,
		"refs/heads", "refs/tags", "refs/remotes", pinnedRef)
	if err != nil {
		return nil, err
	}
	return lines(string(out)), nil
}

// short abbreviates a commit id for messages.
func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
