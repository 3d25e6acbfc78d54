package fetch_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/trace"
)

// TestProgressReportsSteps checks that Options.Trace hears each step of a
// clone as a trace.Step event and Options.Progress with git's progress
// read into figures, both in fetch's words, and never one of git's own
// lines (which name the temporary directory the clone goes to).
func TestProgressReportsSteps(t *testing.T) {
	t.Parallel()
	testbed.RequireGit(t)
	bed := testbed.New(t)
	if _, err := bed.AddGitRepo("prog", map[string]string{"a.txt": "a\n", "b.txt": "b\n"}); err != nil {
		t.Fatal(err)
	}
	if err := bed.WriteWWW("example.org/prog.html",
		`<meta name="go-import" content="example.org/prog git `+bed.GitBase()+`/prog.git">`); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var status []string
	var steps []fetch.Progress
	c, err := fetch.New(fetch.Options{
		Root:       t.TempDir(),
		CACertFile: bed.CACertFile,
		ConnectTo:  bed.ConnectTo("example.org"),
		Getenv:     func(string) string { return "" },
		Trace: func(e trace.Event) {
			if e.Kind != trace.Step {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if e.Source != "example.org/prog" {
				t.Errorf("step event for source %q", e.Source)
			}
			status = append(status, e.Message)
		},
		Progress: func(p fetch.Progress) {
			mu.Lock()
			defer mu.Unlock()
			if p.Source != "example.org/prog" {
				t.Errorf("Progress for source %q", p.Source)
			}
			steps = append(steps, p)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Get(context.Background(), []string{"example.org/prog"}, fetch.SourceOptions{})[0]
	if r.Status != fetch.StatusFetched {
		t.Fatalf("Get: %s %s", r.Status, r.Error)
	}
	mu.Lock()
	defer mu.Unlock()
	words := map[fetch.Step]bool{
		fetch.StepWaiting: true, fetch.StepResolving: true, fetch.StepCloning: true, fetch.StepUpdating: true,
		fetch.StepIndexing: true, fetch.StepCheckingOut: true, fetch.StepDownloading: true, fetch.StepUnpacking: true,
	}
	for _, s := range status {
		if !words[fetch.Step(s)] {
			t.Errorf("a step event says %q, which is not one of fetch's steps", s)
		}
	}
	all := strings.Join(status, "\n")
	for _, want := range []string{"resolving", "waiting", "cloning"} {
		if !strings.Contains(all, want) {
			t.Errorf("the step events lack %q:\n%s", want, all)
		}
	}
	figures := false
	for _, s := range steps {
		if !words[s.Step] {
			t.Errorf("Progress heard %q, which is not one of fetch's steps", s.Step)
		}
		if s.Step == fetch.StepCloning && s.Percent >= 0 {
			figures = true
		}
	}
	if !figures {
		t.Errorf("Progress never heard how far the clone was: %+v", steps)
	}
}
