package fetch_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/trace"
)

// Resolve says where each source comes from and where it would land in
// the tree, without fetching anything; OnResult hears each result in
// input order as soon as it is ready (a go-getter style source needs no
// request to resolve).
func ExampleClient_Resolve() {
	root, err := os.MkdirTemp("", "tree")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	c, err := fetch.New(fetch.Options{Root: root, Getenv: func(string) string { return "" }})
	if err != nil {
		log.Fatal(err)
	}
	srcs := []string{
		"git::https://example.com/lib.git?ref=v1.2.0",
		"git::https://example.com/lib.git?ref=-bad",
	}
	c.Resolve(context.Background(), srcs, fetch.SourceOptions{
		OnResult: func(r fetch.Result) {
			if r.Status == fetch.StatusError {
				fmt.Println(r.Status)
				return
			}
			dest, _ := filepath.Rel(root, r.Dest)
			fmt.Println(r.Status, r.Getter, r.Ref, filepath.ToSlash(dest))
		},
	})
	// Output:
	// resolved git v1.2.0 src/example.com/lib
	// error
}

// Trace receives every event of the work, from several goroutines at
// once; here it keeps the steps and outcomes of one source. Progress
// (not shown) receives the same steps with figures, for a live display.
func ExampleOptions_trace() {
	var mu sync.Mutex
	var lines []string
	c, err := fetch.New(fetch.Options{
		Root:   os.TempDir(),
		Getenv: func(string) string { return "" },
		Trace: func(e trace.Event) {
			mu.Lock()
			defer mu.Unlock()
			switch e.Kind {
			case trace.Step:
				lines = append(lines, e.Source+": "+e.Message)
			case trace.Result:
				lines = append(lines, e.Source+": resolved")
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	c.Resolve(context.Background(), []string{"git::https://example.com/lib.git"}, fetch.SourceOptions{})
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// git::https://example.com/lib.git: resolving
	// git::https://example.com/lib.git: resolved
	// git::https://example.com/lib.git: waiting
}
