package fetch

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofetch/fetch/internal/goenv"
	"github.com/gofetch/fetch/trace"
)

// Options configure a Client. The zero value works: it reads nothing from
// the process environment except through Getenv, which defaults to
// os.Getenv.
type Options struct {
	// Root is the tree's root; sources land in Root/src/<path>. Empty means
	// DefaultRoot(Getenv).
	Root string
	// Pwd is the directory relative local paths are resolved against.
	// Empty means the process's working directory.
	Pwd string
	// Insecure allows plain http for discovery and insecure VCS schemes for
	// every path (GOINSECURE does the same for matching paths).
	Insecure bool
	// CACertFile names a PEM bundle trusted in addition to the system
	// roots. Empty means Getenv("SSL_CERT_FILE") is honoured by Go itself.
	CACertFile string
	// ConnectTo holds curl-style HOST:PORT:TOHOST:TOPORT mappings.
	ConnectTo []string
	// Netrc names the netrc file; empty means $NETRC, else ~/.netrc. Its
	// logins are sent with discovery requests over https.
	Netrc string
	// GitCredentialHelper is a git credential.helper value that git is
	// given, after the user's own helpers, when it clones or updates a
	// repository. The fetch command sets it to itself ("fetch
	// credential-netrc"), which answers from the netrc file, so that the
	// same logins open repositories over https. Empty means git uses only
	// the user's helpers (and curl's reading of ~/.netrc).
	GitCredentialHelper string
	// CacheDir, when set, keeps ?go-get=1 discovery answers on disk
	// between runs while the server's Cache-Control max-age or Expires
	// says they are fresh (at most a day; never no-store or no-cache
	// answers, redirects that are not permanent, or statuses other than
	// 200, 404 and 410). Empty means no on-disk cache, as in the Go
	// command. (The fetch command uses $FETCH_CACHE, else fetch/meta in
	// os.UserCacheDir.)
	CacheDir string
	// Refresh ignores the answers stored in CacheDir, asking the servers
	// again, and stores the new answers.
	Refresh bool
	// Proxy fetches import paths through module proxies, as the Go
	// command fetches modules (fetch get --proxy, or FETCH_PROXY=1): the
	// import path, or the longest parent path that is a module, is looked
	// up through the GOPROXY list (',' walks on after 404 and 410, '|'
	// after any error; "direct" fetches the repository the usual way,
	// and so does a path matching GONOPROXY, else GOPRIVATE; "off"
	// refuses), and the module's zip is downloaded, its h1: hash checked
	// against the checksum database GOSUMDB (unless GOSUMDB=off, or the
	// module path matches GONOSUMDB, else GOPRIVATE) before anything is
	// unpacked, and unpacked at ROOT/src/<module path>. The variables are
	// read through Getenv (process environment, then the Go environment
	// file). Import paths without a module on any proxy are not fetched
	// the VCS way unless the list says "direct". Other sources are not
	// affected.
	Proxy bool
	// RepoCacheDir, when set, is the per-user repository cache (the
	// command uses $FETCH_CACHE/vcs, else fetch/vcs in the user's cache
	// directory): a git repository cloned without a depth, or
	// an hg repository, is fetched into its cache entry first and copied
	// out of it, so that a second fetch of it into any root costs only a
	// ref check and the new objects, and -u of many checkouts of one
	// repository fetches the new objects once. Checkouts never depend on
	// the cache. Empty means no cache.
	RepoCacheDir string
	// RepoCacheMax bounds the repository cache's size in bytes: after
	// each use, least recently used entries are evicted. 0 or less means
	// no limit.
	RepoCacheMax int64
	// Transport, when set, is the base HTTP transport (tests inject one).
	Transport http.RoundTripper
	// Trace, when set, receives what happens as it happens, for logs and
	// -v: every trace.Event kind (requests, redirects, responses,
	// failures, go-import tags and what became of them, verifications,
	// commands, notes), a trace.Step event as each source starts a step,
	// and a trace.Result event when a source is resolved and when it is
	// done, all with Source set. It is called on the goroutine doing the
	// work, so from several at once (up to Jobs sources are worked on
	// together): it must be safe for concurrent use, and the work waits
	// for it to return. Setting it also makes discovery explain each
	// page's tags (trace.Tag), which reads up to 64 KiB more of a page.
	Trace func(trace.Event)
	// Getenv reads the process environment (GOVCS, GOPRIVATE, GOINSECURE,
	// GOAUTH, NETRC, HOME, ...). Nil means os.Getenv. Behind it, as for
	// the Go command, the Go environment file (GOENV, else go/env in the
	// user's configuration directory, as written by go env -w) supplies
	// the Go variables it leaves empty; GOENV=off turns the file off.
	Getenv func(string) string
	// SourceTimeout bounds the time one source is worked on, resolving
	// and fetching together; it ends with an error wrapping
	// ErrSourceTimeout. Zero means no total bound (each request and
	// download still has its own timeouts).
	SourceTimeout time.Duration
	// RetryWait waits between the attempts of a download or module proxy
	// request (d, or until ctx ends); nil means a timer. Tests record the
	// waits instead of sleeping.
	RetryWait func(ctx context.Context, d time.Duration) error
	// Limits bound downloads and archive extraction; the zero value
	// takes safe defaults (see Limits).
	Limits Limits
	// Jobs bounds how many sources are worked on at once; 0 means 8.
	Jobs int
	// Progress, when set, is told what each source is doing with how far
	// it has come, for live displays: a Progress without figures (Percent
	// -1) as the source starts each step, then the figures as often as
	// they change (git's receiving, indexing and checkout percentages,
	// bytes downloaded, entries unpacked). Like Trace it is called on the
	// goroutines doing the work, several at once, and must return
	// quickly. Setting it makes git report its progress (git clone and
	// git fetch run with --progress). The outcome of each source is not a
	// Progress: it is the Result, streamed by SourceOptions.OnResult.
	Progress func(Progress)
}

func (o *Options) getenv(k string) string {
	if o.Getenv != nil {
		return o.Getenv(k)
	}
	return os.Getenv(k)
}

// DefaultRoot returns the tree's root from the environment getenv reads
// (nil means os.Getenv): $FETCH_ROOT, else the first entry of GOPATH (from
// the environment, else from the Go environment file), else $HOME/go.
func DefaultRoot(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	return defaultRoot(goenv.Lookup(getenv))
}

// defaultRoot is DefaultRoot for a getenv that already reads the Go
// environment file.
func defaultRoot(getenv func(string) string) string {
	if r := getenv("FETCH_ROOT"); r != "" {
		return r
	}
	if gp := getenv("GOPATH"); gp != "" {
		if first, _, _ := strings.Cut(gp, string(filepath.ListSeparator)); first != "" {
			return first
		}
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, "go")
	}
	return ""
}
