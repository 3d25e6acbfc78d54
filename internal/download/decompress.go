package download

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	getter "github.com/hashicorp/go-getter/v2"
)

// ErrLimit is wrapped by the error for a download, archive or copy that
// goes over one of the Limits.
var ErrLimit = errors.New("limit exceeded")

// safeDecompressor extracts a tar archive itself, checking each entry
// as it goes, and puts a scan in front of go-getter's zip decompressor (a
// zip scan reads only the central directory, so it costs no second
// decompression); for a single-stream file it turns the silent truncation
// of go-getter's size limit into an error.
type safeDecompressor struct {
	ctx   context.Context // go-getter's Decompressor takes none
	key   string
	inner getter.Decompressor
	lim   Limits
	note  func(string)
}

// safeDecompressors returns a safeDecompressor for every key of go-getter's
// limited decompressors. The scan enforces the exact limits; go-getter's
// own are set one higher, as a second line: its single-stream limit
// truncates, so output that reaches limit+1 bytes is known to be too big.
func safeDecompressors(ctx context.Context, lim Limits, note func(string)) map[string]getter.Decompressor {
	inner := getter.LimitedDecompressors(plusOne(lim.MaxFiles), plusOne(lim.MaxExtractedBytes))
	out := make(map[string]getter.Decompressor, len(inner))
	for k, d := range inner {
		out[k] = &safeDecompressor{ctx: ctx, key: k, inner: d, lim: lim, note: note}
	}
	return out
}

// plusOne returns n+1 for a limit, and 0 (go-getter's "none") for none.
func plusOne[T int | int64](n T) T {
	if n <= 0 {
		return 0
	}
	return n + 1
}

// Decompress implements getter.Decompressor. The package's umask always
// applies: go-getter v2 passes 0 for the archives X-Terraform-Get leads
// to.
func (d *safeDecompressor) Decompress(dst, src string, dir bool, mask os.FileMode) error {
	umask := mask | umask
	f, ok := formats[d.key]
	if !ok {
		return fmt.Errorf("archive type %q has no safety scan: refusing to extract it", d.key)
	}
	switch f.layout {
	case streamLayout:
		return d.decompressStream(dst, src, dir, umask)
	case tarLayout:
		return d.extractTar(dst, src, f, umask)
	}
	s := newScan(d.ctx, d.lim)
	if err := scanZip(src, s); err != nil {
		return fmt.Errorf("checking %s archive: %w", d.key, err)
	}
	if err := s.checkZipRatio(src, d.key+" archive"); err != nil {
		return err
	}
	d.noteLinks(s)
	if err := d.inner.Decompress(dst, src, dir, umask); err != nil {
		return fmt.Errorf("extracting %s archive: %w", d.key, err)
	}
	return nil
}

// extractTar is the one pass over a tar archive. On an error dst holds
// whatever came before the refused entry; the caller removes it.
func (d *safeDecompressor) extractTar(dst, src string, f format, umask os.FileMode) error {
	s := newScan(d.ctx, d.lim)
	if err := untarFile(src, dst, f, s, umask, d.key+" archive"); err != nil {
		if isLimit(err) || errors.Is(err, ErrVCSMetadata) || errors.Is(err, ErrBookkeeping) {
			return err
		}
		return fmt.Errorf("extracting %s archive: %w", d.key, err)
	}
	d.noteLinks(s)
	return nil
}

func (d *safeDecompressor) noteLinks(s *scan) {
	if len(s.links) > 0 && d.note != nil {
		d.note(linkNote(s.links))
	}
}

// decompressStream writes the one file of a compressed stream, counting
// what it writes against MaxExtractedBytes and MaxExpansionRatio as it
// goes (go-getter's own limit truncates the file instead of failing).
func (d *safeDecompressor) decompressStream(dst, src string, dir bool, umask os.FileMode) error {
	if dir {
		return fmt.Errorf("a %s file holds one file and cannot be extracted into a directory", d.key)
	}
	err := d.writeStream(dst, src, umask)
	if err != nil {
		_ = os.Remove(dst)
		if isLimit(err) {
			return err
		}
		return fmt.Errorf("decompressing %s file: %w", d.key, err)
	}
	return nil
}

func (d *safeDecompressor) writeStream(dst, src string, umask os.FileMode) error {
	f := formats[d.key]
	if err := os.MkdirAll(filepath.Dir(dst), 0o755&^umask); err != nil {
		return err
	}
	fh, size, err := openChecked(src, f)
	if err != nil {
		return err
	}
	defer fh.Close()
	in := &countingReader{r: fh}
	r, err := f.decompress(in)
	if err != nil {
		return err
	}
	defer r.Close()
	// The mode go-getter 1.8.10 gives a decompressed file.
	perm := 0o622 &^ umask
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	e := &expansion{in: in, size: size, what: d.key + " file", max: d.lim.MaxExtractedBytes, ratio: int64(d.lim.MaxExpansionRatio)}
	_, err = io.Copy(guardWriter{w: out, e: e}, ctxReader{ctx: d.ctx, r: r})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Chmod(dst, perm)
}

// ctxReader stops a long copy once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// linkNote says what became of link entries: go-getter writes a tar link
// as an empty file and a zip symlink as a file holding its target.
func linkNote(links map[string]string) string {
	names := make([]string, 0, len(links))
	for n := range links {
		names = append(names, n)
	}
	sort.Strings(names)
	return fmt.Sprintf("%d link entries (first: %s -> %s) are written as regular files: go-getter does not create links",
		len(names), names[0], links[names[0]])
}
