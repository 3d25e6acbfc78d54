package fetch_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
)

// TestStatusReportsSteps checks that Options.Status and Options.OnStep hear
// each step of a clone in fetch's words, with git's progress read into
// figures, and never one of git's own lines (which name the temporary
// directory the clone goes to).
func TestStatusReportsSteps(t *testing.T) {
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
	var steps []fetch.Step
	c, err := fetch.New(fetch.Options{
		Root:       t.TempDir(),
		CACertFile: bed.CACertFile,
		ConnectTo:  bed.ConnectTo("example.org"),
		Getenv:     func(string) string { return "" },
		Status: func(source, step string) {
			mu.Lock()
			defer mu.Unlock()
			if source != "example.org/prog" {
				t.Errorf("Status for source %q", source)
			}
			status = append(status, step)
		},
		OnStep: func(source string, s fetch.Step) {
			mu.Lock()
			defer mu.Unlock()
			if source != "example.org/prog" {
				t.Errorf("OnStep for source %q", source)
			}
			steps = append(steps, s)
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
	words := map[string]bool{
		fetch.StepWaiting: true, fetch.StepResolving: true, fetch.StepCloning: true, fetch.StepUpdating: true,
		fetch.StepIndexing: true, fetch.StepCheckingOut: true, fetch.StepDownloading: true, fetch.StepUnpacking: true,
	}
	for _, s := range status {
		if !words[s] {
			t.Errorf("Status heard %q, which is not one of fetch's steps", s)
		}
	}
	all := strings.Join(status, "\n")
	for _, want := range []string{"resolving", "waiting", "cloning"} {
		if !strings.Contains(all, want) {
			t.Errorf("Status lacks %q:\n%s", want, all)
		}
	}
	figures := false
	for _, s := range steps {
		if !words[s.Name] {
			t.Errorf("OnStep heard %q, which is not one of fetch's steps", s.Name)
		}
		if s.Name == fetch.StepCloning && s.Percent >= 0 {
			figures = true
		}
	}
	if !figures {
		t.Errorf("OnStep never heard how far the clone was: %+v", steps)
	}
}
