package fetch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/goenv"
	"github.com/gofetch/fetch/internal/modproxy"
	"github.com/gofetch/fetch/internal/netrc"
	"github.com/gofetch/fetch/internal/tree"
	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/trace"
)

// The errors of module proxy mode (Options.Proxy), for errors.As.
type (
	// SumMismatchError is a module zip whose h1: hash the checksum
	// database (GOSUMDB) does not record: the zip was refused before
	// anything was unpacked. Its fields: Path, Version, Got (the zip's
	// hash), Want (the database's), DB (its name).
	SumMismatchError = modproxy.MismatchError
	// ProxyOffError is a lookup that reached "off" in GOPROXY. Its field:
	// Path. It also matches fs.ErrNotExist, as the go command's does.
	ProxyOffError = modproxy.OffError
)

// ErrSumDB is matched (errors.Is) by a module whose hash the checksum
// database could not vouch for: the database was unreachable, did not
// know the module (set GONOSUMDB or GOPRIVATE for private modules), or
// misbehaved. Nothing was placed.
var ErrSumDB = modproxy.ErrSumDB

// proxyMode is Options.Proxy's setup, read once per Client: the GOPROXY
// list and the checksum database.
type proxyMode struct {
	list []modproxy.Entry
	// sumdb checks hashes; nil when GOSUMDB=off.
	sumdb *modproxy.SumDB
}

// newProxyMode reads GOPROXY and GOSUMDB (environment, then the Go
// environment file). A malformed value fails New, as it fails every go
// command.
func (c *Client) newProxyMode(ge *goenv.Env) (*proxyMode, error) {
	list, err := modproxy.ParseList(c.opts.getenv("GOPROXY"))
	if err != nil {
		return nil, fmt.Errorf("GOPROXY%s: %w", goenvFrom(ge, "GOPROXY"), err)
	}
	cfg, err := modproxy.ParseGOSUMDB(c.opts.getenv("GOSUMDB"))
	if err != nil {
		return nil, fmt.Errorf("GOSUMDB%s: %w", goenvFrom(ge, "GOSUMDB"), err)
	}
	m := &proxyMode{list: list}
	if cfg != nil {
		// The database's state is the Client's, shared by every source
		// of a batch, so all answers are checked against one tree. Its
		// requests have the web client's timeouts; the sumdb client
		// takes no context.
		m.sumdb = modproxy.NewSumDB(context.Background(), cfg, c.proxyHTTP(false, trace.Func(c.opts.Trace).Emit, nil), list, c.opts.Trace)
	}
	return m, nil
}

// goenvFrom says " (from FILE)" when the variable came from the Go
// environment file, so an error names the file to fix.
func goenvFrom(ge *goenv.Env, key string) string {
	if src := ge.Source(key); src != "" && src != "environment" {
		return " (from " + src + ")"
	}
	return ""
}

// proxyHTTP is the HTTP client for module proxy and checksum database
// requests: the web client's transport (CA files, connect-to rules,
// timeouts), GOAUTH logins per hop, retries.
func (c *Client) proxyHTTP(insecure bool, emit func(trace.Event), note func(string, ...any)) *http.Client {
	sec := web.SecureOnly
	if insecure {
		sec = web.Insecure
	}
	if note == nil {
		note = func(format string, args ...any) {
			emit(trace.Event{Kind: trace.Note, Message: fmt.Sprintf(format, args...)})
		}
	}
	return &http.Client{
		Transport: c.web.Authorized(retrying{next: c.web.Transport(sec), note: note, wait: c.opts.RetryWait}),
		// As the go command's web.Get: never from https down to http.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			if prev := via[len(via)-1]; sec == web.SecureOnly && prev.URL.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirected from secure URL %s to insecure URL %s", prev.URL.Redacted(), req.URL.Redacted())
			}
			return nil
		},
	}
}

// lookup is the modproxy.Lookup for one job.
func (m *proxyMode) lookup(c *Client, j *job, insecure bool) *modproxy.Lookup {
	l := &modproxy.Lookup{
		Client:  c.proxyHTTP(insecure, j.trace.Emit, j.note),
		Trace:   j.trace,
		Proxies: m.list,
		NoProxy: c.env.IsNoProxy,
	}
	if m.sumdb != nil {
		db := m.sumdb
		l.Verify = func(ctx context.Context, path, version, hash string) error {
			if c.env.IsNoSumDB(path) {
				j.note("%s@%s: not checked against the checksum database (GONOSUMDB or GOPRIVATE matches)", path, version)
				return nil
			}
			j.trace.Emit(trace.Event{Kind: trace.Note, Message: fmt.Sprintf("checking %s@%s %s against the checksum database %s", path, version, hash, db.Name())})
			return db.Check(ctx, path, version, hash)
		}
	}
	return l
}

// find looks the import path up through the GOPROXY list.
func (m *proxyMode) find(ctx context.Context, j *job, s *detect.Source) (*modproxy.Found, error) {
	if s.Subdir != "" {
		return nil, fmt.Errorf("//%s: a module from a module proxy has no //subdir; name the package's import path instead", s.Subdir)
	}
	found, err := m.lookup(j.c, j, false).Find(ctx, s.LookupPath, s.Ref)
	if errors.Is(err, modproxy.ErrDirect) {
		j.note("%s: GOPROXY or GONOPROXY says direct: fetching its repository", s.LookupPath)
	}
	return found, j.c.proxyLoginError(ctx, err)
}

// proxyLoginError wraps a proxy's 401 or 403 answer in a *LoginError, as
// discovery does for a page, so that the error says which login to add.
func (c *Client) proxyLoginError(ctx context.Context, err error) error {
	var se *modproxy.StatusError
	if !errors.As(err, &se) || (se.StatusCode != http.StatusUnauthorized && se.StatusCode != http.StatusForbidden) {
		return err
	}
	u, perr := url.Parse(se.URL)
	if perr != nil || u.Host == "" {
		return err
	}
	u.User = nil
	return &LoginError{Host: u.Host, StatusCode: se.StatusCode, Netrc: netrc.File(c.opts.Netrc, c.opts.getenv),
		SentLogin: c.web.CredentialSource(ctx, u) != "", Err: err}
}

// placeModule records the module a proxy serves the source from and
// places it at ROOT/src/<module path>.
func (c *Client) placeModule(res *resolved, so SourceOptions, found *modproxy.Found) error {
	res.module = found
	res.rr = &detect.RepoRoot{VCS: "mod", Root: found.Path, Repo: found.Proxy}
	r := &res.result
	r.Root, r.VCS, r.Repo = found.Path, "mod", detect.Redact(found.Proxy)
	r.Version = found.Version
	rest := strings.TrimPrefix(strings.TrimPrefix(res.src.LookupPath, found.Path), "/")
	return c.place(res, so, found.Path, rest)
}

// proxyFetcher downloads the module Find chose (Options.Proxy): its zip,
// checked against the checksum database before anything is unpacked, is
// unpacked into the staging directory; the package asked for must be in
// it. Like a go-import mod entry, an existing destination is not updated
// in place.
func (c *Client) proxyFetcher(res *resolved, so SourceOptions) (fetcher, error) {
	found := res.module
	l := c.proxy.lookup(c, res.job, false)
	sumdbName := ""
	if c.proxy.sumdb != nil && !c.env.IsNoSumDB(found.Path) {
		sumdbName = c.proxy.sumdb.Name()
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(res.src.LookupPath, found.Path), "/")
	report := func(ctx context.Context, dest string, r *Result) error {
		r.Dir = filepath.Join(dest, filepath.FromSlash(rest))
		return nil
	}
	return fetcher{
		step: "downloading",
		create: func(ctx context.Context, tmp string, r *Result) error {
			// The zip is downloaded into the staging directory's own
			// temporary (removed after a failure, and by the next run
			// after a crash), never left in $TMPDIR.
			dl := *l
			dl.TempDir = filepath.Dir(tmp)
			m, err := dl.Download(ctx, found.Path, found.Version, tmp)
			if err != nil {
				return c.proxyLoginError(ctx, err)
			}
			if err := hasPackage(tmp, rest); err != nil {
				return fmt.Errorf("module %s@%s found, but it does not contain package %s (%w)", found.Path, found.Version, res.src.LookupPath, err)
			}
			r.Version, r.Checksum, r.SumDB = m.Version, m.Hash, sumdbName
			return writeRecord(filepath.Dir(tmp), r.Dest, record{
				URL: "mod " + detect.Redact(found.Proxy) + " " + found.Path, Version: m.Version, Hash: m.Hash,
			})
		},
		finish: report,
		inspect: func(ctx context.Context, dest string, r *Result) error {
			if err := checkModule(dest, found.Path, res.src.Ref, r); err != nil {
				return err
			}
			return report(ctx, dest, r)
		},
		existing: func(ctx context.Context, dest string, st tree.State, so SourceOptions, r *Result) (Status, error) {
			if err := checkModule(dest, found.Path, res.src.Ref, r); err != nil {
				return "", err
			}
			if so.Update {
				r.Note = "modules are not updated in place"
				res.job.note("%s exists; modules are not updated in place: remove it to fetch again", dest)
			}
			return StatusExists, report(ctx, dest, r)
		},
	}, nil
}

// hasPackage reports whether the unpacked module dir holds the package
// directory rel ("" is the module root, which always counts).
func hasPackage(dir, rel string) error {
	if rel == "" {
		return nil
	}
	st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the zip has no directory %s", rel)
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s is a file in the zip", rel)
	}
	return nil
}
