package fetch

import (
	"context"
	"sync"

	"github.com/gofetch/fetch/internal/download"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/trace"
)

// Step names what a source is doing: one of the Step constants.
type Step string

// The steps a source goes through, in the order they come.
const (
	StepResolving   Step = "resolving"    // discovery: which repository or URL, and where it lands
	StepWaiting     Step = "waiting"      // resolved, waiting for a worker or for an earlier source
	StepCloning     Step = "cloning"      // a new checkout: receiving the repository
	StepUpdating    Step = "updating"     // -u: fetching into an existing checkout
	StepIndexing    Step = "indexing"     // git resolving the deltas of what it received
	StepCheckingOut Step = "checking out" // writing the work tree
	StepDownloading Step = "downloading"  // a file, archive or module
	StepUnpacking   Step = "unpacking"    // an archive being extracted
)

// Progress is what one source is doing at a moment, with how far it has
// come, as Options.Progress receives it. It is fetch's own account: git's
// progress lines are read into it, never passed on as they are (they name
// temporary directories).
type Progress struct {
	// Source is the source, named as its Result names it (credentials
	// redacted).
	Source string
	// Step is what it is doing.
	Step Step
	// Percent is how far the step has come, 0 to 100, or -1 when
	// unknown.
	Percent int
	// Bytes is how many bytes have arrived so far (cloning, updating,
	// downloading), and Total how many will (0 when unknown).
	Bytes, Total int64
	// Files is how many entries have been unpacked so far (unpacking).
	Files int
}

// stepState remembers a source's main step (cloning or updating), which
// git's "Receiving objects" lines belong to.
type stepState struct {
	mu          sync.Mutex
	main, shown Step
}

// status reports that the job started a main step: a trace.Step event
// and a Progress without figures.
func (j *job) status(name Step) {
	j.step.mu.Lock()
	j.step.main, j.step.shown = name, name
	j.step.mu.Unlock()
	j.trace.Emit(trace.Event{Kind: trace.Step, Message: string(name)})
	j.progress(Progress{Step: name, Percent: -1})
}

// gitProgress turns one of git's progress lines into a Progress.
func (j *job) gitProgress(line string) {
	g, ok := vcs.ParseGitProgress(line)
	if !ok {
		return
	}
	j.step.mu.Lock()
	main := j.step.main
	if main == "" {
		main = StepCloning
	}
	p := Progress{Step: main, Percent: -1}
	switch g.Phase {
	case vcs.GitReceiving:
		p.Percent, p.Bytes = g.Percent, g.Bytes
	case vcs.GitDeltas:
		p.Step, p.Percent = StepIndexing, g.Percent
	case vcs.GitCheckout:
		p.Step, p.Percent = StepCheckingOut, g.Percent
	}
	changed := p.Step != j.step.shown
	j.step.shown = p.Step
	j.step.mu.Unlock()
	if changed {
		j.trace.Emit(trace.Event{Kind: trace.Step, Message: string(p.Step)})
	}
	j.progress(p)
}

// downloadProgress returns the download progress callback for the job,
// nil when nobody listens.
func (j *job) downloadProgress() func(name string, done, total int64) {
	if j.c.opts.Progress == nil {
		return nil
	}
	return func(_ string, done, total int64) {
		p := Progress{Step: StepDownloading, Percent: -1, Bytes: done, Total: max(total, 0)}
		if total > 0 {
			p.Percent = int(min(100, done*100/total))
		}
		j.progress(p)
	}
}

// withUnpackProgress makes archive extraction under ctx report its count
// of entries as the unpacking step.
func (j *job) withUnpackProgress(ctx context.Context) context.Context {
	if j.c.opts.Progress == nil {
		return ctx
	}
	return download.WithUnpackProgress(ctx, func(files int) {
		j.progress(Progress{Step: StepUnpacking, Percent: -1, Files: files})
	})
}

// progress hands p, for the job's source, to Options.Progress.
func (j *job) progress(p Progress) {
	if j.c.opts.Progress != nil {
		p.Source = j.source
		j.c.opts.Progress(p)
	}
}
