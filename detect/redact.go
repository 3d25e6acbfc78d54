package detect

import "github.com/gofetch/fetch/internal/redact"

// Redact returns a source, a URL, or a message quoting them, with the
// credentials replaced by REDACTED. It is a thin wrapper around the
// project's one redaction rule (package internal/redact): the password of
// every user:password@ (in URLs, after forced getters, and in scp-style
// user:password@host:path); the user of a URL that has no password unless
// its scheme is ssh-like (a token, as in https://TOKEN@host; ssh://git@host
// names an account and is kept); and the value of every secret query
// option (sshkey, the AWS keys, token, password, pre-signed URL
// signatures, ...), nested URLs included. Everything else is kept byte for
// byte, so a message stays readable and redacting twice changes nothing.
// Unlike go-getter's RedactURL it never re-encodes the query.
func Redact(s string) string { return redact.String(s) }

// Redacted returns the source as given, with its credentials redacted.
func (s *Source) Redacted() string { return Redact(s.Input) }

// String returns the redacted source, so that printing a Source with fmt
// never shows a secret.
func (s *Source) String() string { return s.Redacted() }
