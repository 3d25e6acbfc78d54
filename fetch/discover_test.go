package fetch_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gofetch/fetch/internal/testutil"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/trace"
)

// events collects trace events from any goroutine.
type events = testutil.Recorder

// newClient returns a client that reaches every host through the bed.
func newClient(t *testing.T, rt http.RoundTripper, tr func(trace.Event), jobs int) *fetch.Client {
	t.Helper()
	c, err := fetch.New(fetch.Options{
		Root:      t.TempDir(),
		Pwd:       t.TempDir(),
		Transport: rt,
		Trace:     tr,
		Jobs:      jobs,
		Getenv:    func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writePages(t *testing.T, b *testbed.Bed, pages map[string]string) {
	t.Helper()
	for name, content := range pages {
		if err := b.WriteWWW(name, content); err != nil {
			t.Fatal(err)
		}
	}
}

func goImport(content string) string {
	return `<html><head><meta name="go-import" content="` + content + `"></head></html>`
}

// countRequests counts the bed's logged requests for each URL.
func countRequests(b *testbed.Bed) map[string]int {
	n := map[string]int{}
	for _, line := range b.Requests() {
		n[line]++
	}
	return n
}

func TestResolveAsksEachPageOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		jobs int
	}{
		{"sources resolved one at a time share the prefix's page", 1},
		{"sources resolved all at once share the prefix's page", 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := testbed.New(t)
			pages := map[string]string{"example.org/foo.html": goImport("example.org/foo git ${TESTBED_GIT}/foo.git")}
			var srcs []string
			for i := range 12 {
				p := fmt.Sprintf("example.org/foo/p%d", i)
				pages[p+".html"] = goImport("example.org/foo git ${TESTBED_GIT}/foo.git")
				// Each path twice: the second asks nothing new.
				srcs = append(srcs, p, p)
			}
			srcs = append(srcs, "example.org/foo")
			writePages(t, b, pages)
			c := newClient(t, b.Transport(), nil, tc.jobs)
			for _, r := range c.Resolve(t.Context(), srcs, fetch.SourceOptions{}) {
				if r.Status != fetch.StatusResolved || r.Root != "example.org/foo" {
					t.Errorf("%s: got status %q root %q error %q, want resolved at example.org/foo", r.Source, r.Status, r.Root, r.Error)
				}
			}
			for line, n := range countRequests(b) {
				if n != 1 {
					t.Errorf("%s was requested %d times, want once", line, n)
				}
			}
			if got, want := len(countRequests(b)), 13; got != want {
				t.Errorf("%d distinct pages requested, want %d: %q", got, want, b.Requests())
			}
		})
	}
}

// countingTransport counts the response body bytes the client reads.
type countingTransport struct {
	next http.RoundTripper
	read atomic.Int64
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func TestDiscoveryReadsOnlyTheHead(t *testing.T) {
	const pageSize = 8 << 20
	for _, tc := range []struct {
		name    string
		traced  bool
		maxRead int64
	}{
		// encoding/xml reads 4 KiB at a time.
		{"without a trace only the head and one buffer are read", false, 16 << 10},
		// The trace looks 64 KiB further for misplaced tags.
		{"with a trace a bounded window past the head is read", true, 96 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := testbed.New(t)
			head := "<html><head>\n" + `<meta name="go-import" content="example.org/big git ${TESTBED_GIT}/big.git">` + "\n</head><body>\n"
			tail := `<meta name="go-import" content="example.org/big git https://wrong.example.net/x.git"></body></html>`
			writePages(t, b, map[string]string{
				"example.org/big.html": head + strings.Repeat("<p>filler</p>\n", pageSize/14) + tail,
			})
			rt := &countingTransport{next: b.Transport()}
			var tr func(trace.Event)
			if tc.traced {
				tr = (&events{}).Emit
			}
			c := newClient(t, rt, tr, 0)
			r := c.Resolve(t.Context(), []string{"example.org/big"}, fetch.SourceOptions{})[0]
			if r.Status != fetch.StatusResolved || !strings.HasSuffix(r.Repo, "/big.git") {
				t.Fatalf("got %+v, want example.org/big resolved to big.git", r)
			}
			if got := rt.read.Load(); got > tc.maxRead {
				t.Errorf("read %d bytes of an %d-byte page, want at most %d", got, pageSize, tc.maxRead)
			}
		})
	}
}

func TestTraceNeverShowsCredentials(t *testing.T) {
	const secret = "s3cr3t"
	for _, tc := range []struct {
		name string
		page string
	}{
		{"a matching tag whose repository URL carries a password",
			goImport("example.org/foo git https://user:" + secret + "@127.0.0.1/foo.git")},
		{"a matching tag whose repository URL carries a token",
			goImport("example.org/foo git https://" + secret + "@127.0.0.1/foo.git")},
		{"a tag in the body the Go command never reads",
			"<html><head></head><body>" + `<meta name="go-import" content="example.org/foo git https://u:` + secret + `@127.0.0.1/foo.git"></body></html>`},
		{"a tag whose name is spelled wrong",
			"<html><head>" + `<meta name="Go-Import" content="example.org/foo git https://u:` + secret + `@127.0.0.1/foo.git"></head></html>`},
		{"a tag with the wrong number of fields",
			goImport("example.org/foo git https://u:" + secret + "@127.0.0.1/foo.git sub extra")},
		{"an invalid repository root with a password",
			goImport("example.org/foo git u:" + secret + "@127.0.0.1/foo.git")},
		{"a tag for another prefix",
			goImport("example.org/bar git https://u:" + secret + "@127.0.0.1/foo.git")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := testbed.New(t)
			writePages(t, b, map[string]string{"example.org/foo.html": tc.page})
			ev := &events{}
			c := newClient(t, b.Transport(), ev.Emit, 0)
			r := c.Resolve(t.Context(), []string{"example.org/foo"}, fetch.SourceOptions{})[0]
			if s := fmt.Sprintf("%+v", r); strings.Contains(s, secret) {
				t.Errorf("result shows the secret: %s", s)
			}
			tags := 0
			for _, e := range ev.All() {
				if s := fmt.Sprintf("%+v", e); strings.Contains(s, secret) {
					t.Errorf("event shows the secret: %s", s)
				}
				if e.Kind == "tag" {
					tags++
				}
			}
			if tags == 0 {
				t.Errorf("no tag event at all, so nothing was checked: %+v", ev.All())
			}
		})
	}
}

func TestTraceEventsFollowTheWork(t *testing.T) {
	for _, tc := range []struct {
		name  string
		path  string
		pages map[string]string
		want  []string
	}{
		{
			name:  "an exact root is asked for, matched and reported",
			path:  "example.org/foo",
			pages: map[string]string{"example.org/foo.html": goImport("example.org/foo git ${TESTBED_GIT}/foo.git")},
			want:  []string{"step resolving", "request", "response", "tag matched", "result", "step waiting"},
		},
		{
			name: "a shorter prefix is verified at its own page",
			path: "example.org/foo/sub",
			pages: map[string]string{
				"example.org/foo/sub.html": goImport("example.org/foo git ${TESTBED_GIT}/foo.git"),
				"example.org/foo.html":     goImport("example.org/foo git ${TESTBED_GIT}/foo.git"),
			},
			want: []string{"step resolving", "request", "response", "tag matched", "verify", "request", "response", "tag matched", "result", "step waiting"},
		},
		{
			name:  "a page without tags is followed by its prefix's page",
			path:  "example.org/a/b",
			pages: map[string]string{"example.org/a.html": goImport("example.org/a git ${TESTBED_GIT}/a.git")},
			// The 404 is asked twice, as the Go command asks again after a 4xx.
			want: []string{"step resolving", "request", "request", "response", "request", "response", "tag matched", "result", "step waiting"},
		},
		{
			name:  "a mismatch is reported tag by tag",
			path:  "example.org/foo",
			pages: map[string]string{"example.org/foo.html": goImport("example.org/bar git ${TESTBED_GIT}/foo.git")},
			want:  []string{"step resolving", "request", "response", "tag", "result"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := testbed.New(t)
			writePages(t, b, tc.pages)
			ev := &events{}
			c := newClient(t, b.Transport(), ev.Emit, 0)
			c.Resolve(t.Context(), []string{tc.path}, fetch.SourceOptions{})
			var got []string
			for _, e := range ev.All() {
				if e.Source != tc.path {
					t.Errorf("event for source %q, want %q: %+v", e.Source, tc.path, e)
				}
				switch {
				case e.Kind == "note" || e.Kind == "redirect":
					continue
				case e.Kind == "tag" && e.Matched:
					got = append(got, "tag matched")
				case e.Kind == trace.Step:
					got = append(got, "step "+e.Message)
				default:
					got = append(got, string(e.Kind))
				}
			}
			if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Errorf("events:\n got %s\nwant %s", strings.Join(got, ", "), strings.Join(tc.want, ", "))
			}
		})
	}
}

func TestCancelledLookupIsNotRemembered(t *testing.T) {
	b := testbed.New(t)
	writePages(t, b, map[string]string{"example.org/foo.html": goImport("example.org/foo git ${TESTBED_GIT}/foo.git")})
	c := newClient(t, b.Transport(), nil, 0)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := c.Resolve(ctx, []string{"example.org/foo"}, fetch.SourceOptions{})[0]
	if r.Status != fetch.StatusInterrupted {
		t.Fatalf("with a cancelled context got %+v, want it interrupted", r)
	}
	r = c.Resolve(t.Context(), []string{"example.org/foo"}, fetch.SourceOptions{})[0]
	if r.Status != fetch.StatusResolved {
		t.Fatalf("after the cancelled lookup got %+v, want it resolved by asking again", r)
	}
}
