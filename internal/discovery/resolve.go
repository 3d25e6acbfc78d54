// Package discovery is the one implementation of "import path ->
// repository root": the Go command's RepoRootForImportPath (the static
// table, go-import discovery with verification and the shorter-prefix
// walk, Launchpad), with fetch's trace and hints. Package reporoot is its
// public face; package fetch and doctor use it directly, with their own
// HTTP client, cache and VCS runner.
package discovery

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/policy"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/trace"
)

// Resolver holds what one resolution needs. It is cheap to build: a
// caller that traces each source on its own builds one per source, all
// sharing one Cache.
type Resolver struct {
	// Web sends the ?go-get=1 requests (with the Go command's rules).
	Web *web.Client
	// Cache remembers pages; it must not be nil.
	Cache *Cache
	// Refresh asks every page again instead of using the on-disk cache.
	Refresh bool
	// Env is the GOVCS, GOINSECURE and GOPRIVATE policy.
	Env policy.Env
	// Trace receives events; nil discards them.
	Trace trace.Func
	// Explain reads every page a second time, as a browser would, so the
	// trace can explain tags the Go command does not see. It costs up to
	// 64 KiB more per page.
	Explain bool
	// Netrc is the netrc file a LoginError names.
	Netrc string
	// Runner returns the VCS runner that pings a repository for a
	// .git/.hg/... qualified path; nil means a plain one in the
	// temporary directory.
	Runner func(insecure bool) *vcs.Runner
}

func (r *Resolver) note(format string, args ...any) {
	r.Trace.Emit(trace.Event{Kind: trace.Note, Message: fmt.Sprintf(format, args...)})
}

func (r *Resolver) runner(insecure bool) *vcs.Runner {
	if r.Runner != nil {
		return r.Runner(insecure)
	}
	return &vcs.Runner{Insecure: insecure, Dir: os.TempDir(), Trace: r.Trace}
}

// RepoRoot is the Go command's RepoRootForImportPath: the static table
// (static, when the caller has it already, else detect.Static), else meta
// discovery, else Launchpad; then GOPATH get's refusal of insecure
// repositories. insecure allows plain http and insecure schemes.
func (r *Resolver) RepoRoot(ctx context.Context, importPath string, static *detect.RepoRoot, insecure bool) (*detect.RepoRoot, error) {
	sec := web.SecureOnly
	if insecure {
		sec = web.Insecure
	}
	rr := static
	var err error
	if rr == nil {
		rr, err = detect.Static(importPath)
	}
	switch {
	case errors.Is(err, detect.ErrUnknownSite):
		rr, err = r.discover(ctx, importPath, sec)
		if err != nil {
			err = fmt.Errorf("unrecognized import path %q: %w", importPath, err)
		}
	case err == nil:
		if rr.NeedsScheme {
			r.note("%s names its version control system (%s): the root is %s, no discovery page is asked for", importPath, rr.VCS, rr.Root)
		} else {
			r.note("%s is on a known hosting site: the root is %s, no discovery page is asked for", importPath, rr.Root)
		}
		err = r.Env.CheckVCS(rr.Root, rr.VCS)
		if err != nil {
			r.hintGOVCS(rr.Root, rr.VCS)
		} else if rr.NeedsScheme {
			err = r.ProbeScheme(ctx, rr, insecure)
		}
	}
	if err != nil {
		if lp, lerr := detect.Launchpad(importPath); lerr == nil {
			r.note("discovery failed; trying the Go command's launchpad.net rule")
			// Like every static rule, this one answers only what GOVCS
			// allows (bzr is not allowed for public paths by default);
			// when it fails, discovery's error stands, as in the Go
			// command.
			lp, lerr = r.launchpad(ctx, lp, sec)
			if lerr == nil {
				if lerr = r.Env.CheckVCS(lp.Root, lp.VCS); lerr != nil {
					r.note("not using the launchpad.net rule: %v", lerr)
					r.hintGOVCS(lp.Root, lp.VCS)
				}
			}
			if lerr == nil {
				rr, err = lp, nil
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if strings.Contains(importPath, "...") && strings.Contains(rr.Root, "...") {
		return nil, fmt.Errorf("cannot expand ... in %q", importPath)
	}
	if rr.VCS != "mod" && !insecure && !r.Env.SecureRepo(rr.VCS, rr.Repo) {
		return nil, fmt.Errorf("cannot download, %s uses insecure protocol (allow it with --insecure or GOINSECURE=%s)", detect.Redact(rr.Repo), rr.Root)
	}
	return rr, nil
}

// ProbeScheme picks the scheme for a .git/.hg/... qualified path: the
// VCS's schemes in the Go command's order, insecure ones only when
// allowed, the first that answers its ping. It sets rr.Repo.
func (r *Resolver) ProbeScheme(ctx context.Context, rr *detect.RepoRoot, insecure bool) error {
	cmd := vcs.ByName(rr.VCS)
	if cmd == nil {
		return fmt.Errorf("unknown vcs %q", rr.VCS)
	}
	run := r.runner(insecure)
	for _, scheme := range cmd.Schemes() {
		if !insecure && !r.Env.SecureScheme(rr.VCS, scheme) {
			r.note("not trying %s://%s: the scheme is insecure (allow it with --insecure or GOINSECURE)", scheme, rr.Repo)
			continue
		}
		if !cmd.CanPing() {
			r.note("%s cannot be asked whether a repository exists; using %s://%s, as the Go command does", rr.VCS, scheme, rr.Repo)
			rr.Repo = scheme + "://" + rr.Repo
			rr.NeedsScheme = false
			return nil
		}
		if err := cmd.Ping(ctx, run, scheme, rr.Repo); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// The runner has reported the command and its error.
			r.note("%s://%s does not answer", scheme, rr.Repo)
			continue
		}
		rr.Repo = scheme + "://" + rr.Repo
		rr.NeedsScheme = false
		return nil
	}
	if insecure {
		return errors.New("no protocol found for repository")
	}
	return errors.New("no secure protocol found for repository")
}

// launchpad applies the Go command's Launchpad check: a series branch is
// used only when its branch-format file can be fetched.
func (r *Resolver) launchpad(ctx context.Context, lp *detect.RepoRoot, sec web.SecurityMode) (*detect.RepoRoot, error) {
	if lp.CheckURL == "" {
		return lp, nil
	}
	u, err := url.Parse(lp.CheckURL)
	if err == nil {
		var resp *web.Response
		resp, err = r.Web.Get(ctx, u, sec)
		if err == nil {
			resp.Body.Close()
			err = resp.Err()
		}
	}
	if err != nil && lp.Fallback != nil {
		return lp.Fallback, nil
	}
	return lp, nil
}
