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

// safeDecompressor puts a scan of the archive in front of one of
// go-getter's decompressors, and turns the silent truncation of its
// single-stream size limit into an error.
type safeDecompressor struct {
	ctx   context.Context // go-getter's Decompressor takes none
	key   string
	inner getter.Decompressor
	lim   Limits
	note  func(string)
}

// safeDecompressors returns go-getter's limited decompressors, each behind
// the scan. The scan enforces the exact limits; go-getter's own are set
// one higher, as a second line: its tar entry count is off by one (an
// archive of exactly N entries fails at N) and its single-stream limit
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
	if f.layout == streamLayout {
		return d.decompressStream(dst, src, dir, umask)
	}
	s := newScan(d.ctx, d.lim)
	if err := scanFile(src, f, s); err != nil {
		return fmt.Errorf("checking %s archive: %w", d.key, err)
	}
	if len(s.links) > 0 && d.note != nil {
		d.note(linkNote(s.links))
	}
	if err := d.inner.Decompress(dst, src, dir, umask); err != nil {
		return fmt.Errorf("extracting %s archive: %w", d.key, err)
	}
	return nil
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
