// Package web fetches ?go-get=1 pages the way the Go command's
// cmd/go/internal/web does: https first, plain http only in Insecure mode
// and only when https got no response at all, redirects that never
// downgrade a secure request, GOAUTH credentials (netrc by default; see
// package goauth) for https only, each redirect hop getting those of its
// own URL, and the Go command's error texts. Downloads and module proxy
// requests share its transports (Transport), its credentials (Authorized)
// and its retry policy (Retry); discovery pages are never retried.
//
// A Client never prints. Every HTTP request it sends is reported by exactly
// one trace.Request event (so callers count requests by counting those),
// followed by trace.Redirect events for redirect hops and one
// trace.Response or trace.Failure event per attempt. Every string in an
// event or an error is redacted by package internal/redact (URL passwords,
// lone http(s) user names, which are often tokens, and secret query
// options read REDACTED, also in a *url.Error reached with errors.As), and
// credentials never appear.
package web
