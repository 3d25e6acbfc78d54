package testutil

import (
	"sync"

	"github.com/gofetch/fetch/trace"
)

// Recorder collects trace events from any number of goroutines. Pass its
// Emit method as a trace.Func.
type Recorder struct {
	mu     sync.Mutex
	events []trace.Event
}

// Emit records e.
func (r *Recorder) Emit(e trace.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// All returns a copy of the events recorded so far, in order.
func (r *Recorder) All() []trace.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]trace.Event(nil), r.events...)
}
