package fetch

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path"
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
	f := fetcher{step: "cloning"}
	if spec.sshKey != "" {
		keyFile, err := writeSSHKey(spec.sshKey)
		if err != nil {
			return fetcher{}, err
		}
		run.SSHKeyFile = keyFile
		f.cleanup = func() { os.Remove(keyFile) }
	}
	report := func(ctx context.Context, dest string, r *Result) error {
		rev, err := cmd.Revision(ctx, run, dest)
		if err != nil {
			return err
		}
		r.Commit = rev
		return resolveSubdirGlob(dest, spec.subdir, r)
	}
	f.create = func(ctx context.Context, tmp string, r *Result) error {
		return cmd.Create(ctx, run, spec.repo, tmp, vcs.CreateOptions{
			Ref:        spec.ref,
			Depth:      spec.depth,
			Submodules: spec.name == "git",
			FromMeta:   spec.fromMeta,
		})
	}
	f.finish = report
	f.inspect = report
	f.existing = func(ctx context.Context, dest string, st tree.State, so SourceOptions, r *Result) (string, error) {
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
			return StatusExists, report(ctx, dest, r)
		}
		if so.DryRun {
			res.job.note("would update %s from %s", dest, detect.Redact(spec.repo))
			return StatusPlanned, report(ctx, dest, r)
		}
		res.job.status(StepUpdating)
		before, err := cmd.Revision(ctx, run, dest)
		if err != nil {
			return "", err
		}
		if err := cmd.Update(ctx, run, dest, spec.ref); err != nil {
			return "", err
		}
		if err := report(ctx, dest, r); err != nil {
			return "", err
		}
		if r.Commit == before {
			res.job.note("%s is already up to date", dest)
			return StatusExists, nil
		}
		return StatusUpdated, nil
	}
	return f, nil
}

// sameRemote compares repository URLs the way a person would: a trailing
// slash or .git suffix, the host's case and a password make no difference
// (a checkout never stores the password typed in its URL).
func sameRemote(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			u.Host = strings.ToLower(u.Host)
			if u.User != nil {
				u.User = url.User(u.User.Username())
			}
			u.Path = path.Clean("/" + u.Path)
			return u.String()
		}
		return s
	}
	return norm(a) == norm(b)
}

// writeSSHKey decodes a go-getter sshkey value (base64 of a private key)
// into a private temporary file.
func writeSSHKey(b64 string) (string, error) {
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("sshkey is not valid base64: %w", err)
	}
	f, err := os.CreateTemp("", "fetch-sshkey-*")
	if err != nil {
		return "", fmt.Errorf("writing sshkey: %w", err)
	}
	defer f.Close()
	if err := f.Chmod(0o600); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("writing sshkey: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("writing sshkey: %w", err)
	}
	return f.Name(), nil
}
