package redact

import (
	"net/url"
	"slices"
	"strings"
)

// secretParams are the query options whose values are credentials, in
// lower case: go-getter's (sshkey and the AWS keys), generic names for
// tokens, passwords and keys, and the signatures and credentials of
// pre-signed S3, GCS and Azure URLs, which grant access to whoever holds
// them.
var secretParams = []string{
	"sshkey", "aws_access_key_id", "aws_access_key_secret", "aws_access_token",
	"token", "access_token", "private_token", "password", "passwd", "secret",
	"client_secret", "api_key", "apikey", "signature", "sig",
	"x-amz-signature", "x-amz-credential", "x-amz-security-token",
	"x-goog-signature", "x-goog-credential",
}

// accountSchemes are the schemes whose lone user name is an account name
// (ssh://git@host) and is kept. Elsewhere a user with no password is most
// likely a token (https://TOKEN@github.com/...) and is redacted.
var accountSchemes = []string{"ssh", "git+ssh", "svn+ssh", "bzr+ssh", "sftp"}

// textStop are the characters that end a URL or source quoted in a
// message: an authority, the word before an "@" and a secret option's value
// end at them. Valid URLs and real credentials hold none of them unescaped.
const textStop = " \t\r\n\"'`<>"

// redactAuthorities handles the user information of every authority in s.
// The authority ends where net/url ends it, at the first "/", "?" or "#",
// or where the quoted URL ends.
func redactAuthorities(s string) string {
	var b strings.Builder
	for {
		i, scheme := nextAuthority(s)
		if i < 0 {
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexAny(s, "/?#"+textStop)
		if end < 0 {
			end = len(s)
		}
		at := strings.LastIndexByte(s[:end], '@')
		if at < 0 {
			at = strayAt(s, end)
		}
		if at < 0 {
			continue
		}
		user, _, hasPassword := strings.Cut(s[:at], ":")
		switch {
		case hasPassword:
			b.WriteString(user + ":" + Marker)
		case at > 0 && !slices.Contains(accountSchemes, scheme):
			b.WriteString(Marker)
		default:
			b.WriteString(s[:at])
		}
		s = s[at:]
	}
	b.WriteString(s)
	return b.String()
}

// nextAuthority finds where the next authority in s begins: after a
// "scheme://", or after a "//" that starts a word, as in the
// scheme-relative URL of a Location header. It returns that index and the
// scheme in lower case ("" for a relative URL), or -1. A "//" inside a
// word is a path or a go-getter subdirectory.
func nextAuthority(s string) (int, string) {
	from := 0
	for {
		i := strings.Index(s[from:], "//")
		if i < 0 {
			return -1, ""
		}
		i += from
		switch {
		case i > 0 && s[i-1] == ':':
			return i + 2, strings.ToLower(s[schemeStart(s[:i-1]) : i-1])
		case i == 0 || strings.IndexByte(textStop, s[i-1]) >= 0:
			return i + 2, ""
		}
		from = i + 1
	}
}

// strayAt finds the "@" of a malformed authority whose password holds a
// character that ends authorities (https://u:pa/ss@host), which net/url
// cannot read but a person can: the last "@" before the next URL, when the
// authority has a ":" that does not start a port.
func strayAt(s string, end int) int {
	colon := strings.IndexByte(s[:end], ':')
	if colon < 0 || isPort(s[colon+1:end]) {
		return -1
	}
	limit := len(s)
	if next := strings.Index(s, "://"); next >= 0 {
		limit = next
	}
	return strings.LastIndexByte(s[:limit], '@')
}

func isPort(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// schemeStart returns where the scheme ending s begins.
func schemeStart(s string) int {
	i := len(s)
	for i > 0 && isSchemeChar(s[i-1]) {
		i--
	}
	return i
}

func isSchemeChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'
}

// redactSCP handles user:password@host:path in every word of s (words end
// at textStop). After any forced getters, the part of a word before its
// first "/" is looked at: if it has an "@" and a ":" before that, the
// password runs from that ":" to its last "@". URLs were handled already:
// their part before the first "/" is "scheme:".
func redactSCP(s string) string {
	var b strings.Builder
	for s != "" {
		n := indexOrLen(s, textStop)
		b.WriteString(redactSCPWord(s[:n]))
		if n < len(s) {
			b.WriteByte(s[n])
			n++
		}
		s = s[n:]
	}
	return b.String()
}

func redactSCPWord(w string) string {
	start := 0
	for n := forcedPrefixLen(w[start:]); n > 0; n = forcedPrefixLen(w[start:]) {
		start += n
	}
	head := w[start:]
	head = head[:indexOrLen(head, "/")]
	at := strings.LastIndexByte(head, '@')
	if at < 0 {
		return w
	}
	colon := strings.IndexByte(head[:at], ':')
	if colon < 0 {
		return w
	}
	return w[:start+colon+1] + Marker + w[start+at:]
}

// forcedPrefixLen is the length of a leading "NAME::", or 0. It looks only
// at the name, where go-getter's forced-getter pattern reads to the end of
// s, so that stripping many prefixes stays linear.
func forcedPrefixLen(s string) int {
	i := 0
	for i < len(s) && isAlnum(s[i]) {
		i++
	}
	if i == 0 || !strings.HasPrefix(s[i:], "::") {
		return 0
	}
	return i + len("::")
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// redactParams replaces the value of every secret option in s, in one pass.
// Options start after the first "?"; an "&" or a further "?" (a nested
// URL's query) starts the next one. Every option is examined to the end of
// s, so text between options cannot hide a secret. A secret's value runs to
// the next "&", so a "?" or "#" inside it is hidden too, or to where its
// quoted source ends: keys and tokens hold no white space or quotes, and a
// message quoting the source keeps the rest of its text.
func redactParams(s string) string {
	q := strings.IndexByte(s, '?')
	if q < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:q+1])
	s = s[q+1:]
	for {
		key := s[:indexOrLen(s, "=&?")]
		end := indexOrLen(s, "&?")
		if isSecretParam(key) {
			b.WriteString(key + "=" + Marker)
			// The value ends after the key: a key may hold white space
			// (text before an option), and ending inside it would
			// leave its tail to be redacted again on the next pass.
			end = len(key) + indexOrLen(s[len(key):], "&"+textStop)
		} else {
			b.WriteString(s[:end])
		}
		s = s[end:]
		if s == "" {
			return b.String()
		}
		b.WriteByte(s[0])
		s = s[1:]
	}
}

// indexOrLen is the index of the first of chars in s, or len(s).
func indexOrLen(s, chars string) int {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return i
	}
	return len(s)
}

// secretSuffixes end the names of query options that carry credentials
// under names secretParams does not list (x-auth-token, refresh_token,
// x-api-key, db_password), compared in lower case with '-' read as '_'.
var secretSuffixes = []string{
	"token", "secret", "password", "passwd", "signature", "credential", "credentials",
	"api_key", "apikey", "access_key", "private_key", "secret_key",
}

func isSecretParam(key string) bool {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	key = strings.ToLower(key)
	if slices.Contains(secretParams, key) {
		return true
	}
	key = strings.ReplaceAll(key, "-", "_")
	if key == "jwt" || key == "authorization" {
		return true
	}
	for _, suffix := range secretSuffixes {
		if strings.HasSuffix(key, suffix) {
			return true
		}
	}
	return false
}
