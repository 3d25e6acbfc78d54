// Package trace is the public package github.com/gofetch/fetch/trace under
// its old import path, for the code not yet moved to it (internal/download
// and fetch's doctor, which other branches are rewriting). It goes away
// when they import the public package.
package trace

import "github.com/gofetch/fetch/trace"

// Kind is trace.Kind.
type Kind = trace.Kind

// Event is trace.Event.
type Event = trace.Event

// Func is trace.Func.
type Func = trace.Func

// The kinds of event: see the trace package.
const (
	Request  = trace.Request
	Redirect = trace.Redirect
	Response = trace.Response
	Failure  = trace.Failure
	Tag      = trace.Tag
	Verify   = trace.Verify
	Command  = trace.Command
	Note     = trace.Note
	Step     = trace.Step
	Result   = trace.Result
)
