package download

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"

	getter "github.com/hashicorp/go-getter/v2"

	"github.com/gofetch/fetch/checksum"
	"github.com/gofetch/fetch/internal/redact"
)

// maxChecksumFile bounds a checksum file fetched for checksum=file:URL.
const maxChecksumFile = 4 << 20

// expected returns the checksum the download must match, the zero Sum when
// none was asked for. go-getter is never given the checksum: it leaves a
// file that fails verification on disk, and fetches a checksum file with a
// nested client that re-points the getters it shares with the main one.
// Here a checksum file is fetched first, by a client of its own, so a
// missing or unusable one costs no download.
func (s *session) expected(ctx context.Context, work string) (checksum.Sum, error) {
	if s.src.checksum == "" {
		return checksum.Sum{}, nil
	}
	spec, err := checksum.ParseSpec(s.src.checksum)
	if err != nil {
		return checksum.Sum{}, sourceError(s.src.shown, err)
	}
	if spec.FileURL == "" {
		return spec.Sum, nil
	}
	fsrc, err := parseSource(spec.FileURL, s.req.Pwd)
	if err != nil {
		return checksum.Sum{}, fmt.Errorf("checksum file: %w", err)
	}
	if fsrc.subdir != "" || fsrc.checksum != "" {
		return checksum.Sum{}, fmt.Errorf("checksum file %s: a checksum file takes no //subdir and no checksum of its own", fsrc.shown)
	}
	// A checksum file is read as it is, never extracted.
	fsrc.archive = ""
	dst := filepath.Join(work, "checksum-file")
	defer os.Remove(dst)
	lim := Limits{MaxBytes: maxChecksumFile, MaxFiles: 1, MaxExtractedBytes: maxChecksumFile}
	var got fetched
	if err := s.fetch(ctx, fsrc, dst, getter.ModeFile, &got, &tracker{max: maxChecksumFile}, lim); err != nil {
		return checksum.Sum{}, fmt.Errorf("checksum file: %w", err)
	}
	f, err := os.Open(dst)
	if err != nil {
		return checksum.Sum{}, fmt.Errorf("checksum file %s: %w", fsrc.shown, err)
	}
	defer f.Close()
	sum, err := checksum.FromFile(f, fsrc.u.String(), s.src.u.Path)
	if err != nil {
		return checksum.Sum{}, sourceError(s.src.shown, err)
	}
	s.note(fmt.Sprintf("checksum file %s gives %s", fsrc.shown, sum))
	return sum, nil
}

// verify hashes the downloaded file in one pass: sha256 for the result,
// and the requested checksum when there is one. A mismatch is an error
// that names both sums; the caller then removes everything written.
func (s *session) verify(file string, want checksum.Sum, res *Result) error {
	if fi, err := os.Stat(file); err == nil {
		if sha, v, ok := s.tracker.streamed(fi.Size()); ok {
			res.Bytes = fi.Size()
			res.Checksum = checksum.Sum{Type: checksum.SHA256, Value: sha}.String()
			s.note(fmt.Sprintf("downloaded %d bytes, %s (hashed while downloading)", res.Bytes, res.Checksum))
			return s.checkWant(v, want, res)
		}
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	var w io.Writer = h
	var v *checksum.Verifier
	if want.Type != "" {
		v = want.Writer(redact.URL(s.src.u))
		w = io.MultiWriter(h, v)
	}
	n, err := io.Copy(w, f)
	if err != nil {
		return fmt.Errorf("hashing the download of %s: %w", s.src.shown, err)
	}
	res.Bytes = n
	res.Checksum = checksum.Sum{Type: checksum.SHA256, Value: h.Sum(nil)}.String()
	s.note(fmt.Sprintf("downloaded %d bytes, %s", n, res.Checksum))
	return s.checkWant(v, want, res)
}

// checkWant reports whether the requested checksum matched.
func (s *session) checkWant(v *checksum.Verifier, want checksum.Sum, res *Result) error {
	if v == nil {
		return nil
	}
	if err := v.Verify(); err != nil {
		return sourceError(s.src.shown, err)
	}
	res.Verified = want.String()
	s.note("verified " + res.Verified)
	return nil
}
