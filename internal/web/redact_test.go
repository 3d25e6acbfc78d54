package web

import (
	"errors"
	"net/url"
	"testing"
)

func TestRedactedString(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"a URL without credentials is unchanged", "https://example.org/p?go-get=1", "https://example.org/p?go-get=1"},
		{"a password is replaced", "https://user:pw@example.org/p", "https://user:REDACTED@example.org/p"},
		{"net/http's masked password is replaced too", "https://user:***@example.org/p", "https://user:REDACTED@example.org/p"},
		{"a lone user name is replaced as a likely token", "https://ghp_token@example.org/p", "https://REDACTED@example.org/p"},
		{"a string that does not parse but may hold credentials is hidden", "https://u:p@exa mple.org/%zz", "REDACTED"},
		{"a string that does not parse and holds no @ is kept", "/%zz", "/%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := redactedString(tt.in); got != tt.want {
				t.Errorf("redactedString(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRedactErrorRewritesURLErrors(t *testing.T) {
	inner := errors.New("boom")
	err := redactError(&url.Error{Op: "Get", URL: "https://user:***@example.org/", Err: inner})
	if want := `Get "https://user:REDACTED@example.org/": boom`; err.Error() != want {
		t.Errorf("redactError = %q, want %q", err, want)
	}
	if !errors.Is(err, inner) {
		t.Errorf("redactError lost the wrapped error")
	}
}
