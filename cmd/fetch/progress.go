package main

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// progress is the live display on a terminal: one line per source at
// work, with its step and, for downloads, the bytes so far. A source's line
// goes away when its result is printed. Off a terminal there is no live
// display; result lines stream in input order instead.
type progress struct {
	p    *mpb.Progress
	mu   sync.Mutex
	bars map[string]*sourceLine
}

type sourceLine struct {
	bar  *mpb.Bar
	mu   sync.Mutex
	step string
}

func (l *sourceLine) getStep() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.step
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newProgress starts a display on w; options are for tests.
func newProgress(w io.Writer, opts ...mpb.ContainerOption) *progress {
	opts = append([]mpb.ContainerOption{mpb.WithOutput(w), mpb.WithWidth(24)}, opts...)
	return &progress{p: mpb.New(opts...), bars: map[string]*sourceLine{}}
}

// line returns the display line for source, creating it.
func (pr *progress) line(source string) *sourceLine {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	if l, ok := pr.bars[source]; ok {
		return l
	}
	l := &sourceLine{step: "starting"}
	l.bar = pr.p.New(0, mpb.SpinnerStyle(),
		mpb.PrependDecorators(
			decor.Name(source, decor.WCSyncSpaceR),
			decor.Any(func(decor.Statistics) string { return l.getStep() }, decor.WCSyncSpaceR),
		),
		mpb.AppendDecorators(decor.Any(func(s decor.Statistics) string {
			if s.Current == 0 {
				return ""
			}
			if s.Total > 0 {
				return fmt.Sprintf("% .1f/% .1f", decor.SizeB1024(s.Current), decor.SizeB1024(s.Total))
			}
			return fmt.Sprintf("% .1f", decor.SizeB1024(s.Current))
		})),
	)
	pr.bars[source] = l
	return l
}

// status sets a source's step (fetch.Options.Status).
func (pr *progress) status(source, step string) {
	l := pr.line(source)
	l.mu.Lock()
	l.step = step
	l.mu.Unlock()
}

// bytes reports download progress (fetch.Options.Progress).
func (pr *progress) bytes(source string, done, total int64) {
	l := pr.line(source)
	if total > 0 {
		l.bar.SetTotal(total, false)
	}
	l.bar.SetCurrent(done)
}

// done removes a source's line.
func (pr *progress) done(source string) {
	pr.mu.Lock()
	l, ok := pr.bars[source]
	delete(pr.bars, source)
	pr.mu.Unlock()
	if ok {
		l.bar.Abort(true)
	}
}

// Write prints above the live lines, so result lines and bars do not
// overwrite each other when stdout and stderr share a terminal.
func (pr *progress) Write(b []byte) (int, error) { return pr.p.Write(b) }

// stop removes every line and waits for the display to end.
func (pr *progress) stop() {
	pr.mu.Lock()
	for src, l := range pr.bars {
		l.bar.Abort(true)
		delete(pr.bars, src)
	}
	pr.mu.Unlock()
	pr.p.Wait()
}
