package fetch

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/trace"
)

// getBatch is Get's engine. Sources that land in the same destination
// (import paths in one repository) form a group that is fetched once, by
// its first source in input order; the others then report on that
// checkout, in input order. Resolving and fetching share Options.Jobs
// workers and overlap: a free worker fetches a group that is ready, else
// resolves the next source. A group, and each source in it, waits until
// every source before it in the input is resolved, so the grouping and
// the order are exactly those of resolving everything first. Free workers
// go to the ready group whose host has the fewest in flight, so one slow
// host cannot take every job while others have work.
func (c *Client) getBatch(ctx context.Context, srcs []string, so SourceOptions) []Result {
	out := newInOrder(len(srcs), so.OnResult)
	b := newBatch(len(srcs))
	// parallel starts at most Jobs of these at once; each is a worker
	// that runs until the batch is done, so later ones find nothing left.
	c.parallel(len(srcs), func(int) {
		for {
			a := b.wait()
			switch a.kind {
			case actExit:
				return
			case actResolve:
				res, r := c.resolveOne(ctx, srcs[a.index], so)
				if r.Status == StatusError || r.Status == StatusInterrupted {
					out.set(a.index, r)
					res = nil
				}
				b.resolved(a.index, res)
			case actFetch:
				for m, ok := b.take(a.group); ok; m, ok = b.take(a.group) {
					out.set(m.index, c.getMember(ctx, b, a.group.dest, m, so))
				}
			}
		}
	})
	return out.results
}

// getMember fetches one source of a group. A source asking for exactly
// what an earlier one failed to get is not tried again, so a broken
// repository costs one attempt, not one per import path in it.
func (c *Client) getMember(ctx context.Context, b *batch, dest string, m member, so SourceOptions) Result {
	if prev, ok := b.failedLike(dest, m.res.result); ok {
		r := m.res.result
		r.Status = StatusError
		r.Error = fmt.Sprintf("not tried again: %s, which asks for the same repository and ref, failed: %s", prev.Source, prev.Error)
		r.Requests = int(m.res.job.requests.Load())
		m.res.job.trace.Emit(trace.Event{Kind: trace.Result, Message: "error: " + r.Error})
		return r
	}
	r := c.getResolved(ctx, m.res, so)
	if r.Status == StatusError {
		b.fail(dest, r)
	}
	return r
}

// sameAttempt reports whether two results asked for exactly the same
// thing (the import path, which only names a directory inside the
// checkout, aside).
func sameAttempt(f, r Result) bool {
	return f.Kind == r.Kind && f.VCS == r.VCS && f.Repo == r.Repo && f.Getter == r.Getter &&
		f.URL == r.URL && f.Ref == r.Ref && f.Subdir == r.Subdir && f.Dest == r.Dest
}

// hostOf names the host a resolved source is fetched from, as
// "host[:port]" in lower case, or "" for a local one. It keys the
// per-host sharing of jobs, so it only has to tell servers apart.
func hostOf(res *resolved) string {
	repo := ""
	if res.rr != nil {
		repo = res.rr.Repo
	} else if res.src != nil {
		_, rest := detect.ForcedGetter(res.src.URL)
		repo, _ = detect.SourceDirSubdir(rest)
	}
	return repoHost(repo)
}

// repoHost is the host of a repository URL or scp-style address
// (user@host:path).
func repoHost(repo string) string {
	if u, err := url.Parse(repo); err == nil && u.Host != "" {
		return strings.ToLower(u.Host)
	}
	if at := strings.Index(repo, "@"); at >= 0 && !strings.Contains(repo, "://") {
		if host, _, ok := strings.Cut(repo[at+1:], ":"); ok {
			return strings.ToLower(host)
		}
	}
	return ""
}

// inOrder collects a batch's results and hands each to emit as soon as it
// and every result before it are in, so output follows the input order.
type inOrder struct {
	mu      sync.Mutex
	results []Result
	done    []bool
	next    int
	emit    func(Result)
}

func newInOrder(n int, emit func(Result)) *inOrder {
	return &inOrder{results: make([]Result, n), done: make([]bool, n), emit: emit}
}

func (o *inOrder) set(i int, r Result) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.results[i], o.done[i] = r, true
	for ; o.next < len(o.results) && o.done[o.next]; o.next++ {
		if o.emit != nil {
			o.emit(o.results[o.next])
		}
	}
}
