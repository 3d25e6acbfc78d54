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

// Lock takes the exclusive lock on dest shared by every fetch process and
// goroutine, waiting until it is free or ctx ends. dest's parent directory
// must exist. The returned unlock releases the lock and removes the lock
// file; calling it more than once is harmless. A process that dies holding
// the lock releases it, and its lock file is reused.
//
// Lock is not reentrant: taking it twice for the same dest, even in one
// goroutine, waits for the first to be released.
//
// Lock treats dest as a place the caller chose, like Where.Out; fetch
// locks a destination in the tree with Placement.Lock.
func Lock(ctx context.Context, dest string) (unlock func(), err error) {
	p, err := Place(Where{Out: dest}, Inspect)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return p.Lock(ctx)
}

// Lock takes the lock on p.Dest as the package-level Lock does, creating
// the lock file in the parent directory Place opened. It then checks that
// the parent's path still leads there through real directories (see
// verify), and fails with a *PlaceError if not.
func (p *Placement) Lock(ctx context.Context) (unlock func(), err error) {
	if p.parent == nil {
		return nil, fmt.Errorf("locking %s: its parent directory is missing or was not opened", p.Dest)
	}
	// The lock has its own handle on the parent, so that it outlives p.
	d, err := p.parent.dup()
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", p.Dest, err)
	}
	held, err := lockIn(ctx, d, p.Dest)
	if err != nil {
		d.close()
		return nil, err
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			held()
			d.close()
		})
	}
	if err := p.verify(); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// lockIn does Lock's work for dest, whose parent is d.
func lockIn(ctx context.Context, d *dirHandle, dest string) (unlock func(), err error) {
	base := filepath.Base(dest)
	delay := firstPoll
	var timer *time.Timer
	for waited := false; ; waited = true {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("waiting for the lock on %s: %w", dest, err)
		}
		unlock, ok, err := tryLock(d, base)
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

// tryLock takes the lock on d/base if it is free right now. The lock
// file is opened relative to d and never through a link.
//
// Unlock removes the lock file so that none are left in the tree. A waiter
// may meanwhile have opened the removed file and then locked it; it detects
// that by comparing the file it locked with the one now at the path, and
// starts over. Unlock uses d, which must stay open until then. The order
// of removing and closing is the system's (releaseLockFile): Windows
// cannot remove a file that is still open.
func tryLock(d *dirHandle, base string) (unlock func(), ok bool, err error) {
	dest := d.join(base)
	name := lockPrefix + base
	for {
		f, err := d.openFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, false, fmt.Errorf("locking %s: %w", dest, err)
		}
		ok, err := flockNB(f)
		if err != nil || !ok {
			f.Close()
			if err != nil {
				return nil, false, fmt.Errorf("locking %s: flock %s: %w", dest, d.join(name), err)
			}
			return nil, false, nil
		}
		same, serr := d.same(name, f)
		if serr == nil && same {
			var once sync.Once
			return func() {
				once.Do(func() { releaseLockFile(d, name, f) })
			}, true, nil
		}
		f.Close()
		if serr != nil && !errors.Is(serr, os.ErrNotExist) {
			return nil, false, fmt.Errorf("locking %s: %w", dest, serr)
		}
	}
}
