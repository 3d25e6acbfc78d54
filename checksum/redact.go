package checksum

import (
	"regexp"
	"strings"
)

// Credentials hide in checksum file URLs the same way they hide in sources,
// and the text being redacted may be any malformed string, so redaction
// works on the text rather than on a parsed URL. User info runs to the
// last '@' before the path, as url.Parse reads it, so a password holding
// an unescaped '@' is hidden whole.
var (
	userinfoRE = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*)://([^/?#\s]*)@`)
	secretRE   = regexp.MustCompile(`(?i)([?&](?:sshkey|aws_access_key_id|aws_access_key_secret|aws_access_token|token|access_token|password)=)[^&#\s]*`)
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
