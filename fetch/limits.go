package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"syscall"
	"time"

	"github.com/gofetch/fetch/internal/download"
	"github.com/gofetch/fetch/internal/web"
)

// Limits bound what one download (an http, s3, gcs or local file source)
// may fetch and write. A zero field takes its default; a negative one means
// no limit. Hitting a limit fails the source and leaves nothing at its
// destination.
type Limits struct {
	// MaxDownloadBytes bounds the downloaded file (for an archive, the
	// archive itself). Default 1 GiB.
	MaxDownloadBytes int64
	// MaxFiles bounds the entries extracted from an archive or copied
	// from a local directory. Default 100,000.
	MaxFiles int
	// MaxExtractedBytes bounds the bytes extracted from an archive or
	// copied from a local directory. Default 4 GiB.
	MaxExtractedBytes int64
	// MaxExpansionRatio bounds how many bytes an archive or compressed
	// file may expand to per byte of it, once the first 8 MiB are out,
	// so a decompression bomb is refused long before MaxExtractedBytes.
	// Default 200.
	MaxExpansionRatio int
}

func (l Limits) download() download.Limits {
	return download.Limits{MaxBytes: l.MaxDownloadBytes, MaxFiles: l.MaxFiles, MaxExtractedBytes: l.MaxExtractedBytes,
		MaxExpansionRatio: l.MaxExpansionRatio}
}

// LimitError is the error of a download, archive or local copy stopped by
// one of the Limits: its Limit says which (LimitDownload is
// MaxDownloadBytes, LimitFiles MaxFiles, LimitExtracted MaxExtractedBytes,
// LimitRatio MaxExpansionRatio) and Max its value, so that a caller can
// say how to raise it in its own words. Its text names the limit in words.
type LimitError = download.LimitError

// Limit names one of the Limits in a LimitError.
type Limit = download.Limit

// The Limits, as a LimitError names them.
const (
	LimitDownload  = download.LimitDownload
	LimitFiles     = download.LimitFiles
	LimitExtracted = download.LimitExtracted
	LimitRatio     = download.LimitRatio
)

// ErrSourceTimeout is wrapped by the error of a source that ran out of
// Options.SourceTimeout.
var ErrSourceTimeout = errors.New("source timed out")

// bound applies what is left of the source's Options.SourceTimeout to ctx.
// The budget counts the time the source is worked on (resolving, then
// fetching), not the time it waits for a job in a batch.
func (j *job) bound(ctx context.Context) (context.Context, func()) {
	total := j.c.opts.SourceTimeout
	if total <= 0 {
		return ctx, func() {}
	}
	start := time.Now()
	left := total - time.Duration(j.spent.Load())
	ctx, cancel := context.WithTimeoutCause(ctx, left,
		fmt.Errorf("%w: it took more than %v in all", ErrSourceTimeout, total))
	return ctx, func() {
		j.spent.Add(int64(time.Since(start)))
		cancel()
	}
}

// stopped says why ctx ended: the source's timeout when that was it, else
// ctx.Err() (an interrupt reads "context canceled", as before).
func stopped(ctx context.Context) error {
	if cause := context.Cause(ctx); errors.Is(cause, ErrSourceTimeout) {
		return cause
	}
	return ctx.Err()
}

// withCause puts the source's timeout in front of err when it is what
// ended the work, because the error underneath only says that a context
// ended.
func withCause(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	if err == nil || !errors.Is(cause, ErrSourceTimeout) || errors.Is(err, ErrSourceTimeout) {
		return err
	}
	return fmt.Errorf("%w: %w", cause, err)
}

// maxAttempts bounds how often an idempotent download request is tried.
const maxAttempts = 3

// cutShort reports whether a download failed because its connection was
// reset or ended early, after the answer began: the whole download may be
// tried again. (A 5xx answer or a failed connection is retried earlier, by
// retrying, request by request.)
func cutShort(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF)
}

// retrying sends idempotent download and module proxy requests again as
// web.Retry decides (after a 429, a 5xx or a failed connection; waiting as
// Retry-After says, else with exponential backoff and jitter), at most
// maxAttempts times in all. Discovery pages do not go through it: the Go
// command asks for a page once, and a fetch must resolve as it does.
type retrying struct {
	next http.RoundTripper
	note func(format string, args ...any)
	wait func(ctx context.Context, d time.Duration) error // nil: a timer
}

func (r retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	return web.Retry{Next: r.next, Note: r.note, Attempts: maxAttempts, Wait: r.wait}.RoundTrip(req)
}
