package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/trace"
)

// authorize returns req with the GOAUTH credentials of exactly its URL
// (https only), or req itself when there are none. It is called for the
// first request and again for every redirect hop, on a copy: the request
// net/http copies headers from when it follows a redirect never carries
// credentials, so net/http cannot forward a login to another host, a
// subdomain or another port; each hop gets the credentials of its own
// URL, or none.
func (c *Client) authorize(req *http.Request) *http.Request {
	if req.URL.Scheme != "https" || req.URL.User != nil {
		// Credentials typed in the URL are the user's own choice.
		return req
	}
	h, _ := c.auth.Header(req.Context(), req.URL)
	if len(h) == 0 {
		return req
	}
	req = req.Clone(req.Context())
	for k, vs := range h {
		req.Header.Del(k)
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return req
}

// reauthorize runs GOAUTH again for u after the 4xx answer res, as the Go
// command does before asking once more, and says for the trace what the
// second request will carry.
func (c *Client) reauthorize(ctx context.Context, u *url.URL, res *http.Response) string {
	for _, err := range c.auth.Refresh(ctx, u, res) {
		c.trace.Emit(trace.Event{Kind: trace.Note, URL: redact.URL(u), Message: redact.String(err.Error())})
	}
	if _, source := c.auth.Header(ctx, u); source != "" {
		return " (with " + source + " credentials)"
	}
	return ""
}

// authorizing is the round tripper that gives every request, redirect
// hops included, its own credentials (Client.authorize).
type authorizing struct {
	next http.RoundTripper
	c    *Client
}

func (t authorizing) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(t.c.authorize(req))
}

// Authorized returns a round tripper for module proxy requests: each
// request and redirect hop through next gets its own GOAUTH credentials,
// and a GET or HEAD answered 4xx over https is asked once more after
// GOAUTH ran again for its URL, as the Go command does for every https
// request it makes.
func (c *Client) Authorized(next http.RoundTripper) http.RoundTripper {
	return proxyAuthorizing{authorizing{next: next, c: c}}
}

type proxyAuthorizing struct{ authorizing }

func (t proxyAuthorizing) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.authorizing.RoundTrip(req)
	idempotent := (req.Method == http.MethodGet || req.Method == http.MethodHead) && req.Body == nil
	if err != nil || !idempotent || req.URL.Scheme != "https" || res.StatusCode < 400 || res.StatusCode >= 500 {
		return res, err
	}
	t.c.reauthorize(req.Context(), req.URL, res)
	res.Body.Close()
	return t.authorizing.RoundTrip(req)
}

// CredentialSource says where the credentials c sends with a request for
// u come from under GOAUTH ("netrc", "git" or "GOAUTH command"), or ""
// when it sends none; an error hint can say which login was refused.
func (c *Client) CredentialSource(ctx context.Context, u *url.URL) string {
	_, source := c.auth.Header(ctx, u)
	return source
}
