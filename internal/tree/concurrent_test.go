package tree

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// Two goroutines staging one destination: the second waits for the first's
// lock, then finds the destination in place and never fills.
func TestStageSameDestTwice(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "repo")
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- Stage(context.Background(), dest, func(dir string) error {
			close(started)
			<-release
			writeFile(t, filepath.Join(dir, "by"), "first")
			return nil
		})
	}()
	<-started
	ctx := WithWaitFunc(context.Background(), func(string) { close(release) })
	err := Stage(ctx, dest, func(string) error {
		t.Errorf("second fill ran")
		return nil
	})
	if !errors.Is(err, ErrExist) {
		t.Fatalf("second Stage = %v, want ErrExist", err)
	}
	if err := <-first; err != nil {
		t.Fatalf("first Stage: %v", err)
	}
	if got := files(t, dest); got["by"] != "first" || len(got) != 1 {
		t.Fatalf("dest holds %v, want the first fill's file only", got)
	}
}

// Many goroutines racing with no order imposed: exactly one fills.
func TestStageRaceHasOneWinner(t *testing.T) {
	parent := t.TempDir()
	dest := filepath.Join(parent, "a", "b", "repo")
	const n = 8
	var fills atomic.Int32
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = Stage(context.Background(), dest, func(dir string) error {
				fills.Add(1)
				writeFile(t, filepath.Join(dir, "f"), "x")
				return nil
			})
		})
	}
	wg.Wait()
	var won int
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrExist):
			t.Errorf("a loser got %v, want ErrExist", err)
		}
	}
	if won != 1 || fills.Load() != 1 {
		t.Fatalf("%d Stage calls succeeded and %d fills ran, want 1 and 1", won, fills.Load())
	}
	if got := names(t, filepath.Dir(dest)); len(got) != 1 || got[0] != "repo" {
		t.Fatalf("%s holds %q, want only repo", filepath.Dir(dest), got)
	}
}
