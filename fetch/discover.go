package fetch

import (
	"context"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/netrc"
)

// resolver is the one implementation of import-path resolution
// (internal/discovery, also behind package reporoot), wired to this job:
// the Client's web client traced for the job, the Client's page cache,
// the job's VCS runner.
func (j *job) resolver() *discovery.Resolver {
	return &discovery.Resolver{
		Web:     j.web,
		Cache:   j.c.pages,
		Refresh: j.c.opts.Refresh,
		Env:     j.c.env,
		Trace:   j.trace,
		Explain: j.c.opts.Trace != nil,
		Netrc:   netrc.File(j.c.opts.Netrc, j.c.opts.getenv),
		Runner:  j.runner,
	}
}

// resolveImport is the Go command's RepoRootForImportPath for s.
func (j *job) resolveImport(ctx context.Context, s *detect.Source, insecure bool) (*detect.RepoRoot, error) {
	return j.resolver().RepoRoot(ctx, s.ImportPath, s.Static, insecure)
}
