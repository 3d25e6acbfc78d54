//go:build unix

package testbed

import (
	"crypto/subtle"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sosedoff/gitkit"
)

// NewGitkit serves the bed's git repositories with
// github.com/sosedoff/gitkit, a git smart-HTTP server written in Go, over
// TLS on loopback with a certificate from the bed's CA; repository NAME is
// at URL/NAME.git. It is the second server setup issue 4 names: gitkit
// with an auth function. gitkit asks every client for a login (401 without
// one); the auth function accepts the bed's logins (WithUser, AddGitUser)
// for a repository that has them, and any login for one that has none.
// The server stops when the test ends.
func NewGitkit(t testing.TB, b *Bed) *httptest.Server {
	t.Helper()
	RequireGit(t)
	tlsConfig, err := b.ca.serverConfig()
	if err != nil {
		t.Fatal(err)
	}
	kit := gitkit.New(gitkit.Config{Dir: b.gitRoot, Auth: true})
	kit.AuthFunc = func(cred gitkit.Credential, req *gitkit.Request) (bool, error) {
		name := strings.TrimSuffix(req.RepoName, ".git")
		b.mu.Lock()
		users, known := b.gitUsers[name]
		pass, ok := users[cred.Username]
		b.mu.Unlock()
		if !known || len(users) == 0 {
			return true, nil
		}
		if !ok || subtle.ConstantTimeCompare([]byte(pass), []byte(cred.Password)) != 1 {
			return false, fmt.Errorf("testbed: gitkit: login %q refused for %s", cred.Username, name)
		}
		return true, nil
	}
	srv := httptest.NewUnstartedServer(kit)
	srv.TLS = tlsConfig
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}
