// Package redact hides credentials in text meant for display: sources,
// URLs, command lines, trace events and error messages. It is the one
// implementation of the rule; every package that shows such text calls it.
//
// The rule, which every function here applies:
//
//   - The password of every user:password@ becomes REDACTED, whatever the
//     scheme, in URLs anywhere in the text (after forced getters such as
//     git::, inside nested URLs such as ?checksum=file:https://...), in
//     scp-style user:password@host:path, and in net/http's masked form
//     user:***@. The user name before it is kept.
//   - A user name with no password is kept when the scheme is ssh-like
//     (ssh, git+ssh, svn+ssh, bzr+ssh, sftp) and in scp-style
//     user@host:path: there it names an account, such as git@, which
//     people need to see to debug a login. Under every other scheme
//     (https, http, ftp, s3, ...) it is most likely a token, as in
//     https://TOKEN@github.com/..., and becomes REDACTED as a whole.
//   - The value of every query option whose name says it is a secret
//     becomes REDACTED: go-getter's sshkey and AWS keys, the generic
//     token, password, passwd, secret, api keys and client secrets, and
//     the signatures and credentials of pre-signed S3, GCS and Azure URLs.
//     Names are compared without regard to case or percent-escapes. A
//     value runs to the next "&", or to the end of the quoted URL in a
//     message.
//
// Everything else is kept byte for byte: the text is never parsed and
// re-encoded, so a message stays readable, malformed URLs (which net/url
// refuses but a person can still read a password in) are handled, and
// redacting twice changes nothing.
package redact
