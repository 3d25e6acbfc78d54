package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrBodyTimeout is wrapped by the error a body read returns once
// Options.BodyTimeout has passed since the response headers arrived.
var ErrBodyTimeout = errors.New("body read timed out")

// boundedBody ends a response body at a byte bound, turns the
// cancellation by the body timer into a readable error, copies what it
// reads to the error-detail buffer, and releases the request's context
// when closed.
type boundedBody struct {
	rc        io.ReadCloser
	limited   bool
	remaining int64
	truncated bool
	detail    *detailBuffer // nil unless collecting

	ctx     context.Context // the request's; its cause tells a timeout apart
	url     string          // redacted, for errors
	timeout time.Duration
	stop    func() // stops the timer and cancels ctx
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.limited && b.remaining <= 0 {
		if !b.truncated {
			// One more byte tells a page that ends exactly at the bound
			// from one that goes on.
			var one [1]byte
			n, _ := b.rc.Read(one[:])
			b.truncated = n > 0
		}
		return 0, io.EOF
	}
	if b.limited && int64(len(p)) > b.remaining {
		p = p[:b.remaining]
	}
	n, err := b.rc.Read(p)
	b.remaining -= int64(n)
	if b.detail != nil {
		b.detail.write(p[:n])
	}
	// Once the timer has fired, even io.EOF is suspect: a canceled
	// connection can end a chunked body as if it were complete.
	if err != nil && errors.Is(context.Cause(b.ctx), ErrBodyTimeout) {
		err = fmt.Errorf("reading %s: %w after %v", b.url, ErrBodyTimeout, b.timeout)
	}
	return n, err
}

func (b *boundedBody) Close() error {
	err := b.rc.Close()
	b.stop()
	return err
}

// detailBuffer keeps the start of an error page: enough lines and bytes
// for formatDetail to decide every cut the same way whatever the sizes of
// the reads that delivered the page.
type detailBuffer struct {
	buf    strings.Builder
	lines  int
	capped bool
}

const detailCap = 2 * maxDetailBytes

func (d *detailBuffer) write(p []byte) {
	for _, c := range p {
		// formatDetail looks at one line past the last it prints, to
		// know whether to say it cut the page.
		if d.lines > maxDetailLines {
			return
		}
		if d.buf.Len() >= detailCap {
			d.capped = true
			return
		}
		d.buf.WriteByte(c)
		if c == '\n' {
			d.lines++
		}
	}
}

// String returns what was kept; when the byte cap cut a character in two,
// the partial character is dropped so the rest still reads as UTF-8.
func (d *detailBuffer) String() string {
	s := d.buf.String()
	if d.capped {
		for i := 0; i < utf8.UTFMax && len(s) > 0; i++ {
			r, size := utf8.DecodeLastRuneInString(s)
			if r != utf8.RuneError || size != 1 {
				break
			}
			s = s[:len(s)-1]
		}
	}
	return s
}
