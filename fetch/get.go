package fetch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/internal/tree"
	"github.com/gofetch/fetch/trace"
)

// Get fetches each source into the tree. Results are in input order; a
// failure is a Result with Status "error", and the other sources still run.
// An existing checkout is reported "exists" without touching the network,
// unless so.Update asks for a fast-forward update. Sources sharing a
// destination (import paths in one repository) are fetched once, by the
// first of them in input order; the others report on that checkout.
func (c *Client) Get(ctx context.Context, srcs []string, so SourceOptions) []Result {
	return c.getBatch(ctx, srcs, so)
}

func (c *Client) getResolved(ctx context.Context, res *resolved, so SourceOptions) Result {
	r := res.result
	if interruptedBy(ctx) {
		markInterrupted(res.job, &r, false) // interrupt.go: not started
		return r
	}
	created, existed := c.missingParents(r.Dest)
	parent := ctx
	ctx, done := res.job.bound(ctx)
	defer done()
	status, err := c.getInto(ctx, res, so, &r)
	r.Requests = int(res.job.requests.Load())
	if err != nil && interruptedBy(parent) {
		removeEmptyDirs(created)
		markInterrupted(res.job, &r, existed)
		return r
	}
	if err != nil {
		if ctx.Err() != nil {
			// Stage removed its temporary: say so rather than echo the
			// command the interruption stopped.
			err = fmt.Errorf("%w: nothing was written to %s", stopped(ctx), r.Dest)
		}
		if wp := (*WebPageError)(nil); errors.As(err, &wp) {
			err = wp // the whole story
			// Nothing is left, not even the parents made for it, so
			// that the command it suggests finds the tree as it was.
			removeEmptyDirs(created)
		}
		r.Status = StatusError
		r.Error = detect.Redact(err.Error())
		r.Err = redact.Error(err)
		res.job.trace.Emit(trace.Event{Kind: trace.Result, Message: "error: " + r.Error})
		return r
	}
	r.Status = status
	res.job.trace.Emit(trace.Event{Kind: trace.Result, Message: string(status) + " " + describe(r)})
	return r
}

// getInto places one resolved source at r.Dest and returns its status.
func (c *Client) getInto(ctx context.Context, res *resolved, so SourceOptions, r *Result) (Status, error) {
	var f fetcher
	var err error
	switch {
	case res.module != nil:
		f, err = c.proxyFetcher(res, so)
	case res.rr != nil && res.rr.VCS == "mod":
		f, err = c.modFetcher(res, so)
	case res.rr != nil:
		f, err = c.importFetcher(res, so)
	case res.src.Getter == "git" || res.src.Getter == "hg":
		f, err = c.getterVCSFetcher(res, so)
	default:
		f, err = c.downloadFetcher(res, so)
	}
	if err != nil {
		return "", err
	}
	if f.cleanup != nil {
		defer f.cleanup()
	}

	dest := r.Dest
	ctx = tree.WithWaitFunc(ctx, func(string) {
		res.job.note("waiting for another fetch working on %s", dest)
	})
	// The one placement rule (tree.Place): no link, file or checkout
	// between ROOT/src and dest, checked before any command runs there.
	// A dry run changes nothing, not even a lock file, but refuses what a
	// real run would refuse.
	mode := tree.Create
	if so.DryRun {
		mode = tree.Inspect
	}
	place, err := tree.Place(res.where, mode)
	if err != nil {
		return "", err
	}
	defer place.Close()
	unlock := func() {}
	if !so.DryRun {
		if unlock, err = place.Lock(ctx); err != nil {
			return "", err
		}
	}
	defer func() { unlock() }()

	st, err := tree.Kind(dest)
	if err != nil {
		return "", err
	}
	switch st.Is {
	case tree.Missing, tree.EmptyDir:
		if so.DryRun {
			res.job.note("would fetch %s into %s", r.Source, dest)
			return StatusPlanned, nil
		}
		if st.Is == tree.EmptyDir {
			// An empty directory holds nothing to lose; Stage needs the
			// name free to rename into it.
			if err := os.Remove(dest); err != nil {
				return "", fmt.Errorf("replacing empty directory %s: %w", dest, err)
			}
		}
		// Stage takes the lock itself and refuses if another process got
		// there first, which then reads as "exists".
		unlock()
		unlock = func() {}
		res.job.status(f.step)
		if err := place.Stage(ctx, func(tmp string) error { return f.create(ctx, tmp, r) }); err != nil {
			if errors.Is(err, tree.ErrExist) {
				return StatusExists, f.inspect(ctx, dest, r)
			}
			return "", err
		}
		return StatusFetched, f.finish(ctx, dest, r)
	case tree.Checkout, tree.Directory, tree.File:
		if f.existing == nil {
			return "", fmt.Errorf("%s already exists and is a %s; move it away or choose another destination with -o", dest, st.Is)
		}
		return f.existing(ctx, dest, st, so, r)
	default:
		return "", fmt.Errorf("%s already exists and is a %s; fetch does not write through it: move it away or choose another destination with -o", dest, st.Is)
	}
}

// fetcher is how one kind of source is created, inspected and updated.
type fetcher struct {
	// create fills the empty directory tmp (a staging directory that is
	// renamed into place afterwards) and may set result fields.
	create func(ctx context.Context, tmp string, r *Result) error
	// finish runs on the final destination after a successful create.
	finish func(ctx context.Context, dest string, r *Result) error
	// inspect reports on an existing destination without the network.
	inspect func(ctx context.Context, dest string, r *Result) error
	// existing handles a destination that is already there; nil refuses.
	existing func(ctx context.Context, dest string, st tree.State, so SourceOptions, r *Result) (Status, error)
	// cleanup releases temporary resources (such as an ssh key file).
	cleanup func()
	// step names what create does, for progress displays.
	step Step
}

// resolveSubdirGlob sets r.Dir to the single entry a //subdir glob names.
func resolveSubdirGlob(dest, sub string, r *Result) error {
	if sub == "" {
		return nil
	}
	matches, err := filepath.Glob(filepath.Join(dest, filepath.FromSlash(sub)))
	if err != nil {
		return fmt.Errorf("subdir %q: %w", sub, err)
	}
	switch len(matches) {
	case 0:
		return fmt.Errorf("subdir %q not found in %s", sub, dest)
	case 1:
		// A symbolic link in a fetched repository (root -> ../../..) must
		// not turn //root/etc into a directory of the host
		// (CVE-2025-8959): what the subdir names must stay inside dest.
		inside, err := within(dest, matches[0])
		if err != nil {
			return fmt.Errorf("subdir %q: %w", sub, err)
		}
		if !inside {
			return fmt.Errorf("subdir %q leads outside %s through a symbolic link in the repository; refusing it", sub, dest)
		}
		r.Dir = matches[0]
		return nil
	}
	return fmt.Errorf("subdir %q matches %d paths in %s; it must match exactly one", sub, len(matches), dest)
}

// within reports whether path, with every symbolic link resolved, is dest
// or below it.
func within(dest, path string) (bool, error) {
	realDest, err := filepath.EvalSymlinks(dest)
	if err != nil {
		return false, err
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false, err
	}
	rel, err := filepath.Rel(realDest, real)
	if err != nil {
		return false, nil
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))), nil
}

// ErrOtherContent is matched (with errors.Is) by the error for a
// destination that already holds something other than what the source
// asks for: another commit, checksum, version or source. Nothing was
// changed; the message says what is there, what was asked for and what
// to run.
var ErrOtherContent = errors.New("destination holds other content")

// contentError is an ErrOtherContent with its one-line message.
type contentError struct{ msg string }

func (e *contentError) Error() string { return e.msg }

// Is reports whether target is ErrOtherContent.
func (e *contentError) Is(target error) bool { return target == ErrOtherContent }
