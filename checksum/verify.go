package checksum

import (
	"bytes"
	"errors"
	"fmt"
	"hash"
)

// errZeroVerifier keeps a Verifier declared rather than made by Sum.Writer
// from panicking on its nil hash.
var errZeroVerifier = errors.New("checksum: Verifier not made by Sum.Writer")

// Verifier is an io.Writer that hashes everything written to it, so a
// download can be teed through it (io.MultiWriter(file, v)) and checked in
// the same pass that writes the file. A Verifier is not safe for concurrent
// use.
type Verifier struct {
	want Sum
	file string
	typ  string // want.Type in canonical case
	h    hash.Hash
	err  error
}

// Writer returns a Verifier that checks what is written to it against s;
// file names what is being written, for the mismatch error. If s cannot be
// verified (unknown type, digest of the wrong length), every Write fails
// with that error, so a download teed through it stops at once.
func (s Sum) Writer(file string) *Verifier {
	a, err := s.check()
	if err != nil {
		return &Verifier{want: s, file: file, err: err}
	}
	return &Verifier{want: s, file: file, typ: a.name, h: a.new()}
}

// Write hashes p. It fails only when the expected Sum is unusable.
func (v *Verifier) Write(p []byte) (int, error) {
	if err := v.usable(); err != nil {
		return 0, err
	}
	// hash.Hash.Write never returns an error.
	return v.h.Write(p)
}

// Sum returns the checksum of everything written so far, or the zero Sum
// when the expected Sum is unusable.
func (v *Verifier) Sum() Sum {
	if v.usable() != nil {
		return Sum{}
	}
	return Sum{Type: v.typ, Value: v.h.Sum(nil)}
}

// Verify returns a *MismatchError when what was written does not match the
// expected Sum, and the Writer's error when that Sum is unusable.
func (v *Verifier) Verify() error {
	if err := v.usable(); err != nil {
		return err
	}
	actual := v.Sum()
	if !bytes.Equal(actual.Value, v.want.Value) {
		return &MismatchError{Expected: v.want, Actual: actual, File: v.file}
	}
	return nil
}

func (v *Verifier) usable() error {
	if v.err == nil && v.h == nil {
		return errZeroVerifier
	}
	return v.err
}

// MismatchError reports content whose checksum is not the expected one.
type MismatchError struct {
	Expected Sum
	Actual   Sum
	// File names the content checked; it may be empty.
	File string
}

// Error names the file and both sums on one line.
func (e *MismatchError) Error() string {
	if e == nil {
		return "<nil>"
	}
	if e.File == "" {
		return fmt.Sprintf("checksum mismatch: expected %s, got %s", e.Expected, e.Actual)
	}
	return fmt.Sprintf("checksum mismatch for %q: expected %s, got %s", e.File, e.Expected, e.Actual)
}
