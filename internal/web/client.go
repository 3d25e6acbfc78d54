package web

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gofetch/fetch/internal/goauth"
	"github.com/gofetch/fetch/internal/netrc"
	"github.com/gofetch/fetch/trace"
)

// SecurityMode says whether a Get may use insecure transports. The zero
// value is SecureOnly.
type SecurityMode int

const (
	// SecureOnly uses https with verified certificates and refuses
	// redirects from https to anything else.
	SecureOnly SecurityMode = iota
	// Insecure (a GOINSECURE match) skips certificate verification,
	// follows redirects to http, and falls back to plain http when https
	// got no response at all.
	Insecure
)

// Client fetches pages. It is safe for concurrent use.
type Client struct {
	secure, insecure http.RoundTripper
	auth             *goauth.Auth
	userAgent        string
	maxPageBytes     int64
	bodyTimeout      time.Duration
	trace            trace.Func
	trustKey         string
	rules            connectRules
}

// New builds a Client. It fails on a malformed ConnectTo rule, an
// unreadable or empty CA file, an unreadable netrc file (a missing one is
// fine), and on ConnectTo or CA files given with a Transport that is not
// an *http.Transport.
func New(opts Options) (*Client, error) {
	var rules connectRules
	for _, s := range opts.ConnectTo {
		r, err := ParseConnectTo(s)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	cas, err := readCAFiles(opts.CACertFile, opts.SSLCertFile)
	if err != nil {
		return nil, err
	}
	auth, err := goauth.New(opts.GOAUTH, opts.Netrc)
	if err != nil {
		return nil, err
	}
	if _, err := netrc.Read(opts.Netrc); err != nil {
		return nil, err // an unreadable netrc fails now, as before GOAUTH
	}
	c := &Client{
		auth:         auth,
		userAgent:    UserAgent(opts.Version),
		maxPageBytes: orDefault(opts.MaxPageBytes, DefaultMaxPageBytes),
		bodyTimeout:  orDefault(opts.BodyTimeout, DefaultBodyTimeout),
		trace:        opts.Trace,
		trustKey:     trustKey(rules, cas),
		rules:        rules,
	}
	cfg := transportConfig{opts: opts, rules: rules}
	if len(cas) > 0 {
		cfg.roots = sync.OnceValues(func() (*x509.CertPool, error) { return rootPool(cas) })
	}
	switch base := opts.Transport.(type) {
	case nil:
		c.secure = cfg.newTransport(defaultBase(), false)
		c.insecure = cfg.newTransport(defaultBase(), true)
	case *http.Transport:
		c.secure = cfg.newTransport(base, false)
		c.insecure = cfg.newTransport(base, true)
	default:
		if len(rules) > 0 || len(cas) > 0 {
			return nil, fmt.Errorf("connect-to rules and CA files need Options.Transport to be nil or an *http.Transport, not %T", base)
		}
		c.secure, c.insecure = base, base
	}
	return c, nil
}

// TrustKey identifies what the Client trusts beyond the system: its
// connect-to rules (in order) and the contents of its CA files. It is ""
// when there are none, and otherwise changes whenever a rule or a CA
// file's contents do. A page fetched by one Client may be reused by
// another only when their keys are equal (and so is the security mode).
func (c *Client) TrustKey() string { return c.trustKey }

// WithTrace returns a Client that shares c's connections and settings but
// reports to f, so a caller can tag each source's events.
func (c *Client) WithTrace(f trace.Func) *Client {
	d := *c
	d.trace = f
	return &d
}

// CloseIdleConnections closes connections kept for reuse.
func (c *Client) CloseIdleConnections() {
	for _, rt := range []http.RoundTripper{c.secure, c.insecure} {
		if t, ok := rt.(interface{ CloseIdleConnections() }); ok {
			t.CloseIdleConnections()
		}
	}
}

// Get fetches u as the Go command's web.Get does. A URL without a scheme
// is tried over https and then, in Insecure mode and only when https got
// no HTTP response, over http. An https URL is only tried over https; an
// http URL only in Insecure mode. Non-200 responses are returned, not
// errors. Errors read "https fetch: ..." in SecureOnly mode and
// "http/https fetch: ..." in Insecure mode, as the Go command words them.
func (c *Client) Get(ctx context.Context, u *url.URL, security SecurityMode) (*Response, error) {
	g := &getter{c: c, security: security, start: time.Now()}
	resp, err := g.get(ctx, u)
	if err != nil {
		prefix := "https fetch"
		if security == Insecure {
			prefix = "http/https fetch"
		}
		return nil, fmt.Errorf("%s: %w", prefix, err)
	}
	return resp, nil
}

type ctxKey struct{}

// withTrace lets the dialer, which sees only a context, report to the
// trace of the Get it dials for.
func withTrace(ctx context.Context, f trace.Func) context.Context {
	return context.WithValue(ctx, ctxKey{}, f)
}

func traceFrom(ctx context.Context) trace.Func {
	f, _ := ctx.Value(ctxKey{}).(trace.Func)
	return f
}

func noteEvent(msg string) trace.Event {
	return trace.Event{Kind: trace.Note, Message: msg}
}

// Transport returns the round tripper c sends requests through for the
// security mode: the CA files, connect-to rules, proxy and timeouts apply,
// so downloads and module proxy requests behave like discovery requests.
// It adds no User-Agent, credentials or trace.
func (c *Client) Transport(security SecurityMode) http.RoundTripper {
	if security == Insecure {
		return c.insecure
	}
	return c.secure
}
