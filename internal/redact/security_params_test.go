package redact

import (
	"strings"
	"testing"
)

// TestStringHidesCommonCredentialOptions: query options that carry a
// credential under a common name other than the listed ones (a dash for
// the underscore, a prefix before "token", a JWT, an Authorization value)
// are hidden too. A download's source is written into lock files, which
// are committed and shared, so a token left in one is published.
func TestStringHidesCommonCredentialOptions(t *testing.T) {
	for _, key := range []string{
		"access-token", "auth_token", "auth-token", "x-auth-token", "refresh_token", "id_token",
		"api-key", "x-api-key", "api_token", "client-secret", "jwt", "authorization",
		"AccessToken", "session_token", "secret_key", "private_key", "access_key", "db_password",
		"x-amz-signature", "X-Goog-Credential",
	} {
		s := "https://files.example/tool.tar.gz?archive=tar.gz&" + key + "=S3CRETVALUE&x=1"
		got := String(s)
		if strings.Contains(got, "S3CRETVALUE") {
			t.Errorf("String(%q) = %q: the value of %s is shown", s, got, key)
		}
		if !strings.Contains(got, "archive=tar.gz") || !strings.Contains(got, "x=1") {
			t.Errorf("String(%q) = %q: other options were hidden too", s, got)
		}
	}
	for _, s := range []string{"https://h/f?key=docs/readme.txt", "https://h/f?archive=zip&filename=a"} {
		if got := String(s); got != s {
			t.Errorf("String(%q) = %q, want it as it is", s, got)
		}
	}
}
