package trace_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/gofetch/fetch/reporoot"
	"github.com/gofetch/fetch/trace"
)

// A program shows what discovery does by passing one function that
// receives every event; here it prints the requests, the answers and the
// tags read, and counts the requests. (fetch.Options takes the same kind
// of function.) A local TLS server plays example.com.
func Example() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><head><meta name="go-import" content="example.com/lib git https://code.example.com/lib"></head></html>`)
	}))
	defer srv.Close()
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return new(net.Dialer).DialContext(ctx, network, srv.Listener.Addr().String())
	}

	var mu sync.Mutex // events may come from several goroutines at once
	requests := 0
	show := func(e trace.Event) {
		mu.Lock()
		defer mu.Unlock()
		switch e.Kind {
		case trace.Request:
			requests++
			fmt.Printf("[%s] get %s\n", e.Source, e.URL)
		case trace.Response:
			fmt.Printf("[%s] %s\n", e.Source, e.StatusText) // e.Duration says how long it took
		case trace.Tag:
			fmt.Printf("[%s] tag %q matches: %v\n", e.Source, e.Tag, e.Matched)
		}
	}

	r, err := reporoot.New(reporoot.Options{
		Transport: tr,
		Getenv:    func(string) string { return "" },
		Trace:     show,
		Explain:   true, // report each tag and what became of it
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := r.RepoRoot(context.Background(), "example.com/lib"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(requests, "request")
	// Output:
	// [example.com/lib] get https://example.com/lib?go-get=1
	// [example.com/lib] 200 OK
	// [example.com/lib] tag "example.com/lib git https://code.example.com/lib" matches: true
	// 1 request
}
