package goauth

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// TestPathCredentialsNeverReachADotSegment: credentials for a path prefix
// (https://a.test/private) are not sent with a URL that only spells its
// way into the prefix and out again (a.test/private/../evil, %2e%2e,
// ..%2F): a server removes dot segments, so such a request is served
// from outside the prefix (another tenant's path), and a redirect or a
// go-import tag can name one. The host's own credentials still apply.
func TestPathCredentialsNeverReachADotSegment(t *testing.T) {
	dir := t.TempDir()
	netrcFile := filepath.Join(dir, "netrc")
	os.WriteFile(netrcFile, []byte("machine b.test login n password np\n"), 0o600)
	helper := filepath.Join(dir, "helper")
	os.WriteFile(helper, []byte("#!/bin/sh\nprintf 'https://a.test/private\\n\\nX-Token: private\\n\\n'\n"), 0o755)
	a, err := New(helper+";netrc", netrcFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ url, want string }{
		{"https://a.test/private/x", "private"}, // the control
		{"https://a.test/private/../evil", ""},
		{"https://a.test/private/x/../../evil", ""},
		{"https://a.test/private/%2e%2e/evil", ""},
		{"https://a.test/private/%2E%2E/evil", ""},
		{"https://a.test/private/.%2e/evil", ""},
		{"https://a.test/private/..%2Fevil", ""},
		{"https://a.test/private/..%2fevil/x", ""},
		{"https://a.test/private/..", ""},
		{"https://a.test/private/..%5Cevil", ""},
		{"https://b.test/private/../x", "Basic bjpucA=="}, // the host's own login
	} {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := a.Header(context.Background(), u)
		got := h.Get("X-Token") + h.Get("Authorization")
		if got != tt.want {
			t.Errorf("Header(%s) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
