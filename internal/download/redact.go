package download

import (
	"regexp"
	"strings"
)

// Credentials reach this package inside URLs (user:pass@, tokens as user
// names, signed or keyed query parameters) and inside the errors that
// net/http and go-getter build from those URLs, so redaction works on text
// rather than on parsed URLs.
var (
	userinfoRE = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*)://([^/?#@\s]*)@`)
	secretRE   = regexp.MustCompile(`(?i)([?&](?:sshkey|aws_access_key_id|aws_access_key_secret|aws_access_token|token|access_token|password|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|sig)=)[^&#\s"']*`)
)

// redact replaces passwords, tokens and secret query values in s with
// REDACTED. A lone http(s) user name is a token by convention
// (https://TOKEN@host), so it goes too; an ssh user such as git@ stays.
func redact(s string) string {
	s = userinfoRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := userinfoRE.FindStringSubmatch(m)
		scheme, info := sub[1], sub[2]
		user, _, hasPass := strings.Cut(info, ":")
		switch {
		case hasPass:
			info = user + ":REDACTED"
		case strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https"):
			info = "REDACTED"
		}
		return scheme + "://" + info + "@"
	})
	return secretRE.ReplaceAllString(s, "${1}REDACTED")
}

// redactErr returns err with its text redacted. The wrapped chain stays
// reachable through errors.Is and errors.As.
func redactErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if r := redact(msg); r != msg {
		return &redactedError{msg: r, err: err}
	}
	return err
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
