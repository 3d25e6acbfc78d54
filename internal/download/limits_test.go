package download

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries returns n small files.
func entries(n int) []member {
	ms := make([]member, n)
	for i := range ms {
		ms[i] = file(fmt.Sprintf("f%03d", i), "x")
	}
	return ms
}

// zeros is one file of n zero bytes, which compresses to almost nothing.
func zeros(n int) []member {
	return []member{{name: "zeros", body: string(make([]byte, n)), typ: tar.TypeReg}}
}

func TestGetLimits(t *testing.T) {
	const mib = 1 << 20
	local := t.TempDir()
	if err := os.WriteFile(filepath.Join(local, "big"), make([]byte, 2048), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := os.WriteFile(filepath.Join(local, fmt.Sprint("f", i)), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		path    string // on the server, or a file:// URL
		file    served
		lim     Limits
		wantErr string // "" means success
	}{
		{"a download over MaxBytes with a Content-Length fails before it is read", "/big", served{body: make([]byte, 2048)}, Limits{MaxBytes: 1024},
			"big is 2048 bytes, more than the 1024 bytes allowed"},
		{"a download over MaxBytes without a Content-Length fails once it passes the limit", "/big", served{body: make([]byte, 64<<10), chunked: true}, Limits{MaxBytes: 1024},
			"big is more than the 1024 bytes allowed"},
		{"a download of exactly MaxBytes is allowed", "/big", served{body: make([]byte, 1024), chunked: true}, Limits{MaxBytes: 1024}, ""},
		{"a negative MaxBytes means no limit", "/big", served{body: make([]byte, 2048)}, Limits{MaxBytes: -1}, ""},
		{"a local file over MaxBytes is refused", "file://" + local + "/big", served{}, Limits{MaxBytes: 1024}, "more than the 1024 bytes allowed"},
		{"a tar with exactly MaxFiles entries is allowed, which go-getter alone refuses", "/a.tar", served{body: makeTar(t, entries(3))}, Limits{MaxFiles: 3}, ""},
		{"a tar with one entry over MaxFiles is refused", "/a.tar", served{body: makeTar(t, entries(4))}, Limits{MaxFiles: 3}, "more than 3 entries"},
		{"a zip bomb by entry count is refused", "/a.zip", served{body: makeZip(t, entries(101))}, Limits{MaxFiles: 100}, "more than 100 entries"},
		{"a zip bomb by size is refused", "/a.zip", served{body: makeZip(t, zeros(8*mib))}, Limits{MaxExtractedBytes: mib}, "expands to more than 1048576 bytes"},
		{"a tar.gz bomb by size is refused", "/a.tar.gz", served{body: archiveOf(t, "tar.gz", zeros(8*mib))}, Limits{MaxExtractedBytes: mib}, "expands to more than 1048576 bytes"},
		{"a gz file that expands past MaxExtractedBytes fails instead of being truncated", "/z.gz", served{body: compress(t, "gz", make([]byte, 2*mib))}, Limits{MaxExtractedBytes: mib},
			"gz file expands to more than 1048576 bytes"},
		{"a gz file that expands to exactly MaxExtractedBytes is allowed", "/z.gz", served{body: compress(t, "gz", make([]byte, mib))}, Limits{MaxExtractedBytes: mib}, ""},
		{"a local directory over MaxFiles is refused", "file://" + local, served{}, Limits{MaxFiles: 2}, "more than 2 entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, map[string]served{tt.path: tt.file})
			url := tt.path
			if strings.HasPrefix(url, "/") {
				url = srv.URL + url
			}
			dst := emptyDst(t)
			res, err := Get(context.Background(), Request{URL: url, Dst: dst, HTTPClient: srv.Client(), Limits: tt.lim})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Get: %v", err)
				}
				if len(readTree(t, dst)) == 0 || res == nil {
					t.Errorf("Get succeeded but the destination is empty")
				}
				return
			}
			if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Get: error = %v, want ErrLimit saying %q", err, tt.wantErr)
			}
			// The error names the limit for a caller to map to its own
			// words (a flag), never as a field of Limits.
			want := LimitDownload
			switch {
			case tt.lim.MaxFiles > 0:
				want = LimitFiles
			case tt.lim.MaxExtractedBytes > 0:
				want = LimitExtracted
			}
			var le *LimitError
			if !errors.As(err, &le) || le.Limit != want || strings.Contains(err.Error(), "Limits.") || !strings.Contains(err.Error(), want.String()) {
				t.Errorf("Get: error = %v, want a *LimitError for %v, named in words", err, want)
			}
			checkEmpty(t, dst)
		})
	}
}

// TestGetFailsOnAZipThatUnderstatesItsSize covers a bomb the scan cannot
// see: the sizes a zip declares are what the scan counts, and
// archive/zip refuses to read past them.
func TestGetFailsOnAZipThatUnderstatesItsSize(t *testing.T) {
	data := make([]byte, 4<<20)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "liar", Method: zip.Store, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(len(data)), UncompressedSize64: 100})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	zw.Close()
	srv := newServer(t, map[string]served{"/liar.zip": {body: buf.Bytes()}})
	dst := emptyDst(t)
	_, err = Get(context.Background(), Request{URL: srv.URL + "/liar.zip", Dst: dst, HTTPClient: srv.Client(), Limits: Limits{MaxExtractedBytes: 1 << 20}})
	if !errors.Is(err, zip.ErrFormat) {
		t.Fatalf("Get: error = %v, want zip.ErrFormat from reading past the declared size", err)
	}
	checkEmpty(t, dst)
}
