package checksum

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These tests run go-getter's own checksum scenarios end to end: parse the
// ?checksum= value, pick the line from the checksum file when there is
// one, and verify the downloaded file. The checksum files in
// testdata/sums were written by coreutils and shasum.

// lastDigitOff returns hex with its last digit changed.
func lastDigitOff(hex string) string {
	last := "0"
	if strings.HasSuffix(hex, "0") {
		last = "1"
	}
	return hex[:len(hex)-1] + last
}

func TestDirectSumAgainstDownload(t *testing.T) {
	tests := []struct {
		name     string
		spec     string
		mismatch bool
	}{
		{"an untyped md5 of the download verifies", payloadMD5, false},
		{"a typed md5 of the download verifies", "md5:" + payloadMD5, false},
		{"an md5 one digit off is a mismatch", "md5:" + lastDigitOff(payloadMD5), true},
		{"an untyped sha1 of the download verifies", payloadSHA1, false},
		{"a typed sha1 of the download verifies", "sha1:" + payloadSHA1, false},
		{"a sha1 one digit off is a mismatch", "sha1:" + lastDigitOff(payloadSHA1), true},
		{"an untyped sha256 of the download verifies", payloadSHA256, false},
		{"a typed sha256 of the download verifies", "sha256:" + payloadSHA256, false},
		{"a sha256 one digit off is a mismatch", "sha256:" + lastDigitOff(payloadSHA256), true},
		{"an untyped sha512 of the download verifies", payloadSHA512, false},
		{"a typed sha512 of the download verifies", "sha512:" + payloadSHA512, false},
		{"a sha512 one digit off is a mismatch", "sha512:" + lastDigitOff(payloadSHA512), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := ParseSpec(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			err = spec.Sum.VerifyFile(payload)
			var mm *MismatchError
			if errors.As(err, &mm) != tt.mismatch || (err != nil && mm == nil) {
				t.Errorf("VerifyFile = %v, mismatch want %v", err, tt.mismatch)
			}
		})
	}
}

func TestChecksumFileAgainstDownload(t *testing.T) {
	dir, err := filepath.Abs("testdata/sums")
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.ToSlash(dir)
	local := "file://" + dir
	remote := "http://127.0.0.1:8080/sums" // the URL is only read, never fetched
	target := dir + "/payload.txt"         // the URL path of a file:// source

	const (
		ok = iota
		notFound
		mismatch
	)
	tests := []struct {
		name    string
		base    string
		sumFile string
		want    int
	}{
		{"a GNU md5 line verifies", local, "md5-gnu.sum", ok},
		{"a BSD md5 line verifies", remote, "md5-bsd.sum", ok},
		{"a BSD md5 line with bad hex gives no checksum", local, "md5-bsd-badhex.sum", notFound},
		{"a BSD md5 line with another file's digest is a mismatch", remote, "md5-bsd-wrong.sum", mismatch},
		{"a GNU binary-mode sha1 line verifies", local, "sha1-binary.sum", ok},
		{"a bare sha1 digest verifies", remote, "sha1-bare.sum", ok},
		{"a shasum -p sha256 line verifies", local, "sha256-portable.sum", ok},
		{"a BSD sha256 line verifies", remote, "sha256-bsd.sum", ok},
		{"a sha512 line without a newline verifies", remote, "sha512-no-newline.sum", ok},
		{"a multi-file list yields the target's own line", local, "sha1-multi.sum", ok},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := ParseSpec("file:" + tt.base + "/" + tt.sumFile)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(filepath.Join("testdata/sums", tt.sumFile))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sum, err := FromFile(f, spec.FileURL, target)
			if errors.Is(err, ErrNoChecksum) != (tt.want == notFound) {
				t.Fatalf("FromFile(%s) = %s, %v", spec.FileURL, sum, err)
			}
			if tt.want == notFound {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			err = sum.VerifyFile(payload)
			var mm *MismatchError
			if errors.As(err, &mm) != (tt.want == mismatch) || (err != nil && mm == nil) {
				t.Errorf("VerifyFile with %s from %s = %v", sum, tt.sumFile, err)
			}
		})
	}
}
