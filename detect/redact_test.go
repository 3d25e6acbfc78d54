package detect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/redact"
)

// TestRedact checks that the exported wrapper applies the shared rule; the
// rule itself is tested in internal/redact.
func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a password is redacted", "git::https://oauth2:glpat-xyz@gitlab.com/g/r.git", "git::https://oauth2:REDACTED@gitlab.com/g/r.git"},
		{"a lone https user is a token and is redacted", "https://ghp_abc123@github.com/o/r", "https://REDACTED@github.com/o/r"},
		{"a lone ssh user is an account and is kept", "ssh://git@github.com/o/r?sshkey=abc", "ssh://git@github.com/o/r?sshkey=REDACTED"},
		{"an scp-style password is redacted", "user:hunter2@host:path", "user:REDACTED@host:path"},
		{"an at sign in an import path is a ref", "example.org/x@v1.2.0", "example.org/x@v1.2.0"},
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
				if strings.Contains(text, tt.secret) || !strings.Contains(text, redact.Marker) {
					t.Errorf("%s of %q = %q; want %q replaced by %s", what, tt.src, text, tt.secret, redact.Marker)
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
