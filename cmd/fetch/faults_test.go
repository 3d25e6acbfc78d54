//go:build linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gofetch/fetch/internal/testutil"
)

// TestFaults proves issue 7's fault guarantees against real servers:
// fetch killed with SIGKILL at random points never leaves a half-installed
// destination and a rerun completes every source; two fetch processes
// sharing one root neither corrupt nor lose a source. The kill points come
// from a seed, logged so that FETCH_FAULT_SEED=N replays the same choices.
func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("about 45 s: hundreds of fetch processes")
	}
	testutil.NeedTool(t, "git", "git")
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("FETCH_FAULT_SEED"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("FETCH_FAULT_SEED=%q is not a number: %v", s, err)
		}
	}
	t.Logf("seed %d; replay with FETCH_FAULT_SEED=%d go test -run TestFaults ./cmd/fetch", seed, seed)
	b := newFaultBed(t, 40, 20)
	t.Run("fetches killed at random points, then a rerun", func(t *testing.T) {
		testKilledThenRerun(t, b, rand.New(rand.NewPCG(seed, 1)))
	})
	t.Run("two processes over one root with 200 sources", func(t *testing.T) {
		testTwoProcesses(t, b, rand.New(rand.NewPCG(seed, 2)))
	})
}

// faultMarkVar is set in each killed fetch's environment, which its
// commands inherit: it is how the test finds the git processes a SIGKILL
// orphaned.
const faultMarkVar = "FETCH_FAULT_MARK"

// killPlan says when to kill one fetch.
type killPlan struct {
	mode  string        // "event", "time" or "temp"
	lines int           // event: after this many lines of -v/-x output
	delay time.Duration // time: after this long from the start; temp: after the temporary appears
}

func (p killPlan) String() string {
	switch p.mode {
	case "event":
		return fmt.Sprintf("after %d lines of -v -x output", p.lines)
	case "time":
		return fmt.Sprintf("%v after the start", p.delay)
	}
	return fmt.Sprintf("%v after its temporary directory appeared", p.delay)
}

func randomPlan(rng *rand.Rand) killPlan {
	switch rng.IntN(3) {
	case 0:
		return killPlan{mode: "event", lines: 1 + rng.IntN(12)}
	case 1:
		return killPlan{mode: "time", delay: time.Duration(rng.IntN(400)) * time.Millisecond}
	}
	return killPlan{mode: "temp", delay: time.Duration(rng.IntN(30_000)) * time.Microsecond}
}

func testKilledThenRerun(t *testing.T, b *faultBed, rng *rand.Rand) {
	var sources []faultSource
	for i, s := range b.repos[:30] {
		if i%3 == 1 {
			s.arg += fmt.Sprintf("/p%d", 1+i%4) // a package below the root: the whole repository lands
		}
		sources = append(sources, s)
	}
	for i, s := range b.repos[30:] {
		s.arg = b.direct[30+i]
		sources = append(sources, s)
	}
	sources = append(sources, b.archives[:10]...)
	root := t.TempDir()
	b.resolveDests(t, root, sources)

	// Each source is fetched twice, so that the second fetch also meets
	// what the first one's kill left behind.
	var killed, interrupted, completed int
	var mu sync.Mutex
	for round := range 2 {
		plans := make([]killPlan, len(sources))
		for i := range plans {
			plans[i] = randomPlan(rng)
		}
		jobs := make(chan int)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for i := range jobs {
					n := round*len(sources) + i + 1
					wasKilled, leftTemp := b.runKilled(t, root, sources[i], plans[i], n)
					if present, err := b.checkDest(sources[i]); err != nil {
						t.Errorf("fetch %d of %s, killed %v: destination half-installed: %v", n, sources[i].arg, plans[i], err)
					} else if !wasKilled && !present {
						t.Errorf("fetch %d of %s finished with status 0 but %s is missing", n, sources[i].arg, sources[i].dest)
					}
					mu.Lock()
					switch {
					case !wasKilled:
						completed++
					case leftTemp:
						killed++
						interrupted++
					default:
						killed++
					}
					mu.Unlock()
				}
			})
		}
		for i := range sources {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
	}
	t.Logf("%d fetches killed (%d of them while filling a temporary), %d finished first", killed, interrupted, completed)
	if interrupted < 10 {
		t.Errorf("only %d of %d kills interrupted a fill: the test no longer exercises the fault", interrupted, killed)
	}

	list := filepath.Join(t.TempDir(), "sources.txt")
	writeSources(t, list, sources)
	cmd := b.fetchCmd(root, "get", "--json", "-j", "4", "-f", list)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rerun of every source: %v\n%s", err, stderrOf(err))
	}
	for i, r := range parseResults(t, out, sources) {
		checkResult(t, "rerun", r, sources[i])
	}
	for _, s := range sources {
		if present, err := b.checkDest(s); err != nil || !present {
			t.Errorf("after the rerun %s (for %s) is not complete: present %v, %v", s.dest, s.arg, present, err)
		}
	}
	if l := leftovers(t, root); len(l) > 0 {
		t.Errorf("after the rerun fetch's bookkeeping is still in the tree: %q", l)
	}
}

// checkResult checks one JSON result of a fetch that had to succeed.
func checkResult(t *testing.T, who string, r faultResult, s faultSource) {
	t.Helper()
	switch {
	case r.Status != "fetched" && r.Status != "exists":
		t.Errorf("%s: %s has status %q (%s), want fetched or exists", who, r.Source, r.Status, r.Error)
	case r.Dest != s.dest:
		t.Errorf("%s: %s went to %s, but fetch resolve said %s", who, r.Source, r.Dest, s.dest)
	case r.Commit != s.commit:
		t.Errorf("%s: %s reports commit %q, want %q", who, r.Source, r.Commit, s.commit)
	}
}

// runKilled runs fetch -v -x for s and kills it with SIGKILL as plan says,
// then kills the commands it orphaned. It reports whether the kill came
// before fetch finished, and whether it left a temporary directory beside
// the destination. A fetch that finishes first must exit 0.
func (b *faultBed) runKilled(t *testing.T, root string, s faultSource, plan killPlan, n int) (killed, leftTemp bool) {
	mark := fmt.Sprintf("%d-%d", os.Getpid(), n)
	cmd := b.fetchCmd(root, "get", "-v", "-x", s.arg)
	cmd.Env = append(cmd.Env, faultMarkVar+"="+mark)
	before := temps(s.dest)
	// Called from worker goroutines: failures are Errorf, never Fatal.
	r, w, err := os.Pipe()
	if err != nil {
		t.Error(err)
		return false, false
	}
	defer r.Close()
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Start()
	w.Close()
	if err != nil {
		t.Errorf("starting fetch %d: %v", n, err)
		return false, false
	}

	// The output is read (and, for an event plan, counted) until every
	// writer is gone, orphans included.
	var output bytes.Buffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		lines := 0
		for {
			k, err := r.Read(buf)
			output.Write(buf[:k])
			if plan.mode == "event" && lines < plan.lines {
				lines += bytes.Count(buf[:k], []byte("\n"))
				if lines >= plan.lines {
					cmd.Process.Kill()
				}
			}
			if err != nil {
				return
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	var waitErr error
	switch plan.mode {
	case "event":
		waitErr = <-exited
	case "time":
		waitErr = killAfter(cmd, plan.delay, exited)
	case "temp":
		waitErr = killAfterTemp(cmd, s.dest, before, plan.delay, exited)
	}
	// A temporary the kill left is one that was not there before: an
	// earlier kill's may still be there if this fetch died before its
	// Stage removed it.
	leftTemp = newTemp(s.dest, before)
	killOrphans(t, mark)
	<-read

	var ee *exec.ExitError
	if errors.As(waitErr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true, leftTemp
		}
	}
	if waitErr != nil {
		t.Errorf("fetch %d of %s (kill planned %v) failed on its own: %v\n%s", n, s.arg, plan, waitErr, output.Bytes())
	}
	return false, leftTemp
}

// killAfter kills cmd once d has passed, unless it exits first.
func killAfter(cmd *exec.Cmd, d time.Duration, exited <-chan error) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case err := <-exited:
		return err
	case <-timer.C:
		cmd.Process.Kill()
		return <-exited
	}
}

// killAfterTemp polls for a temporary directory of dest not among before
// and kills cmd d after it appears, unless cmd exits first.
func killAfterTemp(cmd *exec.Cmd, dest string, before []string, d time.Duration, exited <-chan error) error {
	tick := time.NewTicker(200 * time.Microsecond)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			return err
		case <-tick.C:
			if newTemp(dest, before) {
				return killAfter(cmd, d, exited)
			}
		}
	}
}

// temps returns the names of the fetch temporaries for dest beside it.
func temps(dest string) []string {
	entries, _ := os.ReadDir(filepath.Dir(dest))
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".fetch-tmp-"+filepath.Base(dest)+"-") {
			names = append(names, e.Name())
		}
	}
	return names
}

// newTemp reports whether a temporary for dest is there that is not among
// before.
func newTemp(dest string, before []string) bool {
	return slices.ContainsFunc(temps(dest), func(n string) bool { return !slices.Contains(before, n) })
}

// killOrphans kills every process whose environment carries mark (the
// commands of a killed fetch live on in sessions of their own) and waits
// until none is left.
func killOrphans(t *testing.T, mark string) {
	want := []byte(faultMarkVar + "=" + mark + "\x00")
	deadline := time.Now().Add(time.Minute)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		procs, _ := filepath.Glob("/proc/[0-9]*/environ")
		found := 0
		for _, p := range procs {
			env, err := os.ReadFile(p)
			if err != nil || !bytes.Contains(env, want) {
				continue
			}
			pid, err := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			if err == nil {
				syscall.Kill(pid, syscall.SIGKILL)
				found++
			}
		}
		if found == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("processes marked %s survive SIGKILL", mark)
			return
		}
		<-tick.C
	}
}

func testTwoProcesses(t *testing.T, b *faultBed, rng *rand.Rand) {
	var sources []faultSource
	for _, s := range b.repos[:36] {
		for _, sub := range []string{"", "/p1", "/p2", "/p3", "/p4"} {
			c := s
			c.arg += sub
			sources = append(sources, c)
		}
	}
	sources = append(sources, b.archives...)
	rng.Shuffle(len(sources), func(i, j int) { sources[i], sources[j] = sources[j], sources[i] })
	if len(sources) != 200 {
		t.Fatalf("made %d sources, want 200", len(sources))
	}
	root := t.TempDir()
	b.resolveDests(t, root, sources)
	list := filepath.Join(t.TempDir(), "sources.txt")
	writeSources(t, list, sources)
	if err := b.ResetRequests(); err != nil {
		t.Fatal(err)
	}

	cmds := make([]*exec.Cmd, 2)
	outs := make([]bytes.Buffer, 2)
	errs := make([]bytes.Buffer, 2)
	for i := range cmds {
		cmds[i] = b.fetchCmd(root, "get", "--json", "-j", "8", "-f", list)
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &errs[i]
	}
	for i, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting fetch %d: %v", i+1, err)
		}
	}
	done := make(chan struct{})
	watched := make(chan int)
	go func() { watched <- watchDests(t, sources, done) }()
	waitErrs := []error{cmds[0].Wait(), cmds[1].Wait()}
	close(done)
	t.Logf("while both ran, every destination was checked %d times", <-watched)
	fetched := make(map[string]int)
	for i, err := range waitErrs {
		if err != nil {
			t.Fatalf("fetch %d: %v\n%s", i+1, err, errs[i].Bytes())
		}
		for j, r := range parseResults(t, outs[i].Bytes(), sources) {
			checkResult(t, fmt.Sprintf("fetch %d", i+1), r, sources[j])
			if r.Status == "fetched" {
				fetched[r.Dest]++
			}
		}
	}

	checked := make(map[string]bool)
	for _, s := range sources {
		if checked[s.dest] {
			continue
		}
		checked[s.dest] = true
		if fetched[s.dest] != 1 {
			t.Errorf("%s was reported fetched %d times by the two processes, want once", s.dest, fetched[s.dest])
		}
		if present, err := b.checkDest(s); err != nil || !present {
			t.Errorf("%s (for %s) is not complete: present %v, %v", s.dest, s.arg, present, err)
		}
	}
	if len(checked) != 56 {
		t.Errorf("the 200 sources went to %d destinations, want 36 repositories and 20 archives", len(checked))
	}
	for _, s := range b.repos[:36] {
		name := strings.TrimPrefix(s.arg, "example.org/")
		refs := fmt.Sprintf("/%s.git/info/refs?service=git-upload-pack", name)
		if got := countRequests(b.Requests(), refs); got != 1 {
			t.Errorf("%s was cloned %d times (requests for %s), want once", name, got, refs)
		}
	}
	if l := leftovers(t, root); len(l) > 0 {
		t.Errorf("fetch's bookkeeping is left in the tree: %q", l)
	}
}

// watchDests checks, over and over until done is closed, that every
// destination already present holds exactly its files, and returns how
// many times it looked at them all.
func watchDests(t *testing.T, sources []faultSource, done <-chan struct{}) int {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	bad := make(map[string]bool)
	for passes := 0; ; passes++ {
		select {
		case <-done:
			return passes
		case <-tick.C:
		}
		for _, s := range sources {
			if _, err := os.Lstat(s.dest); err != nil || bad[s.dest] {
				continue
			}
			if got, err := readFiles(s.dest); err != nil || !maps.Equal(got, s.files) {
				bad[s.dest] = true
				t.Errorf("while both processes ran, %s was present but incomplete: %v %s", s.dest, err, mapDiff(got, s.files))
			}
		}
	}
}

func countRequests(log []string, suffix string) int {
	n := 0
	for _, line := range log {
		if strings.HasPrefix(line, "GET ") && strings.HasSuffix(line, suffix) {
			n++
		}
	}
	return n
}
