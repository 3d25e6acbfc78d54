// Package reporoot finds where the code of a Go import path lives: the
// repository root, its version control system and URL, exactly as the Go
// command's RepoRootForImportPath does. It reads the Go command's table of
// known hosting sites, VCS-qualified paths (example.org/repo.git/pkg, whose
// scheme it probes with the VCS's own command), <meta name="go-import">
// discovery over https with the check of a shorter prefix's own page and,
// for a page without any tag, the walk up to shorter paths, and the
// launchpad.net rule. GOVCS, GOINSECURE and GOPRIVATE apply as in the Go
// command. Two refinements are fetch's own: a version control tag is
// preferred over a mod tag for the same path, and a tag's 4th field must
// name a directory inside the repository.
//
// It downloads nothing and depends only on the standard library,
// golang.org/x and this module: a build tool that needs only "where does
// this import path come from" imports this package and nothing else.
// Package fetch resolves import paths through the same code.
package reporoot

import (
	"context"
	"net/http"
	"os"

	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/goenv"
	"github.com/gofetch/fetch/internal/policy"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/trace"
)

// Root is where the code of an import path lives.
type Root struct {
	// Root is the import path of the repository root (a prefix of the
	// import path asked for).
	Root string
	// VCS is "git", "hg", "svn", "bzr", "fossil", or "mod" when the only
	// go-import tag for the path names a module proxy.
	VCS string
	// Repo is the repository URL, with its scheme.
	Repo string
	// SubDir is the directory inside the repository that Root names (the
	// go-import tag's 4th field); "" for the repository's top.
	SubDir string
	// IsCustom reports that the answer came from a go-import meta tag
	// rather than from the table of known hosting sites.
	IsCustom bool
}

// Options configure a Resolver. The zero value is usable: the system's
// certificate roots, the proxy from the environment, the Go command's
// variables read from the process environment, no credentials, no trace.
type Options struct {
	// Transport, when set, carries every discovery request as is: its
	// TLS configuration and dialing are the caller's (a test server's
	// client, a proxy, a recorder). Redirects still follow the Go
	// command's rules: never from https to http unless insecure.
	Transport http.RoundTripper
	// Insecure allows, for every path, what GOINSECURE allows for the
	// paths it matches: plain http, certificates that do not verify, and
	// insecure VCS schemes (the Go command's -insecure). With a
	// Transport, certificate checks are the Transport's own.
	Insecure bool
	// Getenv reads GOVCS, GOPRIVATE, GOINSECURE, GONOSUMDB, GONOPROXY
	// and GIT_ALLOW_PROTOCOL; nil means the process environment and then
	// the Go environment file (go env -w), as the Go command reads them.
	Getenv func(key string) string
	// Netrc names a netrc file whose logins are sent to the hosts it
	// lists, over https only; "" sends none.
	Netrc string
	// CacheDir, when set, keeps discovery pages on disk for as long as
	// their Cache-Control or Expires headers allow.
	CacheDir string
	// Trace, when set, receives every step: requests, redirects,
	// responses, each tag and what became of it, notes and hints (the
	// trace package's Request, Redirect, Response, Failure, Tag, Verify,
	// Command and Note kinds), each with Source set to the import path
	// asked for. It is called on the goroutine that called RepoRoot, so
	// it may be called from several goroutines at once.
	Trace func(trace.Event)
	// Explain also reads each page as a browser would, so that Trace can
	// explain tags the Go command does not see (after </head>, in a
	// comment, malformed). It costs up to 64 KiB more read per page.
	Explain bool
}

// Resolver resolves import paths. It is safe for concurrent use and
// remembers each page it asked for, so a batch never asks a server the
// same thing twice.
type Resolver struct {
	opts  Options
	env   policy.Env
	web   *web.Client
	cache *discovery.Cache
}

// New returns a Resolver for opts. It fails on a malformed GOVCS.
func New(opts Options) (*Resolver, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = goenv.Load(os.Getenv).Getenv
	}
	env := policy.FromEnviron(getenv)
	if _, err := env.GOVCSRules(); err != nil {
		return nil, err
	}
	wo := web.Options{Netrc: opts.Netrc}
	if opts.Transport != nil {
		// Wrapped so that the web client uses it as is instead of
		// cloning it with its own roots.
		wo.Transport = asIs{opts.Transport}
	}
	w, err := web.New(wo)
	if err != nil {
		return nil, err
	}
	return &Resolver{opts: opts, env: env, web: w, cache: discovery.NewCache(opts.CacheDir)}, nil
}

// asIs hides the concrete type of a caller's RoundTripper.
type asIs struct{ http.RoundTripper }

// RepoRoot returns where the code of importPath lives, giving up when ctx
// is done. Its errors are the Go command's texts; a *LoginError, *NoTagError or *PlainHTTPError in
// the chain says more about a failed discovery.
func (r *Resolver) RepoRoot(ctx context.Context, importPath string) (*Root, error) {
	var tr trace.Func
	if r.opts.Trace != nil {
		tr = func(e trace.Event) {
			if e.Source == "" {
				e.Source = importPath
			}
			r.opts.Trace(e)
		}
	}
	d := &discovery.Resolver{
		Web:     r.web.WithTrace(tr),
		Cache:   r.cache,
		Env:     r.env,
		Trace:   tr,
		Explain: r.opts.Explain,
		Netrc:   r.opts.Netrc,
		Runner: func(insecure bool) *vcs.Runner {
			return &vcs.Runner{Insecure: insecure, Dir: os.TempDir(), Trace: tr}
		},
	}
	insecure := r.opts.Insecure || r.env.IsInsecure(importPath)
	rr, err := d.RepoRoot(ctx, importPath, nil, insecure)
	if err != nil {
		return nil, err
	}
	return &Root{Root: rr.Root, VCS: rr.VCS, Repo: rr.Repo, SubDir: rr.SubDir, IsCustom: rr.IsCustom}, nil
}

// The typed errors of a failed discovery.
type (
	// LoginError is a discovery page that answered 401 Unauthorized or
	// 403 Forbidden. Its fields: Host (host[:port] as a netrc machine
	// line names it), StatusCode, Netrc (Options.Netrc), SentLogin (a
	// login for Host was sent and refused), Err.
	LoginError = discovery.LoginError
	// NoTagError is a discovery page that answered 200 OK without a
	// go-import tag for the path. Its fields: ImportPath, URL (the page
	// that answered), Err.
	NoTagError = discovery.NoTagError
	// PlainHTTPError is discovery that got no usable answer over https
	// where plain http might cure it (see Options.Insecure). Its fields:
	// Path (a GOINSECURE pattern naming it would allow plain http),
	// Redirect (the server redirected to http; else nothing answered),
	// Err.
	PlainHTTPError = discovery.PlainHTTPError
)
