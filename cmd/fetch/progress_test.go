package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vbauerster/mpb/v8"
)

// syncBuffer is a bytes.Buffer safe for the display's render goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProgressShowsStepsAndBytes renders the display by hand and checks
// that each source's step and byte count appear, and that text written
// through it reaches the output.
func TestProgressShowsStepsAndBytes(t *testing.T) {
	var out syncBuffer
	refresh := make(chan any)
	pr := newProgress(&out, mpb.WithManualRefresh(refresh), mpb.WithWidth(60))
	pr.status("example.org/a", "cloning")
	pr.status("https://files.example/t.tgz", "downloading")
	pr.bytes("https://files.example/t.tgz", 512*1024, 1024*1024)
	refresh <- time.Now()
	refresh <- time.Now()
	if _, err := pr.Write([]byte("example.org/a: fetched\n")); err != nil {
		t.Fatal(err)
	}
	refresh <- time.Now()
	pr.done("example.org/a")
	pr.stop()
	got := out.String()
	for _, want := range []string{"example.org/a", "cloning", "downloading", "512.0 KiB/1.0 MiB", "example.org/a: fetched"} {
		if !strings.Contains(got, want) {
			t.Errorf("display output lacks %q:\n%s", want, got)
		}
	}
}
