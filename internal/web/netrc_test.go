package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"testing"
)

// TestNetrcCredentials follows the Go command: netrc credentials go with
// every https request to their host, a 4xx is asked again once, and no
// plain http request ever carries them.
func TestNetrcCredentials(t *testing.T) {
	w := newWorld(t)
	auth := &seen{}
	ca := newTestCA(t, "auth CA")
	srv := startTLS(t, recordTo(auth, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		switch {
		case r.URL.Path == "/to-http":
			http.Redirect(rw, r, "http://private.test/pkg", http.StatusFound)
		case r.URL.Path == "/gone":
			http.NotFound(rw, r)
		case !ok || user != "aladdin" || pass != "opensesame":
			rw.Header().Set("WWW-Authenticate", `Basic realm="x"`)
			http.Error(rw, "ACCESS DENIED, buddy", http.StatusUnauthorized)
		default:
			fmt.Fprint(rw, "secret page")
		}
	})), ca.issue(t, "private.test"))
	netrc := writeFile(t, "netrc", "machine private.test login aladdin password opensesame\nmachine down.test login aladdin password opensesame\n")
	rules := append([]string{"private.test:443:127.0.0.1:" + port(t, srv)}, w.opts.ConnectTo...)

	tests := []struct {
		name       string
		netrc      string
		url        string
		mode       SecurityMode
		wantStatus string
		wantAuth   []bool // per request the https server saw: Authorization present
		plainAuth  []bool // per request the http server saw
	}{
		{"credentials open a protected page on the first request", netrc, "//private.test/pkg", SecureOnly, "200 OK", []bool{true}, nil},
		{"without an entry a 401 is asked again once", "", "//private.test/pkg", SecureOnly, "401 Unauthorized", []bool{false, false}, nil},
		{"a 404 with credentials is asked again once, with them", netrc, "//private.test/gone", SecureOnly, "404 Not Found", []bool{true, true}, nil},
		{"credentials are not sent after a redirect to http", netrc, "//private.test/to-http", Insecure, "200 OK", []bool{true}, []bool{false}},
		{"credentials are not sent over the http fallback", netrc, "//down.test/pkg", Insecure, "200 OK", nil, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth.reset()
			w.plainSn.reset()
			c, err := New(Options{CACertFile: ca.pemFile, ConnectTo: rules, Netrc: tt.netrc})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			resp, err := c.Get(context.Background(), mustParse(t, tt.url), tt.mode)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.Status != tt.wantStatus {
				t.Errorf("status = %q, want %q", resp.Status, tt.wantStatus)
			}
			if got := hasAuth(auth.list()); !reflect.DeepEqual(got, tt.wantAuth) {
				t.Errorf("https requests carried Authorization %v, want %v", got, tt.wantAuth)
			}
			if got := hasAuth(w.plainSn.list()); !reflect.DeepEqual(got, tt.plainAuth) {
				t.Errorf("http requests carried Authorization %v, want %v", got, tt.plainAuth)
			}
		})
	}
}

func hasAuth(reqs []*http.Request) []bool {
	var got []bool
	for _, r := range reqs {
		got = append(got, r.Header.Get("Authorization") != "")
	}
	return got
}

// TestNetrcCredentialsFollowTheirHostAcrossRedirects: a redirect hop gets
// the netrc login of exactly its own host[:port], never the one of the
// host it came from. net/http alone forwards the first request's
// Authorization to the same host on another port and to subdomains.
func TestNetrcCredentialsFollowTheirHostAcrossRedirects(t *testing.T) {
	ca := newTestCA(t, "redirect CA")
	type hit struct{ host, auth string }
	var mu sync.Mutex
	var hits []hit
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits = append(hits, hit{r.Host, r.Header.Get("Authorization")})
		mu.Unlock()
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(rw, r, to, http.StatusFound)
			return
		}
		fmt.Fprint(rw, "page")
	})
	srv := startTLS(t, h, ca.issue(t, "vanity.test", "sub.vanity.test", "other.test"))
	p := port(t, srv)
	rules := []string{
		"vanity.test:443:127.0.0.1:" + p,
		"vanity.test:8443:127.0.0.1:" + p,
		"sub.vanity.test:443:127.0.0.1:" + p,
		"other.test:443:127.0.0.1:" + p,
	}
	netrcFile := writeFile(t, "netrc", "machine vanity.test login v password vpass\nmachine other.test login o password opass\nmachine sub.vanity.test:443 login s password spass\n")
	basic := func(user, pass string) string {
		r, _ := http.NewRequest("GET", "https://x/", nil)
		r.SetBasicAuth(user, pass)
		return r.Header.Get("Authorization")
	}
	v, o := basic("v", "vpass"), basic("o", "opass")
	tests := []struct {
		name string
		to   string
		want []hit
	}{
		{"a subdomain gets no login of its parent", "https://sub.vanity.test/pkg",
			[]hit{{"vanity.test", v}, {"sub.vanity.test", ""}}},
		{"another port of the same host gets no login", "https://vanity.test:8443/pkg",
			[]hit{{"vanity.test", v}, {"vanity.test:8443", ""}}},
		{"another host gets its own login", "https://other.test/pkg",
			[]hit{{"vanity.test", v}, {"other.test", o}}},
		{"the same host keeps its login", "/pkg2",
			[]hit{{"vanity.test", v}, {"vanity.test", v}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			hits = nil
			mu.Unlock()
			c, err := New(Options{CACertFile: ca.pemFile, ConnectTo: rules, Netrc: netrcFile})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			u := mustParse(t, "https://vanity.test/pkg")
			u.RawQuery = url.Values{"to": {tt.to}}.Encode()
			resp, err := c.Get(context.Background(), u, SecureOnly)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			mu.Lock()
			defer mu.Unlock()
			if !reflect.DeepEqual(hits, tt.want) {
				t.Errorf("requests (host, Authorization) = %q, want %q", hits, tt.want)
			}
		})
	}
}
