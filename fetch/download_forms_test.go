package fetch

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/download"
)

func TestCheckWebPage(t *testing.T) {
	const tag = `<html><head><meta name="go-import" content="example.org/pkg git https://code.example/pkg.git"></head><body>x</body></html>`
	const html = "text/html; charset=utf-8"
	plain := &download.Result{File: "page"}
	tests := []struct {
		name, src, contentType, body string
		out                          *download.Result
		want                         string // the import path named, "" for a download
	}{
		{"the page of the import path", "https://example.org/pkg", html, tag, plain, "example.org/pkg"},
		{"a page below the tag's prefix", "https://example.org/pkg/sub/dir", html, tag, plain, "example.org/pkg/sub/dir"},
		{"a trailing slash is not part of the path", "https://example.org/pkg/?go-get=1", html, tag, plain, "example.org/pkg"},
		{"plain http too", "http://example.org/pkg", "TEXT/HTML", tag, plain, "example.org/pkg"},
		{"two matching tags still make it a vanity page", "https://example.org/pkg", html, tag + tag, plain, "example.org/pkg"},
		{"a forced http getter is the user's explicit words", "http::https://example.org/pkg", html, tag, plain, ""},
		{"a checksum asks for a download", "https://example.org/pkg?checksum=sha256:00", html, tag, plain, ""},
		{"an archive option asks for a download", "https://example.org/pkg?archive=false", html, tag, plain, ""},
		{"a filename asks for a download", "https://example.org/pkg?filename=p.html", html, tag, plain, ""},
		{"a subdir asks for a download", "https://example.org/pkg.zip//d", html, tag, plain, ""},
		{"not text/html", "https://example.org/pkg", "text/plain", tag, plain, ""},
		{"no content type", "https://example.org/pkg", "", tag, plain, ""},
		{"an html page without tags", "https://example.org/doc.html", html, "<html><head></head><body>doc</body></html>", plain, ""},
		{"a tag for another path", "https://example.org/other", html, tag, plain, ""},
		{"a tag after the body is not read", "https://example.org/pkg", html, "<html><body>" + tag, plain, ""},
		{"a host with a port is no import path", "https://example.org:8443/pkg", html, tag, plain, ""},
		{"a repository's page on a known hosting site needs no tag", "https://github.com/o/r", html, "<html><body>r</body></html>", plain, "github.com/o/r"},
		{"a deeper page on a known hosting site is no import path", "https://github.com/o/r/blob/main/x.go", html, "<html></html>", plain, ""},
		{"a known hosting site's page not in html", "https://github.com/o/r", "application/octet-stream", "r", plain, ""},
		{"an extracted archive is no page", "https://example.org/pkg", html, tag, &download.Result{Archive: "zip"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := detect.Parse(tt.src, "/")
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if tt.out.File != "" {
				if err := os.WriteFile(filepath.Join(dir, tt.out.File), []byte(tt.body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err = checkWebPage(src, tt.contentType, tt.out, dir)
			var wp *WebPageError
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("checkWebPage: %v; want a download", err)
			case tt.want != "" && !errors.As(err, &wp):
				t.Errorf("checkWebPage: %v; want the web page of %s", err, tt.want)
			case tt.want != "" && (wp.ImportPath != tt.want || !errors.Is(err, ErrWebPage)):
				t.Errorf("checkWebPage: %#v; want the web page of %s, matching ErrWebPage", wp, tt.want)
			}
		})
	}
}

func TestWebPageErrorNeverSuggestsARedactedURL(t *testing.T) {
	e := &WebPageError{URL: "https://REDACTED@example.org/pkg", ImportPath: "example.org/pkg", secret: true}
	if want := "this is the web page of import path example.org/pkg; run: fetch example.org/pkg"; e.Error() != want {
		t.Errorf("Error() = %q; want %q", e.Error(), want)
	}
}

func TestFileMode(t *testing.T) {
	file := &download.Result{File: "f.txt"}
	tests := []struct {
		name, dest, src string
		out             *download.Result
		want            bool
	}{
		{"-o FILE with one plain file", "/w/out.txt", "https://h/f.txt", file, true},
		{"a relative -o", "out", "https://h/f.txt", file, true},
		{"a local file", "/w/copy", "file:///srv/f.txt", file, true},
		{"no -o: the tree keeps a directory", "", "https://h/f.txt", file, false},
		{"a trailing slash asks for a directory", "/w/dir/", "https://h/f.txt", file, false},
		{"?filename= names a file inside a directory", "/w/dir", "https://h/f.txt?filename=g", file, false},
		{"an extracted archive is a tree", "/w/dir", "https://h/t.tar.gz", &download.Result{Archive: "tar.gz"}, false},
		{"a decompressed stream is still an archive", "/w/dir", "https://h/f.gz", &download.Result{Archive: "gz", File: "f"}, false},
		{"a subdir of an archive that is a file", "/w/dir", "https://h/t.zip//bin/x", &download.Result{Archive: "zip", File: "x", Subdir: "bin/x"}, false},
		{"a directory", "/w/dir", "file:///srv/d", &download.Result{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := detect.Parse(tt.src, "/")
			if err != nil {
				t.Fatal(err)
			}
			if got := fileMode(tt.dest, src, tt.out); got != tt.want {
				t.Errorf("fileMode(%q, %q) = %v; want %v", tt.dest, tt.src, got, tt.want)
			}
		})
	}
}

func TestPlainGetter(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a forced file getter on a file URL", "file::file:///srv/x", "file:///srv/x"},
		{"a forced https getter on an https URL", "https::https://h/x", "https://h/x"},
		{"the http getter serves https too", "http::https://h/x", "https://h/x"},
		{"a getter the scheme does not select is kept", "s3::https://s3.amazonaws.com/b/k", "s3::https://s3.amazonaws.com/b/k"},
		{"no forced getter", "https://h/x", "https://h/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plainGetter(tt.in); got != tt.want {
				t.Errorf("plainGetter(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}
