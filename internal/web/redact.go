package web

import (
	"errors"
	"net/url"
	"strings"
)

// redacted replaces URL credentials with REDACTED: the password, or a lone
// user name, which is often a token (https://TOKEN@host).
func redacted(u *url.URL) string {
	if u == nil {
		return ""
	}
	if u.User == nil {
		return u.String()
	}
	r := *u
	if _, has := u.User.Password(); has {
		r.User = url.UserPassword(u.User.Username(), "REDACTED")
	} else {
		r.User = url.User("REDACTED")
	}
	return r.String()
}

// redactedString redacts a URL held as a string; a string that does not
// parse is returned whole only when it cannot hold userinfo.
func redactedString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if strings.Contains(s, "@") {
			return "REDACTED"
		}
		return s
	}
	return redacted(u)
}

// redactError rewrites the URL net/http puts into a *url.Error (it masks
// passwords as *** but keeps lone user names, and quotes a raw Location
// header verbatim) so the error text carries no credentials.
func redactError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redactedString(ue.URL)
	}
	return err
}
