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
	"github.com/gofetch/fetch/internal/modproxy"
	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/internal/tree"
	"github.com/gofetch/fetch/trace"
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
	// module is the module a module proxy serves the import path from
	// (Options.Proxy); nil otherwise.
	module *modproxy.Found
	// lockedSHA256 is the sha256 ("sha256:hex") a replayed lock pins a
	// download's bytes to, checked before anything is placed; "" if none.
	lockedSHA256 string
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
	r.Kind = s.Kind
	r.Subdir = s.Subdir
	r.Ref = s.Ref
	if s.Kind == detect.KindGetter {
		r.Getter = s.Getter
		r.URL = detect.Redact(s.URL)
		return c.place(res, so, s.TreePath(), s.Subdir)
	}

	r.ImportPath = s.ImportPath
	res.insecure = c.opts.Insecure || c.env.IsInsecure(s.ImportPath)
	if c.proxy != nil {
		found, err := c.proxy.find(ctx, res.job, s)
		switch {
		case err == nil:
			return c.placeModule(res, so, found)
		case !errors.Is(err, modproxy.ErrDirect):
			return err
		}
		// GONOPROXY, or "direct" in GOPROXY: the repository, as usual.
	}
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
