package vcs

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/internal/redact"
)

// A repository can name further repositories: git submodules, hg
// subrepositories, svn externals, a bzr branch reference, and, for every
// transport, an http redirect. Whoever controls the repository chooses
// them, so fetch holds them to a stricter rule than the remote the user
// asked for (SECURITY.md, rule 4): a plaintext transport (http://, git://,
// svn://, bzr://) only when r.Insecure (--insecure, GOINSECURE) allows it,
// even when the user typed a plaintext remote themselves, and never a
// local file (file://, a path), whatever the flags.
//
//   - git: protocol.<name>.allow in command scope (gitEnv, gitPlainPolicy).
//     git runs submodule clones with GIT_PROTOCOL_FROM_USER=0 and asks curl
//     to follow redirects only to protocols allowed "not from the user",
//     so "user" allows a transport for the typed remote alone. file is
//     "user" always (so never for submodules or redirects), ext never.
//   - hg: subrepositories are not followed at all (hgCheckSubrepos and
//     subrepos.allowed=false). hg resolves a subrepository's source itself,
//     relative to its parent or rewritten by [subpaths], recursively, and
//     the nested ones are only known once the outer one is checked out,
//     so no check before hg runs can see them all.
//   - svn: externals are never checked out (--ignore-externals), for the
//     same reason: they are resolved by svn, relative, nested, per
//     directory.
//   - bzr: a branch that is a reference to another branch (a "branch
//     reference", as in a lightweight checkout), or that redirects, is
//     followed by brz; bzrCheckBranched refuses the result when the branch
//     it came from is not the one asked for and is local or plaintext.
//   - fossil: a fossil repository names no further repositories. Whether
//     fossil clone follows an https -> http redirect is not checked here
//     yet (fossil's own http client handles redirects).

// ErrIndirect is the error, for errors.Is, when a repository names a
// further repository (an hg subrepository, a bzr branch reference) that
// fetch does not follow.
var ErrIndirect = errors.New("the repository names another repository that fetch does not follow")

// gitPlainPolicy returns git's protocol.http.allow and protocol.git.allow
// settings: nothing (git's default, always) when r.Insecure, "user" when
// the user typed a plaintext remote (allowed for it, not for submodules or
// redirects), else never.
func gitPlainPolicy(r *Runner) []string {
	switch {
	case r.Insecure:
		return nil
	case r.PlainRemote:
		return []string{"protocol.http.allow=user", "protocol.git.allow=user"}
	default:
		return []string{"protocol.http.allow=never", "protocol.git.allow=never"}
	}
}

// hgCheckSubrepos refuses, before hg update runs, a target revision that
// has subrepositories (a .hgsub file): with subrepositories off, hg would
// abort in the middle of the update, leaving the working files half
// moved. The target is ref, or with no ref the revision hg update itself
// would choose (_destupdate, hg's own revset for it).
func hgCheckSubrepos(ctx context.Context, c *Cmd, r *Runner, dir, ref string) error {
	rev := ref
	if rev == "" {
		rev = "_destupdate()"
	}
	_, err := r.run(ctx, c, dir, "files", "--rev="+rev, "--", "path:.hgsub")
	var e *Error
	var exit *exec.ExitError
	switch {
	case err == nil:
		return fmt.Errorf("%w: %s has hg subrepositories (.hgsub), which fetch does not follow, because they could name local paths or plain http; fetch each subrepository as a source of its own",
			ErrIndirect, revName(ref))
	case errors.As(err, &e) && errors.As(e.Err, &exit) && exit.ExitCode() == 1:
		return nil // no .hgsub at that revision
	default:
		return err
	}
}

// hgCheckCreate runs between hg clone -U and hg update in Create.
func hgCheckCreate(ctx context.Context, c *Cmd, r *Runner, repo, dir, ref string) error {
	return hgCheckSubrepos(ctx, c, r, dir, ref)
}

// hgCheckUpdate runs between hg pull and hg update in Update.
func hgCheckUpdate(ctx context.Context, c *Cmd, r *Runner, dir, ref string) error {
	if err := hgCheckHeads(ctx, c, r, dir, ref); err != nil {
		return err
	}
	return hgCheckSubrepos(ctx, c, r, dir, ref)
}

func revName(ref string) string {
	if ref == "" {
		return "the revision to check out"
	}
	return fmt.Sprintf("revision %q", ref)
}

// svnNoExternals keeps svn checkout and update from following
// svn:externals.
const svnNoExternals = "--ignore-externals"

// bzrCheckBranched runs after brz branch in Create. brz follows a branch
// reference and http redirects on its own and records the branch it
// really read as the new branch's parent. When that is not the remote
// asked for, the branch came through an indirection, which must be
// remote and, unless r.Insecure, secure.
func bzrCheckBranched(ctx context.Context, c *Cmd, r *Runner, repo, dir string) error {
	parent, err := c.RemoteURL(ctx, r, dir)
	if err != nil {
		return err
	}
	if sameRepoURL(parent, repo) {
		return nil
	}
	u, err := url.Parse(parent)
	if err != nil || u.Scheme == "" || u.Host == "" || u.Scheme == "file" {
		return fmt.Errorf("%w: the bzr branch %s is a reference to the local branch %s; fetch never follows a repository to a local file",
			ErrIndirect, redact.String(repo), redact.String(parent))
	}
	switch u.Scheme {
	case "https", "bzr+ssh", "ssh":
		return nil
	case "http", "bzr":
		if r != nil && r.Insecure {
			return nil
		}
		return fmt.Errorf("%w: the bzr branch %s leads to %s, which uses the insecure scheme %s; use --insecure or GOINSECURE to allow it",
			ErrIndirect, redact.String(repo), redact.String(parent), u.Scheme)
	}
	return fmt.Errorf("%w: the bzr branch %s leads to %s, whose scheme %s fetch does not follow",
		ErrIndirect, redact.String(repo), redact.String(parent), u.Scheme)
}

// sameRepoURL compares two repository URLs up to a trailing slash and the
// password (brz records neither the way it was given).
func sameRepoURL(a, b string) bool {
	norm := func(s string) string {
		s, _ = splitLogin(s)
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			u.Host = strings.ToLower(u.Host)
			u.Path = strings.TrimSuffix(filepath.ToSlash(filepath.Clean("/"+u.Path)), "/")
			u.RawPath = ""
			return u.String()
		}
		return strings.TrimSuffix(s, "/")
	}
	return norm(a) == norm(b)
}

// bzrCheckCreate runs between brz branch and brz update in Create.
func bzrCheckCreate(ctx context.Context, c *Cmd, r *Runner, repo, dir, ref string) error {
	if err := bzrCheckBranched(ctx, c, r, repo, dir); err != nil {
		return err
	}
	return bzrCheckRefPath(dir, ref)
}

// bzrCheckUpdate runs between brz pull and brz update in Update, once the
// pull has brought the working tree that the ref is checked against.
func bzrCheckUpdate(ctx context.Context, c *Cmd, r *Runner, dir, ref string) error {
	return bzrCheckRefPath(dir, ref)
}

// ErrRefIsPath is matched (with errors.Is) by the error for a bzr ref
// that also names an entry of the checkout. brz reads a revision spec
// without a known prefix that is not a revision number, tag, revision id
// or date there as the location of another branch, relative to the
// checkout: a file or link a repository commits under the ref's name
// (v2 -> /any/branch) would make brz open a branch anywhere on the disk,
// with metadata fetch never vetted, and report or check out its revision.
var ErrRefIsPath = errors.New("bzr ref names a path in the checkout")

// bzrSpecPrefixes are brz's revision spec prefixes: a ref starting with
// one is explicit and never read as a branch location unless it says so
// (branch:, ancestor:, submit:, the user's own words).
var bzrSpecPrefixes = []string{"revno:", "revid:", "last:", "before:", "tag:", "date:", "ancestor:", "branch:", "submit:", "annotate:", "mainline:"}

// bzrCheckRefPath refuses a ref without a spec prefix when something,
// even a dangling link, is at that path in the checkout at dir, before
// brz gets to read it as a branch there.
func bzrCheckRefPath(dir, ref string) error {
	if ref == "" {
		return nil
	}
	for _, p := range bzrSpecPrefixes {
		if strings.HasPrefix(ref, p) {
			return nil
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(ref))); err != nil {
		return nil // nothing there for brz to open
	}
	return fmt.Errorf("%w: %q is also a path in %s, which brz would open as another branch if it is not a revision there; name the revision with a prefix, such as tag:%s or revno:%s",
		ErrRefIsPath, ref, dir, ref, ref)
}
