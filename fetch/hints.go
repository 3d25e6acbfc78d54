package fetch

import "github.com/gofetch/fetch/internal/discovery"

// The discovery errors are internal/discovery's; these names keep them
// where library users have always found them.
type (
	// LoginError is a discovery page that answered 401 Unauthorized or
	// 403 Forbidden. Its fields: Host (host[:port] as a netrc machine
	// line names it), StatusCode, Netrc (the netrc file), SentLogin (a
	// login for Host was sent and refused), Err.
	LoginError = discovery.LoginError
	// NoTagError is a discovery page that answered 200 OK without a
	// go-import tag for the path. Its fields: ImportPath, URL (the page
	// that answered), Err.
	NoTagError = discovery.NoTagError
	// PlainHTTPError is discovery that got no usable answer over https in
	// a way plain http might cure. Its fields: Path (a GOINSECURE pattern
	// naming it would allow plain http), Redirect (the server redirected
	// to http; else nothing answered), Err.
	PlainHTTPError = discovery.PlainHTTPError
)

// repeatedError is a source not tried again because an earlier one asking
// for the same repository and ref failed: its own text, and the earlier
// error's types, so that the same advice applies.
type repeatedError struct {
	msg string
	err error
}

// Error returns the source's own text.
func (e *repeatedError) Error() string { return e.msg }

// Unwrap returns the earlier source's error.
func (e *repeatedError) Unwrap() error { return e.err }

// CertificateHint says, in one clause, what to do about a TLS certificate
// that did not verify (not for this name, expired, not trusted: pass the
// CA with --cacert), or returns "" when err holds no such failure. It
// never suggests plain http.
func CertificateHint(err error) string { return discovery.CertHint(err) }
