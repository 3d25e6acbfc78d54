package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestModuleProxyRequestsCarryGOAUTHCredentials: module proxy requests
// (Client.Authorized) get GOAUTH's credentials as discovery pages do, per
// redirect hop, and after a 4xx GOAUTH runs again with the URL and the
// request is asked once more.
func TestModuleProxyRequestsCarryGOAUTHCredentials(t *testing.T) {
	auth := &seen{}
	ca := newTestCA(t, "proxy CA")
	srv := startTLS(t, recordTo(auth, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect/@v/list" {
			http.Redirect(rw, r, "https://other.test/mod/@v/list", http.StatusFound)
			return
		}
		if r.Host == "other.test" {
			fmt.Fprintln(rw, "v1.0.0")
			return
		}
		if user, pass, ok := r.BasicAuth(); !ok || user != "aladdin" || pass != "opensesame" {
			http.Error(rw, "login required", http.StatusUnauthorized)
			return
		}
		fmt.Fprintln(rw, "v1.0.0")
	})), ca.issue(t, "proxy.test", "other.test"))
	rules := []string{"proxy.test:443:127.0.0.1:" + port(t, srv), "other.test:443:127.0.0.1:" + port(t, srv)}
	netrc := writeFile(t, "netrc", "machine proxy.test login aladdin password opensesame\n")
	// The helper answers only when asked about a URL, that is after a 4xx.
	helper := filepath.Join(t.TempDir(), "helper")
	os.WriteFile(helper, []byte("#!/bin/sh\n[ $# -eq 1 ] || exit 0\nprintf 'https://proxy.test\\n\\nAuthorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l\\n\\n'\n"), 0o755)

	tests := []struct {
		name, goauth, netrc, url string
		wantStatus               int
		wantAuth                 []bool
	}{
		{"netrc (the default) opens the proxy on the first request", "", netrc, "https://proxy.test/mod/@v/list", 200, []bool{true}},
		{"GOAUTH=off sends nothing; the 401 is asked once more", "off", netrc, "https://proxy.test/mod/@v/list", 401, []bool{false, false}},
		{"a command asked after the 401 supplies the login", helper, "", "https://proxy.test/mod/@v/list", 200, []bool{false, true}},
		{"a redirect to another host carries no login", "", netrc, "https://proxy.test/redirect/@v/list", 200, []bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth.reset()
			c, err := New(Options{CACertFile: ca.pemFile, ConnectTo: rules, Netrc: tt.netrc, GOAUTH: tt.goauth})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			hc := &http.Client{Transport: c.Authorized(c.Transport(SecureOnly))}
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, tt.url, nil)
			res, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if got := hasAuth(auth.list()); !reflect.DeepEqual(got, tt.wantAuth) {
				t.Errorf("requests carried Authorization %v, want %v", got, tt.wantAuth)
			}
		})
	}
}
