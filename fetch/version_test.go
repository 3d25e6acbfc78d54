package fetch

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/gofetch/fetch/internal/web"
)

func TestBuildVersionInTests(t *testing.T) {
	t.Parallel()
	// go test stamps no version: the User-Agent says fetch/devel.
	if got := BuildVersion(); got != "devel" {
		t.Errorf("BuildVersion() = %q in a test binary, want devel", got)
	}
}

func TestUserAgentNamesBuildVersion(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var agents []string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		agents = append(agents, r.Header.Get("User-Agent"))
		mu.Unlock()
		return &http.Response{StatusCode: http.StatusNotFound, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
	})
	c, err := New(Options{Root: t.TempDir(), Transport: rt, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	c.Resolve(context.Background(), []string{"example.org/foo"}, SourceOptions{})
	mu.Lock()
	defer mu.Unlock()
	want := web.UserAgent(BuildVersion())
	if len(agents) == 0 {
		t.Fatal("no request was made")
	}
	for _, a := range agents {
		if a != want {
			t.Errorf("User-Agent %q, want %q", a, want)
		}
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
