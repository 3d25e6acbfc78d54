package fetch

import (
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/goenv"
	"github.com/gofetch/fetch/internal/netrc"
	"github.com/gofetch/fetch/internal/policy"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/internal/vcscache"
	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/trace"
)

// SourceOptions apply to every source of one Resolve or Get call.
type SourceOptions struct {
	// Ref overrides the ref of every source (--ref).
	Ref string
	// Depth asks for shallow clones with this many commits (--depth).
	Depth int
	// Dest is the exact destination of a single source (-o): the
	// directory it is placed in, or, for a download that is a single
	// file and not an archive, the file itself, unless Dest ends in a
	// path separator or the source names the file with ?filename=
	// (go-getter's file mode; see fileMode). Nothing existing at Dest is
	// ever replaced.
	Dest string
	// Update updates existing checkouts, fast-forward only (-u).
	Update bool
	// DryRun makes Get report what it would do without doing it.
	DryRun bool
	// OnResult, when set, receives each Result in input order as soon as
	// it and all before it are done, so a caller can report a long batch
	// as it goes; the call returns the same Results in the same order.
	// Calls are one at a time, from the goroutines doing the work.
	OnResult func(Result)
}

// Client resolves and fetches sources. It is safe for concurrent use, and
// it remembers discovery answers for its lifetime, so a batch never asks a
// server the same thing twice.
type Client struct {
	opts  Options
	root  string
	pwd   string
	env   policy.Env
	web   *web.Client
	pages *discovery.Cache
	// proxy is the module proxy mode's setup (Options.Proxy); nil when
	// the mode is off.
	proxy *proxyMode
	// repoCache is the repository cache, nil when Options.RepoCacheDir
	// is empty.
	repoCache *vcscache.Cache
}

// New returns a Client for opts. It fails on malformed options such as a
// bad --connect-to rule, an unreadable CA file or a malformed GOVCS.
func New(opts Options) (*Client, error) {
	// Every variable is read once through the Go environment file's
	// precedence; the web client and the policy read the same values.
	// (Getenv is taken first: opts.getenv would read the new field.)
	processEnv := opts.Getenv
	if processEnv == nil {
		processEnv = os.Getenv
	}
	ge := goenv.Load(processEnv)
	opts.Getenv = ge.Getenv
	c := &Client{opts: opts, pages: discovery.NewCache(opts.CacheDir)}
	if opts.RepoCacheDir != "" {
		c.repoCache = &vcscache.Cache{Dir: opts.RepoCacheDir, Max: opts.RepoCacheMax}
	}
	c.root = opts.Root
	if c.root == "" {
		c.root = defaultRoot(opts.getenv)
	}
	if c.root == "" {
		return nil, fmt.Errorf("cannot choose a root: set Root, FETCH_ROOT, GOPATH or HOME")
	}
	c.pwd = opts.Pwd
	if c.pwd == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("finding the working directory: %w", err)
		}
		c.pwd = wd
	}
	c.env = policy.FromEnviron(opts.getenv)
	if _, err := c.env.GOVCSRules(); err != nil {
		return nil, err
	}
	sslCertFile := opts.getenv("SSL_CERT_FILE")
	if sslCertFile == opts.CACertFile {
		sslCertFile = "" // the CLI passes SSL_CERT_FILE as --cacert: parse it once
	}
	w, err := web.New(web.Options{
		CACertFile:  opts.CACertFile,
		SSLCertFile: sslCertFile,
		ConnectTo:   opts.ConnectTo,
		Netrc:       netrc.File(opts.Netrc, opts.getenv),
		GOAUTH:      opts.getenv("GOAUTH"),
		Version:     BuildVersion(),
		Transport:   opts.Transport,
	})
	if err != nil {
		return nil, err
	}
	c.web = w
	if opts.Proxy {
		if c.proxy, err = c.newProxyMode(ge); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Root returns the tree's root directory.
func (c *Client) Root() string { return c.root }

// Resolve says where each source comes from and where it would land,
// without downloading anything. Results are in input order; a failure is a
// Result with Status "error", and the other sources still run.
func (c *Client) Resolve(ctx context.Context, srcs []string, so SourceOptions) []Result {
	return c.each(ctx, srcs, so, func(src string) Result {
		_, r := c.resolveOne(ctx, src, so)
		return r
	})
}

// each runs op over srcs with at most Options.Jobs at once and returns the
// results in input order, handing each to so.OnResult as soon as it and
// every result before it are done.
func (c *Client) each(ctx context.Context, srcs []string, so SourceOptions, op func(src string) Result) []Result {
	results := make([]Result, len(srcs))
	done := make([]bool, len(srcs))
	var mu sync.Mutex
	next := 0
	c.parallel(len(srcs), func(i int) {
		r := op(srcs[i])
		mu.Lock()
		defer mu.Unlock()
		results[i], done[i] = r, true
		for ; next < len(srcs) && done[next]; next++ {
			if so.OnResult != nil {
				so.OnResult(results[next])
			}
		}
	})
	return results
}

// parallel runs f for 0..n-1 with at most Options.Jobs at once.
func (c *Client) parallel(n int, f func(i int)) {
	jobs := c.opts.Jobs
	if jobs <= 0 {
		jobs = 8
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			f(i)
		}()
	}
	wg.Wait()
}

// job is the per-source context of the work: the tracer that tags events
// with the source and counts HTTP requests.
type job struct {
	c        *Client
	source   string // redacted, for events
	trace    trace.Func
	requests atomic.Int32
	spent    atomic.Int64 // time.Duration worked so far, against SourceTimeout
	web      *web.Client
	step     stepState // for Options.Progress (step.go)
}

func (c *Client) newJob(src string) *job {
	j := &job{c: c, source: detect.Redact(src)}
	j.trace = func(e trace.Event) {
		if e.Kind == trace.Request {
			j.requests.Add(1)
		}
		if e.Source == "" {
			e.Source = j.source
		}
		trace.Func(c.opts.Trace).Emit(e)
	}
	j.web = c.web.WithTrace(j.trace)
	return j
}

func (j *job) note(format string, args ...any) {
	j.trace.Emit(trace.Event{Kind: trace.Note, Message: fmt.Sprintf(format, args...)})
}

// runner returns the VCS runner for this job.
func (j *job) runner(insecure bool) *vcs.Runner {
	r := &vcs.Runner{
		Insecure:         insecure,
		CredentialHelper: j.c.opts.GitCredentialHelper,
		Dir:              os.TempDir(),
		Source:           j.source,
		Trace:            j.trace,
		Cache:            j.c.repoCache,
	}
	if j.c.opts.Progress != nil {
		// git's progress lines are read into fetch's steps (step.go).
		r.Progress = j.gitProgress
	}
	if f := j.c.opts.CACertFile; f != "" {
		r.Env = append(r.Env, "GIT_SSL_CAINFO="+f)
	}
	return r
}
