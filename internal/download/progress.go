package download

import (
	"context"
	"crypto/sha256"
	"hash"
	"io"
	"net/http"
	"time"

	"github.com/gofetch/fetch/checksum"
	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/trace"
)

// tracker is the go-getter ProgressTracker of one request. It enforces the
// download size limit: go-getter's HttpGetter.MaxBytes truncates silently
// when the server sends no Content-Length, and is bypassed altogether once
// a progress tracker is set, while the S3 getter has no limit at all.
//
// It also hashes what the getter reads, so the download is hashed as it is
// written instead of being read back: sha256 for the result, and the
// requested checksum when there is one (verify uses these sums when they
// cover the whole file, and reads the file otherwise).
type tracker struct {
	max      int64 // ≤ 0: no limit
	progress func(name string, done, total int64)
	want     checksum.Sum // the requested checksum, if any
	label    string       // names the download in a mismatch error

	sha    hash.Hash          // sha256 of the current stream, nil if it did not start at 0
	ver    *checksum.Verifier // the requested checksum of the current stream
	hashed int64              // bytes hashed from the current stream
}

// TrackProgress implements getter.ProgressTracker. Each call starts a new
// stream: a retried download starts from scratch, and a resumed one
// (current > 0) cannot be hashed here.
func (t *tracker) TrackProgress(name string, current, total int64, stream io.ReadCloser) io.ReadCloser {
	t.sha, t.ver, t.hashed = nil, nil, 0
	if current == 0 {
		t.sha = sha256.New()
		if t.want.Type != "" {
			t.ver = t.want.Writer(t.label)
		}
	}
	return &countingBody{ReadCloser: stream, t: t, name: name, done: current, total: total}
}

// reported takes a progress report of a download made by another process
// (fetch-cloud), which cannot be hashed here: verify reads the file. A
// file is over the limit as soon as either figure passes MaxBytes; the
// objects of a directory together count against MaxExtractedBytes.
func (t *tracker) reported(name string, dir bool, done, total int64, lim Limits) error {
	t.sha, t.ver, t.hashed = nil, nil, 0
	switch max := t.max; {
	case dir:
		if max := lim.MaxExtractedBytes; max > 0 && done > max {
			return limitError(LimitExtracted, max, "%s holds more than %d bytes", name, max)
		}
	case max > 0 && total > max:
		return limitError(LimitDownload, max, "%s is %d bytes, more than the %d bytes allowed", name, total, max)
	case max > 0 && done > max:
		return limitError(LimitDownload, max, "%s is more than the %d bytes allowed", name, max)
	}
	if t.progress != nil {
		t.progress(name, done, total)
	}
	return nil
}

// streamed returns the sums of the last stream when it covered exactly
// size bytes from the start.
func (t *tracker) streamed(size int64) (sha []byte, ver *checksum.Verifier, ok bool) {
	if t.sha == nil || t.hashed != size {
		return nil, nil, false
	}
	return t.sha.Sum(nil), t.ver, true
}

// countingBody counts what a getter reads, fails as soon as it passes the
// limit, and reports progress.
type countingBody struct {
	io.ReadCloser
	t     *tracker
	name  string
	done  int64
	total int64 // < 0 or 0 when unknown
}

func (b *countingBody) Read(p []byte) (int, error) {
	if max := b.t.max; max > 0 && b.total > max {
		return 0, limitError(LimitDownload, max, "%s is %d bytes, more than the %d bytes allowed", b.name, b.total, max)
	}
	n, err := b.ReadCloser.Read(p)
	b.done += int64(n)
	if b.t.sha != nil && n > 0 {
		b.t.sha.Write(p[:n])
		if b.t.ver != nil {
			b.t.ver.Write(p[:n]) // a mismatch is reported by verify
		}
		b.t.hashed += int64(n)
	}
	if max := b.t.max; max > 0 && b.done > max {
		return n, limitError(LimitDownload, max, "%s is more than the %d bytes allowed", b.name, max)
	}
	if n > 0 && b.t.progress != nil {
		b.t.progress(b.name, b.done, b.total)
	}
	return n, err
}

// tracingTransport reports each HTTP exchange as trace events.
type tracingTransport struct {
	base   http.RoundTripper
	emit   trace.Func
	source string
}

// RoundTrip implements http.RoundTripper.
func (t *tracingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	u := redact.URL(r.URL)
	ev := trace.Event{Kind: trace.Request, Source: t.source, URL: u}
	if r.Method != http.MethodGet {
		ev.Reason = r.Method + " request"
	}
	t.emit.Emit(ev)
	start := time.Now()
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		t.emit.Emit(trace.Event{Kind: trace.Failure, Source: t.source, URL: u, Err: redact.String(err.Error())})
		return nil, err
	}
	ev = trace.Event{Kind: trace.Response, Source: t.source, URL: u, Status: resp.StatusCode,
		StatusText: resp.Status, Duration: time.Since(start)}
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		ev.Kind, ev.Location = trace.Redirect, redact.String(loc)
	}
	t.emit.Emit(ev)
	return resp, nil
}

// tracedClient returns a copy of c (or of a default client) whose
// transport emits trace events; c itself is left alone, since callers
// share it.
func tracedClient(c *http.Client, emit trace.Func, source string) *http.Client {
	if c == nil {
		c = &http.Client{}
	}
	if emit == nil {
		return c
	}
	cc := *c
	base := cc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	cc.Transport = &tracingTransport{base: base, emit: emit, source: source}
	return &cc
}

// unpackKey is the context key of an unpack progress function.
type unpackKey struct{}

// WithUnpackProgress returns a context under which archive extraction
// calls f with the number of entries unpacked so far, after each entry.
// It travels in the context, not the Request, because extraction reaches
// the entries through go-getter's decompressors, which only carry the
// context.
func WithUnpackProgress(ctx context.Context, f func(files int)) context.Context {
	return context.WithValue(ctx, unpackKey{}, f)
}

// reportUnpacked tells ctx's unpack progress function, if any, the count
// of entries so far.
func reportUnpacked(ctx context.Context, files int) {
	if f, ok := ctx.Value(unpackKey{}).(func(int)); ok && f != nil {
		f(files)
	}
}
