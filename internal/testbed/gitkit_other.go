//go:build !unix

package testbed

import (
	"net/http/httptest"
	"testing"
)

// NewGitkit skips the test: github.com/sosedoff/gitkit uses process
// groups and signals that exist only on Unix, so it does not build
// elsewhere. The gate keeps internal/testbed (test-only, never imported by
// a package fetch ships) building on every GOOS, so that
// GOOS=windows go vet covers the tests that use it.
func NewGitkit(t testing.TB, b *Bed) *httptest.Server {
	t.Helper()
	t.Skip("testbed: the gitkit server runs only on Unix")
	return nil
}
