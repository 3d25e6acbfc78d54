package tree

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

const (
	lockPrefix = ".fetch-lock-"
	// The lock is polled rather than waited on in the kernel, because a
	// blocking flock cannot be abandoned when the context ends.
	firstPoll = time.Millisecond
	maxPoll   = 100 * time.Millisecond
)

type waitFuncKey struct{}

// WithWaitFunc returns a copy of ctx that makes Lock and Stage call f once,
// with the destination, when they have to wait because another process or
// goroutine holds its lock. Callers use it to tell a person why nothing is
// happening, as httptrace does for HTTP requests.
func WithWaitFunc(ctx context.Context, f func(dest string)) context.Context {
	return context.WithValue(ctx, waitFuncKey{}, f)
}

func waitFunc(ctx context.Context) func(string) {
	f, _ := ctx.Value(waitFuncKey{}).(func(string))
	return f
}

// lockFile is the lock file guarding dest. It sits beside dest, not inside
// it, so a lock never adds a file to a checkout.
func lockFile(dest string) string {
	return filepath.Join(filepath.Dir(dest), lockPrefix+filepath.Base(dest))
}

// Lock takes the exclusive lock on dest shared by every fetch process and
// goroutine, waiting until it is free or ctx ends. dest's parent directory
// must exist. The returned unlock releases the lock and removes the lock
// file; calling it more than once is harmless. A process that dies holding
// the lock releases it, and its lock file is reused.
//
// Lock is not reentrant: taking it twice for the same dest, even in one
// goroutine, waits for the first to be released.
func Lock(ctx context.Context, dest string) (unlock func(), err error) {
	dest = filepath.Clean(dest)
	delay := firstPoll
	var timer *time.Timer
	for waited := false; ; waited = true {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("waiting for the lock on %s: %w", dest, err)
		}
		unlock, ok, err := tryLock(dest)
		if err != nil || ok {
			return unlock, err
		}
		if !waited {
			if f := waitFunc(ctx); f != nil {
				f(dest)
			}
		}
		if timer == nil {
			timer = time.NewTimer(delay)
			defer timer.Stop()
		} else {
			timer.Reset(delay)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the lock on %s: %w", dest, ctx.Err())
		case <-timer.C:
		}
		delay = min(2*delay, maxPoll)
	}
}

// tryLock takes the lock on dest if it is free right now.
//
// Unlock removes the lock file so that none are left in the tree. A waiter
// may meanwhile have opened the removed file and then locked it; it detects
// that by comparing the file it locked with the one now at the path, and
// starts over.
func tryLock(dest string) (unlock func(), ok bool, err error) {
	path := lockFile(dest)
	for {
		f, err := openLockFile(path)
		if err != nil {
			return nil, false, fmt.Errorf("locking %s: %w", dest, err)
		}
		ok, err := flockNB(f)
		if err != nil || !ok {
			f.Close()
			if err != nil {
				return nil, false, fmt.Errorf("locking %s: flock %s: %w", dest, path, err)
			}
			return nil, false, nil
		}
		held, herr := f.Stat()
		now, nerr := os.Lstat(path)
		if herr == nil && nerr == nil && os.SameFile(held, now) {
			var once sync.Once
			return func() {
				once.Do(func() {
					os.Remove(path)
					f.Close()
				})
			}, true, nil
		}
		f.Close()
		if herr != nil {
			return nil, false, fmt.Errorf("locking %s: %w", dest, herr)
		}
		if nerr != nil && !errors.Is(nerr, os.ErrNotExist) {
			return nil, false, fmt.Errorf("locking %s: %w", dest, nerr)
		}
	}
}
