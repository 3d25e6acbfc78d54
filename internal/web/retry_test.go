package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// script answers each request with the next of its steps (status and
// Retry-After), then 200 OK, and counts the requests.
type script struct {
	mu    sync.Mutex
	steps []step
	n     int
}

type step struct {
	status     int
	retryAfter string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := s.n
	s.n++
	s.mu.Unlock()
	if i >= len(s.steps) {
		w.Write([]byte("ok"))
		return
	}
	if s.steps[i].retryAfter != "" {
		w.Header().Set("Retry-After", s.steps[i].retryAfter)
	}
	w.WriteHeader(s.steps[i].status)
}

func TestRetryWaitsAsTheServerAsks(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name       string
		method     string
		steps      []step
		wantStatus int
		wantWaits  []time.Duration
		wantNote   string
	}{
		{"a 429 with Retry-After in seconds waits that long, then succeeds", "GET",
			[]step{{429, "2"}}, 200, []time.Duration{2 * time.Second}, "retrying GET"},
		{"a 503 with Retry-After as a date waits until then", "GET",
			[]step{{503, now.Add(7 * time.Second).Format(http.TimeFormat)}}, 200, []time.Duration{7 * time.Second}, "after 503 Service Unavailable in 7s (attempt 2 of 3)"},
		{"a 500 without Retry-After backs off exponentially", "GET",
			[]step{{500, ""}, {502, ""}}, 200, []time.Duration{BaseBackoff, 2 * BaseBackoff}, "attempt 3 of 3"},
		{"three failures in all, then the last answer is returned", "GET",
			[]step{{503, "1"}, {503, "1"}, {503, "1"}}, 503, []time.Duration{time.Second, time.Second}, ""},
		{"a Retry-After longer than fetch waits is not retried", "GET",
			[]step{{429, "120"}}, 429, nil, "the server asks to wait 31s, longer than fetch waits (30s)"},
		{"an unreadable Retry-After backs off as usual", "GET",
			[]step{{429, "soon"}}, 200, []time.Duration{BaseBackoff}, ""},
		{"a POST is never retried", "POST", []step{{503, "1"}}, 503, nil, ""},
		{"501 is not retried", "GET", []step{{501, ""}}, 501, nil, ""},
		{"a 404 is not retried", "GET", []step{{404, ""}}, 404, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(&script{steps: tt.steps})
			defer srv.Close()
			var waits []time.Duration
			var notes []string
			r := Retry{
				Next:   http.DefaultTransport,
				Note:   func(f string, args ...any) { notes = append(notes, fmtNote(f, args...)) },
				Wait:   func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
				Now:    func() time.Time { return now },
				Jitter: func(d time.Duration) time.Duration { return d },
			}
			req, _ := http.NewRequest(tt.method, srv.URL+"/x", nil)
			res, err := r.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", res.StatusCode, tt.wantStatus)
			}
			if !reflect.DeepEqual(waits, tt.wantWaits) {
				t.Errorf("waited %v, want %v", waits, tt.wantWaits)
			}
			if tt.wantNote != "" && !strings.Contains(strings.Join(notes, "\n"), tt.wantNote) {
				t.Errorf("notes %q, want one containing %q", notes, tt.wantNote)
			}
		})
	}
}

func TestRetryAfterAConnectionFailure(t *testing.T) {
	var waits []time.Duration
	r := Retry{
		Next: http.DefaultTransport,
		Wait: func(_ context.Context, d time.Duration) error { waits = append(waits, d); return nil },
	}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:"+closedPort(t)+"/x", nil)
	if _, err := r.RoundTrip(req); err == nil {
		t.Fatal("a closed port answered")
	}
	if len(waits) != 2 {
		t.Fatalf("waited %v, want two waits (three attempts)", waits)
	}
	for i, d := range waits {
		if top := BaseBackoff << i; d < top/2 || d > top {
			t.Errorf("wait %d = %v, want jitter within [%v, %v]", i, d, top/2, top)
		}
	}
}

func TestRetryStopsWhenTheContextEnds(t *testing.T) {
	srv := httptest.NewServer(&script{steps: []step{{503, "1"}, {503, "1"}}})
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	r := Retry{
		Next: http.DefaultTransport,
		Wait: func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() },
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	if _, err := r.RoundTrip(req); err == nil {
		t.Fatal("no error after the context ended")
	}
}

func fmtNote(f string, args ...any) string { return fmt.Sprintf(f, args...) }
