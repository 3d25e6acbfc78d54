package fetch_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
)

// TestStatusReportsSteps checks that Options.Status hears each step of a
// clone, git's own progress lines included, so a display can show them.
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
	var steps []string
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
			steps = append(steps, step)
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
	all := strings.Join(steps, "\n")
	for _, want := range []string{"resolving", "cloning", "objects"} {
		if !strings.Contains(all, want) {
			t.Errorf("steps lack %q:\n%s", want, all)
		}
	}
}
