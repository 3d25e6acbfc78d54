// Package trace defines the events fetch emits while it works: the HTTP
// requests of discovery, downloads and the module proxy, the go-import tags
// it reads, the version control commands it runs, the steps each source
// goes through and each source's outcome.
//
// A program receives them through one callback (fetch.Options.Trace,
// reporoot.Options.Trace) and decides what to show; producers never print.
// Every string in an Event is already redacted: no password, token or
// credential-bearing query option appears in one.
package trace

import "time"

// Kind names what an Event reports. Its values are the Kind constants; a
// consumer should ignore kinds it does not know, as later versions may add
// some.
type Kind string

// The kinds of Event. Source names the source or import path an event
// belongs to; it is set for every kind when the work is for a source (it
// is empty for a client's own work, such as doctor's checks). The other
// fields each kind fills are listed with it; the rest are zero.
const (
	// Request is emitted just before an HTTP request is sent (discovery,
	// a download, the module proxy), once per attempt. Fields: URL;
	// Reason names the method when it is not GET. Counting Request
	// events counts requests.
	Request Kind = "request"
	// Redirect is emitted when a response redirects, once per hop.
	// Fields: URL (the URL that answered), Status, StatusText and
	// Location (where it sent the request on).
	Redirect Kind = "redirect"
	// Response is emitted when the final response of an HTTP request
	// arrives. Fields: URL, Status, StatusText and Duration (since the
	// request, redirects included).
	Response Kind = "response"
	// Failure is emitted when an HTTP request gets no response (URL and
	// Err) or a command fails (Dir, Args, Duration and Err).
	Failure Kind = "failure"
	// Tag is emitted for each go-import meta tag read from a discovery
	// page, and for each tag line the reader skipped. Fields: URL (the
	// page), Tag (the content as written), Matched (it applies to the
	// import path) and Reason (why it does not, or why it was skipped).
	// Tags are reported only when pages are explained: always by a
	// fetch.Client that has a Trace callback, by a reporoot.Resolver
	// when its Options.Explain is set.
	Tag Kind = "tag"
	// Verify is emitted when a tag whose prefix is shorter than the
	// import path is checked against the page for that prefix. Fields:
	// URL (the prefix's page) and Reason.
	Verify Kind = "verify"
	// Command is emitted just before an external command (git, hg, svn,
	// bzr, fossil) runs. Fields: Dir (its working directory, "" for none
	// in particular) and Args (the command line, credentials redacted).
	Command Kind = "command"
	// Note is emitted for anything else worth showing a person: a retry,
	// a fallback, a cache answer, why a step was taken. Fields: Message;
	// URL, Status and StatusText when it concerns a response.
	Note Kind = "note"
	// Step is emitted when a source starts a step of its work. Fields:
	// Message, the step's name as fetch's Step constants spell it
	// ("resolving", "waiting", "cloning", "updating", "downloading",
	// ...). The indexing and checking-out steps of a git clone are seen
	// only when fetch.Options.Progress is set too (git is asked for its
	// progress only then). A step's figures (percent, bytes) are not
	// events: they go to fetch.Options.Progress.
	Step Kind = "step"
	// Result is emitted when a source has been resolved (Message: where
	// it comes from and where it lands), and again when its fetch or
	// verification ends (Message: the outcome in words, such as
	// "fetched git https://... (root ...) -> DIR"); a failure's Message
	// is "error: " and the error. It precedes the delivery of the
	// source's result.
	Result Kind = "result"
)

// Event is one thing that happened. Only the fields its Kind lists are
// set.
type Event struct {
	// Kind says what happened and which fields are set.
	Kind Kind
	// Source is the source or import path the event belongs to.
	Source string
	// URL is the URL requested (Request, Redirect, Response, Failure,
	// Verify) or the page read (Tag).
	URL string
	// Status is the HTTP status code; StatusText its text ("404 Not
	// Found").
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
	// Dir and Args describe a Command or a failed one.
	Dir  string
	Args []string
	// Message is free text (Note, Result) or a step's name (Step).
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
