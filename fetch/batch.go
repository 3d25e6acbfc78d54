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

// getBatch is Get's engine. It resolves every source first, so that it
// knows the whole batch before it fetches anything; groups the sources by
// destination, so that a repository holding many of the import paths is
// cloned once, by the first of them, and the others report on that
// checkout; and fetches the groups with at most Options.Jobs at once,
// sharing the jobs fairly between hosts (see hostScheduler).
func (c *Client) getBatch(ctx context.Context, srcs []string, so SourceOptions) []Result {
	out := newInOrder(len(srcs), so.OnResult)
	resolved := make([]*resolved, len(srcs))
	c.parallel(len(srcs), func(i int) {
		res, r := c.resolveOne(ctx, srcs[i], so)
		if r.Status == StatusError {
			out.set(i, r)
			return
		}
		resolved[i] = res
	})
	groups := groupByDest(resolved)
	sched := newHostScheduler(groups)
	// Each call takes the group the scheduler picks when a job is free,
	// not the i-th one, which is what makes the sharing fair.
	c.parallel(len(groups), func(int) {
		g := sched.next()
		if g == nil {
			return
		}
		defer sched.done(g)
		c.getGroup(ctx, g, so, out)
	})
	return out.results
}

// group is the sources of one batch that land in the same destination,
// in input order, and the host their first source is fetched from.
type group struct {
	host    string
	members []member
}

type member struct {
	index int
	res   *resolved
}

// groupByDest groups the resolved sources (nil for failures) by
// destination; groups come in the order of their first source.
func groupByDest(resolved []*resolved) []*group {
	var groups []*group
	byDest := map[string]*group{}
	for i, res := range resolved {
		if res == nil {
			continue
		}
		g := byDest[res.result.Dest]
		if g == nil {
			g = &group{host: hostOf(res)}
			byDest[res.result.Dest] = g
			groups = append(groups, g)
		}
		g.members = append(g.members, member{i, res})
	}
	return groups
}

// getGroup fetches a group's sources one after the other: the first
// creates the destination, the rest find it there. A source asking for
// exactly what an earlier one failed to get is not tried again, so a
// broken repository costs one attempt, not one per import path in it.
func (c *Client) getGroup(ctx context.Context, g *group, so SourceOptions, out *inOrder) {
	var failed []Result
	for _, m := range g.members {
		if prev, ok := sameAttempt(failed, m.res.result); ok {
			r := m.res.result
			r.Status = StatusError
			r.Error = fmt.Sprintf("not tried again: %s, which asks for the same repository and ref, failed: %s", prev.Source, prev.Error)
			r.Requests = int(m.res.job.requests.Load())
			m.res.job.trace.Emit(trace.Event{Kind: trace.Result, Message: "error: " + r.Error})
			out.set(m.index, r)
			continue
		}
		r := c.getResolved(ctx, m.res, so)
		if r.Status == StatusError {
			failed = append(failed, r)
		}
		out.set(m.index, r)
	}
}

// sameAttempt returns the failure in failed that asked for exactly what r
// asks for (the import path, which only names a directory inside the
// checkout, aside).
func sameAttempt(failed []Result, r Result) (Result, bool) {
	for _, f := range failed {
		if f.Kind == r.Kind && f.VCS == r.VCS && f.Repo == r.Repo && f.Getter == r.Getter &&
			f.URL == r.URL && f.Ref == r.Ref && f.Subdir == r.Subdir && f.Dest == r.Dest {
			return f, true
		}
	}
	return Result{}, false
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

// hostScheduler hands out groups so that one slow host cannot starve the
// rest: each free job goes to the first waiting group of the host with
// the fewest groups in flight. A host thus holds at most its share of the
// jobs (Jobs divided among the hosts with work waiting) while others
// wait, and all of them once it is the only one left.
type hostScheduler struct {
	mu       sync.Mutex
	pending  []*group // in input order
	inflight map[string]int
}

func newHostScheduler(groups []*group) *hostScheduler {
	return &hostScheduler{pending: append([]*group(nil), groups...), inflight: map[string]int{}}
}

// next takes the group to run now, or nil when none is waiting.
func (s *hostScheduler) next() *group {
	s.mu.Lock()
	defer s.mu.Unlock()
	best := -1
	for i, g := range s.pending {
		if best < 0 || s.inflight[g.host] < s.inflight[s.pending[best].host] {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	g := s.pending[best]
	s.pending = append(s.pending[:best], s.pending[best+1:]...)
	s.inflight[g.host]++
	return g
}

// done says that a group taken with next has finished.
func (s *hostScheduler) done(g *group) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight[g.host]--
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
