package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/trace"
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
	return c.getPinned(ctx, srcs, so, nil)
}

// getPinned is getBatch with a Replay's plan (lock_replay.go): each
// source is resolved and fetched with its own pinned options, checked
// against its lock entry before it is fetched and after. A nil plan
// changes nothing.
func (c *Client) getPinned(ctx context.Context, srcs []string, so SourceOptions, pins *replayPlan) []Result {
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
				res, r := c.resolveOne(ctx, srcs[a.index], pins.options(a.index, so))
				r = pins.resolved(a.index, res, r)
				if r.Status == StatusError || r.Status == StatusInterrupted {
					out.set(a.index, r)
					res = nil
				}
				b.resolved(a.index, res)
			case actFetch:
				for m, ok := b.take(a.group); ok; m, ok = b.take(a.group) {
					r := c.getMember(ctx, b, a.group.dest, m, pins.options(m.index, so))
					out.set(m.index, pins.fetched(ctx, m.index, m.res, r))
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
		r.Err = &repeatedError{msg: r.Error, err: prev.Err} // the same advice applies
		r.Requests = int(m.res.job.requests.Load())
		m.res.job.trace.Emit(trace.Event{Kind: trace.Result, Message: "error: " + r.Error})
		return r
	}
	w := wantOf(m.res)
	if first, ok := b.claimed(dest, m.index, w); !ok {
		r := m.res.result
		r.Status = StatusError
		r.Error = fmt.Sprintf("%s is already being fetched %s by source %d (%s), and this source asks for %s: fetch one of them into another destination with -o",
			dest, first.have, first.index+1, first.source, w.what)
		r.Err = errors.New(r.Error)
		r.Requests = int(m.res.job.requests.Load())
		m.res.job.trace.Emit(trace.Event{Kind: trace.Result, Message: "error: " + r.Error})
		return r
	}
	r := c.getResolved(ctx, m.res, so)
	switch r.Status {
	case StatusError:
		b.fail(dest, r)
	case StatusFetched, StatusUpdated, StatusExists, StatusPlanned:
		b.claim(dest, m.index, r.Source, w)
	}
	return r
}

// want is what a source asks to find at its destination: the same
// repository (or download, with its archive options) as key, at the
// ref (or with the checksum) spec. An empty spec takes whatever is
// there, as it does on disk; the rest is for messages.
type want struct {
	key, spec string
	have      string // "at v1.0.0", "from URL": how the first source's fetch is described
	what      string // "main", "URL": what this source asks for
}

// accepts reports whether what c placed is what w asks for.
func (c claim) accepts(w want) bool {
	return c.key == w.key && (w.spec == "" || w.spec == c.spec)
}

// claim is the want that an earlier source of the batch placed at a
// destination.
type claim struct {
	want
	index  int
	source string
}

// wantOf is the want of a resolved source. A depth, an ssh key, a
// //subdir of a checkout or the import path inside a repository do not
// change what the destination holds.
func wantOf(res *resolved) want {
	r := res.result
	vcsWant := func(system, repo, ref string) want {
		w := want{key: "vcs\x00" + system + "\x00" + repo, spec: ref, have: "at " + ref, what: ref}
		if ref == "" {
			w.have, w.what = "at the default branch", "the default branch"
			if system == "mod" {
				w.have, w.what = "at the latest version", "the latest version"
			}
		}
		return w
	}
	switch {
	case res.rr != nil:
		return vcsWant(res.rr.VCS, res.rr.Repo, res.src.Ref)
	case res.src.Getter == "git" || res.src.Getter == "hg":
		_, rest := detect.ForcedGetter(res.src.URL)
		base, _ := detect.SourceDirSubdir(rest)
		if u, err := url.Parse(base); err == nil {
			q := u.Query()
			for _, k := range []string{"ref", "rev", "depth", "sshkey"} {
				q.Del(k)
			}
			u.RawQuery = q.Encode()
			base = u.String()
		}
		return vcsWant(res.src.Getter, base, res.src.Ref)
	}
	base, sum := downloadWant(res.src.URL)
	return want{key: "download\x00" + base, spec: sum, have: "from " + r.URL, what: r.URL}
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
