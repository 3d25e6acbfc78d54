package fetch

import "github.com/gofetch/fetch/internal/discovery"

// The discovery errors are internal/discovery's; these names keep them
// where library users have always found them.
type (
	// LoginError is a discovery page that answered 401 Unauthorized or
	// 403 Forbidden (see discovery.LoginError).
	LoginError = discovery.LoginError
	// NoTagError is a discovery page that answered 200 OK without a
	// go-import tag for the path (see discovery.NoTagError).
	NoTagError = discovery.NoTagError
	// PlainHTTPError is discovery that got no usable answer over https in
	// a way plain http might cure (see discovery.PlainHTTPError).
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
