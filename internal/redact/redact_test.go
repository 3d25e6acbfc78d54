package redact

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

func TestString(t *testing.T) {
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
		{"a password in a scheme-relative URL is redacted", "//u:pw@h/x", "//u:REDACTED@h/x"},
		{"a lone user in a scheme-relative Location is redacted", `Location: "//tok@h/x"`, `Location: "//REDACTED@h/x"`},
		{"a subdirectory with an at sign is not an authority", "git::https://h/r.git//sub@v1", "git::https://h/r.git//sub@v1"},
		// Rows from the packages that had their own copies.
		{"a password after a checksum file prefix is redacted", "file:https://u:p@h/S", "file:https://u:REDACTED@h/S"},
		{"a password holding an at sign is redacted whole", "https://u:p@ss@h/S", "https://u:REDACTED@h/S"},
		{"a checksum without a URL is unchanged", "sha256:abcd", "sha256:abcd"},
		{"a password behind an s3 forced getter is redacted", "s3::https://u:pw@h/b/k", "s3::https://u:REDACTED@h/b/k"},
		{"a URL without credentials keeps its query", "https://h/x?ref=main&depth=1", "https://h/x?ref=main&depth=1"},
		{"a URL in single quotes in git's stderr is redacted", "fatal: unable to access 'https://u:pw@h/r/': 403", "fatal: unable to access 'https://u:REDACTED@h/r/': 403"},
		{"a ref after a port is not user information", "https://h:8443/r@v1", "https://h:8443/r@v1"},
		{"stderr without URLs is unchanged", "fatal: not a git repository", "fatal: not a git repository"},
		{"net/http's masked password is redacted with the same marker", "https://user:***@example.org/p", "https://user:REDACTED@example.org/p"},
		{"a password in a URL net/url cannot parse is redacted", "https://u:p@exa mple.org/%zz", "https://u:REDACTED@exa mple.org/%zz"},
		{"a go-import content keeps its spacing and hides a token", "foo  git\thttps://tok@code.example/foo", "foo  git\thttps://REDACTED@code.example/foo"},
		{"a go-import content keeps an ssh account", "foo git ssh://git@code.example/foo", "foo git ssh://git@code.example/foo"},
		{"a password in an ssh URL is redacted", "ssh://git:pw@h/r", "ssh://git:REDACTED@h/r"},
		{"generic secret options are redacted", "https://h/x?passwd=a&secret=b&signature=c&api_key=d&apikey=e&client_secret=f",
			"https://h/x?passwd=REDACTED&secret=REDACTED&signature=REDACTED&api_key=REDACTED&apikey=REDACTED&client_secret=REDACTED"},
		{"a GCS signed URL is redacted", "https://storage.googleapis.com/b/o?X-Goog-Credential=c&X-Goog-Signature=s&X-Goog-Expires=60",
			"https://storage.googleapis.com/b/o?X-Goog-Credential=REDACTED&X-Goog-Signature=REDACTED&X-Goog-Expires=60"},
		{"an Azure SAS signature is redacted", "https://a.blob.core.windows.net/c/b?sv=2020&sig=abc%3D", "https://a.blob.core.windows.net/c/b?sv=2020&sig=REDACTED"},
		{"an option whose name only contains a secret name is kept", "https://h/x?tokens=3&sshkeys=no", "https://h/x?tokens=3&sshkeys=no"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestURL(t *testing.T) {
	tests := []struct {
		name string
		u    *url.URL
		want string
	}{
		{"a nil URL is empty", nil, ""},
		{"a URL without credentials is unchanged", &url.URL{Scheme: "https", Host: "h", Path: "/p", RawQuery: "go-get=1"}, "https://h/p?go-get=1"},
		{"a password is redacted", &url.URL{Scheme: "https", User: url.UserPassword("u", "pw"), Host: "h", Path: "/p"}, "https://u:REDACTED@h/p"},
		{"a password holding delimiters is redacted whole", &url.URL{Scheme: "https", User: url.UserPassword("u", "p@s/s?#:"), Host: "h"}, "https://u:REDACTED@h"},
		{"a lone https user is redacted", &url.URL{Scheme: "https", User: url.User("ghp_tok"), Host: "h", Path: "/p"}, "https://REDACTED@h/p"},
		{"a lone ssh user is kept", &url.URL{Scheme: "ssh", User: url.User("git"), Host: "h", Path: "/r"}, "ssh://git@h/r"},
		{"a secret option is redacted", &url.URL{Scheme: "https", Host: "h", Path: "/p", RawQuery: "token=t&x=1"}, "https://h/p?token=REDACTED&x=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := URL(tt.u); got != tt.want {
				t.Errorf("URL(%v) = %q; want %q", tt.u, got, tt.want)
			}
		})
	}
}

// codeError is an error type callers look for with errors.As.
type codeError struct{ code int }

func (e *codeError) Error() string { return fmt.Sprintf("code %d", e.code) }

// hiddenError wraps an error without showing its text.
type hiddenError struct{ err error }

func (e *hiddenError) Error() string { return "request failed" }
func (e *hiddenError) Unwrap() error { return e.err }

func TestError(t *testing.T) {
	code := &codeError{code: 7}
	tokenURLErr := &url.Error{Op: "Get", URL: "https://tok123@h/x", Err: code}
	tests := []struct {
		name     string
		err      error
		wantText string // "" when Error must return err itself
		wantURL  string // the URL errors.As must yield, "" for none
	}{
		{"an error without credentials is returned as is", fmt.Errorf("reading h: %w", code), "", ""},
		{"a password in the text is redacted", fmt.Errorf("reading https://u:pw@h/x: %w", code), "reading https://u:REDACTED@h/x: code 7", ""},
		{"net/http's error with a token user is redacted in text and URL", tokenURLErr,
			`Get "https://REDACTED@h/x": code 7`, "https://REDACTED@h/x"},
		{"net/http's masked password is redacted", &url.Error{Op: "Get", URL: "https://u:***@h/x", Err: code},
			`Get "https://u:REDACTED@h/x": code 7`, "https://u:REDACTED@h/x"},
		{"a URL error behind a wrapper that hides it is redacted", &hiddenError{err: tokenURLErr}, "request failed", "https://REDACTED@h/x"},
		{"a secret in a URL error's cause is redacted", &url.Error{Op: "Get", URL: "https://h/x", Err: fmt.Errorf("redirect to %q: %w", "https://h2/?token=abc", code)},
			`Get "https://h/x": redirect to "https://h2/?token=REDACTED": code 7`, "https://h/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Error(tt.err)
			if tt.wantText == "" {
				if got != tt.err {
					t.Fatalf("Error(%q) = %q; want the same error back", tt.err, got)
				}
				return
			}
			if got.Error() != tt.wantText {
				t.Errorf("Error(%q) = %q; want %q", tt.err, got, tt.wantText)
			}
			if !errors.Is(got, tt.err) || !errors.Is(got, code) {
				t.Errorf("Error(%q) no longer wraps the original chain", tt.err)
			}
			var ce *codeError
			if !errors.As(got, &ce) || ce != code {
				t.Errorf("errors.As(Error(%q)) lost the *codeError", tt.err)
			}
			var ue *url.Error
			found := errors.As(got, &ue)
			switch {
			case tt.wantURL == "" && found:
				t.Errorf("errors.As(Error(%q)) found a *url.Error in a chain without one", tt.err)
			case tt.wantURL != "" && (!found || ue.URL != tt.wantURL || strings.Contains(ue.Error(), "tok123") || strings.Contains(ue.Error(), "abc")):
				t.Errorf("errors.As(Error(%q)) = %v; want a *url.Error for %s with nothing secret", tt.err, ue, tt.wantURL)
			}
		})
	}
	if tokenURLErr.URL != "https://tok123@h/x" {
		t.Errorf("Error changed the caller's *url.Error: URL is now %q", tokenURLErr.URL)
	}
}

func TestErrorOfNilIsNil(t *testing.T) {
	if err := Error(nil); err != nil {
		t.Errorf("Error(nil) = %v; want nil", err)
	}
}
