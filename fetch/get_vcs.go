package fetch

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/tree"
	"github.com/gofetch/fetch/internal/vcs"
)

// vcsSpec is what a version control checkout needs.
type vcsSpec struct {
	name, repo, ref string
	depth           int
	sshKey          string // base64 private key from ?sshkey=
	fromMeta        bool   // the repository URL came from a go-import tag
	subdir          string // a //subdir (glob) within the checkout
	plaintext       bool   // the user asked for an http:// or git:// remote
}

// importFetcher checks out the repository of an import path.
func (c *Client) importFetcher(res *resolved, so SourceOptions) (fetcher, error) {
	depth := so.Depth
	if depth == 0 {
		depth, _ = strconv.Atoi(res.src.Options.Get("depth"))
	}
	return c.vcsFetcher(res, vcsSpec{
		name:     res.rr.VCS,
		repo:     res.rr.Repo,
		ref:      res.src.Ref,
		depth:    depth,
		sshKey:   res.src.Options.Get("sshkey"),
		fromMeta: res.rr.IsCustom,
		subdir:   res.src.Subdir,
	})
}

// getterVCSFetcher checks out a git:: or hg:: getter source. go-getter's
// own getters are not used: their update deletes .git.
func (c *Client) getterVCSFetcher(res *resolved, so SourceOptions) (fetcher, error) {
	_, rest := detect.ForcedGetter(res.src.URL)
	base, _ := detect.SourceDirSubdir(rest)
	u, err := url.Parse(base)
	if err != nil {
		return fetcher{}, fmt.Errorf("source %q: %w", detect.Redact(res.src.URL), err)
	}
	q := u.Query()
	spec := vcsSpec{name: res.src.Getter, ref: res.src.Ref, sshKey: q.Get("sshkey"), subdir: res.src.Subdir}
	spec.depth = so.Depth
	if spec.depth == 0 {
		spec.depth, _ = strconv.Atoi(q.Get("depth"))
	}
	for _, k := range []string{"ref", "rev", "depth", "sshkey"} {
		q.Del(k)
	}
	u.RawQuery = q.Encode()
	spec.repo = u.String()
	if u.Scheme == "http" || u.Scheme == "git" {
		// Typed by the user, a plaintext URL is a choice, not a downgrade.
		spec.plaintext = true
	}
	return c.vcsFetcher(res, spec)
}

func (c *Client) vcsFetcher(res *resolved, spec vcsSpec) (fetcher, error) {
	cmd := vcs.ByName(spec.name)
	if cmd == nil {
		return fetcher{}, fmt.Errorf("fetch does not support the %q version control system", spec.name)
	}
	if err := cmd.CheckRemote(spec.repo, spec.fromMeta); err != nil {
		return fetcher{}, err
	}
	// --insecure counts for getter sources too (res.insecure is set only
	// for import paths). A plaintext remote the user typed is allowed for
	// that repository, not for what it leads to; a password typed in it
	// logs in without being stored in the checkout (see internal/vcs
	// indirect.go, login.go).
	run := res.job.runner(res.insecure || c.opts.Insecure)
	run.PlainRemote, run.Login = spec.plaintext, spec.repo
	f := fetcher{step: StepCloning}
	var key []byte
	if spec.sshKey != "" {
		var err error
		if key, err = base64.StdEncoding.DecodeString(spec.sshKey); err != nil {
			return fetcher{}, fmt.Errorf("sshkey is not valid base64: %w", err)
		}
	}
	report := func(ctx context.Context, dest string, r *Result) error {
		rev, err := cmd.Revision(ctx, run, dest)
		if err != nil {
			return err
		}
		r.Commit = rev
		if err := resolveSubdirGlob(dest, spec.subdir, r); err != nil {
			return err
		}
		if err := dirInside(dest, r.Dir); err != nil {
			r.Dir = "" // never report where it leads
			return err
		}
		return nil
	}
	// check is D5: an existing checkout is reported "exists" only when
	// it is at what the source asks for.
	check := func(ctx context.Context, dest string, r *Result) error {
		if spec.ref == "" {
			return nil
		}
		if isCommitID(spec.ref) {
			// A whole commit id (a replayed lock pins every source to
			// one) is there when HEAD is it: one command, not the five
			// that name what is there, which only an error needs.
			if head, err := cmd.Revision(ctx, run, dest); err == nil && head == spec.ref {
				return nil
			}
		}
		l, err := cmd.ResolveLocal(ctx, run, dest, spec.ref)
		if err != nil {
			return err
		}
		return checkoutMismatch(dest, spec.ref, l)
	}
	f.create = func(ctx context.Context, tmp string, r *Result) error {
		if key != nil {
			// Stage's temporary holds tmp: the key lives and dies with it.
			keyFile, err := writeSSHKey(filepath.Dir(tmp), key)
			if err != nil {
				return err
			}
			run.SSHKeyFile = keyFile
			defer func() { os.Remove(keyFile); run.SSHKeyFile = "" }()
		}
		return cmd.Create(ctx, run, spec.repo, tmp, vcs.CreateOptions{
			Ref:        spec.ref,
			Depth:      spec.depth,
			Submodules: spec.name == "git",
			FromMeta:   spec.fromMeta,
		})
	}
	f.finish = report
	f.inspect = func(ctx context.Context, dest string, r *Result) error {
		if err := check(ctx, dest, r); err != nil {
			return err
		}
		return report(ctx, dest, r)
	}
	f.existing = func(ctx context.Context, dest string, st tree.State, so SourceOptions, r *Result) (Status, error) {
		if st.Is != tree.Checkout {
			return "", fmt.Errorf("%s already exists but is not a %s checkout; move it away or choose another destination with -o", dest, spec.name)
		}
		if st.VCS != spec.name {
			return "", fmt.Errorf("%s is a %s checkout, but %s is fetched with %s; move it away or choose another destination with -o", dest, st.VCS, r.Source, spec.name)
		}
		remote, err := cmd.RemoteURL(ctx, run, dest)
		if err != nil {
			return "", err
		}
		if !sameRemote(remote, spec.repo) {
			return "", fmt.Errorf("%s is checked out from %s, not %s; move it away or choose another destination with -o",
				dest, detect.Redact(remote), detect.Redact(spec.repo))
		}
		if !so.Update {
			return StatusExists, f.inspect(ctx, dest, r)
		}
		if so.DryRun {
			res.job.note("would update %s from %s", dest, detect.Redact(spec.repo))
			return StatusPlanned, report(ctx, dest, r)
		}
		res.job.status(StepUpdating)
		before, err := cmd.ResolveLocal(ctx, run, dest, "")
		if err != nil {
			return "", err
		}
		if key != nil {
			// The caller holds dest's lock: a temporary beside dest is
			// removed by the next fetch there if this one dies.
			tmp, remove, err := tree.TempDir(dest)
			if err != nil {
				return "", err
			}
			defer remove()
			keyFile, err := writeSSHKey(tmp, key)
			if err != nil {
				return "", err
			}
			run.SSHKeyFile = keyFile
			defer func() { run.SSHKeyFile = "" }()
		}
		if err := cmd.Update(ctx, run, dest, spec.ref); err != nil {
			return "", err
		}
		if err := report(ctx, dest, r); err != nil {
			return "", err
		}
		if r.Commit == before.Head {
			r.Note = "up to date"
			if spec.ref == "" && before.Detached {
				r.Note = "pinned at " + atName(before.HeadName, before.Head) + " (left as it is)"
			}
			res.job.note("%s: %s", dest, r.Note)
			return StatusExists, nil
		}
		r.PreviousCommit = before.Head
		// How many commits came in, where the system can say cheaply;
		// the update stands even when it cannot.
		if n, ok, err := cmd.CountCommits(ctx, run, dest, before.Head, r.Commit); err != nil {
			res.job.note("%s: not counting the new commits: %v", dest, err)
		} else if ok {
			r.Commits = n
		}
		return StatusUpdated, nil
	}
	return f, nil
}

// sameRemote compares repository URLs the way a person would: a trailing
// slash or .git suffix, the host's case and a password make no difference
// (a checkout never stores the password typed in its URL), nor does how
// a path element is percent-encoded. A path is never decoded into another
// one: a server gets "..%2F", a dot segment or a backslash as typed, so a
// URL holding one is the same only as the very same text (else a vanity
// server could name https://h/evil/..%2Fgood and pass for https://h/good).
func sameRemote(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return s
		}
		u.Host = strings.ToLower(u.Host)
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		elems := strings.Split(u.EscapedPath(), "/")
		for i, e := range elems {
			d, err := url.PathUnescape(e)
			if err != nil || d == "." || d == ".." || strings.ContainsAny(d, "/\\") {
				return "\x00" + s // comparable only with itself
			}
			elems[i] = d
		}
		u.Path, u.RawPath = "/"+strings.TrimPrefix(strings.Join(elems, "/"), "/"), ""
		return u.String()
	}
	return norm(a) == norm(b)
}

// writeSSHKey writes a go-getter sshkey (the private key, decoded) into
// dir, a private temporary of fetch's (mode 0700) that is removed with
// everything in it, as the file "sshkey", mode 0600.
func writeSSHKey(dir string, key []byte) (string, error) {
	name := filepath.Join(dir, "sshkey")
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("writing sshkey: %w", err)
	}
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(key)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return "", fmt.Errorf("writing sshkey: %w", err)
	}
	return name, nil
}

// checkoutMismatch returns nil when the checkout l is at the commit ref
// names in it, else the error that says what is there, what was asked
// for and what to run.
func checkoutMismatch(dest, ref string, l vcs.Local) error {
	at := atName(l.HeadName, l.Head)
	switch {
	case l.Want == l.Head:
		return nil
	case l.Want == "":
		return &contentError{fmt.Sprintf("%s is at %s, and %s is not in the checkout: run fetch -u to fetch it", dest, at, ref)}
	default:
		return &contentError{fmt.Sprintf("%s is at %s, not %s: run fetch -u to move it", dest, at, atName(ref, l.Want))}
	}
}

// isCommitID reports whether ref is a whole commit id (sha1 or sha256,
// lower-case hex), as Revision reports one.
func isCommitID(ref string) bool {
	return (len(ref) == 40 || len(ref) == 64) && strings.Trim(ref, "0123456789abcdef") == ""
}

// atName is "NAME (abbreviated commit)", or the abbreviated commit alone
// when there is no name or the name is the commit.
func atName(name, commit string) string {
	short := commit
	if len(short) > 12 {
		short = short[:12]
	}
	if name == "" || strings.HasPrefix(commit, name) {
		return short
	}
	return name + " (" + short + ")"
}

// dirInside refuses a package directory (the import path below the root,
// a go-import subdirectory field) that a symbolic link in the repository
// leads outside dest, as resolveSubdirGlob refuses a //subdir
// (CVE-2025-8959): the directory fetch reports is where scripts and tools
// go next. The part of dir that exists is followed; a missing rest cannot
// lead anywhere.
func dirInside(dest, dir string) error {
	rel, err := filepath.Rel(dest, dir)
	if err != nil || rel == "." {
		return nil
	}
	have := dest
	for _, e := range strings.Split(rel, string(filepath.Separator)) {
		next := filepath.Join(have, e)
		if _, err := os.Lstat(next); err != nil {
			break
		}
		have = next
	}
	if have == dest {
		return nil
	}
	inside, err := within(dest, have)
	if err != nil {
		return fmt.Errorf("package directory %s: %w", dir, err)
	}
	if !inside {
		return fmt.Errorf("%s leads outside %s through a symbolic link in the repository; refusing it", dir, dest)
	}
	return nil
}
