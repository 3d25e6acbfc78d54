package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/internal/trace"
	"github.com/gofetch/fetch/internal/tree"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/internal/web"
)

// resolved is everything get needs to know about one source.
type resolved struct {
	job *job
	src *detect.Source
	// rr is the repository of an import path (nil for getter sources).
	rr *detect.RepoRoot
	// insecure reports that insecure transports are allowed for it.
	insecure bool
	// where is the destination, for tree.Place.
	where  tree.Where
	result Result
}

// resolveOne resolves one source. It never fails outright: errors are
// carried in the Result.
func (c *Client) resolveOne(ctx context.Context, src string, so SourceOptions) (*resolved, Result) {
	j := c.newJob(src)
	res := &resolved{job: j, result: Result{FormatVersion: FormatVersion, Source: j.source}}
	if interruptedBy(ctx) {
		markInterrupted(j, &res.result, false) // interrupt.go
		return res, res.result
	}
	j.status(StepResolving)
	parent := ctx
	ctx, done := j.bound(ctx)
	err := withCause(ctx, c.resolveInto(ctx, res, src, so))
	done()
	res.result.Requests = int(j.requests.Load())
	if err != nil && interruptedBy(parent) {
		res.result.Dest = ""
		markInterrupted(j, &res.result, false)
		return res, res.result
	}
	if err != nil {
		res.result.Status = StatusError
		res.result.Error = detect.Redact(err.Error())
		res.result.Err = redact.Error(err)
		j.trace.Emit(trace.Event{Kind: trace.Result, Message: "error: " + res.result.Error})
		return res, res.result
	}
	res.result.Status = StatusResolved
	j.trace.Emit(trace.Event{Kind: trace.Result, Message: describe(res.result)})
	j.status(StepWaiting)
	return res, res.result
}

func describe(r Result) string {
	if r.VCS != "" {
		s := fmt.Sprintf("%s %s (root %s)", r.VCS, r.Repo, r.Root)
		if r.Dest != "" {
			s += " -> " + r.Dest
		}
		return s
	}
	return fmt.Sprintf("%s -> %s", r.URL, r.Dest)
}

func (c *Client) resolveInto(ctx context.Context, res *resolved, src string, so SourceOptions) error {
	s, err := detect.Parse(src, c.pwd)
	if err != nil {
		return err
	}
	if so.Ref != "" {
		if strings.HasPrefix(so.Ref, "-") {
			return fmt.Errorf("--ref %q must not start with \"-\"", so.Ref)
		}
		s.Ref = so.Ref
		if s.Kind == detect.KindGetter {
			if s.URL, err = setQuery(s.URL, refKey(s), so.Ref); err != nil {
				return err
			}
		}
	}
	res.src = s
	r := &res.result
	r.Kind = string(s.Kind)
	r.Subdir = s.Subdir
	r.Ref = s.Ref
	if s.Kind == detect.KindGetter {
		r.Getter = s.Getter
		r.URL = detect.Redact(s.URL)
		return c.place(res, so, s.TreePath(), s.Subdir)
	}

	r.ImportPath = s.ImportPath
	res.insecure = c.opts.Insecure || c.env.IsInsecure(s.ImportPath)
	rr, err := res.job.resolveImport(ctx, s, res.insecure)
	if err != nil {
		return err
	}
	res.rr = rr
	r.Root, r.VCS, r.Repo, r.RepoSubdir = rr.Root, rr.VCS, detect.Redact(rr.Repo), rr.SubDir
	rest := strings.TrimPrefix(strings.TrimPrefix(s.ImportPath, rr.Root), "/")
	sub := path.Join(rr.SubDir, rest, s.Subdir)
	// A go-import prefix may end in "/" (the Go command accepts it); the
	// tree path is the root without it.
	return c.place(res, so, strings.TrimSuffix(rr.Root, "/"), sub)
}

// place fills Dest and Dir: ROOT/src/<treePath>, or -o, computed by
// tree.Place, the one placement rule, which getInto applies again with the
// filesystem when it writes (or, for a dry run, looks).
func (c *Client) place(res *resolved, so SourceOptions, treePath, sub string) error {
	r := &res.result
	if treePath == "" && so.Dest == "" && res.src != nil && res.src.IsLocal() {
		// A local source lands at ROOT/src/local/<name> (detect.TreePath).
		return fmt.Errorf("cannot place %s in the tree: a local path lands at ROOT/src/local/NAME, and this one has no NAME; choose the destination with -o DIR", r.Source)
	}
	res.where = tree.Where{Root: c.root, Path: treePath, Out: so.Dest}
	p, err := tree.Place(res.where, tree.Compute)
	if err != nil {
		return fmt.Errorf("cannot place %s in the tree: %w", r.Source, err)
	}
	r.Dest = p.Dest
	r.Dir = r.Dest
	if sub != "" && sub != "." && !strings.ContainsAny(sub, "*?[") {
		r.Dir = filepath.Join(r.Dest, filepath.FromSlash(sub))
	}
	return nil
}

// resolveImport is the Go command's RepoRootForImportPath: the static
// table, else meta discovery, else Launchpad; then GOPATH get's refusal of
// insecure repositories.
func (j *job) resolveImport(ctx context.Context, s *detect.Source, insecure bool) (*detect.RepoRoot, error) {
	importPath := s.ImportPath
	sec := web.SecureOnly
	if insecure {
		sec = web.Insecure
	}
	rr := s.Static
	var err error
	if rr == nil {
		rr, err = detect.Static(importPath)
	}
	switch {
	case errors.Is(err, detect.ErrUnknownSite):
		rr, err = j.discover(ctx, importPath, sec)
		if err != nil {
			err = fmt.Errorf("unrecognized import path %q: %w", importPath, err)
		}
	case err == nil:
		if rr.NeedsScheme {
			j.note("%s names its version control system (%s): the root is %s, no discovery page is asked for", importPath, rr.VCS, rr.Root)
		} else {
			j.note("%s is on a known hosting site: the root is %s, no discovery page is asked for", importPath, rr.Root)
		}
		err = j.c.env.CheckVCS(rr.Root, rr.VCS)
		if err != nil {
			j.hintGOVCS(rr.Root, rr.VCS)
		} else if rr.NeedsScheme {
			err = j.probeScheme(ctx, rr, insecure)
		}
	}
	if err != nil {
		if lp, lerr := detect.Launchpad(importPath); lerr == nil {
			j.note("discovery failed; using the Go command's launchpad.net rule")
			rr, err = j.launchpad(ctx, lp, sec)
		}
	}
	if err != nil {
		return nil, err
	}
	if strings.Contains(importPath, "...") && strings.Contains(rr.Root, "...") {
		return nil, fmt.Errorf("cannot expand ... in %q", importPath)
	}
	if rr.VCS != "mod" && !insecure && !j.c.env.SecureRepo(rr.VCS, rr.Repo) {
		return nil, fmt.Errorf("cannot download, %s uses insecure protocol (allow it with --insecure or GOINSECURE=%s)", detect.Redact(rr.Repo), rr.Root)
	}
	return rr, nil
}

// probeScheme picks the scheme for a .git/.hg/... qualified path: the
// VCS's schemes in the Go command's order, insecure ones only when
// allowed, the first that answers its ping.
func (j *job) probeScheme(ctx context.Context, rr *detect.RepoRoot, insecure bool) error {
	cmd := vcs.ByName(rr.VCS)
	if cmd == nil {
		return fmt.Errorf("unknown vcs %q", rr.VCS)
	}
	r := j.runner(insecure)
	for _, scheme := range cmd.Schemes {
		if !insecure && !j.c.env.SecureScheme(rr.VCS, scheme) {
			j.note("not trying %s://%s: the scheme is insecure (allow it with --insecure or GOINSECURE)", scheme, rr.Repo)
			continue
		}
		if len(cmd.PingCmd) == 0 {
			j.note("%s cannot be asked whether a repository exists; using %s://%s, as the Go command does", rr.VCS, scheme, rr.Repo)
			rr.Repo = scheme + "://" + rr.Repo
			rr.NeedsScheme = false
			return nil
		}
		if err := cmd.Ping(ctx, r, scheme, rr.Repo); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// The runner has reported the command and its error.
			j.note("%s://%s does not answer", scheme, rr.Repo)
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
func (j *job) launchpad(ctx context.Context, lp *detect.RepoRoot, sec web.SecurityMode) (*detect.RepoRoot, error) {
	if lp.CheckURL == "" {
		return lp, nil
	}
	u, err := url.Parse(lp.CheckURL)
	if err == nil {
		var resp *web.Response
		resp, err = j.web.Get(ctx, u, sec)
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

// refKey is the query key that carries a ref for a getter source.
func refKey(s *detect.Source) string {
	if s.Getter == "hg" {
		return "rev"
	}
	return "ref"
}

// setQuery sets key=value in a go-getter URL, keeping its forced getter and
// //subdir.
func setQuery(src, key, value string) (string, error) {
	forced, rest := detect.ForcedGetter(src)
	base, sub := detect.SourceDirSubdir(rest)
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("source %q: %w", detect.Redact(src), err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	if sub != "" {
		u.Path += "//" + sub
		u.RawPath = ""
	}
	out := u.String()
	if forced != "" {
		out = forced + "::" + out
	}
	return out, nil
}
