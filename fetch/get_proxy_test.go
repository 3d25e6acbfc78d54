package fetch_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
)

// TestGetProxy fetches import paths through a module proxy in the module
// cache's layout on the test bed, checked against the bed's checksum
// database: the module providing the package is placed and reported with
// its version, hash and database; a zip the database disagrees with is a
// *SumMismatchError and a module it does not know matches ErrSumDB, with
// nothing placed; GOPROXY=off is a *ProxyOffError.
func TestGetProxy(t *testing.T) {
	t.Parallel()
	bed := testbed.New(t)
	files := map[string]string{"go.mod": "module example.org/m\n", "m.go": "package m\n", "sub/sub.go": "package sub\n"}
	h1, err := bed.AddModule("proxy.example/mod", "example.org/m", "v1.2.0", files)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"example.org/bad", "example.org/unknown"} {
		if _, err := bed.AddModule("proxy.example/mod", p, "v1.0.0", map[string]string{"x.go": "package x\n"}); err != nil {
			t.Fatal(err)
		}
	}
	bed.SetSum("example.org/bad", "v1.0.0", h1)
	bed.SetSum("example.org/unknown", "v1.0.0", "")
	gosumdb, err := bed.SumDB()
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	env := map[string]string{"GOPROXY": "https://proxy.example/mod", "GOSUMDB": gosumdb, "GOENV": "off"}
	c, err := fetch.New(fetch.Options{
		Root:       root,
		CACertFile: bed.CACertFile,
		ConnectTo:  bed.ConnectTo("proxy.example"),
		Getenv:     func(k string) string { return env[k] },
		Proxy:      true,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	res := c.Get(ctx, []string{"example.org/m/sub", "example.org/bad", "example.org/unknown"}, fetch.SourceOptions{})
	if r := res[0]; r.Status != fetch.StatusFetched || r.VCS != "mod" || r.Root != "example.org/m" || r.Version != "v1.2.0" ||
		r.Checksum != h1 || r.SumDB != testbed.SumDBName || r.Dir != filepath.Join(root, "src", "example.org", "m", "sub") {
		t.Errorf("Get(example.org/m/sub) = %+v", r)
	}
	if _, err := os.Stat(filepath.Join(root, "src", "example.org", "m", "sub", "sub.go")); err != nil {
		t.Errorf("the package is not in place: %v", err)
	}
	if me := (*fetch.SumMismatchError)(nil); !errors.As(res[1].Err, &me) || me.Want != h1 {
		t.Errorf("Get(example.org/bad): error %v, want a *SumMismatchError wanting %s", res[1].Err, h1)
	}
	if !errors.Is(res[2].Err, fetch.ErrSumDB) {
		t.Errorf("Get(example.org/unknown): error %v, want one matching ErrSumDB", res[2].Err)
	}
	for _, p := range []string{"bad", "unknown"} {
		if _, err := os.Stat(filepath.Join(root, "src", "example.org", p)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("example.org/%s was placed after its refusal (%v)", p, err)
		}
	}

	env["GOPROXY"] = "off"
	off, err := fetch.New(fetch.Options{Root: root, Getenv: func(k string) string { return env[k] }, Proxy: true})
	if err != nil {
		t.Fatal(err)
	}
	r := off.Resolve(ctx, []string{"example.org/m"}, fetch.SourceOptions{})[0]
	if pe := (*fetch.ProxyOffError)(nil); !errors.As(r.Err, &pe) {
		t.Errorf("Resolve with GOPROXY=off: error %v, want a *ProxyOffError", r.Err)
	}
}
