package detect

import (
	"fmt"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// go-getter's RedactURL ground, as strings and with our marker.
		{"a password is redacted", "http://user:password@host.tld/this:that", "http://user:REDACTED@host.tld/this:that"},
		{"a password without a user is redacted", "http://:password@host.tld/this:that", "http://:REDACTED@host.tld/this:that"},
		{"a URL without user information is unchanged", "http://host.tld/this:that", "http://host.tld/this:that"},
		{"an empty string is unchanged", "", ""},
		{"an ssh key option is redacted", "ssh://git@github.com/hashicorp/go-getter-test-private.git?sshkey=LS0tLS1CRUdJTiBPUE",
			"ssh://git@github.com/hashicorp/go-getter-test-private.git?sshkey=REDACTED"},
		{"an empty ssh key option is redacted", "ssh://git@github.com/r.git?sshkey=", "ssh://git@github.com/r.git?sshkey=REDACTED"},
		{"ssh key options with and without values are all redacted", "ssh://git@github.com/r.git?sshkey&sshkey=secretkey",
			"ssh://git@github.com/r.git?sshkey=REDACTED&sshkey=REDACTED"},
		{"several ssh key options are all redacted", "ssh://git@github.com/r.git?sshkey=secretkey1&sshkey=secretkey2",
			"ssh://git@github.com/r.git?sshkey=REDACTED&sshkey=REDACTED"},
		{"an AWS key id is redacted", "s3://bucket.s3.amazonaws.com/key?aws_access_key_id=AKIAIOSFODNN7EXAMPLE",
			"s3://bucket.s3.amazonaws.com/key?aws_access_key_id=REDACTED"},
		{"an escaped AWS secret is redacted", "s3://b.s3.amazonaws.com/key?aws_access_key_secret=wJalrXUtnFEMI%2FK7MDENG",
			"s3://b.s3.amazonaws.com/key?aws_access_key_secret=REDACTED"},
		{"an AWS token is redacted", "s3://b.s3.amazonaws.com/key?aws_access_token=AQoXnyc4lcK4w", "s3://b.s3.amazonaws.com/key?aws_access_token=REDACTED"},
		{"all AWS credentials are redacted and other options kept in order",
			"s3://b/key?region=us-east-1&aws_access_key_id=AKID&aws_access_key_secret=SECRET&aws_access_token=TOKEN",
			"s3://b/key?region=us-east-1&aws_access_key_id=REDACTED&aws_access_key_secret=REDACTED&aws_access_token=REDACTED"},
		// Our own decisions.
		{"a lone https user is a token and is redacted", "https://ghp_abc123@github.com/o/r", "https://REDACTED@github.com/o/r"},
		{"a lone http user is redacted", "HTTP://tok@h/x", "HTTP://REDACTED@h/x"},
		{"a lone ssh user is an account and is kept", "ssh://git@github.com/o/r", "ssh://git@github.com/o/r"},
		{"a lone git+ssh user is an account and is kept", "git+ssh://git@h/r", "git+ssh://git@h/r"},
		{"a lone user of another scheme is redacted", "ftp://tok@h/x", "ftp://REDACTED@h/x"},
		{"a forced getter keeps its prefix", "git::https://oauth2:glpat-xyz@gitlab.com/g/r.git", "git::https://oauth2:REDACTED@gitlab.com/g/r.git"},
		{"a nested forced getter keeps both prefixes", "git::git::https://u:p@h/r", "git::git::https://u:REDACTED@h/r"},
		{"an scp-style password is redacted", "user:hunter2@host:path", "user:REDACTED@host:path"},
		{"a forced scp-style password is redacted", "git::user:hunter2@host:path", "git::user:REDACTED@host:path"},
		{"an scp-style user is kept", "git@github.com:o/r.git?sshkey=abc", "git@github.com:o/r.git?sshkey=REDACTED"},
		{"a password with a slash is redacted", "https://u:pa/ss@host/x", "https://u:REDACTED@host/x"},
		{"a password with a question mark is redacted", "https://u:pa?ss@host/x", "https://u:REDACTED@host/x"},
		{"a port is not a password", "https://host:8443/a@b", "https://host:8443/a@b"},
		{"an at sign in a path is not user information", "https://registry.example/@scope/pkg", "https://registry.example/@scope/pkg"},
		{"an at sign in an import path is a ref", "example.org/x@v1.2.0", "example.org/x@v1.2.0"},
		{"a secret option is matched without regard to case", "https://h/x?SSHKey=abc&Token=t", "https://h/x?SSHKey=REDACTED&Token=REDACTED"},
		{"an escaped secret option name is matched", "https://h/x?ssh%6Bey=abc", "https://h/x?ssh%6Bey=REDACTED"},
		{"a pre-signed S3 signature is redacted", "https://b.s3.amazonaws.com/k?X-Amz-Credential=c&X-Amz-Signature=s&X-Amz-Expires=60",
			"https://b.s3.amazonaws.com/k?X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Expires=60"},
		{"a password in a nested checksum URL is redacted", "https://h/f.zip?checksum=file:https://u:p@h2/sums",
			"https://h/f.zip?checksum=file:https://u:REDACTED@h2/sums"},
		{"a secret in a nested URL's query is redacted", "https://h/f?checksum=file:https://h2/sums?token=t2",
			"https://h/f?checksum=file:https://h2/sums?token=REDACTED"},
		{"a secret value runs to the next ampersand", "https://h/x?sshkey=a#b&ref=v", "https://h/x?sshkey=REDACTED&ref=v"},
		{"a subdir before the query is kept", "git::https://u:p@h/r.git//sub?ref=v1&sshkey=k", "git::https://u:REDACTED@h/r.git//sub?ref=v1&sshkey=REDACTED"},
		{"a password with a space is redacted", "https://u:p q@h/x", "https://u:REDACTED@h/x"},
		{"an scp password with an at sign is redacted to the last at sign", "user:pa@ss@host:path/a@b", "user:REDACTED@host:path/a@b"},
		// Messages that quote sources, as callers redact whole error texts.
		{"a quoted secret option ends at the closing quote", `Get "https://h/x?sshkey=abc": dial tcp: lookup h: no such host`,
			`Get "https://h/x?sshkey=REDACTED": dial tcp: lookup h: no such host`},
		{"an ssh user in a message is kept", "ssh: git@github.com: Permission denied (publickey)", "ssh: git@github.com: Permission denied (publickey)"},
		{"a quoted scp password is redacted", `source "user:pass@host:path": refused`, `source "user:REDACTED@host:path": refused`},
		{"a quoted forced scp password is redacted", `source "git::user:pass@host:path": refused`, `source "git::user:REDACTED@host:path": refused`},
		{"every URL in a message is redacted", `"https://u:p@h/a?token=1&x=2" and "https://u2:p2@h2/b?sshkey=2"`,
			`"https://u:REDACTED@h/a?token=REDACTED&x=2" and "https://u2:REDACTED@h2/b?sshkey=REDACTED"`},
		{"a host-only quoted URL does not reach a later at sign", `Get "https://example.org": EOF from git@h`, `Get "https://example.org": EOF from git@h`},
		{"a space before a secret option does not hide it", "https://h/?a=0 0&sshkey=k1", "https://h/?a=0 0&sshkey=REDACTED"},
		{"a redacted message keeps its text when redacted again", `source "https://h/?sshkey=REDACTED": depth "x"`, `source "https://h/?sshkey=REDACTED": depth "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(tt.in); got != tt.want {
				t.Errorf("Redact(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSourceRedacted(t *testing.T) {
	tests := []struct {
		name, src, secret string
	}{
		{"a URL password is hidden", "https://u:s3cr3t@h/x.zip", "s3cr3t"},
		{"a token user is hidden", "git::https://t0k3n@github.com/o/r.git", "t0k3n"},
		{"an ssh key is hidden", "git@github.com:o/r.git?sshkey=a2V5a2V5", "a2V5a2V5"},
		{"an AWS secret is hidden", "bucket.s3.amazonaws.com/k?aws_access_key_secret=wjalr", "wjalr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.src, "/pwd")
			if err != nil {
				t.Fatal(err)
			}
			for what, text := range map[string]string{
				"Redacted": s.Redacted(), "String": s.String(), "%v": fmt.Sprintf("%v", s), "Redact(URL)": Redact(s.URL),
			} {
				if strings.Contains(text, tt.secret) || !strings.Contains(text, redacted) {
					t.Errorf("%s of %q = %q; want %q replaced by %s", what, tt.src, text, tt.secret, redacted)
				}
			}
		})
	}
}

func TestParseErrorsHideCredentials(t *testing.T) {
	tests := []struct {
		name, src, secret string
	}{
		{"a password next to a bad option is hidden", "https://u:hunter2@h/x?depth=-1", "hunter2"},
		{"a token user next to a bad scheme is hidden", "ftp://t0k3n@h/x", "t0k3n"},
		{"an ssh key next to a bad ref is hidden", "git::https://h/r?ref=-x&sshkey=a2V5a2V5", "a2V5a2V5"},
		{"an scp password is hidden", "user:hunter2@host:path", "hunter2"},
		{"a password in an unparsable URL is hidden", "https://u:hunter2@h/%zz", "hunter2"},
		{"a password in an invalid port is hidden", "git::ssh://u:hunter2@host:org/repo", "hunter2"},
		{"a password in a malformed query is hidden", "https://u:hunter2@h/?a=%zz", "hunter2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.src, "/pwd")
			if err == nil {
				t.Fatalf("Parse(%q) succeeded; want an error", tt.src)
			}
			if strings.Contains(err.Error(), tt.secret) {
				t.Errorf("Parse(%q) error %q shows %q", tt.src, err, tt.secret)
			}
		})
	}
}
