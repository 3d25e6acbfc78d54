package checksum

import (
	"strings"
	"testing"
)

// Digests of the empty input, published test vectors for each algorithm.
const (
	emptyMD5    = "d41d8cd98f00b204e9800998ecf8427e"
	emptySHA1   = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
	emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	emptySHA512 = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce" +
		"47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
)

func TestParseSpec(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string // Sum.String() of the parsed sum
		wantURL string
	}{
		{"an untyped 32-digit value is md5", emptyMD5, "md5:" + emptyMD5, ""},
		{"an untyped 40-digit value is sha1", emptySHA1, "sha1:" + emptySHA1, ""},
		{"an untyped 64-digit value is sha256", emptySHA256, "sha256:" + emptySHA256, ""},
		{"an untyped 128-digit value is sha512", emptySHA512, "sha512:" + emptySHA512, ""},
		{"an md5 value may name its type", "md5:" + emptyMD5, "md5:" + emptyMD5, ""},
		{"a sha1 value may name its type", "sha1:" + emptySHA1, "sha1:" + emptySHA1, ""},
		{"a sha256 value may name its type", "sha256:" + emptySHA256, "sha256:" + emptySHA256, ""},
		{"a sha512 value may name its type", "sha512:" + emptySHA512, "sha512:" + emptySHA512, ""},
		{"the type is case-insensitive", "SHA256:" + emptySHA256, "sha256:" + emptySHA256, ""},
		{"mixed-case types are accepted", "Sha1:" + emptySHA1, "sha1:" + emptySHA1, ""},
		{"upper-case hex is accepted", "md5:" + strings.ToUpper(emptyMD5), "md5:" + emptyMD5, ""},
		{"file: names an http checksum file", "file:https://example.com/x/SHA256SUMS", "", "https://example.com/x/SHA256SUMS"},
		{"file: keeps the rest verbatim, colons and query included", "file:http://h:8080/s?a=b:c", "", "http://h:8080/s?a=b:c"},
		{"file: accepts a local path", "file:./sums/SHA256SUMS", "", "./sums/SHA256SUMS"},
		{"file: accepts a forced getter", "file:s3::https://s3.amazonaws.com/b/SUMS", "", "s3::https://s3.amazonaws.com/b/SUMS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSpec(tt.in)
			if err != nil {
				t.Fatalf("ParseSpec(%q): %v", tt.in, err)
			}
			if got.Sum.String() != tt.want || got.FileURL != tt.wantURL {
				t.Errorf("ParseSpec(%q) = {Sum: %q, FileURL: %q}, want {Sum: %q, FileURL: %q}",
					tt.in, got.Sum, got.FileURL, tt.want, tt.wantURL)
			}
		})
	}
}

func TestParseSpecErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string // substring of the error, besides the input and the accepted forms
	}{
		{"an empty checksum is refused", "", "empty"},
		{"an unsupported type is refused by name", "crc32:cbf43926", `unsupported checksum type "crc32"`},
		{"sha384 is not one of go-getter's types", "sha384:" + emptySHA512[:96], `unsupported checksum type "sha384"`},
		{"FILE: is not file: because go-getter matches it case-sensitively", "FILE:https://h/SUMS", `unsupported checksum type "FILE"`},
		{"an untyped value of no known length has an unknown type", "abcd", "unknown type for checksum: 2 bytes"},
		{"a trailing space is not trimmed", emptySHA256 + " ", "not hex"},
		{"a leading space is not trimmed", " " + emptyMD5, "not hex"},
		{"non-hex digits are refused", "md5:" + strings.Repeat("g", 32), "not hex"},
		{"an odd number of hex digits is refused", emptyMD5[:31], "not hex"},
		{"a typed value of the wrong length is refused", "sha256:" + emptyMD5, "a sha256 digest is 64 hex digits, got 32"},
		{"a type with no value is refused", "sha1:", "no hex digest"},
		{"a lone colon is refused", ":", `unsupported checksum type ""`},
		{"file: without a URL is refused", "file:", "needs the URL"},
		{"a checksum file URL that looks like an option is refused", "file:-oProxyCommand=x", "starts with '-'"},
		{"a checksum file URL that does not parse is refused", "file:http://h/%zz", "invalid URL escape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSpec(tt.in)
			if err == nil {
				t.Fatalf("ParseSpec(%q) = %+v, want an error containing %q", tt.in, got, tt.wantErr)
			}
			msg := err.Error()
			for _, want := range []string{tt.wantErr, `"` + tt.in + `"`, specForms} {
				if !strings.Contains(msg, want) {
					t.Errorf("ParseSpec(%q) error %q does not contain %q", tt.in, msg, want)
				}
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("ParseSpec(%q) error spans lines: %q", tt.in, msg)
			}
		})
	}
}

func TestParseSpecRedactsCredentials(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		secret string
	}{
		{"a password in a bad file URL is hidden", "file:https://u:hunter2@h/%zz", "hunter2"},
		{"a token user name in a bad file URL is hidden", "file:https://ghp_tok3n@h/%zz", "ghp_tok3n"},
		{"a URL given without file: is hidden too", "https://u:hunter2@h/SUMS", "hunter2"},
		{"an sshkey query value is hidden", "file:https://h/r%zz?sshkey=c2VjcmV0", "c2VjcmV0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSpec(tt.in)
			if err == nil {
				t.Fatalf("ParseSpec(%q) succeeded, want an error", tt.in)
			}
			if strings.Contains(err.Error(), tt.secret) {
				t.Errorf("ParseSpec(%q) error shows %q: %v", tt.in, tt.secret, err)
			}
			if !strings.Contains(err.Error(), "REDACTED") {
				t.Errorf("ParseSpec(%q) error %q does not say REDACTED", tt.in, err)
			}
		})
	}
}
