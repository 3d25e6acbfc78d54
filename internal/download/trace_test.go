package download

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gofetch/fetch/trace"
)

// recordTrace collects events; Get may emit from more than one goroutine.
type recordTrace struct {
	mu     sync.Mutex
	events []trace.Event
}

func (r *recordTrace) emit(e trace.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func (r *recordTrace) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, e := range r.events {
		fmt.Fprintf(&b, "%+v\n", e)
	}
	return b.String()
}

func TestGetTracesRequestsWithoutCredentials(t *testing.T) {
	tgz := archiveOf(t, "tar.gz", project)
	srv := newServer(t, map[string]served{"/dl/proj.tar.gz": {body: tgz}})
	withCreds := strings.Replace(srv.URL, "https://", "https://alice:hunter2@", 1)
	tests := []struct {
		name     string
		url      string
		wantErr  bool
		wantText []string
	}{
		{"a download reports its GET and the extraction", withCreds + "/dl/proj.tar.gz?token=t0ken",
			false, []string{"Kind:request", "Kind:response", "Status:200", "StatusText:200 OK", "extracting the tar.gz archive", "alice:REDACTED@", "token=REDACTED"}},
		{"a failed download reports the status, and its error hides the password", withCreds + "/dl/missing.zip?token=t0ken",
			true, []string{"Status:404", "alice:REDACTED@", "token=REDACTED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recordTrace{}
			_, err := Get(context.Background(), Request{URL: tt.url, Dst: emptyDst(t), HTTPClient: srv.Client(), Trace: rec.emit})
			if (err != nil) != tt.wantErr {
				t.Fatalf("Get: error = %v, want error: %v", err, tt.wantErr)
			}
			text := rec.text()
			if err != nil {
				text += err.Error()
			}
			for _, want := range tt.wantText {
				if !strings.Contains(text, want) {
					t.Errorf("trace and error do not say %q:\n%s", want, text)
				}
			}
			for _, secret := range []string{"hunter2", "t0ken"} {
				if strings.Contains(text, secret) {
					t.Errorf("trace or error shows the secret %q:\n%s", secret, text)
				}
			}
		})
	}
}

func TestGetReportsProgress(t *testing.T) {
	body := make([]byte, 300<<10)
	srv := newServer(t, map[string]served{
		"/sized":   {body: body},
		"/chunked": {body: body, chunked: true},
	})
	tests := []struct {
		name      string
		path      string
		wantTotal int64
	}{
		{"a download with a Content-Length reports its total", "/sized", int64(len(body))},
		{"a download without a Content-Length reports an unknown total", "/chunked", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls int
			var last [2]int64
			var name string
			progress := func(n string, done, total int64) {
				calls++
				name, last = n, [2]int64{done, total}
			}
			if _, err := Get(context.Background(), Request{URL: srv.URL + tt.path, Dst: emptyDst(t), HTTPClient: srv.Client(), Progress: progress}); err != nil {
				t.Fatalf("Get: %v", err)
			}
			if calls == 0 || name != tt.path[1:] || last != [2]int64{int64(len(body)), tt.wantTotal} {
				t.Errorf("progress: %d calls, last (%q, done %d, total %d); want (%q, done %d, total %d)",
					calls, name, last[0], last[1], tt.path[1:], len(body), tt.wantTotal)
			}
		})
	}
}
