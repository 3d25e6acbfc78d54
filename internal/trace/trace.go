// Package trace defines the events fetch's resolver, web client and VCS
// layer emit while they work. The fetch package re-exports them; the CLI
// renders them for -v and -x. Producers never print.
package trace

import "time"

// Kind names what an Event reports.
type Kind string

// The kinds of event.
const (
	// Request: an HTTP request is about to be sent (URL).
	Request Kind = "request"
	// Redirect: a response redirected (URL, Status, Location).
	Redirect Kind = "redirect"
	// Response: a final HTTP response arrived (URL, Status, Duration).
	Response Kind = "response"
	// Failure: a request or step failed (URL or Args, Err).
	Failure Kind = "failure"
	// Tag: a meta tag was seen (Tag, Matched, Reason).
	Tag Kind = "tag"
	// Verify: a non-authoritative tag's prefix is being verified (URL).
	Verify Kind = "verify"
	// Command: an external command is about to run (Dir, Args).
	Command Kind = "command"
	// Note: anything else worth showing a person (Message).
	Note Kind = "note"
	// Result: the outcome of resolving a source (Message).
	Result Kind = "result"
)

// Event is one step of work. Only the fields that matter for its Kind are
// set. Every string is already redacted: no credentials appear in events.
type Event struct {
	Kind Kind
	// Source is the source or import path the event belongs to.
	Source string
	// URL is the URL requested (Request, Redirect, Response, Failure, Verify).
	URL string
	// Status is the HTTP status code; StatusText its text ("404 Not Found").
	Status     int
	StatusText string
	// Location is the redirect target (Redirect).
	Location string
	// Duration is how long the request or command took.
	Duration time.Duration
	// Tag is the content of a meta tag as written (Tag).
	Tag string
	// Matched reports whether a Tag matched the import path.
	Matched bool
	// Reason explains why a Tag was ignored or did not match, or why a
	// step was taken.
	Reason string
	// Dir and Args describe a Command.
	Dir  string
	Args []string
	// Message is free text (Note, Result).
	Message string
	// Err is the error text of a Failure.
	Err string
}

// Func receives events. It may be called from several goroutines at once
// and must not block for long.
type Func func(Event)

// Emit calls f with e when f is not nil.
func (f Func) Emit(e Event) {
	if f != nil {
		f(e)
	}
}
