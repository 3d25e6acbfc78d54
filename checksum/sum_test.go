package checksum

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// Digests of testdata/sums/payload.txt, as md5sum, sha1sum, sha256sum and
// sha512sum print them.
const (
	payloadMD5    = "89508dcf67c8b950caa2aed7fa631338"
	payloadSHA1   = "c36690eaa9e4c070b47cdfc472c0724a768b982d"
	payloadSHA256 = "70dd206852135fd27dec7130cd8a935decd658918d32b458fd653f1dd796774b"
	payloadSHA512 = "28c12221f977e845a0a441227454e68c76d6038bd39bd22031a3c64abe4a3d18" +
		"50cb517fa8bb87fd3b36d6033af6b37286570e6e2b570bd43e2cabba044df2f2"
)

const payload = "testdata/sums/payload.txt"

// emptyFile returns the path of a new empty file.
func emptyFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "empty")
	if err := writeFile(p, ""); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFile(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
		typ  string
		want string
	}{
		{"md5 of a file matches md5sum", fixed(payload), "md5", "md5:" + payloadMD5},
		{"sha1 of a file matches sha1sum", fixed(payload), "sha1", "sha1:" + payloadSHA1},
		{"sha256 of a file matches sha256sum", fixed(payload), "sha256", "sha256:" + payloadSHA256},
		{"sha512 of a file matches sha512sum", fixed(payload), "sha512", "sha512:" + payloadSHA512},
		{"an upper-case type is accepted and reported in lower case", fixed(payload), "SHA256", "sha256:" + payloadSHA256},
		{"an empty file has the empty digest", emptyFile, "sha512", "sha512:" + emptySHA512},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.path(t)
			got, err := File(p, tt.typ)
			if err != nil {
				t.Fatalf("File(%q, %q): %v", p, tt.typ, err)
			}
			if got.String() != tt.want {
				t.Errorf("File(%q, %q) = %s, want %s", p, tt.typ, got, tt.want)
			}
		})
	}
}

func fixed(p string) func(*testing.T) string { return func(*testing.T) string { return p } }

func TestFileErrors(t *testing.T) {
	tests := []struct {
		name    string
		path    string
		typ     string
		wantErr string
		wantIs  error
	}{
		{"a missing file is reported with its path", "testdata/no-such-file", "sha256", "testdata/no-such-file", fs.ErrNotExist},
		{"a directory cannot be hashed", "testdata", "sha256", "testdata", nil},
		{"an unsupported type is refused by name", payload, "crc32", `unsupported checksum type "crc32"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := File(tt.path, tt.typ)
			if err == nil {
				t.Fatalf("File(%q, %q) = %s, want an error", tt.path, tt.typ, got)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("File(%q, %q) error %q does not contain %q", tt.path, tt.typ, err, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("File(%q, %q) error %v is not %v", tt.path, tt.typ, err, tt.wantIs)
			}
		})
	}
}

func TestVerifyFile(t *testing.T) {
	tests := []struct {
		name     string
		spec     string
		path     string
		mismatch bool
		wantErr  string
	}{
		{"a file matching its sha256 verifies", "sha256:" + payloadSHA256, payload, false, ""},
		{"a file matching an untyped md5 verifies", payloadMD5, payload, false, ""},
		{"a file with another digest is a mismatch", "sha1:" + emptySHA1, payload, true, "checksum mismatch"},
		{"a missing file is an error, not a mismatch", "sha1:" + emptySHA1, "testdata/no-such-file", false, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, err := ParseSpec(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			err = spec.Sum.VerifyFile(tt.path)
			var mm *MismatchError
			if errors.As(err, &mm) != tt.mismatch {
				t.Fatalf("VerifyFile(%q) = %v, mismatch want %v", tt.path, err, tt.mismatch)
			}
			if (err == nil) != (tt.wantErr == "") || err != nil && !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("VerifyFile(%q) = %v, want error containing %q", tt.path, err, tt.wantErr)
			}
			if mm != nil {
				actual, err := File(tt.path, spec.Sum.Type)
				if err != nil {
					t.Fatal(err)
				}
				if !mm.Actual.Equal(actual) || !mm.Expected.Equal(spec.Sum) || mm.File != tt.path {
					t.Errorf("mismatch = %+v, want Expected %s, Actual %s, File %q", mm, spec.Sum, actual, tt.path)
				}
			}
		})
	}
}

func TestNewHasher(t *testing.T) {
	tests := []struct {
		name     string
		typ      string
		wantSize int // digest length, 0 for an error
	}{
		{"md5 digests are 16 bytes", "md5", 16},
		{"sha1 digests are 20 bytes", "sha1", 20},
		{"sha256 digests are 32 bytes", "sha256", 32},
		{"sha512 digests are 64 bytes", "SHA512", 64},
		{"an empty type is refused", "", 0},
		{"sha224 is not supported", "sha224", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewHasher(tt.typ)
			if tt.wantSize == 0 {
				if err == nil || !strings.Contains(err.Error(), `"`+tt.typ+`"`) {
					t.Fatalf("NewHasher(%q) error = %v, want one naming the type", tt.typ, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewHasher(%q): %v", tt.typ, err)
			}
			if len(h.Sum(nil)) != tt.wantSize {
				t.Errorf("NewHasher(%q) digest is %d bytes, want %d", tt.typ, len(h.Sum(nil)), tt.wantSize)
			}
		})
	}
}

func TestSumString(t *testing.T) {
	tests := []struct {
		name string
		sum  Sum
		want string
	}{
		{"the zero Sum prints as nothing", Sum{}, ""},
		{"a Sum prints as type colon lower-case hex", Sum{Type: "md5", Value: []byte{0xAB, 0x01}}, "md5:ab01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sum.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
