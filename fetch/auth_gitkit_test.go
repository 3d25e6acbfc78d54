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

// TestGetFromGitkit runs fetch against github.com/sosedoff/gitkit with an
// auth function, behind a vanity page: the second seed setup of issue 4.
// gitkit asks for a login for every repository, so even the public one
// needs a helper that answers.
func TestGetFromGitkit(t *testing.T) {
	bed := testbed.New(t)
	pub, err := bed.AddGitRepo("pub", map[string]string{"a.go": "package pub\n"})
	if err != nil {
		t.Fatal(err)
	}
	priv, err := bed.AddGitRepo("priv", map[string]string{"a.go": "package priv\n"}, testbed.WithUser("alice", "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	kit := testbed.NewGitkit(t, bed)
	for _, name := range []string{"pub", "priv"} {
		page := `<meta name="go-import" content="example.org/` + name + ` git ` + kit.URL + `/` + name + `.git">`
		if err := bed.WriteWWW("example.org/"+name+".html", page); err != nil {
			t.Fatal(err)
		}
	}
	host := strings.TrimPrefix(kit.URL, "https://")
	dir := t.TempDir()
	store := func(name, login string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("https://"+login+"@"+host+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	alice := store("alice", "alice:s3cret")
	wrong := store("wrong", "alice:guess")
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
		{"a private repository is fetched with the login the auth function accepts", "example.org/priv", "store --file=" + alice, privHead, ""},
		{"a public repository is fetched with any login", "example.org/pub", "store --file=" + wrong, pubHead, ""},
		{"a login the auth function refuses fails at once", "example.org/priv", "store --file=" + wrong, "", "the server refused the login"},
		{"without a login gitkit's 401 fails at once, saying where a login goes", "example.org/pub", "", "", "put it in the netrc file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := fetch.New(fetch.Options{
				Root: t.TempDir(), CACertFile: bed.CACertFile, GitCredentialHelper: tt.helper,
				ConnectTo: bed.ConnectTo("example.org"), Getenv: func(string) string { return "" },
			})
			if err != nil {
				t.Fatal(err)
			}
			res := c.Get(context.Background(), []string{tt.importPath}, fetch.SourceOptions{})[0]
			if tt.wantCommit == "" {
				if res.Status != fetch.StatusError || !strings.Contains(res.Error, tt.wantErr) {
					t.Fatalf("Get: status %q, error %q; want an error containing %q", res.Status, res.Error, tt.wantErr)
				}
				if strings.Contains(res.Error, "guess") {
					t.Errorf("error shows the password: %s", res.Error)
				}
				return
			}
			if res.Status != fetch.StatusFetched || res.Commit != tt.wantCommit {
				t.Fatalf("Get: status %q, commit %q, error %q; want fetched at %s", res.Status, res.Commit, res.Error, tt.wantCommit)
			}
		})
	}
}
