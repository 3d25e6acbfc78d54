package modproxy

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/trace"
)

func TestFetch(t *testing.T) {
	const path = "example.com/m"
	zips, hashes := map[string][]byte{}, map[string]string{}
	for _, v := range []string{"v1.0.0", "v1.2.0", "v1.10.0", "v0.1.0-beta", "v0.0.0-20250101000000-123456789abc", "v0.0.0-20240101000000-abcdefabcdef"} {
		zips[v], hashes[v] = moduleZip(t, path, v)
	}
	upperZip, upperHash := moduleZip(t, "example.com/Upper", "v1.0.0")
	// serve returns the replies of a proxy at /p/ that knows the given
	// versions, plus list and @latest when they are not empty.
	serve := func(list, latest string, versions ...string) map[string]reply {
		r := map[string]reply{}
		for _, v := range versions {
			r["/p/example.com/m/@v/"+v+".info"] = reply{body: infoJSON(t, v)}
			r["/p/example.com/m/@v/"+v+".zip"] = reply{body: zips[v]}
		}
		if list != "-" {
			r["/p/example.com/m/@v/list"] = reply{body: []byte(list)}
		}
		if latest != "" {
			r["/p/example.com/m/@latest"] = reply{body: infoJSON(t, latest)}
		}
		return r
	}
	all := []string{"v1.0.0", "v1.2.0", "v1.10.0", "v0.1.0-beta", "v0.0.0-20250101000000-123456789abc", "v0.0.0-20240101000000-abcdefabcdef"}
	withQuery := serve("-", "", "v1.2.0")
	withQuery["/p/example.com/m/@v/main.info"] = reply{body: infoJSON(t, "v1.2.0")}
	tests := []struct {
		name    string
		path    string
		version string
		replies map[string]reply
		want    string // version fetched
	}{
		{"an explicit version is downloaded, unpacked and hashed", path, "v1.2.0", serve("-", "", "v1.2.0"), "v1.2.0"},
		{"no version picks the highest release in the list, whatever @latest says", path, "",
			serve("v1.0.0\nv1.10.0 2024-01-01T00:00:00Z\nv1.2.0\nv2.0.0\nv1.11.0-rc.1\n", "v1.0.0", all...), "v1.10.0"},
		{"no version picks the highest pre-release when the list has no release", path, "",
			serve("v0.1.0-alpha\nv0.1.0-beta\n", "v1.0.0", all...), "v0.1.0-beta"},
		{"a list of pseudo-versions only leaves the choice to @latest", path, "",
			serve("v0.0.0-20240101000000-abcdefabcdef\n", "v0.0.0-20250101000000-123456789abc", all...), "v0.0.0-20250101000000-123456789abc"},
		{"an empty list falls back to @latest", path, "", serve("", "v1.0.0", all...), "v1.0.0"},
		{"@latest not found falls back to the newest pseudo-version in the list", path, "",
			serve("v0.0.0-20240101000000-abcdefabcdef\nv0.0.0-20250101000000-123456789abc\nv0.0.0-20230101000000-abcdefabcdef\n", "", all...), "v0.0.0-20250101000000-123456789abc"},
		{"@latest not found falls back to the version with the newest time in the list", path, "",
			serve("v0.0.0-20250101000000-123456789abc\nv0.0.0-20240101000000-abcdefabcdef 2026-01-01T00:00:00Z\n", "", all...), "v0.0.0-20240101000000-abcdefabcdef"},
		{"a query such as a branch name is resolved through its .info", path, "main", withQuery, "v1.2.0"},
		{"an upper-case module path is escaped in the proxy URLs", "example.com/Upper", "v1.0.0", map[string]reply{
			"/p/example.com/!upper/@v/v1.0.0.info": {body: infoJSON(t, "v1.0.0")},
			"/p/example.com/!upper/@v/v1.0.0.zip":  {body: upperZip},
		}, "v1.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := newProxy(t, tt.replies)
			dst := filepath.Join(t.TempDir(), "m")
			m, err := Fetch(context.Background(), p.Client(), p.URL+"/p/", tt.path, tt.version, dst, nil)
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			wantHash := hashes[tt.want]
			if tt.path != path {
				wantHash = upperHash
			}
			if m.Path != tt.path || m.Version != tt.want || !m.Time.Equal(versionTime) || m.Hash != wantHash {
				t.Errorf("Fetch = %+v, want {Path:%s Version:%s Time:%v Hash:%s}", *m, tt.path, tt.want, versionTime, wantHash)
			}
			if got, want := readTree(t, dst), modFiles(tt.path); !maps.Equal(got, want) {
				t.Errorf("unpacked %v, want %v", got, want)
			}
			fi, err := os.Stat(filepath.Join(dst, "go.mod"))
			if err != nil || fi.Mode().Perm() != 0o644 {
				t.Errorf("go.mod mode = %v (%v), want 0644", fi.Mode(), err)
			}
		})
	}
}

func TestFetchIntoAnExistingEmptyDirectory(t *testing.T) {
	z, h1 := moduleZip(t, "example.com/m", "v1.0.0")
	p := newProxy(t, map[string]reply{
		"/example.com/m/@v/v1.0.0.info": {body: infoJSON(t, "v1.0.0")},
		"/example.com/m/@v/v1.0.0.zip":  {body: z},
	})
	dst := t.TempDir()
	m, err := Fetch(context.Background(), p.Client(), p.URL, "example.com/m", "v1.0.0", dst, nil)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if m.Hash != h1 || len(readTree(t, dst)) != len(modFiles("example.com/m")) {
		t.Errorf("Fetch = %+v with %d files, want hash %s and %d files", *m, len(readTree(t, dst)), h1, len(modFiles("example.com/m")))
	}
}

func TestFetchTracesWithoutCredentials(t *testing.T) {
	z, _ := moduleZip(t, "example.com/m", "v1.0.0")
	p := newProxy(t, map[string]reply{
		"/example.com/m/@v/v1.0.0.info": {body: infoJSON(t, "v1.0.0")},
		"/example.com/m/@v/v1.0.0.zip":  {body: z},
	})
	var events []string
	tr := func(e trace.Event) { events = append(events, fmt.Sprintf("%s %d %s", e.Kind, e.Status, e.URL)) }
	proxyURL := strings.Replace(p.URL, "https://", "https://bob:s3cret@", 1)
	for _, version := range []string{"v1.0.0", "v9.9.9"} {
		_, err := Fetch(context.Background(), p.Client(), proxyURL, "example.com/m", version, filepath.Join(t.TempDir(), "m"), tr)
		if err != nil {
			events = append(events, err.Error())
		}
	}
	text := strings.Join(events, "\n")
	for _, want := range []string{"request 0 https://bob:REDACTED@", "response 200 https://bob:REDACTED@", "response 404", "/example.com/m/@v/v1.0.0.zip", "v9.9.9.info: 404 Not Found"} {
		if !strings.Contains(text, want) {
			t.Errorf("trace and errors do not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "s3cret") {
		t.Errorf("trace or errors show the password:\n%s", text)
	}
}
