package fetch_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/gofetch/fetch/fetch"
)

// TestResolveOrder checks that results, and the OnResult stream, come in
// input order however the concurrent work finishes, and that a failing
// source does not stop the others.
func TestResolveOrder(t *testing.T) {
	t.Parallel()
	var srcs []string
	for i := range 40 {
		if i%7 == 3 {
			srcs = append(srcs, fmt.Sprintf("git::https://example.com/r%d.git?ref=-bad", i))
			continue
		}
		srcs = append(srcs, fmt.Sprintf("git::https://example.com/r%d.git", i))
	}
	c, err := fetch.New(fetch.Options{Root: t.TempDir(), Pwd: "/", Jobs: 5, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	var streamed []string
	results := c.Resolve(context.Background(), srcs, fetch.SourceOptions{
		OnResult: func(r fetch.Result) { streamed = append(streamed, r.Source) },
	})
	if len(results) != len(srcs) || len(streamed) != len(srcs) {
		t.Fatalf("got %d results and %d streamed, want %d", len(results), len(streamed), len(srcs))
	}
	for i, r := range results {
		if r.Source != srcs[i] || streamed[i] != srcs[i] {
			t.Fatalf("result %d is for %q (streamed %q), want %q", i, r.Source, streamed[i], srcs[i])
		}
		wantErr := i%7 == 3
		if (r.Status == fetch.StatusError) != wantErr {
			t.Errorf("source %q: status %q, error %q", r.Source, r.Status, r.Error)
		}
	}
}
