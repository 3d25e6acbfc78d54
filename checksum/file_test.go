package checksum

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

func TestFromFile(t *testing.T) {
	const sums = "https://dl.example/pub/SHA256SUMS"
	tests := []struct {
		name    string
		content string
		fileURL string
		target  string
		want    string // Sum.String()
	}{
		{"a GNU line names the target by base name",
			emptySHA256 + "  x.iso\n", sums, "/pub/x.iso", "sha256:" + emptySHA256},
		{"a GNU binary-mode line names the target with a star",
			emptySHA1 + " *x.iso\n", sums, "/pub/x.iso", "sha1:" + emptySHA1},
		{"a shasum -p line names the target with a question mark",
			emptySHA512 + " ?x.iso\n", sums, "/pub/x.iso", "sha512:" + emptySHA512},
		{"a BSD line gives its type and name",
			"MD5 (x.iso) = " + emptyMD5 + "\n", sums, "/pub/x.iso", "md5:" + emptyMD5},
		{"a BSD line's type is case-insensitive",
			"sha256 (x.iso) = " + emptySHA256 + "\n", sums, "/pub/x.iso", "sha256:" + emptySHA256},
		{"a bare digest applies to any target",
			emptySHA1 + "\n", sums, "/pub/x.iso", "sha1:" + emptySHA1},
		{"a three-field line has no name and so applies to any target",
			emptyMD5 + "  my file.iso\n", sums, "/pub/x.iso", "md5:" + emptyMD5},
		{"a five-field line has no name and so applies to any target",
			emptyMD5 + " a b c d\n", sums, "/pub/x.iso", "md5:" + emptyMD5},
		{"a line for another file is skipped",
			emptyMD5 + "  y.iso\n" + emptySHA256 + "  x.iso\n", sums, "/pub/x.iso", "sha256:" + emptySHA256},
		{"the first line that names the target wins",
			emptySHA256 + "  x.iso\n" + emptyMD5 + "  x.iso\n", sums, "/pub/x.iso", "sha256:" + emptySHA256},
		{"a path relative to the checksum file's directory names the target",
			emptySHA256 + "  amd64/x.iso\n", sums, "/pub/amd64/x.iso", "sha256:" + emptySHA256},
		{"a dot-slash relative path names the target",
			emptySHA256 + "  ./amd64/x.iso\n", sums, "/pub/amd64/x.iso", "sha256:" + emptySHA256},
		{"a relative path may climb out of the checksum file's directory",
			emptySHA256 + "  ../files/x.iso\n", "file:///srv/sums/SUMS", "/srv/files/x.iso", "sha256:" + emptySHA256},
		{"the target's absolute path names it",
			emptySHA256 + "  /srv/files/x.iso\n", "https://h/SUMS", "/srv/files/x.iso", "sha256:" + emptySHA256},
		{"a target path that is not rooted is read as rooted",
			emptySHA256 + "  /pub/x.iso\n", "SUMS", "pub/x.iso", "sha256:" + emptySHA256},
		{"blank and whitespace-only lines are skipped",
			"\n  \t \n\n" + emptyMD5 + "  x.iso\n", sums, "/pub/x.iso", "md5:" + emptyMD5},
		{"CRLF line endings are accepted",
			"# sums\r\n" + emptyMD5 + "  x.iso\r\n", sums, "/pub/x.iso", "md5:" + emptyMD5},
		{"a last line without a newline is read",
			emptyMD5 + "  y.iso\n" + emptySHA1 + " ?x.iso", sums, "/pub/x.iso", "sha1:" + emptySHA1},
		{"PGP armour around the sums is skipped",
			"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + emptySHA256 + "  x.iso\n" +
				"-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n-----END PGP SIGNATURE-----\n",
			sums, "/pub/x.iso", "sha256:" + emptySHA256},
		{"a BSD line with bad hex is skipped",
			"MD5 (x.iso) = bad\n" + emptySHA1 + "  x.iso\n", sums, "/pub/x.iso", "sha1:" + emptySHA1},
		{"a BSD line with an empty name in parentheses is skipped",
			"MD5 () = " + emptyMD5 + "\n" + emptySHA1 + "  x.iso\n", sums, "/pub/x.iso", "sha1:" + emptySHA1},
		{"a BSD line with an unsupported type is skipped",
			"SHA384 (x.iso) = " + emptySHA512[:96] + "\n" + emptySHA1 + "  x.iso\n", sums, "/pub/x.iso", "sha1:" + emptySHA1},
		{"a digest of no known length is skipped",
			"abcd  x.iso\n" + emptySHA1 + "  x.iso\n", sums, "/pub/x.iso", "sha1:" + emptySHA1},
		{"a line longer than the limit is skipped, not fatal",
			strings.Repeat("a", maxLineLen+1) + "\n" + emptySHA1 + "  x.iso\n", sums, "/pub/x.iso", "sha1:" + emptySHA1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromFile(strings.NewReader(tt.content), tt.fileURL, tt.target)
			if err != nil {
				t.Fatalf("FromFile(%q, %q): %v", tt.fileURL, tt.target, err)
			}
			if got.String() != tt.want {
				t.Errorf("FromFile(%q, %q) = %s, want %s", tt.fileURL, tt.target, got, tt.want)
			}
		})
	}
}

func TestFromFileFindsNothing(t *testing.T) {
	tests := []struct {
		name    string
		content string
		fileURL string
		target  string
		shown   string // how the error names the checksum file
	}{
		{"an empty checksum file gives nothing",
			"", "https://h/SUMS", "/x.iso", "https://h/SUMS"},
		{"lines only for other files give nothing",
			emptyMD5 + "  y.iso\n" + emptyMD5 + "  *x.iso.sig\n", "https://h/SUMS", "/x.iso", "https://h/SUMS"},
		{"a path into another directory does not name the target",
			emptyMD5 + "  other/x.iso\n", "https://h/pub/SUMS", "/pub/amd64/x.iso", "https://h/pub/SUMS"},
		{"a BSD line with bad hex does not fall back to anything",
			"MD5 (x.iso) = bad\n", "https://h/SUMS", "/x.iso", "https://h/SUMS"},
		{"a bare ./ names nothing when the checksum file's directory is not rooted",
			emptyMD5 + "  ./\n", "sums/SUMS", "/x.iso", "sums/SUMS"},
		{"the checksum file's password is not shown",
			"", "https://u:hunter2@h/SUMS", "/x.iso", "https://u:REDACTED@h/SUMS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromFile(strings.NewReader(tt.content), tt.fileURL, tt.target)
			if !errors.Is(err, ErrNoChecksum) {
				t.Fatalf("FromFile(%q, %q) = %s, %v; want ErrNoChecksum", tt.fileURL, tt.target, got, err)
			}
			if prefix := "no checksum found in: " + tt.shown + ":"; !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
			if !strings.Contains(err.Error(), tt.target) {
				t.Errorf("error %q does not name the target %q", err, tt.target)
			}
		})
	}
}

func TestFromFileFails(t *testing.T) {
	tests := []struct {
		name    string
		fileURL string
		wantErr string
	}{
		{"a checksum file URL that does not parse is refused",
			"http://h/%zz", `checksum file URL "http://h/%zz"`},
		{"a read error is reported with the checksum file's URL",
			"https://u:pw@h/SUMS", "reading checksum file https://u:REDACTED@h/SUMS: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := iotest.ErrReader(errors.New("boom"))
			_, err := FromFile(r, tt.fileURL, "/x.iso")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("FromFile(%q) error = %v, want one containing %q", tt.fileURL, err, tt.wantErr)
			}
			if errors.Is(err, ErrNoChecksum) {
				t.Errorf("FromFile(%q) error %v wraps ErrNoChecksum", tt.fileURL, err)
			}
		})
	}
}

func TestParseLine(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		wantOK   bool
		wantSum  string
		wantName string
	}{
		{"a blank line is not an entry and not an error", " \t", false, "", ""},
		{"a GNU line keeps its binary-mode star", emptyMD5 + " *a.bin", true, "md5:" + emptyMD5, "*a.bin"},
		{"a BSD line whose name has a space is not an entry", "SHA1 (a b) = " + emptySHA1, false, "", ""},
		{"a BSD line with one-character name is an entry", "SHA1 (a) = " + emptySHA1, true, "sha1:" + emptySHA1, "a"},
		{"a BSD line does not check its equals sign, as go-getter does not", "SHA1 (a) : " + emptySHA1, true, "sha1:" + emptySHA1, "a"},
		{"a BSD name needs both parentheses", "SHA1 (a = " + emptySHA1, false, "", ""},
		{"a comment is not an entry", "# " + emptyMD5 + " x", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, ok, err := parseLine(tt.line)
			if ok != tt.wantOK {
				t.Fatalf("parseLine(%q) ok = %v (err %v), want %v", tt.line, ok, err, tt.wantOK)
			}
			if ok && (e.sum.String() != tt.wantSum || e.name != tt.wantName) {
				t.Errorf("parseLine(%q) = %s %q, want %s %q", tt.line, e.sum, e.name, tt.wantSum, tt.wantName)
			}
			blank := strings.TrimSpace(tt.line) == ""
			if !ok && blank != (err == nil) {
				t.Errorf("parseLine(%q) err = %v; want an error exactly for non-blank lines", tt.line, err)
			}
		})
	}
}
