package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"
)

func TestFormatDetail(t *testing.T) {
	line := func(n int) string { return strings.Repeat("x", n) }
	lines := func(n int) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "line %d\n", i)
		}
		return b.String()
	}
	tests := []struct {
		name string
		page string
		want string
	}{
		{"one line is kept", "404 page not found\n", "404 page not found"},
		{"several lines are joined with newline-tab", "a\nb\nc\n", "a\n\tb\n\tc"},
		{"the detail stops at the first blank line", "a\nb\n\nc\n", "a\n\tb"},
		{"a line of spaces counts as blank", "a\n   \nc\n", "a"},
		{"eight lines are kept whole", lines(8), strings.TrimSuffix(strings.ReplaceAll(lines(8), "\n", "\n\t"), "\n\t")},
		{"a ninth line is replaced by a marker", lines(9), strings.ReplaceAll(strings.TrimSuffix(lines(8), "\n"), "\n", "\n\t") + "\n\t[Truncated: too many lines.]"},
		{"a ninth blank line needs no marker", lines(8) + "\n" + "more\n", strings.ReplaceAll(strings.TrimSuffix(lines(8), "\n"), "\n", "\n\t")},
		{"a line of 648 bytes fits", line(648), line(648)},
		{"a line of 649 bytes is too long", line(649), "[Truncated: too long.]"},
		{"the byte budget counts separators", line(600) + "\n" + line(47) + "\n", line(600) + "\n\t[Truncated: too long.]"},
		{"the byte budget allows an exact fit", line(600) + "\n" + line(46) + "\n", line(600) + "\n\t" + line(46)},
		{"invalid UTF-8 is not quoted", "bad \xff byte\n", ""},
		{"control characters are not quoted", "red \x1b[31m text\n", ""},
		{"control characters after the kept lines still stop quoting", "fine\n\n\x1b]0;title\x07\n", ""},
		{"non-ASCII text is quoted", "accès refusé\n", "accès refusé"},
		{"an empty page gives no detail", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunk := range []int{1, 7, len(tt.page) + 1} {
				d := &detailBuffer{}
				for p := []byte(tt.page); len(p) > 0; {
					n := min(chunk, len(p))
					d.write(p[:n])
					p = p[n:]
				}
				if got := formatDetail(d.String()); got != tt.want {
					t.Errorf("with %d-byte reads: formatDetail(%q) =\n%q, want\n%q", chunk, tt.page, got, tt.want)
				}
			}
		})
	}
}

func TestDetailBufferDropsACharacterCutByTheCap(t *testing.T) {
	d := &detailBuffer{}
	d.write([]byte(strings.Repeat("x", detailCap-1) + "é and more"))
	s := d.String()
	if s != strings.Repeat("x", detailCap-1) {
		t.Errorf("kept %d bytes ending %q, want the %d x's without the cut é", len(s), s[len(s)-3:], detailCap-1)
	}
}

func TestResponseErr(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        string
	}{
		{"a 200 is not an error", 200, "text/plain", "fine\n", ""},
		{"a 404 without text names the status", 404, "text/html", "<p>gone</p>", "reading https://err.test/p: 404 Not Found"},
		{"a one-line text page follows on the same line", 404, "text/plain; charset=utf-8", "404 page not found\n",
			"reading https://err.test/p: 404 Not Found\n\tserver response: 404 page not found"},
		{"a several-line text page goes below", 500, "text/plain", "oops\nit broke\n",
			"reading https://err.test/p: 500 Internal Server Error\n\tserver response:\n\toops\n\tit broke"},
		{"us-ascii text is quoted", 403, "text/plain; charset=US-ASCII", "no\n", "reading https://err.test/p: 403 Forbidden\n\tserver response: no"},
		{"text in another charset is not quoted", 403, "text/plain; charset=iso-8859-1", "no\n", "reading https://err.test/p: 403 Forbidden"},
		{"html is not quoted", 500, "text/html; charset=utf-8", "oops\n", "reading https://err.test/p: 500 Internal Server Error"},
	}
	ca := newTestCA(t, "fetch test CA")
	var current struct {
		status      int
		contentType string
		body        string
	}
	srv := startTLS(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", current.contentType)
		rw.WriteHeader(current.status)
		io.WriteString(rw, current.body)
	}), ca.issue(t, "err.test"))
	c, err := New(Options{CACertFile: ca.pemFile, ConnectTo: []string{"err.test:443:127.0.0.1:" + port(t, srv)}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			current.status, current.contentType, current.body = tt.status, tt.contentType, tt.body
			resp, err := c.Get(context.Background(), mustParse(t, "https://err.test/p"), SecureOnly)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got := ""
			if err := resp.Err(); err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Err() =\n%q, want\n%q", got, tt.want)
			}
		})
	}
}

func TestHTTPErrorIsNotExist(t *testing.T) {
	tests := []struct {
		name   string
		status int
		want   bool
	}{
		{"404 means not found", 404, true},
		{"410 means not found", 410, true},
		{"403 does not", 403, false},
		{"500 does not", 500, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := error(&HTTPError{StatusCode: tt.status})
			if got := errors.Is(err, fs.ErrNotExist); got != tt.want {
				t.Errorf("errors.Is(HTTPError %d, fs.ErrNotExist) = %v, want %v", tt.status, got, tt.want)
			}
		})
	}
}

func TestMaxPageBytes(t *testing.T) {
	page := strings.Repeat("0123456789", 10) // 100 bytes
	ca := newTestCA(t, "fetch test CA")
	srv := startTLS(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.WriteString(rw, page)
	}), ca.issue(t, "big.test"))
	tests := []struct {
		name          string
		max           int64
		wantLen       int
		wantTruncated bool
	}{
		{"a bound below the page size cuts the page", 10, 10, true},
		{"a bound equal to the page size reads it all", 100, 100, false},
		{"a bound above the page size reads it all", 1000, 100, false},
		{"a negative bound means none", -1, 100, false},
		{"zero means the default bound", 0, 100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Options{CACertFile: ca.pemFile, MaxPageBytes: tt.max, ConnectTo: []string{"big.test:443:127.0.0.1:" + port(t, srv)}})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			resp, err := c.Get(context.Background(), mustParse(t, "//big.test/"), SecureOnly)
			if err != nil {
				t.Fatal(err)
			}
			body := readAll(t, resp)
			if body != page[:tt.wantLen] || resp.Truncated() != tt.wantTruncated {
				t.Errorf("read %d bytes, truncated=%v; want %d, %v", len(body), resp.Truncated(), tt.wantLen, tt.wantTruncated)
			}
		})
	}
}

func TestBodyTimeout(t *testing.T) {
	ca := newTestCA(t, "fetch test CA")
	release := make(chan struct{})
	srv := startTLS(t, http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		io.WriteString(rw, "start of page")
		rw.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}), ca.issue(t, "slow.test"))
	defer close(release)
	c, err := New(Options{
		CACertFile:  ca.pemFile,
		ConnectTo:   []string{"slow.test:443:127.0.0.1:" + port(t, srv)},
		BodyTimeout: 1, // the server never finishes, so any bound is reached
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseIdleConnections()
	resp, err := c.Get(context.Background(), mustParse(t, "//slow.test/p"), SecureOnly)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	if !errors.Is(err, ErrBodyTimeout) {
		t.Fatalf("reading a body that never ends: %v, want ErrBodyTimeout", err)
	}
	if want := "reading https://slow.test/p: body read timed out after 1ns"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}
