package redact

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// plainSecret is the shape of secret the fuzz oracle follows: lower-case
// letters and digits cannot overlap the upper-case marker, so a secret that
// was removed cannot reappear by accident.
var plainSecret = regexp.MustCompile(`^[a-z0-9]{4,}$`)

// forcedPrefix is go-getter's "NAME::" forced getter, written again here so
// that the oracle does not share the code it checks.
var forcedPrefix = regexp.MustCompile(`^[A-Za-z0-9]+::`)

// secretsIn independently lists the credentials net/url finds in s (after
// forced getters): the URL password, the user name of an http(s) URL
// without a password, and every sshkey and token value.
func secretsIn(s string) []string {
	for forcedPrefix.MatchString(s) {
		s = forcedPrefix.ReplaceAllString(s, "")
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	var out []string
	if p, ok := u.User.Password(); ok {
		out = append(out, p)
	} else if u.User != nil && (u.Scheme == "http" || u.Scheme == "https") {
		out = append(out, u.User.Username())
	}
	if q, err := url.ParseQuery(u.RawQuery); err == nil {
		out = append(out, q["sshkey"]...)
		out = append(out, q["token"]...)
	}
	return out
}

func FuzzString(f *testing.F) {
	for _, s := range []string{
		"https://u:hunter2@h/x.zip?sshkey=abcd1234&checksum=sha256:00", "https://tok1@github.com/o/r",
		"git@github.com:o/r.git//mod?ref=x&sshkey=zzzz9999", "user:pass@host:path", "ssh://git@h:2222/r.git",
		"s3://b/k?region=eu-west-1&aws_access_key_secret=k", "https://u:pa/ss@host/x", "git::ssh://git@host:org/repo",
		"https://h/f?checksum=file:https://u:p@h2/s?token=t", `Get "https://u:***@h/x": EOF`,
		"fatal: unable to access 'https://abcd@h/r/': 403", "https://h/?a=0 0&token=k1k1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := String(s)
		if String(once) != once {
			t.Fatalf("String is not idempotent on %q: %q then %q", s, once, String(once))
		}
		if !strings.ContainsAny(s, "@?") && once != s {
			t.Fatalf("String(%q) = %q changed text that holds no user information or query", s, once)
		}
		for _, sec := range secretsIn(s) {
			if !plainSecret.MatchString(sec) || strings.Count(s, sec) != 1 {
				continue
			}
			if strings.Contains(once, sec) {
				t.Fatalf("String(%q) = %q shows the secret %q", s, once, sec)
			}
			quoted := "Get " + strconv.Quote(s) + ": EOF"
			if strings.Count(quoted, sec) == 1 && strings.Contains(String(quoted), sec) {
				t.Fatalf("String(%q) = %q shows the secret %q", quoted, String(quoted), sec)
			}
		}
	})
}
