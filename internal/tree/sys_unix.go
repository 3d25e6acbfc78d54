//go:build unix

package tree

import (
	"errors"
	"os"
	"syscall"
)

// flockNB takes an exclusive flock on f without blocking. flock locks
// belong to the open file, so two descriptors in one process exclude each
// other just as two processes do.
func flockNB(f *os.File) (bool, error) {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, syscall.EINTR):
			continue
		default:
			return false, err
		}
	}
}

// processExists reports whether a process with this PID exists. EPERM
// means it exists but belongs to someone else.
func processExists(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// releaseLockFile removes the lock file name in d, then closes f, which
// holds the lock on it: removing first means no new waiter can open the
// file and then take the released lock on a file no longer at the path
// (one that opened it earlier notices, see tryLock).
func releaseLockFile(d *dirHandle, name string, f *os.File) {
	d.remove(name)
	f.Close()
}
