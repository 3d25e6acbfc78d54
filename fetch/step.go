package fetch

import (
	"context"
	"sync"

	"github.com/gofetch/fetch/internal/download"
	"github.com/gofetch/fetch/internal/vcs"
)

// Step is what one source is doing at a moment, with how far it has come,
// for live displays (Options.OnStep). It is fetch's own account: git's
// progress lines are read into it, never passed on as they are (they name
// temporary directories).
type Step struct {
	// Name is the step: one of the Step* constants.
	Name string
	// Percent is how far the step has come, 0 to 100, or -1 when unknown.
	Percent int
	// Bytes is how many bytes have arrived so far (cloning, updating,
	// downloading), and Total how many will (0 when unknown).
	Bytes, Total int64
	// Files is how many entries have been unpacked so far (unpacking).
	Files int
}

// Names of the steps a source goes through.
const (
	StepWaiting     = "waiting"      // resolved, waiting for a worker or for an earlier source
	StepResolving   = "resolving"    // discovery: which repository or URL, and where it lands
	StepCloning     = "cloning"      // a new checkout: receiving the repository
	StepUpdating    = "updating"     // -u: fetching into an existing checkout
	StepIndexing    = "indexing"     // git resolving the deltas of what it received
	StepCheckingOut = "checking out" // writing the work tree
	StepDownloading = "downloading"  // a file, archive or module
	StepUnpacking   = "unpacking"    // an archive being extracted
)

// stepState remembers a source's main step (cloning or updating), which
// git's "Receiving objects" lines belong to.
type stepState struct {
	mu          sync.Mutex
	main, shown string
}

// status reports that the job started a main step.
func (j *job) status(name string) {
	j.step.mu.Lock()
	j.step.main, j.step.shown = name, name
	j.step.mu.Unlock()
	j.c.opts.status(j.source, name)
	j.c.opts.onStep(j.source, Step{Name: name, Percent: -1})
}

// gitProgress turns one of git's progress lines into a Step.
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
	s := Step{Name: main, Percent: -1}
	switch g.Phase {
	case vcs.GitReceiving:
		s.Percent, s.Bytes = g.Percent, g.Bytes
	case vcs.GitDeltas:
		s.Name, s.Percent = StepIndexing, g.Percent
	case vcs.GitCheckout:
		s.Name, s.Percent = StepCheckingOut, g.Percent
	}
	changed := s.Name != j.step.shown
	j.step.shown = s.Name
	j.step.mu.Unlock()
	if changed {
		j.c.opts.status(j.source, s.Name)
	}
	j.c.opts.onStep(j.source, s)
}

// withUnpackProgress makes archive extraction under ctx report its count
// of entries as the unpacking step.
func (j *job) withUnpackProgress(ctx context.Context) context.Context {
	if j.c.opts.OnStep == nil {
		return ctx
	}
	return download.WithUnpackProgress(ctx, func(files int) {
		j.c.opts.onStep(j.source, Step{Name: StepUnpacking, Percent: -1, Files: files})
	})
}

func (o *Options) onStep(source string, s Step) {
	if o.OnStep != nil {
		o.OnStep(source, s)
	}
}
