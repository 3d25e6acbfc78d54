package cloud

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/internal/termtext"
)

// Kinds of failure. Every error the package returns is an *Error whose
// Kind is one of these; match them with errors.Is.
var (
	// ErrBadSource: the source does not fit the grammar.
	ErrBadSource = errors.New("bad source")
	// ErrBadDestination: DST exists, or its directory does not.
	ErrBadDestination = errors.New("bad destination")
	// ErrNotFound: no such bucket, object or prefix.
	ErrNotFound = errors.New("not found")
	// ErrDenied: the server refused the credentials, or access.
	ErrDenied = errors.New("access denied")
	// ErrNoCredentials: no credentials could be found.
	ErrNoCredentials = errors.New("no credentials")
	// ErrUnsafeKey: in directory mode, an object key that would land
	// outside the destination (the go-getter v1.8.10 advisory fix).
	ErrUnsafeKey = errors.New("unsafe object key")
	// ErrClash: two object keys map to the same path, or one to a path
	// below another's file.
	ErrClash = errors.New("object keys clash")
	// ErrTooLarge: the download exceeded the byte limit.
	ErrTooLarge = errors.New("too large")
	// ErrCanceled: the context was canceled (an interrupt).
	ErrCanceled = errors.New("canceled")
	// ErrFailed: anything else (network, server, file system).
	ErrFailed = errors.New("failed")
)

// Error is a failure of one download. Its message is one line: the cause
// first, then what to do. It never holds a credential.
type Error struct {
	// Kind is one of the Err* values above.
	Kind error
	// Line is the message.
	Line string
	// Err is the underlying error, if any; its text may hold details the
	// line leaves out, but no credential the source carried (see
	// Redact).
	Err error
}

// Error returns the one-line message.
func (e *Error) Error() string { return e.Line }

// Is reports whether target is e's Kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// errorf builds an *Error whose line is the formatted text, made one line.
func errorf(kind, err error, format string, args ...any) *Error {
	return &Error{Kind: kind, Line: oneLine(fmt.Sprintf(format, args...)), Err: err}
}

// oneLine joins the lines of s with "; ".
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, "\r\n") {
		return termtext.Printable(s)
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	return termtext.Printable(strings.Join(fields, "; "))
}

// redactText hides every credential value in s: the given ones (those the
// source carried, which may show up anywhere) and whatever
// internal/redact recognises (user:password@, secret query options).
func redactText(s string, secrets []string) string {
	for _, v := range secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, "REDACTED")
		}
	}
	return redact.String(s)
}

// Redact returns err as an *Error (ErrFailed when it is not one) whose
// line holds none of the source's credentials. The CLI prints only this.
func Redact(err error, src *Source) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Kind: ErrFailed, Line: err.Error(), Err: err}
	}
	return &Error{Kind: e.Kind, Line: oneLine(redactText(e.Line, src.secrets())), Err: e.Err}
}
