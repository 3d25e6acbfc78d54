package modproxy

import "github.com/gofetch/fetch/internal/redact"

// GOPROXY URLs may carry credentials (https://user:token@proxy), which
// also turn up in net/http's error text: every message goes through the
// project's one redaction rule.
func redactText(s string) string { return redact.String(s) }

// redactErr returns err with its text redacted, still unwrapping to it.
func redactErr(err error) error { return redact.Error(err) }

// textError shows msg for err, which stays reachable through Unwrap.
type textError struct {
	msg string
	err error
}

func (e *textError) Error() string { return e.msg }
func (e *textError) Unwrap() error { return e.err }
