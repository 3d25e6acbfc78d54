package modproxy

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFetchRefuses(t *testing.T) {
	const path = "example.com/m"
	good, _ := moduleZip(t, path, "v1.0.0")
	info := reply{body: infoJSON(t, "v1.0.0")}
	at := func(zip []byte) map[string]reply {
		return map[string]reply{"/example.com/m/@v/v1.0.0.info": info, "/example.com/m/@v/v1.0.0.zip": {body: zip}}
	}
	tests := []struct {
		name     string
		proxyURL string // "" means the test proxy
		path     string
		version  string
		replies  map[string]reply
		maxZip   int64
		wantErr  string
		notExist bool // the error must match fs.ErrNotExist
		noHits   bool // the proxy must not have been asked anything
	}{
		{"a version starting with - is refused before any request", "", path, "-v1.0.0", at(good), 0, `version "-v1.0.0" starts with "-"`, false, true},
		{"a version starting with / is refused before any request", "", path, "/../../x", at(good), 0, `version "/../../x" starts with "/"`, false, true},
		{"a version with a path separator inside is refused", "", path, "v1.0.0/../x", at(good), 0, "disallowed version string", false, true},
		{"a 404 version matches fs.ErrNotExist and names the URL", "", path, "v9.9.9", at(good), 0, "v9.9.9.info: 404 Not Found (server response: not found:", true, false},
		{"a 410 version matches fs.ErrNotExist", "", path, "v1.0.0", map[string]reply{"/example.com/m/@v/v1.0.0.info": {status: http.StatusGone}}, 0, "410 Gone", true, false},
		{"a server error quotes the first line of its message", "", path, "v1.0.0", map[string]reply{"/example.com/m/@v/v1.0.0.info": {status: 500, body: []byte("boom\nstack trace")}}, 0,
			"500 Internal Server Error (server response: boom)", false, false},
		{"a server message cannot drive the terminal: ESC, C1 CSI and a bidi override are escaped", "", path, "v1.0.0",
			map[string]reply{"/example.com/m/@v/v1.0.0.info": {status: 500, body: []byte("\x1b[2J\u009b31m\u202eboom")}}, 0,
			`500 Internal Server Error (server response: \x1b[2J\x9b31m\u202eboom)`, false, false},
		{"a missing list is the module not found, in the server's words", "", path, "", map[string]reply{
			"/example.com/m/@v/list": {status: 404, body: []byte("not found: module example.com/m: no matching versions\nmore")}}, 0,
			"@v/list: 404 Not Found (server response: not found: module example.com/m: no matching versions)", true, false},
		{"an empty list and no @latest is an error", "", path, "", map[string]reply{"/example.com/m/@v/list": {body: []byte("v1.0.0-bad+meta\n")}}, 0,
			"lists no versions of it, and its @latest is not found", true, false},
		{"a proxy answering with another version is refused", "", path, "v1.0.0", map[string]reply{"/example.com/m/@v/v1.0.0.info": {body: infoJSON(t, "v1.1.0")}}, 0,
			`answered with version "v1.1.0" instead`, false, false},
		{"a non-canonical version in .info is refused", "", path, "main", map[string]reply{"/example.com/m/@v/main.info": {body: []byte(`{"Version":"v1.0"}`)}}, 0,
			`version "v1.0" is not canonical`, false, false},
		{"a .info that is not JSON is refused", "", path, "v1.0.0", map[string]reply{"/example.com/m/@v/v1.0.0.info": {body: []byte("<html>")}}, 0,
			"invalid @v/v1.0.0.info", false, false},
		{"a zip whose files lack the module prefix is refused", "", path, "v1.0.0", at(rawZip(t, "other.com/x@v1.0.0/go.mod", "module other.com/x\n")), 0,
			`other.com/x@v1.0.0/go.mod: path does not have prefix "example.com/m@v1.0.0/"`, false, false},
		{"a zip with a .. path is refused", "", path, "v1.0.0", at(rawZip(t, path+"@v1.0.0/go.mod", "module "+path+"\n", path+"@v1.0.0/../evil.go", "package evil\n")), 0,
			"evil.go", false, false},
		{"a zip with names that collide on a case-insensitive disk is refused", "", path, "v1.0.0", at(rawZip(t, path+"@v1.0.0/A.go", "package a\n", path+"@v1.0.0/a.go", "package a\n")), 0,
			"case-insensitive file name collision", false, false},
		{"a zip that is not a zip is refused", "", path, "v1.0.0", at([]byte("not a zip")), 0, "zip", false, false},
		{"a zip over the size bound is refused", "", path, "v1.0.0", at(good), 64, "response larger than 64 bytes", false, false},
		{"an invalid module path is refused before any request", "", "not a path", "v1.0.0", at(good), 0, `module path "not a path"`, false, true},
		{"a file:// proxy is refused", "file:///tmp/proxy", path, "v1.0.0", nil, 0, "want an http or https URL", false, true},
		{"the word direct is not a proxy URL", "direct", path, "v1.0.0", nil, 0, "want an http or https URL", false, true},
		{"a proxy URL with a query is refused", "https://proxy.example/?x=1", path, "v1.0.0", nil, 0, "takes no query", false, true},
		{"a proxy URL that looks like an option is refused", "-proxy", path, "v1.0.0", nil, 0, "starts with '-'", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newProxy(t, tt.replies)
			proxyURL := tt.proxyURL
			if proxyURL == "" {
				proxyURL = p.URL
			}
			dst := filepath.Join(t.TempDir(), "m")
			f, err := newFetcher(p.Client(), nil, proxyURL, tt.path)
			if err == nil {
				f.maxZip = 1 << 20
				if tt.maxZip != 0 {
					f.maxZip = tt.maxZip
				}
				_, err = f.fetch(context.Background(), tt.version, dst)
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("fetch: error = %v, want one saying %q", err, tt.wantErr)
			}
			if errors.Is(err, fs.ErrNotExist) != tt.notExist {
				t.Errorf("errors.Is(%v, fs.ErrNotExist) = %v, want %v", err, !tt.notExist, tt.notExist)
			}
			if _, serr := os.Stat(dst); !errors.Is(serr, fs.ErrNotExist) {
				t.Errorf("the destination exists after the failure (%v)", serr)
			}
			if hits := p.requests(); tt.noHits && len(hits) > 0 {
				t.Errorf("the proxy was asked %v before the input was refused", hits)
			}
		})
	}
}

func TestFetchLeavesAnExistingDestinationEmpty(t *testing.T) {
	bad := rawZip(t, "example.com/m@v1.0.0/go.mod", "module example.com/m\n", "example.com/m@v1.0.0/a.go", "package a\n", "example.com/m@v1.0.0/A.go", "package a\n")
	p := newProxy(t, map[string]reply{
		"/example.com/m/@v/v1.0.0.info": {body: infoJSON(t, "v1.0.0")},
		"/example.com/m/@v/v1.0.0.zip":  {body: bad},
	})
	dst := t.TempDir()
	if _, err := Fetch(context.Background(), p.Client(), p.URL, "example.com/m", "v1.0.0", dst, nil); err == nil {
		t.Fatal("Fetch of a bad zip succeeded")
	}
	if ents, err := os.ReadDir(dst); err != nil || len(ents) != 0 {
		t.Errorf("destination after the failure: %v, %v; want it there and empty", ents, err)
	}
}

func TestFetchRefusesANonEmptyDestination(t *testing.T) {
	p := newProxy(t, map[string]reply{})
	dst := t.TempDir()
	if err := os.WriteFile(filepath.Join(dst, "keep"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Fetch(context.Background(), p.Client(), p.URL, "example.com/m", "v1.0.0", dst, nil)
	if err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Fatalf("Fetch into a non-empty directory: error = %v, want one saying it is not empty", err)
	}
	if hits := p.requests(); len(hits) > 0 {
		t.Errorf("the proxy was asked %v before the destination was checked", hits)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "keep")); err != nil || string(b) != "mine" {
		t.Errorf("the destination's own file changed: %q, %v", b, err)
	}
}
