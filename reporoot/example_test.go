package reporoot_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/gofetch/fetch/reporoot"
	"github.com/gofetch/fetch/trace"
)

// A vanity import path resolved against a local TLS server that plays
// example.com: the tag's prefix is shorter than the path, so the prefix's
// own page is asked too before the answer is trusted.
func Example() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><meta name="go-import" content="example.com/mylib git https://code.example.com/mylib"></head></html>`)
	}))
	defer srv.Close()

	// The test server's client trusts its certificate (issued for
	// example.com); every connection goes to the server.
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return new(net.Dialer).DialContext(ctx, network, srv.Listener.Addr().String())
	}

	r, err := reporoot.New(reporoot.Options{
		Transport: tr,
		Getenv:    func(string) string { return "" }, // GOVCS and friends at their defaults
		Trace: func(e trace.Event) {
			if e.Kind == trace.Verify {
				fmt.Println("verify:", e.URL)
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	root, err := r.RepoRoot(context.Background(), "example.com/mylib/sub/pkg")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(root.Root, root.VCS, root.Repo)
	// Output:
	// verify: https://example.com/mylib?go-get=1
	// example.com/mylib git https://code.example.com/mylib
}

// A path on a known hosting site is answered from the Go command's table,
// without a request; a VCS-qualified path on any host would be answered
// the same way, after asking the VCS which scheme the repository speaks.
func ExampleResolver_RepoRoot() {
	r, err := reporoot.New(reporoot.Options{Getenv: func(string) string { return "" }})
	if err != nil {
		log.Fatal(err)
	}
	root, err := r.RepoRoot(context.Background(), "github.com/gofetch/fetch/reporoot")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("root %s, %s from %s\n", root.Root, root.VCS, root.Repo)
	// Output:
	// root github.com/gofetch/fetch, git from https://github.com/gofetch/fetch
}
