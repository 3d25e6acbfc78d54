package fetch_test

import (
	"context"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/gofetch/fetch/fetch"
)

// TestDownloadWaitsAsRetryAfterSays: a download answered 429 Too Many
// Requests with Retry-After is asked again after exactly that wait (the
// wait is recorded, not slept), and a discovery page answered 429 is asked
// once, as the Go command asks.
func TestDownloadWaitsAsRetryAfterSays(t *testing.T) {
	var mu sync.Mutex
	busy := 0
	routes := map[string]func(h *hostile, w http.ResponseWriter, r *http.Request){
		"/busy.bin": func(h *hostile, w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			busy++
			first := busy == 1
			mu.Unlock()
			if first {
				w.Header().Set("Retry-After", "4")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
			h.write(w, []byte("payload"))
		},
		"/busy-page": func(h *hostile, w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		},
	}
	h := newHostile(t, routes)
	var waits []time.Duration
	c, err := fetch.New(fetch.Options{
		Root:      t.TempDir(),
		Pwd:       t.TempDir(),
		Transport: h,
		Getenv:    func(string) string { return "" },
		RetryWait: func(_ context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, d)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Get(t.Context(), []string{"https://files.example/busy.bin"}, fetch.SourceOptions{})[0]
	if r.Status != fetch.StatusFetched {
		t.Fatalf("status %q (%s), want fetched", r.Status, r.Error)
	}
	if want := []time.Duration{4 * time.Second}; !reflect.DeepEqual(waits, want) {
		t.Errorf("waited %v, want %v", waits, want)
	}
	if busy < 2 {
		t.Errorf("server saw %d requests for the download, want the 429 and more after the wait", busy)
	}

	waits = nil
	r = c.Resolve(t.Context(), []string{"example.org/busy-page"}, fetch.SourceOptions{})[0]
	if r.Status != fetch.StatusError {
		t.Fatalf("status %q, want error", r.Status)
	}
	if got := h.count("GET /busy-page"); got != 2 || len(waits) != 0 {
		// 2: the Go command's one repeat after a 4xx, without waiting.
		t.Errorf("discovery page asked %d times with waits %v, want 2 requests (the Go command's repeat after a 4xx) and no wait", got, waits)
	}
}
