package redact

import (
	"errors"
	"net/url"
)

// Marker replaces every secret.
const Marker = "REDACTED"

// String returns s, which may be a source, a URL, a command argument or a
// whole message quoting any of them, with its credentials replaced by
// Marker under the package rule.
func String(s string) string {
	return redactSCP(redactParams(redactAuthorities(s)))
}

// URL returns u as a string with its credentials replaced by Marker, or ""
// for nil. Unlike url.URL.Redacted it also hides a token user name and
// secret query options.
func URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return String(u.String())
}

// Error returns err with its text redacted, or err itself when there is
// nothing to hide. The result unwraps to err, so errors.Is and errors.As
// see the whole chain, except that errors.As for a *url.Error yields a
// redacted copy: net/http keeps a lone user name (a token) in its URL.
func Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	shown := String(msg)
	if shown == msg && !hasSecretURLError(err) {
		return err
	}
	return &redactedError{msg: shown, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// As hands out a redacted copy of a *url.Error in the chain, so that
// reading its URL field cannot undo the redaction.
func (e *redactedError) As(target any) bool {
	t, ok := target.(**url.Error)
	if !ok {
		return false
	}
	var ue *url.Error
	if !errors.As(e.err, &ue) {
		return false
	}
	c := *ue
	c.URL = String(ue.URL)
	c.Err = Error(ue.Err)
	*t = &c
	return true
}

// hasSecretURLError reports whether a *url.Error in err's chain holds a
// secret its caller's text may not show (a wrapper can hide its message).
func hasSecretURLError(err error) bool {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return false
	}
	if String(ue.URL) != ue.URL {
		return true
	}
	if ue.Err == nil {
		return false
	}
	msg := ue.Err.Error()
	return String(msg) != msg || hasSecretURLError(ue.Err)
}
