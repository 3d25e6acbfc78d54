package download

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/internal/trace"
)

// tracker is the go-getter ProgressTracker of one request. It enforces the
// download size limit: go-getter's HttpGetter.MaxBytes truncates silently
// when the server sends no Content-Length, and is bypassed altogether once
// a progress tracker is set, while the S3 getter has no limit at all.
type tracker struct {
	max      int64 // ≤ 0: no limit
	progress func(name string, done, total int64)
}

// TrackProgress implements getter.ProgressTracker.
func (t *tracker) TrackProgress(name string, current, total int64, stream io.ReadCloser) io.ReadCloser {
	return &countingBody{ReadCloser: stream, t: t, name: name, done: current, total: total}
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
		return 0, fmt.Errorf("%s is %d bytes, more than the %d bytes allowed (Limits.MaxBytes): %w", b.name, b.total, max, ErrLimit)
	}
	n, err := b.ReadCloser.Read(p)
	b.done += int64(n)
	if max := b.t.max; max > 0 && b.done > max {
		return n, fmt.Errorf("%s is more than the %d bytes allowed (Limits.MaxBytes): %w", b.name, max, ErrLimit)
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
