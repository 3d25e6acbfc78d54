package detect

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// plainSecret is the shape of secret the fuzz oracle follows: lower-case
// letters and digits cannot overlap the upper-case REDACTED marker, so a
// secret that was removed cannot reappear by accident.
var plainSecret = regexp.MustCompile(`^[a-z0-9]{4,}$`)

// secretsIn independently lists the credentials net/url finds in src (after
// forced getters): the URL password and every sshkey value.
func secretsIn(src string) []string {
	for {
		f, rest := ForcedGetter(src)
		if f == "" {
			break
		}
		src = rest
	}
	base, _ := SourceDirSubdir(src)
	u, err := url.Parse(base)
	if err != nil {
		return nil
	}
	var out []string
	if p, ok := u.User.Password(); ok {
		out = append(out, p)
	}
	if q, err := url.ParseQuery(u.RawQuery); err == nil {
		out = append(out, q["sshkey"]...)
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"github.com/o/r/sub", "example.org/pkg@v1.2.0//cmd?ref=v1", "rsc.io/pdf/...", "example.org/a/b.git/c.hg/d",
		"git::github.com/o/r//dir?ref=feat/x", "git::github.com/o/r/modules/*", "git::./foo", "hg::https://h/r?rev=tip",
		"https://u:hunter2@h/x.zip?sshkey=abcd1234&checksum=sha256:00", "https://tok@github.com/o/r",
		"git@github.com:o/r.git//mod?ref=x&sshkey=zzzz9999", "user:pass@host:path", "ssh://git@h:2222/r.git",
		"s3://b/k?region=eu-west-1&aws_access_key_secret=k", "gs://b/o#1", "bucket.s3.amazonaws.com/key",
		"www.googleapis.com/storage/v1/b/o", "./foo//bar?x=1", "~/x", "/abs//sub", "../x", "//sub",
		"https://u:pa/ss@host/x", "https://h/f?checksum=file:https://u:p@h2/s?token=t", "git::ssh://git@host:org/repo",
		"example.com:repo", "ftp://x/y", "-x", "git::", "GIT::x", "https://x//../y", "github.com/o/r?ref=a&rev=b",
		"launchpad.net/~u/+junk/b", "Example.org/repo.git", "example.org/longna~1", "https://h/a%2F..%2F..%2Fb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := ParseWith(src, ParseOptions{Pwd: "/work", Home: "/home/u"})
		var secrets []string
		for _, sec := range secretsIn(src) {
			// Errors quote the source with %q, whose escapes (\x80) can
			// spell a secret made of digits.
			if plainSecret.MatchString(sec) && strings.Count(src, sec) == 1 && strings.Count(strconv.Quote(src), sec) == 1 {
				secrets = append(secrets, sec)
			}
		}
		if err != nil {
			for _, sec := range secrets {
				if strings.Contains(err.Error(), sec) {
					t.Fatalf("error for %q shows the secret %q: %v", src, sec, err)
				}
			}
			return
		}
		for _, sec := range secrets {
			for what, text := range map[string]string{"Redacted": s.Redacted(), "Redact(URL)": Redact(s.URL)} {
				if strings.Contains(text, sec) {
					t.Fatalf("%s of %q = %q shows the secret %q", what, src, text, sec)
				}
			}
		}
		tp := s.TreePath()
		if strings.HasPrefix(tp, "/") || hasDotDot(tp) || strings.Contains("/"+tp+"/", "/./") {
			t.Fatalf("TreePath of %q = %q leaves the tree", src, tp)
		}
		if s.Kind == KindImport && s.Static != nil && s.Static.Root == "" {
			t.Fatalf("import path %q has a static answer without a root", src)
		}
	})
}
