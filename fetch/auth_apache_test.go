//go:build unix

package fetch_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
)

// TestGetFromApacheSeedSetup runs fetch against the setup issue 4 names
// as the seed: a vanity page and git http-backend behind Apache httpd,
// one repository public and one behind basic auth.
func TestGetFromApacheSeedSetup(t *testing.T) {
	testbed.RequireGit(t)
	bed := testbed.New(t)
	pub, err := bed.AddGitRepo("pub", map[string]string{"a.go": "package pub\n"})
	if err != nil {
		t.Fatal(err)
	}
	priv, err := bed.AddGitRepo("team/priv", map[string]string{"a.go": "package priv\n"}, testbed.WithUser("alice", "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	apache := testbed.NewApache(t, bed, "example.org")
	for path, repo := range map[string]string{"pub": "pub", "pub/sub": "pub", "team/priv": "team/priv"} {
		root := "example.org/" + repo
		page := `<!DOCTYPE html><html><head><meta name="go-import" content="` + root + ` git ` + apache.Base() + `/git/` + repo + `.git"></head></html>`
		if err := apache.WritePage(path, page); err != nil {
			t.Fatal(err)
		}
	}
	store := filepath.Join(t.TempDir(), "store")
	login := "https://alice:s3cret@" + apache.Addr + "\n"
	if err := os.WriteFile(store, []byte(login), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	pubHead, _ := pub.Rev("HEAD")
	privHead, _ := priv.Rev("HEAD")

	tests := []struct {
		name       string
		importPath string
		helper     string
		wantCommit string // "" means the fetch must fail
		wantErr    string
	}{
		{"a public package is fetched through the vanity page", "example.org/pub/sub", "", pubHead, ""},
		{"a private repository without a login fails at once, saying where a login goes", "example.org/team/priv", "", "", "put it in the netrc file"},
		{"a private repository is fetched with a login from a credential helper", "example.org/team/priv", "store --file=" + store, privHead, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := fetch.New(fetch.Options{
				Root: t.TempDir(), CACertFile: bed.CACertFile, GitCredentialHelper: tt.helper,
				ConnectTo: []string{"example.org:443:" + apache.Addr}, Getenv: func(string) string { return "" },
			})
			if err != nil {
				t.Fatal(err)
			}
			res := c.Get(context.Background(), []string{tt.importPath}, fetch.SourceOptions{})[0]
			if tt.wantCommit == "" {
				if res.Status != fetch.StatusError || !strings.Contains(res.Error, tt.wantErr) {
					t.Fatalf("Get: status %q, error %q; want an error containing %q", res.Status, res.Error, tt.wantErr)
				}
				return
			}
			if res.Status != fetch.StatusFetched || res.Commit != tt.wantCommit {
				t.Fatalf("Get: status %q, commit %q, error %q; want fetched at %s", res.Status, res.Commit, res.Error, tt.wantCommit)
			}
			if _, err := os.Stat(filepath.Join(res.Dest, "a.go")); err != nil {
				t.Errorf("checkout incomplete: %v", err)
			}
			if strings.Contains(res.Error+res.Repo, "s3cret") {
				t.Errorf("result shows the password: %+v", res)
			}
		})
	}
}
