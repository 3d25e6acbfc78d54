package checksum

import "testing"

func TestRedact(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"a password is replaced", "https://u:hunter2@h/SUMS", "https://u:REDACTED@h/SUMS"},
		{"a lone https user name is a token and is replaced", "https://ghp_x@h/SUMS", "https://REDACTED@h/SUMS"},
		{"an ssh user name is kept", "ssh://git@h/r", "ssh://git@h/r"},
		{"a password behind a forced getter is replaced", "git::https://u:p@h/r", "git::https://u:REDACTED@h/r"},
		{"a password after file: is replaced", "file:https://u:p@h/S", "file:https://u:REDACTED@h/S"},
		{"an sshkey value is replaced and other values kept", "git::ssh://git@h/r?ref=v1&sshkey=AAAA", "git::ssh://git@h/r?ref=v1&sshkey=REDACTED"},
		{"an AWS secret is replaced", "s3::https://s3.amazonaws.com/b/k?aws_access_key_secret=s3cr3t&region=x", "s3::https://s3.amazonaws.com/b/k?aws_access_key_secret=REDACTED&region=x"},
		{"a password holding an @ is replaced whole", "https://u:p@ss@h/S", "https://u:REDACTED@h/S"},
		{"an @ in the path is not user info", "https://h/a@b", "https://h/a@b"},
		{"text with no URL is unchanged", "sha256:abcd", "sha256:abcd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redact(tt.in); got != tt.want {
				t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
