package fetch_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// TestGetModEntry fetches a module whose only go-import tag is a mod entry
// from a module proxy on the test bed, and checks the version, the h1:
// hash and the files in the tree.
func TestGetModEntry(t *testing.T) {
	t.Parallel()
	bed := testbed.New(t)
	src := t.TempDir()
	for name, body := range map[string]string{
		"go.mod":     "module example.org/m\n",
		"m.go":       "package m\n",
		"sub/sub.go": "package sub\n",
	} {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var zbuf bytes.Buffer
	mv := module.Version{Path: "example.org/m", Version: "v1.2.0"}
	if err := modzip.CreateFromDir(&zbuf, mv, src); err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{
		"example.org/m.html":                             `<meta name="go-import" content="example.org/m mod https://proxy.example/mod">`,
		"example.org/m/sub.html":                         `<meta name="go-import" content="example.org/m mod https://proxy.example/mod">`,
		"proxy.example/mod/example.org/m/@v/list":        "v1.0.0\nv1.2.0\n",
		"proxy.example/mod/example.org/m/@v/v1.2.0.info": `{"Version":"v1.2.0","Time":"2026-01-02T03:04:05Z"}`,
		"proxy.example/mod/example.org/m/@v/v1.2.0.zip":  zbuf.String(),
	}
	for name, body := range pages {
		if err := bed.WriteWWW(name, body); err != nil {
			t.Fatal(err)
		}
	}
	root := t.TempDir()
	c, err := fetch.New(fetch.Options{
		Root:       root,
		CACertFile: bed.CACertFile,
		ConnectTo:  bed.ConnectTo("example.org", "proxy.example"),
		Getenv:     func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	res := c.Get(context.Background(), []string{"example.org/m/sub"}, fetch.SourceOptions{})[0]
	if res.Status != fetch.StatusFetched {
		t.Fatalf("Get: status %q, error %q", res.Status, res.Error)
	}
	if res.VCS != "mod" || res.Version != "v1.2.0" || !strings.HasPrefix(res.Checksum, "h1:") {
		t.Errorf("Get = vcs %q version %q checksum %q, want mod v1.2.0 h1:...", res.VCS, res.Version, res.Checksum)
	}
	wantDir := filepath.Join(root, "src", "example.org", "m", "sub")
	if res.Dir != wantDir {
		t.Errorf("Dir = %q, want %q", res.Dir, wantDir)
	}
	if _, err := os.Stat(filepath.Join(wantDir, "sub.go")); err != nil {
		t.Errorf("module file missing: %v", err)
	}

	// A second Get leaves it alone.
	again := c.Get(context.Background(), []string{"example.org/m"}, fetch.SourceOptions{})[0]
	if again.Status != fetch.StatusExists {
		t.Errorf("second Get: status %q (error %q), want exists", again.Status, again.Error)
	}
}

// TestGetModEntryPrefersVCS checks fetch's placement rule: with both a VCS
// entry and a mod entry for the path, the repository is used.
func TestGetModEntryPrefersVCS(t *testing.T) {
	t.Parallel()
	bed := testbed.New(t)
	if err := bed.WriteWWW("example.org/both.html",
		`<meta name="go-import" content="example.org/both mod https://proxy.example/mod">`+
			`<meta name="go-import" content="example.org/both git https://code.example/both.git">`); err != nil {
		t.Fatal(err)
	}
	c, err := fetch.New(fetch.Options{
		Root:       t.TempDir(),
		CACertFile: bed.CACertFile,
		ConnectTo:  bed.ConnectTo("example.org"),
		Getenv:     func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	res := c.Resolve(context.Background(), []string{"example.org/both"}, fetch.SourceOptions{})[0]
	if res.VCS != "git" || res.Repo != "https://code.example/both.git" {
		t.Errorf("Resolve = %q %q (error %q), want the git entry", res.VCS, res.Repo, res.Error)
	}
}
