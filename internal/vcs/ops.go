package vcs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// CreateOptions say what Create checks out.
type CreateOptions struct {
	// Ref is a branch, tag or commit (for svn a revision); empty means the
	// default branch.
	Ref string
	// Depth > 0 asks for a shallow git clone of that many commits; other
	// systems always make full checkouts and say so in a trace Note.
	Depth int
	// Submodules asks git to initialize submodules, recursively, when the
	// repository has a .gitmodules file.
	Submodules bool
	// FromMeta says the URL came from a go-import meta tag: a file URL is
	// refused then.
	FromMeta bool
}

// Errors an Update refuses with, for errors.Is. Update never resets or
// discards anything: these say what the user must sort out first.
var (
	ErrDirty    = errors.New("uncommitted changes")
	ErrDiverged = errors.New("diverged from upstream")
	ErrDetached = errors.New("detached HEAD")
)

// Ping reports whether the repository at scheme://repo answers. The
// command runs in r.Dir, never in the caller's directory. A system without
// a ping command (fossil) reports success without running anything, as the
// Go command then uses its first scheme.
func (c *Cmd) Ping(ctx context.Context, r *Runner, scheme, repo string) error {
	if !slices.Contains(c.schemes, scheme) {
		return fmt.Errorf("%s cannot ping scheme %q: want one of %s", c.name, scheme, strings.Join(c.schemes, ", "))
	}
	if err := checkOperand(c.name+" repository", repo); err != nil {
		return err
	}
	if err := c.CheckRemote(scheme+"://"+repo, false); err != nil {
		return err
	}
	if len(c.pingCmd) == 0 {
		return nil
	}
	_, err := r.run(ctx, c, r.workDir(), expand(c.pingCmd, map[string]string{"scheme": scheme, "repo": repo})...)
	return err
}

// Create makes a checkout of repo in dir, which must not exist or be an
// empty directory; its parent is created if needed. On failure nothing of
// the checkout is left behind.
func (c *Cmd) Create(ctx context.Context, r *Runner, repo, dir string, opts CreateOptions) (err error) {
	if err := c.CheckRemote(repo, opts.FromMeta); err != nil {
		return err
	}
	if err := c.checkRef(opts.Ref); err != nil {
		return err
	}
	if opts.Depth < 0 {
		return fmt.Errorf("depth %d is negative", opts.Depth)
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("create %s checkout: %w", c.name, err)
	}
	existed, err := prepareDest(dir)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
			if existed {
				os.Mkdir(dir, 0o777)
			}
		}
	}()
	if c.create != nil {
		return c.create(ctx, c, r, repo, dir, opts)
	}
	if opts.Depth > 0 {
		r.note("depth %d ignored: %s checkouts are always complete", opts.Depth, c.name)
	}
	if c.mkdirFirst {
		if err := os.Mkdir(dir, 0o777); err != nil {
			return fmt.Errorf("create %s checkout: %w", c.name, err)
		}
	}
	vars := map[string]string{"repo": repo, "dir": dir, "ref": opts.Ref}
	for i, step := range c.createCmd {
		if i > 0 && i == len(c.createCmd)-1 && c.checkCreate != nil {
			if err := c.checkCreate(ctx, c, r, repo, dir, opts.Ref); err != nil {
				return err
			}
		}
		where := dir
		if i == 0 {
			// dir is absolute: the first step runs where no checkout is,
			// as hg clone would run the hooks of a repository around its
			// working directory.
			where = r.workDir()
			if c.name == "hg" && r != nil && r.Cache != nil {
				used, err := hgCachedClone(ctx, c, r, repo, dir)
				if err != nil {
					return err
				}
				if used {
					continue
				}
			}
		}
		if _, err := r.run(ctx, c, where, expand(step, vars)...); err != nil {
			return err
		}
	}
	return nil
}

// prepareDest makes sure dir can be created: its parent exists and dir
// does not, or is empty (then it is removed so every tool can create it,
// and existed is true so a failure can put it back).
func prepareDest(dir string) (existed bool, err error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o777); err != nil {
		return false, fmt.Errorf("create parent of %s: %w", dir, err)
	}
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("destination %s: %w", dir, err)
	}
	_, err = f.Readdirnames(1)
	f.Close()
	if err != io.EOF {
		return false, fmt.Errorf("destination %s exists and is not an empty directory", dir)
	}
	if err := os.Remove(dir); err != nil {
		return false, fmt.Errorf("destination %s: %w", dir, err)
	}
	return true, nil
}

// Update brings the checkout at dir up to date, fast-forward only, and
// moves it to ref when one is given. It refuses, changing nothing, when
// the checkout has uncommitted changes (ErrDirty), has diverged from its
// upstream (ErrDiverged), or, for git, has a detached HEAD that no branch
// or tag accounts for (ErrDetached). Untracked files do not count as
// changes; a tool that would overwrite one refuses by itself.
//
// Like every method that runs a command in an existing checkout, Update
// first vets the checkout's metadata (see vet.go) and refuses with an
// UntrustedMetadataError (ErrUntrustedConfig) what it cannot vouch for;
// git also runs with the overrides of gitEnv, hg without the
// repository's hgrc.
func (c *Cmd) Update(ctx context.Context, r *Runner, dir, ref string) error {
	if err := c.checkRef(ref); err != nil {
		return err
	}
	dir, err := c.checkRoot(dir)
	if err != nil {
		return err
	}
	if c.update != nil {
		return c.update(ctx, c, r, dir, ref)
	}
	remote, err := c.checkClean(ctx, r, dir)
	if err != nil {
		return err
	}
	vars := map[string]string{"ref": ref, "remote": remote}
	for i, step := range c.updateCmd {
		if i == len(c.updateCmd)-1 && c.checkUpdate != nil {
			if err := c.checkUpdate(ctx, c, r, dir, ref); err != nil {
				return err
			}
		}
		if i == 0 && c.name == "hg" {
			// hg pulls through the repository cache when there is one.
			cached, err := hgCachedPull(ctx, c, r, dir, remote)
			if err != nil {
				return err
			}
			if cached {
				continue
			}
		}
		if _, err := r.run(ctx, c, dir, expand(step, vars)...); err != nil {
			var e *Error
			if c.divergedMsg != "" && errors.As(err, &e) && strings.Contains(e.Stderr, c.divergedMsg) {
				return fmt.Errorf("cannot update %s: %w: %v; merge it yourself, fetch only fast-forwards", dir, ErrDiverged, err)
			}
			return err
		}
	}
	return nil
}

// checkClean refuses to touch a checkout with uncommitted changes or one
// whose configured remote is not a plain repository location, and returns
// that remote.
func (c *Cmd) checkClean(ctx context.Context, r *Runner, dir string) (string, error) {
	remote, err := c.RemoteURL(ctx, r, dir)
	if err != nil {
		return "", err
	}
	if err := c.CheckRemote(remote, false); err != nil {
		return "", fmt.Errorf("cannot update %s: %w", dir, err)
	}
	changes, err := c.Uncommitted(ctx, r, dir)
	if err != nil {
		return "", err
	}
	if len(changes) > 0 {
		shown := changes
		if len(shown) > 3 {
			shown = append(shown[:3:3], "...")
		}
		return "", fmt.Errorf("cannot update %s: %w (%s); commit or stash them first, fetch never discards work",
			dir, ErrDirty, strings.Join(shown, ", "))
	}
	return remote, nil
}

// Revision returns the commit (for svn the revision) checked out at dir.
func (c *Cmd) Revision(ctx context.Context, r *Runner, dir string) (string, error) {
	return c.query(ctx, r, dir, "revision", c.revisionCmd, c.revision)
}

// RemoteURL returns the repository the checkout at dir pulls from, as a
// URL: hg and bzr report a local repository as a path, which becomes a
// file URL.
func (c *Cmd) RemoteURL(ctx context.Context, r *Runner, dir string) (string, error) {
	if c.readRemote != nil {
		abs, err := c.checkRoot(dir)
		if err != nil {
			return "", err
		}
		return c.readRemote(abs)
	}
	remote, err := c.query(ctx, r, dir, "remote", c.remoteURLCmd, c.remoteURL)
	if err == nil && filepath.IsAbs(remote) {
		remote = (&url.URL{Scheme: "file", Path: filepath.ToSlash(remote)}).String()
	}
	return remote, err
}

// query runs a command that prints one value and parses it.
func (c *Cmd) query(ctx context.Context, r *Runner, dir, what string, args []string, parse func(string) (string, error)) (string, error) {
	dir, err := c.checkRoot(dir)
	if err != nil {
		return "", err
	}
	out, err := r.run(ctx, c, dir, args...)
	if err != nil {
		return "", fmt.Errorf("%s %s of %s: %w", c.name, what, dir, err)
	}
	v := strings.TrimSpace(string(out))
	if parse != nil {
		if v, err = parse(v); err != nil {
			return "", fmt.Errorf("%s %s of %s: %w", c.name, what, dir, err)
		}
	}
	if v == "" {
		return "", fmt.Errorf("%s %s of %s: %s printed nothing", c.name, what, dir, strings.Join(args, " "))
	}
	return v, nil
}

// Uncommitted lists the uncommitted changes to tracked files at dir, one
// line of the tool's status output each.
func (c *Cmd) Uncommitted(ctx context.Context, r *Runner, dir string) ([]string, error) {
	return c.list(ctx, r, dir, c.uncommittedCmd, c.uncommitted)
}

func (c *Cmd) list(ctx context.Context, r *Runner, dir string, args []string, parse func(string) []string) ([]string, error) {
	dir, err := c.checkRoot(dir)
	if err != nil || len(args) == 0 {
		return nil, err
	}
	out, err := r.run(ctx, c, dir, args...)
	if err != nil {
		return nil, err
	}
	if parse == nil {
		parse = lines
	}
	return parse(string(out)), nil
}

// checkRoot makes dir absolute and refuses it unless it is the root of a
// checkout of c, so that no command wanders up into an enclosing
// repository.
func (c *Cmd) checkRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("%s checkout %s: %w", c.name, dir, err)
	}
	if !isRoot(abs, c.rootNames) {
		return "", fmt.Errorf("%s is not the root of a %s checkout: it has no %s", abs, c.name, rootNames(c))
	}
	// The checkout may not be fetch's: its metadata is read and vetted
	// before any command runs in it (see vet.go).
	if err := c.vet(abs); err != nil {
		return "", err
	}
	return abs, nil
}

// isRoot reports whether dir holds one of the root names. Symlinks are
// followed, as the tools follow them; a dangling one counts too, since it
// is no accident in a checkout.
func isRoot(dir string, names []RootName) bool {
	for _, n := range names {
		p := filepath.Join(dir, n.Name)
		fi, err := os.Stat(p)
		if err != nil {
			if li, lerr := os.Lstat(p); lerr == nil && li.Mode()&os.ModeSymlink != 0 {
				return true
			}
			continue
		}
		if (fi.IsDir() && n.Dir) || (fi.Mode().IsRegular() && n.File) {
			return true
		}
	}
	return false
}

func rootNames(c *Cmd) string {
	var names []string
	for _, n := range c.rootNames {
		names = append(names, n.Name)
	}
	return strings.Join(names, " or ")
}

// expand fills a command template: {key} becomes vars[key], and an
// argument that mentions a key whose value is empty is left out. Values
// are never re-expanded.
func expand(template []string, vars map[string]string) []string {
	var pairs []string
	for k, v := range vars {
		pairs = append(pairs, "{"+k+"}", v)
	}
	rep := strings.NewReplacer(pairs...)
	var args []string
next:
	for _, a := range template {
		for k, v := range vars {
			if v == "" && strings.Contains(a, "{"+k+"}") {
				continue next
			}
		}
		args = append(args, rep.Replace(a))
	}
	return args
}

// lines splits output into its non-blank lines, trimmed.
func lines(out string) []string {
	var ls []string
	for l := range strings.SplitSeq(out, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			ls = append(ls, l)
		}
	}
	return ls
}

// depthVar is the template value of a depth: empty (flag left out) for 0.
func depthVar(depth int) string {
	if depth <= 0 {
		return ""
	}
	return strconv.Itoa(depth)
}
