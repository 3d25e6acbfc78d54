package vcs

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Local is what a checkout holds, as ResolveLocal reads it without the
// network.
type Local struct {
	// Head is the checked-out commit (for svn the revision), as Revision
	// reports it.
	Head string
	// HeadName is a branch or tag at Head ("" when none is known), for
	// messages.
	HeadName string
	// Detached reports a git checkout whose HEAD is on no branch.
	Detached bool
	// Want is the commit the asked-for ref names in the checkout, in the
	// form of Head; "" when the checkout does not know the ref (it may
	// exist upstream: only an update can tell).
	Want string
}

// ResolveLocal reads the checkout at dir and resolves ref in it, without
// contacting any remote: git peels a branch of origin, a tag or a commit
// id to a commit (a ref naming the checked-out local branch is that
// branch's commit), hg, bzr and fossil ask their own repository, and svn,
// which keeps no history, takes a revision number as it is. An empty ref
// (or svn's HEAD) names what is checked out. A ref the checkout does not
// know leaves Want empty; it is not an error.
func (c *Cmd) ResolveLocal(ctx context.Context, r *Runner, dir, ref string) (Local, error) {
	if err := c.checkRef(ref); err != nil {
		return Local{}, err
	}
	head, err := c.Revision(ctx, r, dir)
	if err != nil {
		return Local{}, err
	}
	dir, err = c.checkRoot(dir)
	if err != nil {
		return Local{}, err
	}
	l := Local{Head: head}
	lr := localRefs[c.name]
	if lr.name != nil {
		if l.HeadName, l.Detached, err = lr.name(ctx, c, r, dir, ref); err != nil {
			return Local{}, err
		}
	}
	switch {
	case ref == "":
		l.Want = head
	case lr.resolve != nil:
		l.Want, err = lr.resolve(ctx, c, r, dir, ref, l)
	case len(lr.cmd) > 0:
		if lr.check != nil {
			if err := lr.check(dir, ref); err != nil {
				return Local{}, err
			}
		}
		var out []byte
		out, err = r.run(ctx, c, dir, expand(lr.cmd, map[string]string{"ref": ref})...)
		if err == nil {
			l.Want, err = lr.parse(strings.TrimSpace(string(out)))
		} else if unknownRef(ctx, err) {
			err = nil
		}
	}
	if err != nil {
		return Local{}, err
	}
	return l, nil
}

// localRef is how one system resolves a ref in a checkout: a command
// printing the commit (its output parsed by parse), or a function; name
// finds a name for the checked-out commit.
type localRef struct {
	cmd     []string
	parse   func(out string) (string, error)
	resolve func(ctx context.Context, c *Cmd, r *Runner, dir, ref string, l Local) (string, error)
	name    func(ctx context.Context, c *Cmd, r *Runner, dir, ref string) (string, bool, error)
	// check refuses a ref before cmd runs with it.
	check func(dir, ref string) error
}

// localRefs is the table of ResolveLocal, by system name. Every command
// only reads the checkout's own repository.
var localRefs = map[string]localRef{
	"git": {resolve: gitResolveLocal, name: gitHeadName},
	"hg": {
		cmd:   []string{"log", "--rev={ref}", "--limit=1", "-T", "{node}"},
		parse: nonEmpty,
		name:  hgHeadName,
	},
	"svn": {resolve: svnResolveLocal},
	"bzr": {
		// Prints "REVNO REVISION-ID".
		cmd:   []string{"revision-info", "--revision={ref}"},
		check: bzrCheckRefPath,
		parse: func(out string) (string, error) {
			f := strings.Fields(out)
			if len(f) != 2 {
				return "", fmt.Errorf("brz revision-info printed %q, not a revision number and id", out)
			}
			return f[1], nil
		},
	},
	"fossil": {
		cmd: []string{"info", "--", "{ref}"},
		parse: func(out string) (string, error) {
			for _, l := range lines(out) {
				if v, ok := strings.CutPrefix(l, "hash:"); ok {
					if f := strings.Fields(v); len(f) > 0 {
						return f[0], nil
					}
				}
			}
			return "", errors.New("fossil info shows no hash line")
		},
	},
}

// unknownRef reports whether err is a command's own failure (the tool ran
// and refused the ref), as opposed to a missing tool or an interruption.
func unknownRef(ctx context.Context, err error) bool {
	var e *Error
	return errors.As(err, &e) && ctx.Err() == nil
}

func nonEmpty(out string) (string, error) {
	if out == "" {
		return "", errors.New("printed nothing")
	}
	return out, nil
}

// gitResolveLocal resolves ref as Create and Update do (a branch of
// origin, then a tag, then anything naming a commit), except that a ref
// naming the checked-out local branch is that branch: local commits on it
// are still what was asked for. A full commit id is always that commit.
func gitResolveLocal(ctx context.Context, c *Cmd, r *Runner, dir, ref string, l Local) (string, error) {
	if !l.Detached && l.HeadName == ref && !fullHashRe.MatchString(ref) {
		return l.Head, nil
	}
	branchRef, tagRef := "refs/remotes/origin/"+ref, "refs/tags/"+ref
	out, err := r.run(ctx, c, dir, "for-each-ref", "--format=%(refname)", branchRef, tagRef)
	if err != nil {
		return "", err
	}
	rev := ref
	have := lines(string(out))
	switch {
	case fullHashRe.MatchString(ref):
		// A whole commit id is that commit, as in gitResolve.
	case ref != "HEAD" && slices.Contains(have, branchRef):
		rev = branchRef
	case slices.Contains(have, tagRef):
		rev = tagRef
	}
	id, err := gitRevParse(ctx, c, r, dir, rev)
	if err != nil && unknownRef(ctx, err) {
		return "", nil
	}
	return id, err
}

// gitHeadName names the checked-out commit: the local branch HEAD is on,
// else ref when it is a tag or branch at HEAD, else the first tag at HEAD.
func gitHeadName(ctx context.Context, c *Cmd, r *Runner, dir, ref string) (string, bool, error) {
	out, err := r.run(ctx, c, dir, "rev-parse", "--symbolic-full-name", "HEAD")
	if err != nil {
		return "", false, err
	}
	if b, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "refs/heads/"); ok {
		return b, false, nil
	}
	out, err = r.run(ctx, c, dir, "for-each-ref", "--format=%(refname:lstrip=2)", "--points-at", "HEAD", "refs/tags")
	if err != nil {
		return "", true, err
	}
	tags := lines(string(out))
	if slices.Contains(tags, ref) {
		return ref, true, nil
	}
	if len(tags) > 0 {
		return tags[0], true, nil
	}
	return "", true, nil
}

// hgHeadName names the checked-out commit by its first tag other than tip.
func hgHeadName(ctx context.Context, c *Cmd, r *Runner, dir, ref string) (string, bool, error) {
	out, err := r.run(ctx, c, dir, "log", "-r", ".", "-T", "{tags}")
	if err != nil {
		return "", false, err
	}
	tags := hgTags(strings.ReplaceAll(string(out), " ", "\n"))
	if slices.Contains(tags, ref) {
		return ref, false, nil
	}
	if len(tags) > 0 {
		return tags[0], false, nil
	}
	return "", false, nil
}

// svnResolveLocal: a working copy keeps no history, so a revision number
// names itself, and HEAD (the newest revision) names what is there: only
// the server knows whether something newer exists.
func svnResolveLocal(ctx context.Context, c *Cmd, r *Runner, dir, ref string, l Local) (string, error) {
	if ref == "HEAD" {
		return l.Head, nil
	}
	n, err := strconv.ParseUint(ref, 10, 64)
	if err != nil {
		return "", fmt.Errorf("svn revision %q: %w", ref, err)
	}
	return strconv.FormatUint(n, 10), nil
}
