package download

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// go-getter v2 lacks two fixes v1 has; these tests fail without what this
// package does about them.

// TestGetIgnoresAHeadThatSaysEmpty: go-getter v2 takes a HEAD answer with
// Accept-Ranges and Content-Length: 0 for a complete file and skips the
// GET (v1.8.10 fixed it, hashicorp/go-getter#539). The download sends no
// HEAD at all.
func TestGetIgnoresAHeadThatSaysEmpty(t *testing.T) {
	var mu sync.Mutex
	var methods []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		methods = append(methods, r.Method)
		mu.Unlock()
		w.Header().Set("Accept-Ranges", "bytes")
		if r.Method == http.MethodHead {
			w.Header().Set("Content-Length", "0")
			return
		}
		io.WriteString(w, "the content")
	}))
	t.Cleanup(srv.Close)
	dst := emptyDst(t)
	if _, err := Get(context.Background(), Request{URL: srv.URL + "/f.txt", Dst: dst, HTTPClient: srv.Client()}); err != nil {
		t.Fatalf("Get: %v", err)
	}
	if d := diffTree(readTree(t, dst), map[string]string{"f.txt": "the content"}); d != "" {
		t.Errorf("destination: %s", d)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(methods, " ") != "GET" {
		t.Errorf("requests = %v, want one GET", methods)
	}
}

// TestGetRefusesAZipEntryItCannotOpen: go-getter v2's zip decompressor
// closes the nil reader of an entry that fails to open, and panics
// (v1.6.1 fixed it, GHSA-x24g). The scan refuses such an entry first.
func TestGetRefusesAZipEntryItCannotOpen(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	const method = 99 // no reader knows it
	zw.RegisterCompressor(method, func(w io.Writer) (io.WriteCloser, error) { return nopWriteCloser{w}, nil })
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "a.txt", Method: method})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "data")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, map[string]served{"/a.zip": {body: buf.Bytes()}})
	dst := emptyDst(t)
	_, err = Get(context.Background(), Request{URL: srv.URL + "/a.zip", Dst: dst, HTTPClient: srv.Client()})
	if err == nil || !strings.Contains(err.Error(), `zip entry "a.txt" cannot be read`) {
		t.Fatalf("Get: error = %v, want one saying the entry cannot be read", err)
	}
	checkEmpty(t, dst)
}

// TestSubdirNeverGoesThroughALink: a link in a fetched tree (root -> /)
// must not let a //subdir glob reach the host (CVE-2025-8959; go-getter
// v2's copy has no such check). The match is refused, and the host's
// directory is left where it is.
func TestSubdirNeverGoesThroughALink(t *testing.T) {
	host := t.TempDir()
	if err := os.WriteFile(filepath.Join(host, "passwd"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.Symlink(host, filepath.Join(root, "root")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(root, "in", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	dst := emptyDst(t)
	s := &session{req: Request{Dst: dst}, src: &source{shown: "x", subdir: "root/passwd"}}
	err := s.placeDir(root, &Result{})
	if err == nil || !strings.Contains(err.Error(), "a symbolic link in what was fetched") {
		t.Fatalf("placeDir: error = %v, want the link refused", err)
	}
	if _, err := os.Stat(filepath.Join(host, "passwd")); err != nil {
		t.Errorf("the host's file moved: %v", err)
	}
	checkEmpty(t, dst)
	s.src.subdir = "in/sub"
	if err := s.placeDir(root, &Result{}); err != nil {
		t.Errorf("placeDir of a plain directory: %v", err)
	}
}

// TestURLFileNameIsAPlainName: the name a single file gets comes from the
// URL path's last element when ?filename= is absent, and an escaped
// backslash (%5C) survives path.Base: "..\..\x" would be placed by
// filepath.Join two directories above the destination on Windows. Like
// ?filename=, the URL's name must be a plain file name on every system;
// nothing is written.
func TestURLFileNameIsAPlainName(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "the content")
	}))
	t.Cleanup(srv.Close)
	for _, u := range []string{srv.URL + "/d/..%5C..%5Cescaped.txt", srv.URL + "/d/a%5Cb.txt", srv.URL + "/d/..%5C..%5Cescaped.txt.gz",
		// fetch-cloud would write the object to DST/NAME (never run here).
		"s3::http://127.0.0.1:1/bucket/d/..%5C..%5C..%5Cescaped.txt"} {
		t.Run(u, func(t *testing.T) {
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: u, Dst: dst, HTTPClient: srv.Client()})
			if err == nil || !strings.Contains(err.Error(), "plain file name") {
				t.Fatalf("Get: error = %v, want the URL's file name refused as not a plain file name", err)
			}
			if d := diffTree(readTree(t, dst), map[string]string{}); d != "" {
				t.Errorf("destination: %s", d)
			}
		})
	}
}
