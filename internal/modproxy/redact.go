package modproxy

import (
	"regexp"
	"strings"
)

// GOPROXY URLs may carry credentials (https://user:token@proxy), which
// also turn up in net/http's error text, so redaction works on text.
var userinfoRE = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*)://([^/?#@\s]*)@`)

// redact replaces the password, or a lone user name (a token by
// convention), of every URL in s with REDACTED.
func redact(s string) string {
	return userinfoRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfoRE.FindStringSubmatch(m)
		if user, _, hasPass := strings.Cut(sub[2], ":"); hasPass {
			return sub[1] + "://" + user + ":REDACTED@"
		}
		return sub[1] + "://REDACTED@"
	})
}

// redactErr returns err with its text redacted, still unwrapping to it.
func redactErr(err error) error {
	msg := err.Error()
	if r := redact(msg); r != msg {
		return &textError{msg: r, err: err}
	}
	return err
}

// textError shows msg for err, which stays reachable through Unwrap.
type textError struct {
	msg string
	err error
}

func (e *textError) Error() string { return e.msg }
func (e *textError) Unwrap() error { return e.err }
