package fetch

import (
	"context"
	"errors"
	"os"
	"path/filepath"

	"github.com/gofetch/fetch/trace"
)

// interruptedBy reports whether the caller's ctx (not one bound by the
// source's own timeout, whose end is a failure of that source) ended: the
// work was interrupted (Ctrl-C in the CLI).
func interruptedBy(ctx context.Context) bool {
	return ctx.Err() != nil && !errors.Is(context.Cause(ctx), ErrSourceTimeout)
}

// markInterrupted turns r into the result of a source the caller's
// cancellation stopped: status interrupted, and an error field that says
// what became of the destination.
func markInterrupted(j *job, r *Result, existed bool) {
	r.Status = StatusInterrupted
	switch {
	case r.Dest != "" && existed:
		r.Error = "interrupted: " + r.Dest + " was there before and is left as it is"
	case r.Dest != "":
		r.Error = "interrupted: nothing was written to " + r.Dest
	default:
		r.Error = "interrupted before it was resolved"
	}
	if j != nil {
		r.Requests = int(j.requests.Load())
		j.trace.Emit(trace.Event{Kind: trace.Result, Message: r.Error})
	}
}

// missingParents returns the directories above dest, below the tree's
// ROOT/src (which stays: it is the tree's, not the source's), that do not
// exist yet, deepest first: the ones a fetch of dest creates, and the only
// ones an interrupted fetch may remove again (removeEmptyDirs). existed
// reports whether dest itself was there.
func (c *Client) missingParents(dest string) (dirs []string, existed bool) {
	top := filepath.Join(c.root, "src")
	if dest == "" {
		return nil, false
	}
	if _, err := os.Lstat(dest); err == nil {
		return nil, true
	}
	for dir := filepath.Dir(dest); ; dir = filepath.Dir(dir) {
		if dir == top {
			return dirs, false
		}
		if _, err := os.Lstat(dir); err == nil || !errors.Is(err, os.ErrNotExist) {
			return dirs, false
		}
		dirs = append(dirs, dir)
		if parent := filepath.Dir(dir); parent == dir {
			return dirs, false
		}
	}
}

// removeEmptyDirs removes dirs, deepest first, stopping at the first that
// is not empty (or gone): os.Remove never removes a directory that
// something was put in meanwhile, by this process or another one.
func removeEmptyDirs(dirs []string) {
	for _, d := range dirs {
		if err := os.Remove(d); err != nil && !errors.Is(err, os.ErrNotExist) {
			return
		}
	}
}
