package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// world is a set of loopback servers answering for made-up names through
// connect-to rules, with a CA the client trusts through CACertFile.
type world struct {
	opts             Options
	closed           string // the port down.test:443 maps to
	tlsSeen, plainSn *seen
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{tlsSeen: &seen{}, plainSn: &seen{}}
	ca := newTestCA(t, "fetch test CA")

	secure := http.NewServeMux()
	secure.HandleFunc("/pkg", func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(rw, "tls page for %s", r.Host)
	})
	secure.HandleFunc("/missing", func(rw http.ResponseWriter, r *http.Request) {
		rw.WriteHeader(http.StatusNotFound)
		fmt.Fprint(rw, "<meta name=go-import>")
	})
	secure.HandleFunc("/to-http", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "http://plain.test/pkg", http.StatusFound)
	})
	secure.HandleFunc("/to-mirror", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "https://mirror.test/pkg", http.StatusMovedPermanently)
	})
	secure.HandleFunc("/loop", func(rw http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		http.Redirect(rw, r, fmt.Sprintf("https://vanity.test/loop?n=%d", n+1), http.StatusFound)
	})
	tlsSrv := startTLS(t, recordTo(w.tlsSeen, secure), ca.issue(t, "vanity.test", "mirror.test"))
	untrusted := startTLS(t, recordTo(w.tlsSeen, secure), newTestCA(t, "stranger CA").issue(t, "selfsigned.test"))

	plain := http.NewServeMux()
	plain.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(rw, "plain page for %s", r.Host)
	})
	plain.HandleFunc("/to-https", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "https://vanity.test/pkg", http.StatusFound)
	})
	plain.HandleFunc("/to-selfsigned", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "https://selfsigned.test/pkg", http.StatusFound)
	})
	plainSrv := startHTTP(t, recordTo(w.plainSn, plain))

	w.closed = closedPort(t)
	w.opts = Options{
		CACertFile: ca.pemFile,
		ConnectTo: []string{
			"vanity.test:443:127.0.0.1:" + port(t, tlsSrv),
			"mirror.test:443:127.0.0.1:" + port(t, tlsSrv),
			"selfsigned.test:443:127.0.0.1:" + port(t, untrusted),
			"down.test:443:127.0.0.1:" + w.closed,
			":80:127.0.0.1:" + port(t, plainSrv),
		},
	}
	return w
}

func recordTo(s *seen, h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		s.record(r)
		h.ServeHTTP(rw, r)
	})
}

func (w *world) client(t *testing.T, edit func(*Options)) *Client {
	t.Helper()
	opts := w.opts
	if edit != nil {
		edit(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func TestGet(t *testing.T) {
	w := newWorld(t)
	refused := func(host string) string {
		return fmt.Sprintf(`Get "https://%s/pkg": dial tcp 127.0.0.1:%s: connect: connection refused`, host, w.closed)
	}
	tests := []struct {
		name      string
		url       string
		mode      SecurityMode
		wantErr   string
		wantCode  int
		wantBody  string
		wantURL   string
		wantFinal string
		wantHops  int
		wantReqs  int
	}{
		{
			name: "a URL without scheme is fetched over verified https", url: "//vanity.test/pkg?go-get=1",
			wantCode: 200, wantBody: "tls page for vanity.test",
			wantURL: "https://vanity.test/pkg?go-get=1", wantFinal: "https://vanity.test/pkg?go-get=1", wantReqs: 1,
		},
		{
			name: "a 404 is a response whose body is still readable", url: "//vanity.test/missing",
			wantCode: 404, wantBody: "<meta name=go-import>",
			wantURL: "https://vanity.test/missing", wantFinal: "https://vanity.test/missing", wantReqs: 2,
		},
		{
			name: "a redirect to another https host is followed", url: "//vanity.test/to-mirror",
			wantCode: 200, wantBody: "tls page for mirror.test",
			wantURL: "https://vanity.test/to-mirror", wantFinal: "https://mirror.test/pkg", wantHops: 1, wantReqs: 2,
		},
		{
			name: "a redirect from https to http is refused in secure mode", url: "//vanity.test/to-http",
			wantErr: `https fetch: Get "http://plain.test/pkg": redirected from secure URL https://vanity.test/to-http to insecure URL http://plain.test/pkg`,
		},
		{
			name: "a redirect from https to http is followed in insecure mode", url: "//vanity.test/to-http", mode: Insecure,
			wantCode: 200, wantBody: "plain page for plain.test",
			wantURL: "https://vanity.test/to-http", wantFinal: "http://plain.test/pkg", wantHops: 1, wantReqs: 2,
		},
		{
			name: "a redirect loop stops after 10 redirects", url: "https://vanity.test/loop",
			wantErr: `https fetch: Get "https://vanity.test/loop?n=10": stopped after 10 redirects`,
		},
		{
			name: "https with no answer fails in secure mode without trying http", url: "//down.test/pkg",
			wantErr: "https fetch: " + refused("down.test"),
		},
		{
			name: "https with no answer falls back to http in insecure mode", url: "//down.test/pkg", mode: Insecure,
			wantCode: 200, wantBody: "plain page for down.test",
			wantURL: "http://down.test/pkg", wantFinal: "http://down.test/pkg", wantReqs: 2,
		},
		{
			name: "an explicit https URL never falls back to http", url: "https://down.test/pkg", mode: Insecure,
			wantErr: "http/https fetch: " + refused("down.test"),
		},
		{
			name: "an https 404 is used in insecure mode though http would answer 200", url: "//vanity.test/missing", mode: Insecure,
			wantCode: 404, wantBody: "<meta name=go-import>",
			wantURL: "https://vanity.test/missing", wantFinal: "https://vanity.test/missing", wantReqs: 2,
		},
		{
			name: "a certificate from an unknown authority fails in secure mode", url: "//selfsigned.test/pkg",
			wantErr: `https fetch: Get "https://selfsigned.test/pkg": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
		},
		{
			name: "a certificate from an unknown authority is accepted in insecure mode", url: "//selfsigned.test/pkg", mode: Insecure,
			wantCode: 200, wantBody: "tls page for selfsigned.test",
			wantURL: "https://selfsigned.test/pkg", wantFinal: "https://selfsigned.test/pkg", wantReqs: 1,
		},
		{
			name: "an http page redirected to https is still verified in insecure mode", url: "http://plain.test/to-selfsigned", mode: Insecure,
			wantErr: `http/https fetch: Get "https://selfsigned.test/pkg": tls: failed to verify certificate: x509: certificate signed by unknown authority`,
		},
		{
			name: "an http page may redirect to https in insecure mode", url: "http://plain.test/to-https", mode: Insecure,
			wantCode: 200, wantBody: "tls page for vanity.test",
			wantURL: "http://plain.test/to-https", wantFinal: "https://vanity.test/pkg", wantHops: 1, wantReqs: 2,
		},
		{
			name: "an http URL is refused in secure mode", url: "http://plain.test/pkg",
			wantErr: "https fetch: insecure URL: http://plain.test/pkg",
		},
		{
			name: "an unsupported scheme is refused", url: "ftp://vanity.test/pkg", mode: Insecure,
			wantErr: "http/https fetch: unsupported scheme: ftp://vanity.test/pkg",
		},
		{
			name: "credentials in the URL never go over plain http", url: "//user:secret@down.test/pkg", mode: Insecure,
			wantErr: "http/https fetch: refusing to pass credentials to insecure URL: http://user:REDACTED@down.test/pkg",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := w.client(t, nil)
			resp, err := c.Get(context.Background(), mustParse(t, tt.url), tt.mode)
			if tt.wantErr != "" {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("Get(%s) = %s, want error %q", tt.url, resp.Status, tt.wantErr)
				}
				if err.Error() != tt.wantErr {
					t.Fatalf("Get(%s) error:\n got %q\nwant %q", tt.url, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Get(%s): %v", tt.url, err)
			}
			body := readAll(t, resp)
			got := fmt.Sprintf("%d %q url=%s final=%s hops=%d requests=%d", resp.StatusCode, body, resp.URL, resp.FinalURL, len(resp.Redirects), resp.Requests)
			want := fmt.Sprintf("%d %q url=%s final=%s hops=%d requests=%d", tt.wantCode, tt.wantBody, tt.wantURL, tt.wantFinal, tt.wantHops, tt.wantReqs)
			if got != want {
				t.Errorf("Get(%s):\n got %s\nwant %s", tt.url, got, want)
			}
		})
	}
}

func TestRedirectLoopSendsTenRequests(t *testing.T) {
	w := newWorld(t)
	rec := &recorder{}
	c := w.client(t, func(o *Options) { o.Trace = rec.Emit })
	_, err := c.Get(context.Background(), mustParse(t, "https://vanity.test/loop"), SecureOnly)
	if err == nil || !strings.HasSuffix(err.Error(), "stopped after 10 redirects") {
		t.Fatalf("Get error = %v, want stopped after 10 redirects", err)
	}
	if n := len(w.tlsSeen.list()); n != 10 {
		t.Errorf("server saw %d requests, want 10", n)
	}
	var requests, redirects int
	for _, e := range rec.All() {
		switch e.Kind {
		case "request":
			requests++
		case "redirect":
			redirects++
		}
	}
	if requests != 10 || redirects != 10 {
		t.Errorf("trace has %d request and %d redirect events, want 10 and 10", requests, redirects)
	}
}

func TestGetStopsWhenContextIsCanceled(t *testing.T) {
	w := newWorld(t)
	c := w.client(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Get(ctx, mustParse(t, "//vanity.test/pkg"), Insecure)
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("Get with a canceled context = %v, want context canceled", err)
	}
	if n := len(w.plainSn.list()); n != 0 {
		t.Errorf("plain http server saw %d requests after https was canceled, want 0", n)
	}
}

func TestUserAgent(t *testing.T) {
	tests := []struct {
		name    string
		version string
		want    string
	}{
		{"a release version is sent", "v1.2.3", "fetch/v1.2.3 (+https://github.com/gofetch/fetch)"},
		{"no version reads devel", "", "fetch/devel (+https://github.com/gofetch/fetch)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			c := w.client(t, func(o *Options) { o.Version = tt.version })
			resp, err := c.Get(context.Background(), mustParse(t, "//vanity.test/pkg"), SecureOnly)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			reqs := w.tlsSeen.list()
			if len(reqs) != 1 || reqs[0].UserAgent() != tt.want {
				t.Fatalf("server saw %d requests, first with User-Agent %q; want 1 with %q", len(reqs), firstUA(reqs), tt.want)
			}
		})
	}
}

func firstUA(reqs []*http.Request) string {
	if len(reqs) == 0 {
		return ""
	}
	return reqs[0].UserAgent()
}
