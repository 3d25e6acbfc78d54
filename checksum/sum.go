// Package checksum hashes files and reads the checksums that go-getter
// sources ask for with ?checksum=: a direct [type:]hex value, or file:URL
// naming a checksum file in GNU or BSD style. It does no network I/O: the
// caller fetches a checksum file and hands its contents to FromFile.
package checksum

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
)

// The supported checksum types, as they appear in Sum.Type.
const (
	MD5    = "md5"
	SHA1   = "sha1"
	SHA256 = "sha256"
	SHA512 = "sha512"
)

// algorithm describes one checksum type. Each type is a row of the table
// below so that lookups by name and by digest size cannot disagree.
type algorithm struct {
	name string
	size int
	new  func() hash.Hash
}

// algorithms is ordered by digest size, the order error messages list them in.
var algorithms = []algorithm{
	{MD5, md5.Size, md5.New},
	{SHA1, sha1.Size, sha1.New},
	{SHA256, sha256.Size, sha256.New},
	{SHA512, sha512.Size, sha512.New},
}

// typeNames is the list of accepted types, for error messages.
const typeNames = "md5, sha1, sha256 or sha512"

// lookupType finds the algorithm named t, in any case.
func lookupType(t string) (algorithm, error) {
	for _, a := range algorithms {
		if strings.EqualFold(a.name, t) {
			return a, nil
		}
	}
	return algorithm{}, fmt.Errorf("unsupported checksum type %q (want %s)", t, typeNames)
}

// lookupSize finds the algorithm whose digest is n bytes long: go-getter
// guesses an untyped checksum's type this way.
func lookupSize(n int) (algorithm, error) {
	for _, a := range algorithms {
		if a.size == n {
			return a, nil
		}
	}
	return algorithm{}, fmt.Errorf("unknown type for checksum: %d bytes fit no type (md5 16, sha1 20, sha256 32, sha512 64)", n)
}

// Sum is a checksum: a hash type and the digest it gave.
type Sum struct {
	// Type is md5, sha1, sha256 or sha512.
	Type string
	// Value is the raw digest.
	Value []byte
}

// String returns the sum as "type:hex", e.g. "sha256:e3b0...", or "" for
// the zero Sum.
func (s Sum) String() string {
	if s.Type == "" && len(s.Value) == 0 {
		return ""
	}
	return s.Type + ":" + hex.EncodeToString(s.Value)
}

// Equal reports whether s and o have the same type and digest.
func (s Sum) Equal(o Sum) bool {
	return strings.EqualFold(s.Type, o.Type) && bytes.Equal(s.Value, o.Value)
}

// check reports whether s can be verified at all: a Sum built by hand may
// name an unknown type or carry a digest of the wrong length, and either
// would otherwise surface as a baffling mismatch after a whole download.
func (s Sum) check() (algorithm, error) {
	a, err := lookupType(s.Type)
	if err != nil {
		return algorithm{}, fmt.Errorf("checksum %s: %w", s, err)
	}
	if len(s.Value) != a.size {
		return algorithm{}, fmt.Errorf("checksum %s: a %s digest is %d bytes, this one is %d", s, a.name, a.size, len(s.Value))
	}
	return a, nil
}

// NewHasher returns a new hash.Hash for checksum type t (md5, sha1, sha256
// or sha512, in any case).
func NewHasher(t string) (hash.Hash, error) {
	a, err := lookupType(t)
	if err != nil {
		return nil, err
	}
	return a.new(), nil
}

// File hashes the file at path with checksum type t, streaming it rather
// than reading it into memory.
func File(path, t string) (Sum, error) {
	a, err := lookupType(t)
	if err != nil {
		return Sum{}, fmt.Errorf("hashing %s: %w", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return Sum{}, fmt.Errorf("hashing file: %w", err)
	}
	defer f.Close()
	h := a.new()
	if _, err := io.Copy(h, f); err != nil {
		return Sum{}, fmt.Errorf("hashing %s: %w", path, err)
	}
	return Sum{Type: a.name, Value: h.Sum(nil)}, nil
}

// VerifyFile hashes the file at path and returns a *MismatchError when its
// digest differs from s. go-getter uses this to skip a download whose
// destination already holds the right content.
func (s Sum) VerifyFile(path string) error {
	a, err := s.check()
	if err != nil {
		return err
	}
	actual, err := File(path, a.name)
	if err != nil {
		return err
	}
	if !bytes.Equal(actual.Value, s.Value) {
		return &MismatchError{Expected: s, Actual: actual, File: path}
	}
	return nil
}
