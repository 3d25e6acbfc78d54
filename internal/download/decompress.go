package download

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"

	getter "github.com/hashicorp/go-getter"
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

// Decompress implements getter.Decompressor.
func (d *safeDecompressor) Decompress(dst, src string, dir bool, umask os.FileMode) error {
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
	if err := untarFile(src, dst, f, s, umask); err != nil {
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

func (d *safeDecompressor) decompressStream(dst, src string, dir bool, umask os.FileMode) error {
	if err := d.inner.Decompress(dst, src, dir, umask); err != nil {
		return fmt.Errorf("decompressing %s file: %w", d.key, err)
	}
	if max := d.lim.MaxExtractedBytes; max > 0 {
		if fi, err := os.Stat(dst); err == nil && fi.Size() > max {
			_ = os.Remove(dst)
			return fmt.Errorf("%s file expands to more than %d bytes (Limits.MaxExtractedBytes): %w", d.key, max, ErrLimit)
		}
	}
	return nil
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
