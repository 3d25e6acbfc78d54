package download

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
)

// TestDownloadCredentialsStayWithTheirHost: the only credentials a
// download sends are those of its URL's user information (go-getter's
// netrc lookup is off, and it sets no headers), and net/http sends them to
// that host[:port] only: a redirect to a subdomain or another port of the
// same host carries no Authorization.
func TestDownloadCredentialsStayWithTheirHost(t *testing.T) {
	type hit struct{ host, auth string }
	var mu sync.Mutex
	var hits []hit
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			return
		}
		mu.Lock()
		hits = append(hits, hit{r.Host, r.Header.Get("Authorization")})
		mu.Unlock()
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		w.Write([]byte("content"))
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	r, _ := http.NewRequest("GET", "https://x/", nil)
	r.SetBasicAuth("u", "secret")
	auth := r.Header.Get("Authorization")
	tests := []struct {
		name, to string
		want     []hit
	}{
		{"a subdomain gets no credentials", "https://sub.vanity.test/f", []hit{{"vanity.test", auth}, {"sub.vanity.test", ""}}},
		{"another port gets no credentials", "https://vanity.test:8443/f", []hit{{"vanity.test", auth}, {"vanity.test:8443", ""}}},
		{"the same host keeps them", "/f", []hit{{"vanity.test", auth}, {"vanity.test", auth}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			hits = nil
			mu.Unlock()
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: "https://u:secret@vanity.test/f?archive=false&filename=f&to=" + tt.to, Dst: dst, HTTPClient: client})
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if !reflect.DeepEqual(hits, tt.want) {
				t.Errorf("GET requests (host, Authorization) = %q, want %q", hits, tt.want)
			}
		})
	}
}
