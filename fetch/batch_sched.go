package fetch

import "sync"

// batch is the shared state of one Get: which sources are resolved,
// the groups of sources by destination, and which hosts are busy. Workers
// ask it what to do next (next and wait), report resolutions (resolved)
// and take the sources of the group they fetch one by one (take).
type batch struct {
	mu   sync.Mutex
	cond *sync.Cond

	n         int
	nextSrc   int    // the next source to resolve
	done      []bool // resolved (successfully or not)
	watermark int    // sources [0, watermark) are all resolved

	latest   map[string]*group // by destination, the newest group
	pending  []*group          // groups waiting for a worker
	inflight map[string]int    // groups being fetched, by host
	failed   map[string][]Result
	claims   map[string]claim // by destination, the first source placed there
}

// group is the sources landing in one destination, in input order, and the
// host the first of them is fetched from.
type group struct {
	dest, host string
	members    []member // sorted by index; members[:next] are done
	next       int
	finished   bool
}

type member struct {
	index int
	res   *resolved
}

// Kinds of action.
const (
	actWait = iota
	actResolve
	actFetch
	actExit
)

// action is what a worker does next: resolve source index, fetch group,
// wait for another worker's progress, or stop.
type action struct {
	kind  int
	index int
	group *group
}

func newBatch(n int) *batch {
	b := &batch{
		n:        n,
		done:     make([]bool, n),
		latest:   map[string]*group{},
		inflight: map[string]int{},
		failed:   map[string][]Result{},
		claims:   map[string]claim{},
	}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// wait returns the next action, blocking while there is none yet.
func (b *batch) wait() action {
	b.mu.Lock()
	defer b.mu.Unlock()
	for {
		if a := b.nextLocked(); a.kind != actWait {
			return a
		}
		b.cond.Wait()
	}
}

// next returns the next action without blocking.
func (b *batch) next() action {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.nextLocked()
}

// nextLocked prefers fetching a ready group to resolving more sources:
// clones are the long part, and starting them early overlaps them with
// the resolutions still to come.
func (b *batch) nextLocked() action {
	best := -1
	for i, g := range b.pending {
		if !b.ready(g) {
			continue
		}
		if best < 0 || b.before(g, b.pending[best]) {
			best = i
		}
	}
	if best >= 0 {
		g := b.pending[best]
		b.pending = append(b.pending[:best], b.pending[best+1:]...)
		b.inflight[g.host]++
		return action{kind: actFetch, group: g}
	}
	if b.nextSrc < b.n {
		b.nextSrc++
		return action{kind: actResolve, index: b.nextSrc - 1}
	}
	if b.watermark == b.n && len(b.pending) == 0 {
		return action{kind: actExit}
	}
	return action{kind: actWait}
}

// ready reports whether g's next source may run: every source before it
// in the input is resolved, so no earlier source can still join g.
func (b *batch) ready(g *group) bool {
	return g.next < len(g.members) && g.members[g.next].index < b.watermark
}

// before reports whether g should get a free worker before h: its host
// has fewer groups in flight, or as many and g's next source comes first.
func (b *batch) before(g, h *group) bool {
	if ng, nh := b.inflight[g.host], b.inflight[h.host]; ng != nh {
		return ng < nh
	}
	return g.members[g.next].index < h.members[h.next].index
}

// resolved records that source i is resolved; res is nil when it failed.
func (b *batch) resolved(i int, res *resolved) {
	b.mu.Lock()
	defer b.mu.Unlock()
	defer b.cond.Broadcast()
	b.done[i] = true
	for b.watermark < b.n && b.done[b.watermark] {
		b.watermark++
	}
	if res == nil {
		return
	}
	dest := res.result.Dest
	g := b.latest[dest]
	if g == nil || g.finished {
		// A finished group's checkout is there: a new group for the
		// same destination finds it, as later sources of a group do.
		g = &group{dest: dest, host: hostOf(res)}
		b.latest[dest] = g
		b.pending = append(b.pending, g)
	}
	// Every source g has already run came before every unresolved one
	// (it waited for them), so i belongs in the part not yet run.
	k := len(g.members)
	for k > g.next && g.members[k-1].index > i {
		k--
	}
	g.members = append(g.members, member{})
	copy(g.members[k+1:], g.members[k:])
	g.members[k] = member{index: i, res: res}
}

// take returns g's next source to fetch. When it has none that may run
// now, g goes back to waiting (or is finished, if it has none left) and
// the worker is free again.
func (b *batch) take(g *group) (member, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ready(g) {
		g.next++
		return g.members[g.next-1], true
	}
	b.inflight[g.host]--
	if g.next < len(g.members) {
		b.pending = append(b.pending, g)
	} else {
		g.finished = true
	}
	b.cond.Broadcast()
	return member{}, false
}

// fail remembers a failed attempt at dest.
func (b *batch) fail(dest string, r Result) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failed[dest] = append(b.failed[dest], r)
}

// failedLike returns an earlier failure at dest that asked for exactly
// what r asks for.
func (b *batch) failedLike(dest string, r Result) (Result, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, f := range b.failed[dest] {
		if sameAttempt(f, r) {
			return f, true
		}
	}
	return Result{}, false
}

// claim records that source i placed w at dest, unless an earlier source
// already did.
func (b *batch) claim(dest string, i int, source string, w want) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.claims[dest]; !ok {
		b.claims[dest] = claim{want: w, index: i, source: source}
	}
}

// claimed returns the claim on dest of a source other than i, and whether
// it gives w what it asks for (true when there is none). The sources at one
// destination run one after another in input order, so a claim is always
// an earlier source's.
func (b *batch) claimed(dest string, i int, w want) (claim, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c, ok := b.claims[dest]
	return c, !ok || c.index == i || c.accepts(w)
}
