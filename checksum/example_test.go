package checksum_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/gofetch/fetch/checksum"
)

// A ?checksum=file:URL value names a checksum file; the caller fetches it
// and FromFile picks the line for the file being downloaded.
func ExampleFromFile() {
	spec, err := checksum.ParseSpec("file:https://dl.example/pub/SHA256SUMS")
	if err != nil {
		fmt.Println(err)
		return
	}
	sums := "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  amd64/empty.iso\n"
	sum, err := checksum.FromFile(strings.NewReader(sums), spec.FileURL, "/pub/amd64/empty.iso")
	fmt.Println(sum, err)

	_, err = checksum.FromFile(strings.NewReader(sums), spec.FileURL, "/pub/arm64/empty.iso")
	fmt.Println(err)
	// Output:
	// sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 <nil>
	// no checksum found in: https://dl.example/pub/SHA256SUMS: no line applies to /pub/arm64/empty.iso (as empty.iso, *empty.iso, ?empty.iso, arm64/empty.iso, ./arm64/empty.iso, /pub/arm64/empty.iso)
}

// A download is teed through a Verifier so it is hashed while it is written.
func ExampleSum_Writer() {
	spec, err := checksum.ParseSpec("md5:d41d8cd98f00b204e9800998ecf8427e")
	if err != nil {
		fmt.Println(err)
		return
	}
	v := spec.Sum.Writer("/tmp/dst/file.bin")
	if _, err := io.Copy(io.MultiWriter(io.Discard, v), strings.NewReader("not empty")); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Verify())
	// Output:
	// checksum mismatch for "/tmp/dst/file.bin": expected md5:d41d8cd98f00b204e9800998ecf8427e, got md5:7aedffa4687d37d4007bbd8e7fcf000d
}

func ExampleParseSpec() {
	for _, s := range []string{"SHA1:da39a3ee5e6b4b0d3255bfef95601890afd80709", "abcd", "sha256:e3b0 "} {
		spec, err := checksum.ParseSpec(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(spec.Sum)
	}
	// Output:
	// sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709
	// invalid checksum "abcd": unknown type for checksum: 2 bytes fit no type (md5 16, sha1 20, sha256 32, sha512 64); want [md5|sha1|sha256|sha512:]HEX or file:URL
	// invalid checksum "sha256:e3b0 ": digest is not hex: encoding/hex: invalid byte: U+0020 ' '; want [md5|sha1|sha256|sha512:]HEX or file:URL
}
