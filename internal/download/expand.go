package download

import (
	"errors"
	"fmt"
	"io"
)

// ErrExpansionRatio is wrapped by the error (a *LimitError) for an archive
// or compressed file that expands more than Limits.MaxExpansionRatio
// allows; it wraps ErrLimit.
var ErrExpansionRatio = fmt.Errorf("expansion ratio %w", ErrLimit)

// countingReader counts the bytes read through it: the archive as the
// decompressor consumes it (a little ahead, through its buffers).
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// expansion checks an extraction's output as it is written: against
// MaxExtractedBytes where the scan does not already count it (a
// single-stream file), and against MaxExpansionRatio everywhere.
type expansion struct {
	in    *countingReader
	size  int64  // the archive's size, for messages
	what  string // "tar.gz archive", "gz file"
	max   int64  // 0: not checked here
	ratio int64  // 0: none
	out   int64
}

// wrote counts n more bytes written.
func (e *expansion) wrote(n int) error {
	e.out += int64(n)
	if e.max > 0 && e.out > e.max {
		return limitError(LimitExtracted, e.max, "%s expands to more than %d bytes", e.what, e.max)
	}
	if e.ratio > 0 && e.out > RatioGrace && e.out > e.ratio*e.in.n {
		return ratioError(e.what, e.ratio, e.out, e.in.n, e.size)
	}
	return nil
}

func ratioError(what string, ratio, out, in, size int64) error {
	return limitError(LimitRatio, ratio, "%s expands more than %d times (%d bytes from the first %d of its %d), which is how a decompression bomb looks",
		what, ratio, out, in, size)
}

// guardWriter passes writes on to w and counts them in e, failing a write
// that passes a limit before it reaches w.
type guardWriter struct {
	w io.Writer
	e *expansion
}

func (g guardWriter) Write(p []byte) (int, error) {
	if err := g.e.wrote(len(p)); err != nil {
		return 0, err
	}
	return g.w.Write(p)
}

// isLimit reports whether err is a limit error, which must not be
// reworded as a failure to read the archive.
func isLimit(err error) bool { return errors.Is(err, ErrLimit) }
