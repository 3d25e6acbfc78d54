package checksum

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o644) }

func TestVerifierTee(t *testing.T) {
	content, err := os.ReadFile(payload)
	if err != nil {
		t.Fatal(err)
	}
	changed := bytes.Clone(content)
	changed[len(changed)/2] ^= 1
	tests := []struct {
		name     string
		spec     string
		body     []byte
		oneByte  bool // deliver the body one byte per Write
		mismatch bool
	}{
		{"a download matching its sha256 verifies", "sha256:" + payloadSHA256, content, false, false},
		{"a download matching its md5 verifies", "md5:" + payloadMD5, content, false, false},
		{"a download written a byte at a time verifies the same", "sha512:" + payloadSHA512, content, true, false},
		{"an empty download matches the empty digest", "sha1:" + emptySHA1, nil, false, false},
		{"one flipped bit is a mismatch", "sha256:" + payloadSHA256, changed, false, true},
		{"a truncated download is a mismatch", "sha1:" + payloadSHA1, content[:len(content)-1], true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := ParseSpec(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(t.TempDir(), "download")
			f, err := os.Create(dst)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			v := spec.Sum.Writer(dst)
			var r io.Reader = bytes.NewReader(tt.body)
			if tt.oneByte {
				r = iotest.OneByteReader(r)
			}
			// One pass: the same bytes reach the file and the hash.
			if _, err := io.Copy(io.MultiWriter(f, v), r); err != nil {
				t.Fatal(err)
			}
			onDisk, err := File(dst, spec.Sum.Type)
			if err != nil {
				t.Fatal(err)
			}
			if !v.Sum().Equal(onDisk) {
				t.Errorf("Verifier saw %s, the file on disk is %s", v.Sum(), onDisk)
			}
			err = v.Verify()
			var mm *MismatchError
			if errors.As(err, &mm) != tt.mismatch || (err != nil && mm == nil) {
				t.Fatalf("Verify() = %v, mismatch want %v", err, tt.mismatch)
			}
			if mm != nil && (!mm.Expected.Equal(spec.Sum) || !mm.Actual.Equal(onDisk) || mm.File != dst) {
				t.Errorf("mismatch = %+v, want Expected %s, Actual %s, File %q", mm, spec.Sum, onDisk, dst)
			}
		})
	}
}

func TestVerifierRefusesUnusableSum(t *testing.T) {
	tests := []struct {
		name    string
		sum     Sum
		wantErr string
	}{
		{"an unknown type fails the first write", Sum{Type: "crc32", Value: []byte{1, 2, 3, 4}}, `unsupported checksum type "crc32"`},
		{"a digest of the wrong length fails the first write", Sum{Type: "sha256", Value: []byte{1}}, "a sha256 digest is 32 bytes, this one is 1"},
		{"the zero Sum fails the first write", Sum{}, `unsupported checksum type ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.sum.Writer("x")
			n, werr := io.WriteString(v, "data")
			verr := v.Verify()
			for _, err := range []error{werr, verr, tt.sum.VerifyFile(payload)} {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error = %v, want one containing %q", err, tt.wantErr)
				}
			}
			if n != 0 {
				t.Errorf("Write wrote %d bytes, want 0", n)
			}
		})
	}
}

func TestZeroVerifierFailsInsteadOfPanicking(t *testing.T) {
	var v Verifier
	if _, err := v.Write([]byte("x")); err == nil {
		t.Error("Write on a zero Verifier succeeded, want an error")
	}
	if err := v.Verify(); err == nil {
		t.Error("Verify on a zero Verifier succeeded, want an error")
	}
}

func TestVerifierAcceptsUpperCaseType(t *testing.T) {
	spec, err := ParseSpec(payloadMD5)
	if err != nil {
		t.Fatal(err)
	}
	upper := Sum{Type: "MD5", Value: spec.Sum.Value}
	content, err := os.ReadFile(payload)
	if err != nil {
		t.Fatal(err)
	}
	v := upper.Writer(payload)
	if _, err := v.Write(content); err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(); err != nil {
		t.Errorf("Verify() with type MD5 = %v, want nil", err)
	}
	if got := v.Sum().String(); got != "md5:"+payloadMD5 {
		t.Errorf("Sum() = %s, want md5:%s", got, payloadMD5)
	}
}

func TestMismatchErrorMessage(t *testing.T) {
	want := Sum{Type: "sha1", Value: bytes.Repeat([]byte{0xaa}, 20)}
	got := Sum{Type: "sha1", Value: bytes.Repeat([]byte{0xbb}, 20)}
	tests := []struct {
		name string
		err  *MismatchError
		file string // how the message names the file; empty for none
	}{
		{"the message names the file and both sums", &MismatchError{want, got, "/root/src/x.zip"}, `"/root/src/x.zip"`},
		{"a file name with a newline stays on one line", &MismatchError{want, got, "a\nb"}, `"a\nb"`},
		{"without a file the message names both sums", &MismatchError{want, got, ""}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.err.Error()
			for _, part := range []string{want.String(), got.String(), tt.file} {
				if !strings.Contains(msg, part) {
					t.Errorf("message %q does not contain %q", msg, part)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message %q spans lines", msg)
			}
		})
	}
}

func BenchmarkWriter(b *testing.B) {
	buf := bytes.Repeat([]byte("fetch benchmark "), 1<<16) // 1 MiB per write
	for _, typ := range []string{SHA256, SHA512} {
		b.Run(typ, func(b *testing.B) {
			h, err := NewHasher(typ)
			if err != nil {
				b.Fatal(err)
			}
			sum := Sum{Type: typ, Value: h.Sum(nil)}
			v := sum.Writer("bench")
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				if _, err := v.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
			if v.Verify() == nil {
				b.Fatalf("%d MiB hashed to the empty digest", b.N)
			}
		})
	}
}
