package web

import (
	"context"
	"crypto/tls"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/gofetch/fetch/internal/redact"
)

// Retry policy for downloads and module proxy requests. Discovery pages
// never go through Retry: the Go command asks for a page once, and fetch
// resolves as it does.
//
// fetch does not use hashicorp/go-retryablehttp, though it follows the
// same policy (429 and 5xx but 501 retried, Retry-After honoured,
// exponential backoff with jitter). It is not in fetch's module graph
// (go-getter v1.8 does not require it; only go-cleanhttp), so using it
// would add a module and its dependencies for a few dozen lines; its Client is not a RoundTripper that fits under the trace, credential
// and connect-to layers fetch already has; it decides whether an error is
// worth retrying by matching error texts (fetch checks errors by type,
// never by text); and it waits on real timers with a global random
// source, so a test of its waits would sleep. Retry is small, waits
// through an injectable function and reports each retry to the trace.
const (
	// DefaultAttempts is how often a request is sent in all.
	DefaultAttempts = 3
	// BaseBackoff is the wait before the second attempt when the server
	// names none; it doubles for each attempt after that, and each wait
	// is drawn at random from its upper half (jitter).
	BaseBackoff = 1 * time.Second
	// MaxBackoff bounds a computed wait.
	MaxBackoff = 10 * time.Second
	// MaxRetryAfter is the longest Retry-After fetch waits for. A server
	// asking for longer gets no retry: its answer is returned as it is,
	// rather than asking again sooner than it said.
	MaxRetryAfter = 30 * time.Second
)

// Retry is a round tripper that sends an idempotent request (GET or HEAD
// without a body) again after a 429, a 5xx other than 501 and 505, or a
// failed connection, at most Attempts times in all, waiting between
// attempts as the answer's Retry-After says (up to MaxRetryAfter) or else
// with exponential backoff and jitter. An untrusted certificate is not
// asked again: the server will present it however often it is asked.
type Retry struct {
	// Next sends each attempt.
	Next http.RoundTripper
	// Note, when set, is told of each retry, for the trace.
	Note func(format string, args ...any)
	// Attempts is how often a request is sent in all; 0 means
	// DefaultAttempts.
	Attempts int
	// Wait waits d or until ctx ends; nil means a timer. Tests record
	// the waits instead of sleeping.
	Wait func(ctx context.Context, d time.Duration) error
	// Now is the clock Retry-After dates are read against; nil means
	// time.Now.
	Now func() time.Time
	// Jitter picks a wait in [d/2, d]; nil means at random.
	Jitter func(d time.Duration) time.Duration
}

// RoundTrip sends req, again when the answer says it is worth it.
func (r Retry) RoundTrip(req *http.Request) (*http.Response, error) {
	attempts := r.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}
	idempotent := (req.Method == http.MethodGet || req.Method == http.MethodHead) &&
		(req.Body == nil || req.Body == http.NoBody)
	for attempt := 1; ; attempt++ {
		res, err := r.Next.RoundTrip(req)
		if !idempotent || attempt == attempts || req.Context().Err() != nil || !retryable(res, err) {
			return res, err
		}
		wait, why := r.backoff(attempt), ""
		if err != nil {
			why = redact.String(err.Error())
		} else {
			why = res.Status
			if after, ok := r.retryAfter(res); ok {
				if after > MaxRetryAfter {
					r.note("not retrying %s %s: the server asks to wait %v, longer than fetch waits (%v)", req.Method, redact.URL(req.URL), after, MaxRetryAfter)
					return res, nil
				}
				wait = after
			}
			res.Body.Close()
		}
		r.note("retrying %s %s after %s in %v (attempt %d of %d)", req.Method, redact.URL(req.URL), why, wait.Round(time.Millisecond), attempt+1, attempts)
		if err := r.wait(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// retryable reports an answer that another attempt may change.
func retryable(res *http.Response, err error) bool {
	if err != nil {
		var verify *tls.CertificateVerificationError
		return !errors.As(err, &verify)
	}
	switch code := res.StatusCode; {
	case code == http.StatusTooManyRequests:
		return true
	case code == http.StatusNotImplemented, code == http.StatusHTTPVersionNotSupported:
		return false
	default:
		return code >= 500 && code <= 599
	}
}

// backoff is the wait after attempt when the server names none.
func (r Retry) backoff(attempt int) time.Duration {
	d := min(BaseBackoff<<(attempt-1), MaxBackoff)
	if r.Jitter != nil {
		return r.Jitter(d)
	}
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func (r Retry) retryAfter(res *http.Response) (time.Duration, bool) {
	v := res.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		if secs > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter + time.Second, true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false // unreadable: back off as if it were not there
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	return max(t.Sub(now()), 0), true
}

func (r Retry) note(format string, args ...any) {
	if r.Note != nil {
		r.Note(format, args...)
	}
}

func (r Retry) wait(ctx context.Context, d time.Duration) error {
	if r.Wait != nil {
		return r.Wait(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
