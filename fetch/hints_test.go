package fetch_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
)

// TestResolveErrorsSayWhatToDo checks the typed errors a failed
// discovery carries in Result.Err, from which a caller words its advice:
// a page behind a login names the host, the netrc file read and whether
// it had a login for the host; a 200 page without a tag for the path
// names the path. Result.Error keeps the Go command's text.
func TestResolveErrorsSayWhatToDo(t *testing.T) {
	b := testbed.New(t)
	writePages(t, b, map[string]string{
		"example.org/private.html": goImport("example.org/private git https://code.example/private.git"),
		"example.org/private.auth": "alice:s3cret\n",
		"example.org/none.html":    "<html><head><title>none</title></head></html>",
		"example.org/index.html":   "<html><head></head></html>",
	})
	dir := t.TempDir()
	wrong := filepath.Join(dir, "netrc-wrong")
	if err := os.WriteFile(wrong, []byte("machine example.org login alice password guess\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	resolve := func(t *testing.T, netrc, src string) fetch.Result {
		t.Helper()
		c, err := fetch.New(fetch.Options{
			Root: t.TempDir(), Pwd: t.TempDir(), Transport: b.Transport(),
			Getenv: func(k string) string {
				if k == "HOME" {
					return dir
				}
				return ""
			},
			Netrc: netrc,
		})
		if err != nil {
			t.Fatal(err)
		}
		return c.Resolve(t.Context(), []string{src}, fetch.SourceOptions{})[0]
	}

	t.Run("401 without a login", func(t *testing.T) {
		r := resolve(t, "", "example.org/private")
		var le *fetch.LoginError
		if !errors.As(r.Err, &le) {
			t.Fatalf("Err = %#v, want a *fetch.LoginError", r.Err)
		}
		if le.Host != "example.org" || le.StatusCode != 401 || le.Netrc != filepath.Join(dir, ".netrc") || le.SentLogin {
			t.Errorf("LoginError = %+v, want host example.org, 401, netrc %s, no login sent", le, filepath.Join(dir, ".netrc"))
		}
		if r.Err.Error() != r.Error {
			t.Errorf("Err says %q, Error %q", r.Err, r.Error)
		}
	})
	t.Run("401 with a refused login", func(t *testing.T) {
		r := resolve(t, wrong, "example.org/private")
		var le *fetch.LoginError
		if !errors.As(r.Err, &le) || le.Netrc != wrong || !le.SentLogin {
			t.Fatalf("Err = %#v, want a *fetch.LoginError naming %s with the login sent", r.Err, wrong)
		}
	})
	t.Run("200 without a tag", func(t *testing.T) {
		r := resolve(t, "", "example.org/none")
		var ne *fetch.NoTagError
		if !errors.As(r.Err, &ne) || ne.ImportPath != "example.org/none" {
			t.Fatalf("Err = %#v, want a *fetch.NoTagError for example.org/none", r.Err)
		}
		var le *fetch.LoginError
		if errors.As(r.Err, &le) {
			t.Errorf("Err = %#v is also a LoginError", r.Err)
		}
	})
	t.Run("404 is neither", func(t *testing.T) {
		r := resolve(t, "", "example.org/missing")
		var ne *fetch.NoTagError
		var le *fetch.LoginError
		if r.Status != fetch.StatusError || errors.As(r.Err, &ne) || errors.As(r.Err, &le) {
			t.Errorf("Result %q, Err %#v: want an error that is neither", r.Status, r.Err)
		}
	})
}
