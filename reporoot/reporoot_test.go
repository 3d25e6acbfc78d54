package reporoot_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/gofetch/fetch/reporoot"
	"github.com/gofetch/fetch/trace"
)

// site is a TLS server on loopback that answers for every host: each
// request's host and path pick its page; anything else is 404.
func site(t *testing.T, pages map[string]string) http.RoundTripper {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.Host+r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return new(net.Dialer).DialContext(ctx, network, srv.Listener.Addr().String())
	}
	// The test certificate names example.com; it is verified as such
	// whichever host the request is for.
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com"
	return tr
}

func tag(content string) string {
	return `<html><head><meta name="go-import" content="` + content + `"></head></html>`
}

func TestRepoRoot(t *testing.T) {
	tests := []struct {
		name     string
		pages    map[string]string
		env      map[string]string
		path     string
		want     reporoot.Root
		requests int    // -1: any number
		wantErr  string // "" for success; "notag" for a *NoTagError; "any" for some error
	}{
		{
			name: "a known hosting site is answered without a request",
			path: "github.com/owner/repo/sub/pkg",
			want: reporoot.Root{Root: "github.com/owner/repo", VCS: "git", Repo: "https://github.com/owner/repo"},
		},
		{
			name:     "a tag for the path itself is used as it is",
			pages:    map[string]string{"example.com/lib": tag("example.com/lib git https://code.example.com/lib")},
			path:     "example.com/lib",
			want:     reporoot.Root{Root: "example.com/lib", VCS: "git", Repo: "https://code.example.com/lib", IsCustom: true},
			requests: 1,
		},
		{
			name: "a tag for a shorter prefix is checked on the prefix's own page",
			pages: map[string]string{
				"example.com/lib/sub": tag("example.com/lib hg https://code.example.com/lib"),
				"example.com/lib":     tag("example.com/lib hg https://code.example.com/lib"),
			},
			path:     "example.com/lib/sub",
			want:     reporoot.Root{Root: "example.com/lib", VCS: "hg", Repo: "https://code.example.com/lib", IsCustom: true},
			requests: 2,
		},
		{
			name: "a page without any tag sends discovery to the shorter path",
			pages: map[string]string{
				"example.com/lib/sub": "<html><head></head></html>",
				"example.com/lib":     tag("example.com/lib git https://code.example.com/lib sub"),
			},
			path:     "example.com/lib/sub",
			want:     reporoot.Root{Root: "example.com/lib", VCS: "git", Repo: "https://code.example.com/lib", SubDir: "sub", IsCustom: true},
			requests: 2,
		},
		{
			name: "a prefix whose own page disagrees is refused",
			pages: map[string]string{
				"example.com/lib/sub": tag("example.com/lib git https://evil.example.com/lib"),
				"example.com/lib":     tag("example.com/lib git https://code.example.com/lib"),
			},
			path:    "example.com/lib/sub",
			wantErr: "any",
		},
		{
			name:    "a page with no tag anywhere is a NoTagError",
			pages:   map[string]string{"example.com/lib": "<html><head></head></html>", "example.com/": "<html></html>"},
			path:    "example.com/lib",
			wantErr: "notag",
		},
		{
			name:    "GOVCS refuses a version control system it does not allow",
			pages:   map[string]string{"example.com/lib": tag("example.com/lib svn https://code.example.com/lib")},
			path:    "example.com/lib",
			wantErr: "any",
		},
		{
			name:     "a launchpad.net series without its own branch falls back to the project, when GOVCS allows bzr",
			env:      map[string]string{"GOVCS": "public:bzr"},
			path:     "launchpad.net/proj/series/pkg",
			want:     reporoot.Root{Root: "launchpad.net/proj", VCS: "bzr", Repo: "https://launchpad.net/proj"},
			requests: -1,
		},
		{
			name: "a launchpad.net series with its own branch is its own root",
			env:  map[string]string{"GOVCS": "public:bzr"},
			pages: map[string]string{
				"code.launchpad.net/proj/series/.bzr/branch-format": "Bazaar-NG meta directory, format 1\n",
			},
			path:     "launchpad.net/proj/series/pkg",
			want:     reporoot.Root{Root: "launchpad.net/proj/series", VCS: "bzr", Repo: "https://launchpad.net/proj/series"},
			requests: -1,
		},
		{
			name:    "the launchpad.net rule answers only what GOVCS allows (bzr is not allowed for public paths by default)",
			path:    "launchpad.net/proj/series/pkg",
			wantErr: "any",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			r, err := reporoot.New(reporoot.Options{
				Transport: site(t, tt.pages),
				Getenv:    func(k string) string { return tt.env[k] },
				Trace: func(e trace.Event) {
					if e.Kind == trace.Request {
						requests.Add(1)
					}
					if e.Source != tt.path {
						t.Errorf("%s event %+v has Source %q, want %q", e.Kind, e, e.Source, tt.path)
					}
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.RepoRoot(context.Background(), tt.path)
			switch tt.wantErr {
			case "":
				if err != nil {
					t.Fatalf("RepoRoot(%s): %v", tt.path, err)
				}
				if *got != tt.want {
					t.Errorf("RepoRoot(%s) = %+v, want %+v", tt.path, *got, tt.want)
				}
				if n := int(requests.Load()); tt.requests >= 0 && n != tt.requests {
					t.Errorf("%d requests, want %d", n, tt.requests)
				}
			case "notag":
				var nt *reporoot.NoTagError
				if !errors.As(err, &nt) {
					t.Fatalf("RepoRoot(%s) = %+v, %v; want a *NoTagError", tt.path, got, err)
				}
			default:
				if err == nil {
					t.Fatalf("RepoRoot(%s) = %+v, want an error", tt.path, *got)
				}
				var nt *reporoot.NoTagError
				if errors.As(err, &nt) {
					t.Errorf("RepoRoot(%s): %v is a *NoTagError", tt.path, err)
				}
			}
		})
	}
}

// TestRepoRootAsksEachPageOnce checks that a Resolver remembers pages: the
// second path under the same prefix costs no request.
func TestRepoRootAsksEachPageOnce(t *testing.T) {
	var requests atomic.Int32
	r, err := reporoot.New(reporoot.Options{
		Transport: site(t, map[string]string{"example.com/lib": tag("example.com/lib git https://code.example.com/lib")}),
		Getenv:    func(string) string { return "" },
		Trace: func(e trace.Event) {
			if e.Kind == trace.Request {
				requests.Add(1)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := r.RepoRoot(context.Background(), "example.com/lib"); err != nil {
			t.Fatal(err)
		}
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests for one page asked twice, want 1", n)
	}
}
