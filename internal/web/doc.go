// Package web fetches ?go-get=1 pages the way the Go command's
// cmd/go/internal/web does: https first, plain http only in Insecure mode
// and only when https got no response at all, redirects that never
// downgrade a secure request, netrc credentials for https only, and the Go
// command's error texts.
//
// A Client never prints. Every HTTP request it sends is reported by exactly
// one trace.Request event (so callers count requests by counting those),
// followed by trace.Redirect events for redirect hops and one
// trace.Response or trace.Failure event per attempt. Every string in an
// event or an error is redacted by package internal/redact (URL passwords,
// lone http(s) user names, which are often tokens, and secret query
// options read REDACTED, also in a *url.Error reached with errors.As), and
// netrc contents never appear.
package web
