package fetch_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofetch/fetch/fetch"
)

// hostile is a TLS server whose handlers misbehave; every host a test
// names is reached through it, and it counts the requests per method and
// path and the body bytes it managed to send.
type hostile struct {
	srv   *httptest.Server
	mu    sync.Mutex
	hits  map[string]int // "GET /path" -> requests
	sent  atomic.Int64
	calls atomic.Int32 // requests to handlers that count attempts
}

func newHostile(t *testing.T, routes map[string]func(h *hostile, w http.ResponseWriter, r *http.Request)) *hostile {
	t.Helper()
	h := &hostile{hits: map[string]int{}}
	h.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.hits[r.Method+" "+r.URL.Path]++
		h.mu.Unlock()
		route, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		route(h, w, r)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hostile) count(key string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[key]
}

// RoundTrip sends every request to the hostile server, whatever its host,
// and counts it as "TRIP METHOD /path", whether or not the server saw it. Hosts
// under untrusted.example get a transport that does not trust its
// certificate.
func (h *hostile) RoundTrip(req *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.hits["TRIP "+req.Method+" "+req.URL.Path]++
	h.mu.Unlock()
	r := req.Clone(req.Context())
	r.URL.Host = h.srv.Listener.Addr().String()
	if strings.HasSuffix(req.URL.Hostname(), "untrusted.example") {
		return http.DefaultTransport.RoundTrip(r)
	}
	return h.srv.Client().Transport.RoundTrip(r)
}

// write sends p and counts it; false means the client went away.
func (h *hostile) write(w http.ResponseWriter, p []byte) bool {
	n, err := w.Write(p)
	h.sent.Add(int64(n))
	return err == nil
}

// endless writes filler until the client stops reading.
func endless(h *hostile, w http.ResponseWriter, filler string) {
	chunk := []byte(strings.Repeat(filler, 32<<10/len(filler)))
	for h.write(w, chunk) {
	}
}

// drip sends the start of an answer and then nothing, never ending it.
func drip(start string) func(h *hostile, w http.ResponseWriter, r *http.Request) {
	return func(h *hostile, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000000")
		if r.Method == http.MethodHead {
			return
		}
		h.write(w, []byte(start))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}
}

// cut sends the start of a 1 MB file and drops the connection, for the
// first failures requests; later ones get the whole file.
func cut(failures int32) func(h *hostile, w http.ResponseWriter, r *http.Request) {
	return func(h *hostile, w http.ResponseWriter, r *http.Request) {
		const size = 1 << 20
		w.Header().Set("Content-Length", fmt.Sprint(size))
		if r.Method == http.MethodHead {
			return
		}
		if h.calls.Add(1) > failures {
			h.write(w, make([]byte, size))
			return
		}
		h.write(w, make([]byte, 1000))
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

func status(code int) func(h *hostile, w http.ResponseWriter, r *http.Request) {
	return func(h *hostile, w http.ResponseWriter, r *http.Request) { http.Error(w, "hostile", code) }
}

const tag = `<html><head><meta name="go-import" content="example.org/endless git https://code.example/endless.git">`

func TestHostileServers(t *testing.T) {
	routes := map[string]func(h *hostile, w http.ResponseWriter, r *http.Request){
		"/loop": func(h *hostile, w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
		},
		"/endless": func(h *hostile, w http.ResponseWriter, r *http.Request) {
			h.write(w, []byte(tag))
			h.write(w, []byte("<!-- the head never ends"))
			endless(h, w, "-")
		},
		"/huge": func(h *hostile, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(int64(8)<<30))
			h.write(w, []byte("<html><head><!-- eight gigabytes of comment"))
			endless(h, w, "-")
		},
		"/dripping":         drip("<html><head>"),
		"/drip.bin":         drip("0123456789"),
		"/reset.bin":        cut(100),
		"/reset-once.bin":   cut(1),
		"/unavailable.bin":  status(http.StatusServiceUnavailable),
		"/unavailable":      status(http.StatusServiceUnavailable),
		"/unavailable-page": status(http.StatusBadGateway),
		"/modonly": func(h *hostile, w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<meta name="go-import" content="example.org/modonly mod https://proxy.example">`)
		},
		"/example.org/modonly/@v/v1.0.0.info": status(http.StatusServiceUnavailable),
	}
	tests := []struct {
		name    string
		source  string
		timeout time.Duration
		get     bool
		status  fetch.Status
		errText string // in Result.Error
		hits    string // "METHOD /path" counted by the server
		want    int    // requests that hit it
	}{
		{name: "a discovery page redirecting to itself stops after 10 redirects, in the Go command's words",
			source: "example.org/loop", status: fetch.StatusError, errText: "stopped after 10 redirects", hits: "GET /loop", want: 10},
		{name: "an endless discovery page is read up to the bound and its tag still used",
			source: "example.org/endless", status: fetch.StatusResolved, hits: "GET /endless", want: 1},
		{name: "a multi-gigabyte discovery page is read only up to the bound",
			source: "example.org/huge", status: fetch.StatusError, errText: "example.org/huge"},
		{name: "a discovery page that drips forever ends at the source timeout",
			source: "example.org/dripping", timeout: 300 * time.Millisecond, status: fetch.StatusError, errText: "source timed out"},
		{name: "a download that drips forever ends at the source timeout and leaves nothing",
			source: "https://files.example/drip.bin", get: true, timeout: 300 * time.Millisecond, status: fetch.StatusError, errText: "source timed out"},
		{name: "a download reset mid-transfer is tried three times, then fails with one error",
			source: "https://files.example/reset.bin", get: true, status: fetch.StatusError, errText: "unexpected EOF", hits: "GET /reset.bin", want: 3},
		{name: "a download reset once succeeds when tried again",
			source: "https://files.example/reset-once.bin", get: true, status: fetch.StatusFetched, hits: "GET /reset-once.bin", want: 2},
		{name: "a download answered 503 is asked three times, then fails naming the status",
			source: "https://files.example/unavailable.bin", get: true, status: fetch.StatusError, errText: "bad response code: 503", hits: "GET /unavailable.bin", want: 3},
		{name: "a download from a server with an untrusted certificate is asked once",
			source: "https://untrusted.example/file.bin", get: true, status: fetch.StatusError, errText: "certificate", hits: "TRIP GET /file.bin", want: 1},
		{name: "a module proxy answering 503 is asked three times, then fails naming the status",
			source: "example.org/modonly@v1.0.0", get: true, status: fetch.StatusError, errText: "503", hits: "GET /example.org/modonly/@v/v1.0.0.info", want: 3},
		{name: "a discovery page answered 502 is asked once, as the Go command asks",
			source: "example.org/unavailable-page", status: fetch.StatusError, errText: "502", hits: "GET /unavailable-page", want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHostile(t, routes)
			c, err := fetch.New(fetch.Options{
				Root:          t.TempDir(),
				Pwd:           t.TempDir(),
				Transport:     h,
				Getenv:        func(string) string { return "" },
				SourceTimeout: tt.timeout,
				RetryWait:     func(context.Context, time.Duration) error { return nil }, // no sleeping
			})
			if err != nil {
				t.Fatal(err)
			}
			op := c.Resolve
			if tt.get {
				op = c.Get
			}
			r := op(t.Context(), []string{tt.source}, fetch.SourceOptions{})[0]
			if r.Status != tt.status || !strings.Contains(r.Error, tt.errText) {
				t.Fatalf("got status %q, error %q; want status %q with an error containing %q", r.Status, r.Error, tt.status, tt.errText)
			}
			// Err carries Error's text and its types: the command line
			// chooses its advice by them, and no field name is shown.
			if r.Status == fetch.StatusError && (r.Err == nil || r.Err.Error() != r.Error) {
				t.Errorf("Err = %v, want the error whose text is Error, %q", r.Err, r.Error)
			}
			if strings.Contains(r.Error, "Options.") || strings.Contains(r.Error, "Limits.") {
				t.Errorf("error %q names a library field", r.Error)
			}
			var cert *tls.CertificateVerificationError
			if strings.Contains(tt.errText, "timed out") && !errors.Is(r.Err, fetch.ErrSourceTimeout) ||
				tt.errText == "certificate" && !errors.As(r.Err, &cert) {
				t.Errorf("Err = %#v, want it to be (or wrap) the %s error", r.Err, tt.errText)
			}
			if tt.hits != "" {
				if got := h.count(tt.hits); got != tt.want {
					t.Errorf("server saw %d %q requests, want %d", got, tt.hits, tt.want)
				}
			}
			// The page bound is 10 MiB; what the server got out beyond it
			// sits in socket and TLS buffers, never in fetch's memory.
			if sent := h.sent.Load(); sent > 24<<20 {
				t.Errorf("server sent %d bytes before fetch stopped reading, want at most the 10 MiB bound plus buffers", sent)
			}
			if tt.get && tt.status == fetch.StatusError && r.Dest != "" {
				if _, err := os.Stat(r.Dest); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("failed download left %s behind (stat: %v)", r.Dest, err)
				}
			}
		})
	}
}
