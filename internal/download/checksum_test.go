package download

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"hash"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/checksum"
)

func hexSum(h hash.Hash, body []byte) string {
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func TestGetVerifiesChecksums(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	md5Hex, sha1Hex := hexSum(md5.New(), tgz), hexSum(sha1.New(), tgz)
	sha256Hex, sha512Hex := hexSum(sha256.New(), tgz), hexSum(sha512.New(), tgz)
	other := hexSum(sha256.New(), []byte("another file"))
	srv := newServer(t, map[string]served{
		"/dl/proj.tar.gz": {body: tgz},
		"/dl/SHA256SUMS":  {body: []byte(other + "  other.tar.gz\n" + sha256Hex + "  proj.tar.gz\n")},
		"/dl/BSDSUMS":     {body: []byte("# BSD style\nSHA512 (other.tar.gz) = " + other + other + "\nSHA512 (proj.tar.gz) = " + sha512Hex + "\n")},
		"/dl/BINARYSUMS":  {body: []byte(sha1Hex + " *proj.tar.gz")},
	})
	pwd := t.TempDir()
	if err := os.WriteFile(filepath.Join(pwd, "sums.txt"), []byte(md5Hex+"  proj.tar.gz\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		checksum string
		verified string
	}{
		{"an md5 checksum naming its type is verified", "md5:" + md5Hex, "md5:" + md5Hex},
		{"a sha1 checksum naming its type is verified", "sha1:" + sha1Hex, "sha1:" + sha1Hex},
		{"a sha256 checksum naming its type is verified", "sha256:" + sha256Hex, "sha256:" + sha256Hex},
		{"a sha512 checksum naming its type is verified", "sha512:" + sha512Hex, "sha512:" + sha512Hex},
		{"an untyped 32-digit checksum is taken as md5", md5Hex, "md5:" + md5Hex},
		{"an untyped 40-digit checksum is taken as sha1", sha1Hex, "sha1:" + sha1Hex},
		{"an untyped 64-digit checksum is taken as sha256", sha256Hex, "sha256:" + sha256Hex},
		{"an untyped 128-digit checksum is taken as sha512", sha512Hex, "sha512:" + sha512Hex},
		{"an upper-case type and digest are accepted", "SHA256:" + strings.ToUpper(sha256Hex), "sha256:" + sha256Hex},
		{"a GNU-style checksum file served over https gives the checksum", "file:" + srv.URL + "/dl/SHA256SUMS", "sha256:" + sha256Hex},
		{"a BSD-style checksum file gives the checksum", "file:" + srv.URL + "/dl/BSDSUMS", "sha512:" + sha512Hex},
		{"a binary-mode line without a final newline gives the checksum", "file:" + srv.URL + "/dl/BINARYSUMS", "sha1:" + sha1Hex},
		{"a relative local checksum file is read against Pwd", "file:./sums.txt", "md5:" + md5Hex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dst := emptyDst(t)
			res, err := Get(context.Background(), Request{URL: srv.URL + "/dl/proj.tar.gz?checksum=" + tt.checksum,
				Dst: dst, Pwd: pwd, HTTPClient: srv.Client()})
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if res.Verified != tt.verified || res.Checksum != "sha256:"+sha256Hex {
				t.Errorf("Result verified %q, checksum %q; want %q, %q", res.Verified, res.Checksum, tt.verified, "sha256:"+sha256Hex)
			}
			if d := diffTree(readTree(t, dst), projectTree); d != "" {
				t.Errorf("destination: %s", d)
			}
		})
	}
}

func TestGetRefusesWhatFailsItsChecksum(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	actual := "sha256:" + hexSum(sha256.New(), tgz)
	wrong := "sha256:" + hexSum(sha256.New(), []byte("another file"))
	wrongMD5 := "md5:" + hexSum(md5.New(), []byte("another file"))
	files := map[string]served{
		"/dl/proj.tar.gz": {body: tgz},
		"/dl/blob":        {body: []byte("plain")},
		"/dl/OTHERSUMS":   {body: []byte(hexSum(sha256.New(), tgz) + "  other.tar.gz\n")},
	}
	tests := []struct {
		name       string
		path       string
		wantErr    []string
		mismatch   bool
		downloaded bool // whether the file itself should have been requested
	}{
		{"a wrong sha256 names both sums and extracts nothing", "/dl/proj.tar.gz?checksum=" + wrong, []string{"expected " + wrong, "got " + actual}, true, true},
		{"a wrong md5 on a plain file names both sums", "/dl/blob?checksum=" + wrongMD5, []string{"expected " + wrongMD5, "got md5:" + hexSum(md5.New(), []byte("plain"))}, true, true},
		{"a checksum file with no line for the file fails before the download", "/dl/proj.tar.gz?checksum=file:/dl/OTHERSUMS", []string{"no checksum found", "proj.tar.gz"}, false, false},
		{"a missing checksum file fails before the download", "/dl/proj.tar.gz?checksum=file:/dl/MISSING", []string{"checksum file", "404"}, false, false},
		{"a checksum file that is a git source is refused", "/dl/proj.tar.gz?checksum=file:git::https://example.invalid/r.git", []string{"checksum file", "VCS layer"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, files)
			url := srv.URL + strings.Replace(tt.path, "file:/dl/", "file:"+srv.URL+"/dl/", 1)
			dst := emptyDst(t)
			_, err := Get(context.Background(), Request{URL: url, Dst: dst, HTTPClient: srv.Client()})
			if err == nil {
				t.Fatal("Get succeeded, want a checksum error")
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Get error %q does not say %q", err, want)
				}
			}
			var me *checksum.MismatchError
			if errors.As(err, &me) != tt.mismatch {
				t.Errorf("Get error %v: is a *checksum.MismatchError = %v, want %v", err, !tt.mismatch, tt.mismatch)
			}
			checkEmpty(t, dst)
			file, _, _ := strings.Cut(tt.path, "?")
			if got := srv.requested(file); got != tt.downloaded {
				t.Errorf("%s requested = %v, want %v", file, got, tt.downloaded)
			}
		})
	}
}
