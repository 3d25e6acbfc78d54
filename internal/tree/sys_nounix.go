//go:build !unix && !windows

package tree

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// flockNB fails: without a lock Stage could not tell a live temporary
// directory from a stale one, so it refuses to run rather than guess.
func flockNB(*os.File) (bool, error) {
	return false, fmt.Errorf("file locking on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}

// processExists answers yes, so that nothing is ever removed on a guess.
func processExists(int) bool { return true }

// releaseLockFile removes the lock file name in d, then closes f, which
// holds the lock on it: removing first means no new waiter can open the
// file and then take the released lock on a file no longer at the path
// (one that opened it earlier notices, see tryLock).
func releaseLockFile(d *dirHandle, name string, f *os.File) {
	d.remove(name)
	f.Close()
}
