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

// TestGetModExistsComparesVersion checks D5 for a mod entry: the version
// fetched is recorded beside the destination, and a later Get that names
// a version is "exists" only when it is the one there (or a v1/v1.2 query
// it satisfies); another version is an error, with nothing downloaded.
func TestGetModExistsComparesVersion(t *testing.T) {
	t.Parallel()
	bed := testbed.New(t)
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "go.mod"), []byte("module example.org/mv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var zbuf bytes.Buffer
	if err := modzip.CreateFromDir(&zbuf, module.Version{Path: "example.org/mv", Version: "v1.2.0"}, src); err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{
		"example.org/mv.html":                             `<meta name="go-import" content="example.org/mv mod https://proxy.example/mod">`,
		"proxy.example/mod/example.org/mv/@v/list":        "v1.0.0\nv1.2.0\n",
		"proxy.example/mod/example.org/mv/@v/v1.2.0.info": `{"Version":"v1.2.0","Time":"2026-01-02T03:04:05Z"}`,
		"proxy.example/mod/example.org/mv/@v/v1.2.0.zip":  zbuf.String(),
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
	get := func(src string) fetch.Result {
		return c.Get(context.Background(), []string{src}, fetch.SourceOptions{})[0]
	}
	if r := get("example.org/mv@v1.2.0"); r.Status != fetch.StatusFetched {
		t.Fatalf("Get: status %q, error %q", r.Status, r.Error)
	}
	for _, src := range []string{"example.org/mv@v1.2.0", "example.org/mv", "example.org/mv@v1", "example.org/mv@v1.2", "example.org/mv@latest"} {
		if r := get(src); r.Status != fetch.StatusExists || r.Version != "v1.2.0" {
			t.Errorf("Get %s: status %q version %q (error %q), want exists at v1.2.0", src, r.Status, r.Version, r.Error)
		}
	}
	for _, src := range []string{"example.org/mv@v1.0.0", "example.org/mv@v1.1", "example.org/mv@v2", "example.org/mv@master"} {
		r := get(src)
		if r.Status != fetch.StatusError || !strings.Contains(r.Error, "example.org/mv@v1.2.0") {
			t.Errorf("Get %s: status %q (error %q), want an error naming example.org/mv@v1.2.0", src, r.Status, r.Error)
		}
	}
	// Without the record (a module placed by an older fetch) a version
	// cannot be checked.
	if err := os.Remove(filepath.Join(root, "src", "example.org", ".fetch-record-mv")); err != nil {
		t.Fatal(err)
	}
	if r := get("example.org/mv@v1.2.0"); r.Status != fetch.StatusError {
		t.Errorf("Get without record: status %q, want error", r.Status)
	}
	if r := get("example.org/mv"); r.Status != fetch.StatusExists {
		t.Errorf("Get without record or version: status %q (error %q), want exists", r.Status, r.Error)
	}
}
